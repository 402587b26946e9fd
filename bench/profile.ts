/*
 * Where the time of one benchmarked call goes: one warm-up call, then one call under the V8
 * CPU profiler (in-process, so neither start-up nor ts-node is in it). Prints the functions
 * with the most self time, the most inclusive time, and self time per package.
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/profile.ts plan 100 cluster
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/profile.ts synth 10 namespace --save /tmp/synth.cpuprofile
 *
 * Cases: plan, plan-floor, synth, synth-floor. A saved profile opens in Chrome DevTools.
 */
import * as fs from 'fs';
import * as inspector from 'inspector/promises';
import * as os from 'os';
import * as path from 'path';
import { planPlatform, PlatformPlan } from '../src';
import { chartObjects, ChartObjects, floorApp, platformApp } from './lib/cdk8s-apps';
import { fullGc } from './lib/measure';
import { platformSpec, RbacMode } from './lib/spec';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function summarize(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The profiler's own stop (node:inspector) is not the call's.
  const inInspector = (id: number) => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur)!.callFrame.url.startsWith('node:inspector')) return true;
    return false;
  };
  const hits = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (inInspector(id)) return;
    const dt = profile.timeDeltas[i] ?? 0;
    hits.set(id, (hits.get(id) ?? 0) + dt);
    total += dt;
  });
  const where = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '').replace(`${path.resolve(__dirname, '..')}/`, '');
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
  const pkg = (n: ProfileNode) => {
    const url = n.callFrame.url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (!url) return n.callFrame.functionName || '(native)';
    if (url.startsWith('node:')) return 'node';
    return where(url).split('/').slice(0, 2).join('/');
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, dt] of hits) {
    const n = byId.get(id)!;
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    pkgs.set(pkg(n), (pkgs.get(pkg(n)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + dt);
      }
    }
  }
  const list = (m: Map<string, number>, count: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([k, v]) => `  ${(v / 1000).toFixed(1).padStart(9)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  return [`total ${(total / 1000).toFixed(1)} ms`, 'self time by package:', list(pkgs, 12), 'self time:', list(self, top), 'inclusive time:', list(incl, top * 2)].join('\n');
}

async function main(): Promise<void> {
  const [kind, nArg, modeArg = 'cluster', ...rest] = process.argv.slice(2);
  const n = Number(nArg);
  const mode = modeArg as RbacMode;
  const save = rest.includes('--save') ? rest[rest.indexOf('--save') + 1] : undefined;
  if (!['plan', 'plan-floor', 'synth', 'synth-floor'].includes(kind) || !Number.isInteger(n) || !['cluster', 'namespace'].includes(mode)) {
    throw new Error('usage: bench/profile.ts plan|plan-floor|synth|synth-floor <n> [cluster|namespace] [--save file.cpuprofile]');
  }
  if (!process.env.TOOLHIVE_UPSTREAM_DIR) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { toolhiveUpstream } = require('../test/support/upstream') as typeof import('../test/support/upstream');
    process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-bench-profile-'));
  let call: () => void;
  if (kind.startsWith('plan')) {
    const spec = platformSpec(n, mode);
    const plan: PlatformPlan = planPlatform(spec);
    call = kind === 'plan' ? () => void planPlatform(spec) : () => plan.clusters.forEach((c) => JSON.stringify(c));
  } else {
    const first = platformApp(n, mode, outdir);
    first.synth();
    const charts: ChartObjects[] = chartObjects(first);
    call = kind === 'synth' ? () => platformApp(n, mode, outdir).synth() : () => floorApp(charts, outdir).synth();
  }
  call(); // warm-up
  fullGc();
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  call();
  const ms = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop') as unknown as { profile: Profile };
  session.disconnect();
  fs.rmSync(outdir, { recursive: true, force: true });
  if (save) fs.writeFileSync(save, JSON.stringify(profile));
  process.stdout.write(`${kind} N=${n} ${mode}: ${ms.toFixed(0)} ms under the profiler\n${summarize(profile, 20)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
