/**
 * A real Dovecot IMAP server for tests, one instance per caller (its own config, folders, port),
 * so a test may restart or break its server without touching others. Needs the dovecot-imapd
 * package: tests/setup/install-dovecot.ts installs it when missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, openSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export interface Dovecot {
  host: string;
  port: number;
  dir: string;
  addUser(user: string, password: string): void;
  /** A logged-in client for setting up mailboxes (append, create, delete). Close it yourself. */
  client(user: string, password: string): Promise<ImapFlow>;
  stop(): void;
  start(): void;
  restart(): void;
  /** Lines of Dovecot's log (logins, failures). */
  log(): string;
  destroy(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-dovecot-'));
  chmodSync(dir, 0o755); // the mail processes run as nobody and must traverse it
  const mail = join(dir, 'mail');
  execFileSync('mkdir', ['-p', join(dir, 'run'), join(dir, 'state'), mail]);
  chownSync(mail, uid('nobody'), gid('nogroup'));
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
shutdown_clients = yes
# Tests need no durability against power loss; appends are several times faster without fsync.
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwd}
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${mail}/%u
}
mail_location = maildir:${mail}/%u
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}
`,
  );

  const pidFile = join(dir, 'run', 'master.pid');
  const stop = () => {
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    // Dovecot lets logged-in imap processes outlive the master; a restarted server must drop its
    // connections, so they go too.
    const children = (spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);
    signal(pid, 'SIGTERM');
    for (let i = 0; i < 100 && isAlive(pid); i++) spawnSync('sleep', ['0.05']);
    for (const child of children) signal(child, 'SIGKILL');
    rmSync(pidFile, { force: true });
  };
  const start = () => {
    // The daemon keeps inherited pipes open, so give it files, not pipes, or this call never returns.
    const errFile = join(dir, 'start.err');
    const err = openSync(errFile, 'w');
    const result = spawnSync('dovecot', ['-c', conf], { stdio: ['ignore', err, err] });
    closeSync(err);
    if (result.status !== 0) throw new Error(`dovecot did not start (exit ${result.status}): ${readFileSync(errFile, 'utf8')}`);
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) spawnSync('sleep', ['0.02']);
  };
  start();
  await waitForPort(port);

  return {
    host: '127.0.0.1',
    port,
    dir,
    addUser(user, password) {
      appendFileSync(passwd, `${user}:{PLAIN}${password}\n`);
    },
    async client(user, password) {
      const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
      await c.connect();
      return c;
    },
    stop,
    start,
    restart() {
      stop();
      start();
    },
    log: () => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : ''),
    destroy() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // already gone is fine
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: the process is gone, which is the answer
  }
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Dovecot did not listen on 127.0.0.1:${port}`);
}

function uid(name: string): number {
  return Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
}

function gid(name: string): number {
  return Number(execFileSync('getent', ['group', name], { encoding: 'utf8' }).split(':')[2]);
}
