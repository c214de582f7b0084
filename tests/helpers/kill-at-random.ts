/** Crash tests: a child process killed with SIGKILL at random points of its work, then run to its end. */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A child whose stdout and stderr are piped. */
type Piped = ChildProcessByStdio<null, Readable, Readable>;

export interface KillPlan {
  kills: number;
  /** How many items the whole run stores: kill k lands in the k-th of kills+1 stretches. */
  total: number;
  start: () => Piped;
  /** Items stored so far (read from the database). */
  stored: () => number;
  random: () => number;
  pollMs: number;
  /** Up to this much delay after the target, so kills also land inside fetches and transactions. */
  jitterMs: number;
}

/** Starts and kills the process `kills` times; returns how many items were stored at each kill. */
export async function killAtRandomPoints(plan: KillPlan): Promise<number[]> {
  const killedAt: number[] = [];
  for (let k = 0; k < plan.kills; k++) {
    const target = Math.floor(((k + plan.random()) * plan.total) / (plan.kills + 1));
    const child = plan.start();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let done = false;
    void exited.then(() => (done = true));
    while (!done && plan.stored() < target) await new Promise((r) => setTimeout(r, plan.pollMs));
    await new Promise((r) => setTimeout(r, plan.random() * plan.jitterMs));
    if (done) throw new Error(`run ${k + 1} ended before it could be killed (target ${target}): ${stderr}`);
    child.kill('SIGKILL');
    await exited;
    killedAt.push(plan.stored());
  }
  return killedAt;
}

/** Lets a process finish; its exit code and standard output. */
export async function runToEnd(child: Piped): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout };
}
