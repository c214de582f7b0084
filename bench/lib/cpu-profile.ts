/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (node --cpu-prof): self time per area
 * (a package under node_modules, a folder of ours, Node's internals, native code, the garbage
 * collector) and the functions with the most self time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface CpuSummary {
  /** Seconds the profile covers and of those, seconds not idle. */
  seconds: number;
  busySeconds: number;
  /** Share of busy time, by area, largest first. */
  areas: { area: string; share: number }[];
  /** Share of busy time, by function, largest first. */
  functions: { fn: string; area: string; share: number }[];
}

/** `node_modules/fastify/lib/route.js` -> `fastify`; `/dist/src/api/auth.js` -> `ours: src/api`; `/db/schema.sqlite.ts` -> `ours: db/schema.sqlite.ts`. */
export function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : 'native (C++ bindings: better-sqlite3, JSON, crypto)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const ours = /\/(src|db|connectors)\/([^/]+)/.exec(url);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

export function summariseCpuProfile(path: string, top = 15): CpuSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const total = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
  const perHit = total > 0 ? seconds / total : 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { area: string; hits: number }>();
  let idle = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    if (n.callFrame.functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const area = areaOf(n.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + hits);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    const f = fns.get(key) ?? { area, hits: 0 };
    f.hits += hits;
    fns.set(key, f);
  }
  const busy = total - idle;
  const share = (hits: number) => Math.round((hits / Math.max(1, busy)) * 1000) / 1000;
  return {
    seconds: Math.round(seconds * 10) / 10,
    busySeconds: Math.round(busy * perHit * 10) / 10,
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, hits]) => ({ area, share: share(hits) })),
    functions: [...fns]
      .sort((a, b) => b[1].hits - a[1].hits)
      .slice(0, top)
      .map(([fn, f]) => ({ fn, area: f.area, share: share(f.hits) })),
  };
}
