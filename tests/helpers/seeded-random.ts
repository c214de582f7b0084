/**
 * Reproducible randomness for tests that kill processes at random points: the seed goes in the
 * test's name, and CM_TEST_SEED replays a failing run.
 */
export function seededRandom(): { seed: number; random: () => number } {
  const seed = Number(process.env.CM_TEST_SEED ?? Date.now() % 1_000_000);
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { seed, random };
}
