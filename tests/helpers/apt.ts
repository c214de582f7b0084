/**
 * Installs a Debian package a test needs when its command is missing, so `npm test` on a clean
 * machine needs nothing done by hand. Root runs apt-get itself; others go through sudo without a
 * password prompt (-n). Fails loudly (never skips) when the install does not work.
 */
import { spawnSync } from 'node:child_process';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function ensureDebianPackage(command: string, pkg: string, why: string): void {
  if (has(command)) return;
  process.stderr.write(`[test setup] installing ${pkg} for ${why}...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = (args: string[]) =>
    process.getuid?.() === 0 ? spawnSync('apt-get', args, { env, encoding: 'utf8' }) : spawnSync('sudo', ['-n', '-E', 'apt-get', ...args], { env, encoding: 'utf8' });
  const install = () => asRoot(['install', '-y', '--no-install-recommends', pkg]);
  let result = install();
  if (result.status !== 0) {
    // A fresh machine may have stale package lists.
    asRoot(['update']);
    result = install();
  }
  if (result.status !== 0 || !has(command)) {
    throw new Error(`could not install ${pkg} (needed by ${why}; run as root or with passwordless sudo, or install it yourself):\n${result.stderr || result.error?.message}`);
  }
  process.stderr.write(`[test setup] ${pkg} installed\n`);
}
