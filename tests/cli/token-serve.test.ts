/**
 * `token` and `serve` as a user runs them: the real bin, a real SQLite file, a real listening
 * server on 127.0.0.1 with an OS-chosen port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openContext } from '../../src/cli/command.js';
import { tempDir } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
const ENV = { ...process.env, DATABASE_URL: '', CM_CONFIG: '' };

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('complaint-monitor token', () => {
  const db = join(tempDir(), 'tokens.db');

  it('create --json prints the token once; list shows it without the secret; revoke makes it 401', async () => {
    const created = cli(['token', 'create', '--name', 'rina', '--role', 'desk', '--json', '--db', db]);
    expect(created.code).toBe(0);
    const { token } = JSON.parse(created.out) as { token: string };
    expect(token).toMatch(/^cm_[A-Za-z0-9_-]{43}$/);

    const listed = cli(['token', 'list', '--json', '--db', db]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([{ name: 'rina', role: 'desk', createdAt: expect.any(String), lastUsedAt: null, revokedAt: null }]);
    expect(listed.out).not.toContain(token);
    const human = cli(['token', 'list', '--db', db]);
    expect(human.out).toMatch(/rina\s+desk/);
    expect(human.out).not.toContain(token);

    const ctx = openContext({ db, config: undefined });
    afterAll(() => ctx.repo.close());
    const app = await buildApp({ repo: ctx.repo, pipeline: ctx.pipeline });
    afterAll(() => app.close());
    const ask = () => app.inject({ url: '/api/cases', headers: { authorization: `Bearer ${token}` } });
    expect((await ask()).statusCode).toBe(200);

    const revoked = cli(['token', 'revoke', 'rina', '--db', db]);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('Revoked token "rina"');
    expect((await ask()).statusCode).toBe(401);
    expect(cli(['token', 'revoke', 'rina', '--db', db]).code).toBe(1);
    expect(JSON.parse(cli(['token', 'list', '--json', '--db', db]).out)[0].revokedAt).toEqual(expect.any(String));
  });

  it('refuses a duplicate name, an unknown role and a missing action with clear messages', () => {
    expect(cli(['token', 'create', '--name', 'ops', '--role', 'manager', '--db', db]).out).toContain('shown only this once');
    const again = cli(['token', 'create', '--name', 'ops', '--role', 'admin', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('a token named "ops" already exists');
    const role = cli(['token', 'create', '--name', 'x1', '--role', 'root', '--db', db]);
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role must be one of social, desk, manager, admin');
    expect(cli(['token', '--db', db]).err).toContain('give an action: create, list or revoke');
    expect(cli(['token', 'create', '--role', 'desk', '--db', db]).err).toContain('--name is required');
  });
});

describe('complaint-monitor serve', () => {
  it('on a new database: imports the samples, creates and prints an admin token, listens on 127.0.0.1, answers, and closes on SIGTERM', async () => {
    const db = join(tempDir(), 'serve.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let token = '';
      let address = '';
      let imported = false;
      for await (const line of createInterface({ input: child.stdout })) {
        imported ||= line.includes('New database: imported the bundled samples');
        token ||= /\b(cm_[A-Za-z0-9_-]{43})\b/.exec(line)?.[1] ?? '';
        address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
        if (address) break;
      }
      expect(address, stderr).not.toBe('');
      expect(token).not.toBe('');
      expect(imported).toBe(true);

      const health = await fetch(`${address}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`${address}/api/cases`)).status).toBe(401);
      const cases = await fetch(`${address}/api/cases?limit=5`, { headers: { authorization: `Bearer ${token}` } });
      expect(cases.status).toBe(200);
      expect(((await cases.json()) as { cases: unknown[] }).cases).toHaveLength(5);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code, stderr).toBe(0);
    // Another start finds the token and creates none, and imports nothing into a database that has data.
    const tokens = JSON.parse(cli(['token', 'list', '--json', '--db', db]).out) as { name: string; role: string }[];
    expect(tokens).toEqual([expect.objectContaining({ name: 'admin', role: 'admin' })]);
    const again = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const againExited = once(again, 'exit');
    let out = '';
    for await (const line of createInterface({ input: again.stdout })) {
      out += `${line}\n`;
      if (line.includes('listening on')) break;
    }
    again.kill('SIGTERM');
    expect((await againExited)[0]).toBe(0);
    expect(out).not.toContain('imported the bundled samples');
    expect(out).not.toContain('cm_');
  });
});
