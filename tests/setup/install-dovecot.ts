/**
 * vitest globalSetup: the IMAP tests need Dovecot (Debian's dovecot-imapd). Installs it when it is
 * missing, so `npm test` on a clean machine needs nothing done by hand. Each test file then starts
 * its own instance (tests/helpers/dovecot.ts).
 */
import { ensureDebianPackage } from '../helpers/apt.js';

export default function setup(): void {
  ensureDebianPackage('dovecot', 'dovecot-imapd', 'the IMAP tests (about 15 s)');
}
