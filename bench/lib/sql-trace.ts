/**
 * Which SQL a repository call runs, how long each statement takes and how SQLite plans it, without
 * knowing the repository's code: every statement prepared on the connection from now on reports
 * its runs. So the profile stays true when the queries change.
 */
import type Database from 'better-sqlite3';

export interface StatementRun {
  sql: string;
  params: unknown[];
  ms: number;
}

export interface SqlTrace {
  /** Runs since the last take(). */
  take(): StatementRun[];
  /** EXPLAIN QUERY PLAN of a statement, one line per step (indented by depth). */
  plan(sql: string, params: unknown[]): string[];
}

const RUNS = new Set(['all', 'get', 'run', 'iterate']);

export function traceSql(sqlite: Database.Database): SqlTrace {
  let runs: StatementRun[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  const wrap = (statement: Database.Statement, sql: string): Database.Statement => {
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => unknown;
        if (typeof prop === 'string' && RUNS.has(prop)) {
          return (...args: unknown[]) => {
            const t = performance.now();
            const out = fn.apply(target, args);
            runs.push({ sql, params: args, ms: performance.now() - t });
            return out;
          };
        }
        // raw(), pluck(), bind() return the statement: keep handing out the traced one.
        return (...args: unknown[]) => {
          const out = fn.apply(target, args);
          return out === target ? proxy : out;
        };
      },
    });
    return proxy;
  };
  sqlite.prepare = ((sql: string) => wrap(prepare(sql), sql)) as typeof sqlite.prepare;
  return {
    take() {
      const out = runs;
      runs = [];
      return out;
    },
    plan(sql, params) {
      const rows = prepare(`explain query plan ${sql}`).all(...params) as { id: number; parent: number; detail: string }[];
      const depth = new Map<number, number>([[0, 0]]);
      return rows.map((r) => {
        const d = (depth.get(r.parent) ?? 0) + 1;
        depth.set(r.id, d);
        return `${'  '.repeat(d - 1)}${r.detail}`;
      });
    },
  };
}
