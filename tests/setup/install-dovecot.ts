/**
 * vitest globalSetup: the IMAP tests need Dovecot (Debian's dovecot-imapd). Installs it when it is
 * missing, so `npm test` on a clean machine needs nothing done by hand. Each test file then starts
 * its own instance (tests/helpers/dovecot.ts).
 */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  if (spawnSync('sh', ['-c', 'command -v dovecot'], { stdio: 'ignore' }).status === 0) return;
  process.stderr.write('[test setup] installing dovecot-imapd for the IMAP tests (about 15 s)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Not root: through sudo, without a password prompt (-n), or a clear failure below.
  const asRoot = (args: string[]) =>
    process.getuid?.() === 0 ? spawnSync('apt-get', args, { env, encoding: 'utf8' }) : spawnSync('sudo', ['-n', '-E', 'apt-get', ...args], { env, encoding: 'utf8' });
  const install = () => asRoot(['install', '-y', '--no-install-recommends', 'dovecot-imapd']);
  let result = install();
  if (result.status !== 0) {
    // A fresh machine may have stale package lists.
    asRoot(['update']);
    result = install();
  }
  if (result.status !== 0 || spawnSync('sh', ['-c', 'command -v dovecot'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`could not install dovecot-imapd (needed by the IMAP tests; run as root or with passwordless sudo, or install it yourself):\n${result.stderr || result.error?.message}`);
  }
  process.stderr.write('[test setup] dovecot-imapd installed\n');
}
