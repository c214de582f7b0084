/**
 * `complaint-monitor poll --once` with an X source from the config file, against the fake X
 * server: the real bin in its own process, the bearer token from the variable the config names.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticPosts } from '../../fake-x/synthetic-posts.js';
import { tempDir } from '../../helpers/db.js';
import { BRAND_ID, fakeXPerTest } from '../../helpers/x.js';

const BIN = join(import.meta.dirname, '../../../bin/complaint-monitor.js');
const fakeX = fakeXPerTest();

// Async: the fake server answers in this process while the CLI runs.
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

describe('poll with an X source', () => {
  it('stores the mentions once, and a wrong token is a clear failure with exit 1', async () => {
    const server = await fakeX();
    const posts = syntheticPosts(30);
    server.addUsers(posts.users);
    server.addPosts(posts.tweets, { mentionsOf: BRAND_ID });
    const dir = tempDir();
    const config = join(dir, 'cm.json');
    writeFileSync(
      config,
      JSON.stringify({ sources: [{ type: 'x', name: 'x-sakupay', baseUrl: server.url, bearerTokenEnv: 'SAKUPAY_X_BEARER', brandUserIds: [BRAND_ID], pageSize: 10 }] }),
    );
    const args = ['poll', '--once', '--json', '--config', config, '--db', join(dir, 'c.db')];

    const first = await cli(args, { SAKUPAY_X_BEARER: server.bearerToken });
    expect(first.err).not.toContain('failed');
    expect(first.code).toBe(0);
    const [result] = (JSON.parse(first.out.trim().split('\n').pop()!) as { sources: Record<string, unknown>[] }).sources;
    expect(result).toMatchObject({ source: 'x-sakupay', ok: true, read: 30, stored: 30 });

    const again = await cli(args, { SAKUPAY_X_BEARER: server.bearerToken });
    expect(JSON.parse(again.out.trim().split('\n').pop()!).sources[0]).toMatchObject({ ok: true, read: 0 });

    const wrong = await cli(['poll', '--once', '--config', config, '--db', join(dir, 'c.db')], { SAKUPAY_X_BEARER: 'expired' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('x-sakupay: FAILED (auth): x-sakupay: X refused the bearer token (401 Unauthorized); check SAKUPAY_X_BEARER');
    expect(wrong.out + wrong.err).not.toContain('expired');
  });
});
