/** Config files in JSON and YAML, schedules, and `complaint-monitor config check` as a user runs it. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, unsetSecretVariables } from '../../src/config/config.js';
import { tempDir } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
const dir = tempDir();

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function check(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'config', 'check', ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const YAML_OK = `# the team's sources
timezone: Asia/Jakarta
sources:
  - type: imap
    name: care-inbox
    host: imap.example.com
    user: care@example.com
    passwordEnv: CARE_IMAP_PASSWORD
    schedule: { cron: "*/5 * * * *" }
  - type: x
    name: x-sakupay
    bearerTokenEnv: SAKUPAY_X_BEARER
    brandUserIds: ["1188870323419996160"]
    schedule:
      cron: "0 * 8-20 * * MON-FRI"
      timezone: Asia/Singapore
      timeoutSeconds: 120
`;

describe('config files', () => {
  it('reads YAML by its extension: schedules with their zones, defaults filled in', () => {
    const config = loadConfig({ configFile: file('cm.yaml', YAML_OK) }, {});
    expect(config.sources.map((s) => [s.name, s.schedule])).toEqual([
      ['care-inbox', { cron: '*/5 * * * *' }],
      ['x-sakupay', { cron: '0 * 8-20 * * MON-FRI', timezone: 'Asia/Singapore', timeoutSeconds: 120 }],
    ]);
    expect(config.scheduler).toEqual({ runTimeoutSeconds: 600, backoffBaseSeconds: 60, backoffMaxSeconds: 3600, nonRetryableRetrySeconds: 900 });
    expect(loadConfig({ configFile: file('same.json', JSON.stringify({ sources: [{ type: 'x', name: 'x1', bearerTokenEnv: 'T', queries: [{ name: 'q', query: 'q' }] }] })) }, {}).sources[0]!.schedule).toEqual({
      cron: '* * * * *',
    });
  });

  it('an invalid cron, time zone or unknown schedule key is an error naming the key and the file', () => {
    const bad = file('bad.yml', YAML_OK.replace('*/5 * * * *', '61 * * * *').replace('Asia/Singapore', 'Mars/Olympus').replace('timeoutSeconds: 120', 'timeoutSecs: 120'));
    let message = '';
    try {
      loadConfig({ configFile: bad }, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`invalid configuration (${bad})`);
    expect(message).toContain('sources.0.schedule.cron: not a valid cron expression ("61 * * * *"): 61 is a invalid expression for minute');
    expect(message).toContain('sources.1.schedule.timezone: not an IANA time zone');
    expect(message).toContain('sources.1.schedule: Unrecognized key: "timeoutSecs"');
  });

  it('YAML that does not parse, a duplicate key, or a list at the top is refused with the file named', () => {
    expect(() => loadConfig({ configFile: file('broken.yaml', 'sources: [\n') }, {})).toThrow(/broken\.yaml is not valid YAML: .*line 2/s);
    expect(() => loadConfig({ configFile: file('dup.yaml', 'timezone: UTC\ntimezone: Asia/Jakarta\n') }, {})).toThrow(/dup\.yaml is not valid YAML: Map keys must be unique/);
    expect(() => loadConfig({ configFile: file('list.yaml', '- a\n- b\n') }, {})).toThrow(/list\.yaml: the top level must be an object of settings, not a list/);
    expect(loadConfig({ configFile: file('empty.yaml', '# nothing yet\n') }, {}).sources).toEqual([]);
  });

  it('reports.schedule: off by default; its folder is relative to the config file; bad values name their key', () => {
    expect(loadConfig({ configFile: file('plain.yaml', YAML_OK) }, {}).reports.schedule).toEqual({
      enabled: false,
      cron: '0 8 * * 1',
      keep: 12,
      formats: ['json', 'xlsx', 'html'],
    });
    const on = loadConfig({ configFile: file('reports.yaml', `${YAML_OK}reports:\n  schedule: { enabled: true, dir: out/weekly, keep: 4, formats: [csv], timezone: Europe/Amsterdam }\n`) }, {});
    expect(on.reports.schedule).toEqual({ enabled: true, dir: join(dir, 'out/weekly'), cron: '0 8 * * 1', keep: 4, formats: ['csv'], timezone: 'Europe/Amsterdam' });

    const errors = (reports: string) => {
      try {
        loadConfig({ configFile: file('bad-reports.yaml', `reports:\n  schedule: ${reports}\n`) }, {});
      } catch (err) {
        return (err as Error).message;
      }
      return 'valid';
    };
    expect(errors('{ enabled: true }')).toContain('reports.schedule.dir: required when the schedule is enabled');
    const many = errors('{ enabled: true, dir: r, cron: "8 on Mondays", keep: 0, formats: [pdf, json], zone: UTC }');
    expect(many).toContain('reports.schedule.cron: not a valid cron expression ("8 on Mondays")');
    expect(many).toContain('reports.schedule.keep: Too small');
    expect(many).toContain('reports.schedule.formats.0: Invalid option: expected one of "json"|"csv"|"xlsx"|"html"');
    expect(many).toContain('reports.schedule: Unrecognized key: "zone"');
    const twice = errors('{ formats: [json, json], timezone: Mars/Olympus }');
    expect(twice).toContain('reports.schedule.formats: a format is listed twice');
    expect(twice).toContain('reports.schedule.timezone: not an IANA time zone');
    expect(errors('{ formats: [] }')).toContain('reports.schedule.formats: Too small');
  });

  it('names the secret variables that are not set', () => {
    const config = loadConfig({ configFile: file('cm2.yaml', YAML_OK) }, {});
    expect(unsetSecretVariables(config, { SAKUPAY_X_BEARER: 'x' })).toEqual([{ key: 'sources.0.passwordEnv', variable: 'CARE_IMAP_PASSWORD' }]);
    expect(unsetSecretVariables(config, { SAKUPAY_X_BEARER: 'x', CARE_IMAP_PASSWORD: 'p' })).toEqual([]);
  });
});

describe('complaint-monitor.example.yaml', () => {
  it('is a valid configuration with both kinds of source and their schedules, and the report schedule (off)', () => {
    const config = loadConfig({ configFile: join(ROOT, 'complaint-monitor.example.yaml') }, {});
    expect(config.sources.map((s) => `${s.type}:${s.name}:${s.schedule.cron}`)).toEqual(['imap:care-inbox:* * * * *', 'x:x-sakupay:*/2 * * * *']);
    expect(config.reports.schedule).toMatchObject({ enabled: false, dir: join(ROOT, 'reports'), cron: '0 8 * * 1', keep: 12 });
  });
});

describe('complaint-monitor config check', () => {
  const secrets = { CARE_IMAP_PASSWORD: 'p', SAKUPAY_X_BEARER: 't' };

  it('exit 0 with a summary of the sources and their schedules', () => {
    const r = check(['--config', file('ok.yaml', YAML_OK)], secrets);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok.yaml: valid');
    expect(r.out).toContain('care-inbox (imap): cron "*/5 * * * *" in Asia/Jakarta, run timeout 600 s');
    expect(r.out).toContain('x-sakupay (x): cron "0 * 8-20 * * MON-FRI" in Asia/Singapore, run timeout 120 s');
    expect(r.out).toContain('report     not scheduled (reports.schedule.enabled is false)');
    const scheduled = check(['--config', file('ok-reports.yaml', `${YAML_OK}reports: { schedule: { enabled: true, dir: weekly } }\n`)], secrets);
    expect(scheduled.code).toBe(0);
    expect(scheduled.out).toContain(`report     weekly, cron "0 8 * * 1" in Asia/Jakarta, into ${join(dir, 'weekly')} (json, xlsx, html; the newest 12 weeks kept)`);
  });

  it('exit 2 naming the bad key and the file; CM_CONFIG names the file too', () => {
    const bad = file('bad2.yaml', YAML_OK.replace('*/5 * * * *', 'every five minutes'));
    const r = check([], { ...secrets, CM_CONFIG: bad });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`invalid configuration (${bad})`);
    expect(r.err).toContain('sources.0.schedule.cron: not a valid cron expression ("every five minutes")');
  });

  it('exit 2 when a secret variable is not set, unless --no-env', () => {
    const ok = file('ok2.yaml', YAML_OK);
    const r = check(['--config', ok], { SAKUPAY_X_BEARER: 't' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('sources.0.passwordEnv: environment variable CARE_IMAP_PASSWORD is not set');
    const json = check(['--config', ok, '--no-env', '--json'], {});
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ file: ok, problems: [], sources: [{ name: 'care-inbox', cron: '*/5 * * * *', timezone: 'Asia/Jakarta' }, { name: 'x-sakupay' }] });
  });

  it('finds ./complaint-monitor.yaml in the working directory; without any file, the defaults are valid', () => {
    const empty = tempDir();
    const none = spawnSync(process.execPath, [BIN, 'config', 'check'], { encoding: 'utf8', cwd: empty, env: { ...process.env, CM_CONFIG: '' } });
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('no config file: valid');
    writeFileSync(join(empty, 'complaint-monitor.yaml'), 'timezone: Europe/Berlin\n');
    const found = spawnSync(process.execPath, [BIN, 'config', 'check'], { encoding: 'utf8', cwd: empty, env: { ...process.env, CM_CONFIG: '' } });
    expect(found.stdout).toContain('complaint-monitor.yaml: valid');
    expect(found.stdout).toContain('timezone   Europe/Berlin');
  });
});
