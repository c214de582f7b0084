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
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'dovecot-imapd'], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine may have stale package lists.
    spawnSync('apt-get', ['update'], { env, stdio: 'ignore' });
    result = install();
  }
  if (result.status !== 0 || spawnSync('sh', ['-c', 'command -v dovecot'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`could not install dovecot-imapd (needed by the IMAP tests):\n${result.stderr || result.error?.message}`);
  }
  process.stderr.write('[test setup] dovecot-imapd installed\n');
}
