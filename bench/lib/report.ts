/*
 * BENCHMARKS.md: the targets first, then one table per group, then how it was measured.
 */
import { BenchConfig } from './config';
import { TOOLHIVE_VERSION } from '../../src';
import { Stats } from './measure';
import { WATCHED_NAMESPACES } from './spec';
import { ImportRow } from '../cases/imports';
import { MemoryRow } from '../cases/memory';
import { PairRow } from '../cases/paired';
import { PulumiRow } from '../cases/pulumi';
import { WriterRow } from '../cases/writer';

export interface Results {
  plan?: PairRow[];
  synth?: PairRow[];
  pulumi?: PulumiRow[];
  writer?: WriterRow[] | { skipped: string };
  imports?: ImportRow[];
  memory?: MemoryRow[];
}

export interface RunInfo {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memGb: number;
  readonly loadStart: number[];
  readonly loadEnd: number[];
  readonly wallMinutes: number;
  readonly toolhiveVersion: string;
  readonly notes?: string;
}

export const TARGETS = {
  synthRatio: 1.1,
  /** The size at which the synth ratio is the target (issue #16: N = 300). */
  synthRatioAt: 300,
  /** The manifest writer against `helm template`, per cluster. */
  writerVsHelm: 50,
  planRatio: 3,
  /** time(N) / time(n) ≤ this × N / n (11 for 1000 vs 100) */
  growthSlack: 1.1,
  cdk8sImportRatio: 1.2,
};

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

const x = (r: number) => `${r.toFixed(2)}×`;
const fmtFactor = (r: number) => `${Number(r.toFixed(2))}×`;
const spread = (s: Stats) => `±${(s.relMad * 100).toFixed(0)}%`;
const timeCell = (s: Stats) => `${fmtMs(s.median)} ${spread(s)}`;
const mb = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(0)} MB`);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function notRun(r: PairRow): string {
  if (r.failed) return r.failed;
  return `not run: one call projected at ${fmtMs(r.skipped!.projectedMs)} (from N=${r.skipped!.from.n})`;
}

interface Verdict { target: string; measured: string; verdict: string }

/** Growth of the median from the second largest to the largest size, per mode. */
function growth<T extends { n: number; mode: string; result?: { subject: Stats; floor: Stats } }>(rows: readonly T[]) {
  const out: { mode: string; small: number; large: number; subject: number; floor: number; bound: number }[] = [];
  for (const mode of [...new Set(rows.map((r) => r.mode))]) {
    const measured = rows.filter((r) => r.mode === mode && r.result).sort((a, b) => a.n - b.n);
    if (measured.length < 2) continue;
    const [a, b] = measured.slice(-2);
    out.push({
      mode,
      small: a.n,
      large: b.n,
      subject: b.result!.subject.median / a.result!.subject.median,
      floor: b.result!.floor.median / a.result!.floor.median,
      bound: TARGETS.growthSlack * (b.n / a.n),
    });
  }
  return out;
}

function verdicts(res: Results, cfg: BenchConfig): Verdict[] {
  const v: Verdict[] = [];
  const pass = (ok: boolean) => (ok ? 'pass' : '**MISS**');
  const worst = <T extends { n: number; mode: string; result?: { ratio: number } }>(rows: readonly T[]) =>
    rows.filter((r) => r.result).sort((a, b) => b.result!.ratio - a.result!.ratio)[0];
  const skippedNote = (rows: readonly PairRow[]) => {
    const s = rows.filter((r) => r.skipped);
    const f = rows.filter((r) => r.failed);
    return (s.length ? `; not run: ${s.map((r) => `N=${r.n} ${r.mode}`).join(', ')} (projected over ${cfg.maxCallMs / 1000} s per call)` : '')
      + (f.length ? `; failed: ${f.map((r) => `N=${r.n} ${r.mode}`).join(', ')} (${f[0].failed})` : '');
  };
  if (res.synth) {
    const w = worst(res.synth);
    if (w) v.push({ target: `cdk8s synth ≤ ${TARGETS.synthRatio}× its floor`, measured: `worst ${x(w.result!.ratio)} (N=${w.n}, ${w.mode})${skippedNote(res.synth)}`, verdict: pass(w.result!.ratio <= TARGETS.synthRatio) });
    const at = res.synth.find((r) => r.n === TARGETS.synthRatioAt && r.result);
    v.push({
      target: `cdk8s synth ≤ ${TARGETS.synthRatio}× its floor at N = ${TARGETS.synthRatioAt}`,
      measured: at ? `${x(at.result!.ratio)} (${at.mode})` : 'not measured',
      verdict: at ? pass(at.result!.ratio <= TARGETS.synthRatio) : `not measured at ${TARGETS.synthRatioAt}`,
    });
    const small = res.synth.find((r) => r.n === 100 && r.mode === 'cluster' && r.result);
    const large = res.synth.find((r) => r.n === 1000 && r.mode === 'cluster' && r.result);
    v.push({
      target: 'linear cdk8s synth: time at 1000 ≤ 11× time at 100',
      measured: small && large ? `${x(large.result!.subject.median / small.result!.subject.median)} (floor ${x(large.result!.floor.median / small.result!.floor.median)}), cluster` : 'not measured',
      verdict: small && large ? pass(large.result!.subject.median / small.result!.subject.median <= 11) : 'not measured at 100 and 1000',
    });
  }
  if (res.writer && !('skipped' in res.writer)) {
    const w = [...res.writer].sort((a, b) => b.n - a.n)[0];
    if (w) {
      v.push({
        target: `manifest writer ≥ ${TARGETS.writerVsHelm}× faster per cluster than \`helm template\``,
        measured: `${x(w.ratio)} at N=${w.n} (${fmtMs(w.writerPerCluster.median)} vs ${fmtMs(w.helmPerCluster)} per cluster; peak RSS ${w.peakRssMb.toFixed(0)} MB)`,
        verdict: pass(w.ratio >= TARGETS.writerVsHelm),
      });
    }
  }
  if (res.plan) {
    const w = worst(res.plan);
    if (w) v.push({ target: `planning ≤ ${TARGETS.planRatio}× the serialization floor`, measured: `worst ${x(w.result!.ratio)} (N=${w.n}, ${w.mode})${skippedNote(res.plan)}`, verdict: pass(w.result!.ratio <= TARGETS.planRatio) });
    const g = growth(res.plan);
    const largest = Math.max(...res.plan.map((r) => r.n));
    const sizes = [...new Set(res.plan.map((r) => r.n))].sort((a, b) => a - b);
    const below = sizes.length > 1 ? sizes[sizes.length - 2] : largest;
    const complete = g.length > 0 && g.every((e) => e.large === largest);
    v.push({
      target: `linear growth of planning: time at ${largest} ≤ ${fmtFactor(TARGETS.growthSlack * (largest / below))} time at ${below}`,
      measured: g.length
        ? g.map((e) => `${e.mode}: ${x(e.subject)} from ${e.small} to ${e.large} (floor ${x(e.floor)})`).join('; ')
        : 'not measured',
      verdict: !complete ? `not measured at ${largest}` : pass(g.every((e) => e.subject <= e.bound)),
    });
  }
  if (res.imports) {
    const r = res.imports.find((i) => i.label === 'toolhive-constructs/cdk8s');
    if (r?.ratio !== undefined) v.push({ target: `cdk8s entry point import ≤ ${TARGETS.cdk8sImportRatio}× cdk8s alone`, measured: `${x(r.ratio)} (${fmtMs(r.importMs.median)} vs ${fmtMs(res.imports.find((i) => i.label === r.baseline)!.importMs.median)})`, verdict: pass(r.ratio <= TARGETS.cdk8sImportRatio) });
  }
  return v;
}

export function renderReport(res: Results, cfg: BenchConfig, info: RunInfo): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(`Generated by \`npm run bench${cfg.argv.length ? ` -- ${cfg.argv.join(' ')}` : ''}\` (bench/run.ts); do not edit by hand, run it again.`);
  out.push(`${cfg.quick ? '**Quick mode** (small N, few iterations: it only checks that the suite works; its figures mean little). ' : ''}`
    + `${info.date}, commit ${info.commit}, ToolHive ${info.toolhiveVersion}, Node ${info.node}, ${info.cores} × ${info.cpu}, ${info.memGb} GB; `
    + `load average ${info.loadStart.map((l) => l.toFixed(1)).join('/')} at the start, ${info.loadEnd.map((l) => l.toFixed(1)).join('/')} at the end; ${info.wallMinutes.toFixed(1)} minutes.`);
  out.push('');
  out.push('Absolute times on a shared machine are noisy, so every target is a **ratio to a floor measured in the same run**: '
    + 'the same output produced without the library, timed alternately with it. Times are medians (± the median absolute deviation).', '');

  const v = verdicts(res, cfg);
  if (v.length) {
    out.push('## Targets', '');
    out.push(table(['Target', 'Measured', 'Verdict'], v.map((e) => [e.target, e.measured, e.verdict])), '');
  }

  if (res.plan) {
    out.push('## Core planning', '');
    out.push('`planPlatform` of 1 control cluster (Registry Server) + N workload clusters (operator, CRDs, endpoints), open source edition, raw manifests; '
      + `RBAC \`cluster\`, or \`namespace\` with ${WATCHED_NAMESPACES.length} namespaces per cluster. `
      + 'Floor: `JSON.stringify` of each cluster\'s plan (the same output objects).', '');
    out.push(table(['N', 'RBAC', 'planPlatform', 'floor: serialize', 'ratio', 'samples', 'output'], res.plan.map((r) => (r.result
      ? [String(r.n), r.mode, timeCell(r.result.subject), timeCell(r.result.floor), x(r.result.ratio), String(r.result.subject.n), `${r.facts!.objects} objects, ${r.facts!.outputMb.toFixed(0)} MB JSON`]
      : [String(r.n), r.mode, notRun(r), '', '', '', '']))), '');
    const g = growth(res.plan);
    if (g.length) {
      out.push(table(['RBAC', 'sizes', 'planPlatform growth', 'floor growth', 'linear bound'], g.map((e) => [e.mode, `${e.small} → ${e.large}`, x(e.subject), x(e.floor), `≤ ${fmtFactor(e.bound)}`])), '');
    }
  }

  if (res.synth) {
    out.push('## cdk8s synth', '');
    out.push('Building the app (`ToolhivePlatform` and its clusters) and `app.synth()` (planning included), one YAML file per cluster. '
      + 'Floor: an app holding exactly the same final objects as bare `ApiObject`s, one Chart per cluster, built and synthesized the same way; '
      + 'both write the same bytes (checked).', '');
    out.push(table(['N', 'RBAC', 'platform synth', 'floor synth', 'ratio', 'samples', 'output'], res.synth.map((r) => (r.result
      ? [String(r.n), r.mode, timeCell(r.result.subject), timeCell(r.result.floor), x(r.result.ratio), String(r.result.subject.n),
        `${r.facts!.files} files, ${r.facts!.outputMb.toFixed(0)} MB, ${r.facts!.identical ? 'identical' : 'DIFFERENT'}`]
      : [String(r.n), r.mode, notRun(r), '', '', '', '']))), '');
    const g = growth(res.synth);
    if (g.length) out.push(table(['RBAC', 'sizes', 'synth growth', 'floor growth', 'linear bound'], g.map((e) => [e.mode, `${e.small} → ${e.large}`, x(e.subject), x(e.floor), `≤ ${fmtFactor(e.bound)}`])), '');
  }

  if (res.writer) {
    out.push('## Manifest writer against helm', '');
    if ('skipped' in res.writer) {
      out.push(`Not run: ${res.writer.skipped}.`, '');
    } else {
      const first = res.writer[0];
      out.push('`planPlatform` and `writeManifests` of 1 control + N workload clusters (RBAC `namespace`), YAML text and files included, in a fresh process per sample, '
        + `writing into ${first ? first.target : 'a temp folder'}. Competitor: the real \`helm template\` (built from Go modules by tools/build.sh) of one workload cluster: `
        + `the CRD chart and the operator chart of ToolHive ${TOOLHIVE_VERSION} with that cluster's values, timed in the same run.`
        + ' The writer emits the CRDs once (`_shared/`) '
        + 'and every other object per cluster.', '');
      out.push(table(['N', 'writer total', 'writer per cluster', 'helm template per cluster (CRDs + operator)', 'helm / writer', 'peak RSS', 'output'], res.writer.map((r) => [
        String(r.n), timeCell(r.writerTotal), timeCell(r.writerPerCluster), `${fmtMs(r.helmPerCluster)} (${timeCell(r.helmCrds)} + ${timeCell(r.helmOperator)})`,
        x(r.ratio), `${r.peakRssMb.toFixed(0)} MB`, `${r.files} files, ${r.outputMb.toFixed(0)} MB`,
      ])), '');
    }
  }

  if (res.pulumi) {
    out.push('## Pulumi (mocked)', '');
    out.push('`pulumi.runtime.setMocks`, one fresh process per measurement. Subject: the `ToolhivePlatform` component (planning included). '
      + 'Floor: the same resources (platform and cluster components, one `yaml.v2.ConfigGroup` per deliverable with the same objects, provider, '
      + 'dependencies and retainOnDelete) created directly from the plan, read before the clock starts. The clock runs from the first resource until '
      + 'the runtime\'s RPC queue has drained; "process" is the whole process, start-up and imports included.', '');
    out.push(table(['N', 'RBAC', 'ToolhivePlatform', 'floor', 'ratio', 'samples', 'process (subject / floor)', 'resources'], res.pulumi.map((r) => [
      String(r.n), r.mode, timeCell(r.subject), timeCell(r.floor), x(r.ratio), String(r.subject.n),
      `${fmtMs(r.subjectWall.median)} / ${fmtMs(r.floorWall.median)}`, `${r.resources}, ${r.sameResources ? 'same' : 'DIFFERENT'}`,
    ])), '');
  }

  if (res.imports) {
    out.push('## Cold imports', '');
    out.push('One fresh Node process per import, timing the `require` inside it. The package is measured compiled (tsconfig.json\'s options, '
      + 'as lib/ ships), because importing the TypeScript sources through ts-node is mostly transpilation (see the informative ts-node rows). '
      + 'The adapters load the core on first use, not on import; the informative "then the core" rows require the adapter and then the core '
      + 'in one process, which is what a synth or a Pulumi program pays before it plans anything. '
      + '"process" is the whole process (Node start-up included).', '');
    out.push(table(['module', 'import', 'ratio', 'process', 'RSS after', 'samples'], res.imports.map((r) => [
      `${r.informative ? '_' : ''}${r.label}${r.informative ? '_' : ''}`,
      timeCell(r.importMs),
      r.ratio !== undefined ? `${x(r.ratio)} ${r.baseline}` : '',
      fmtMs(r.wallMs.median),
      mb(r.rssMb.median),
      String(r.importMs.n),
    ])), '');
  }

  if (res.memory) {
    out.push('## Peak memory', '');
    out.push('One fresh process per program (compiled code, RBAC `cluster`). Peak RSS is the kernel\'s high-water mark; '
      + '"above start" subtracts the process the program starts from; "heap held" is what the heap still holds after a full collection at the end (the output). '
      + 'The floors are no lower bound here: their objects are parsed back from JSON, so nothing in them is shared, while the library shares the CRD schemas between clusters.', '');
    out.push(table(['program', 'N', 'peak RSS', 'above start', 'heap held', 'time'], res.memory.map((r) => r.skipped
      ? [r.label, r.n !== undefined ? String(r.n) : '', `not run: ${r.skipped}`, '', '', '']
      : [r.label, r.n !== undefined ? String(r.n) : '', mb(r.peakRssMb), r.aboveBaseMb !== undefined ? `${mb(r.aboveBaseMb)} (from ${r.base})` : '', mb(r.heapRetainedMb), fmtMs(r.ms!)])), '');
  }

  out.push('## Method', '');
  out.push(
    '- Harness: [tinybench](https://github.com/tinylibs/tinybench). A paired case makes one untimed call of each side (warm-up, and the cost '
      + 'that sets the iteration count for a time budget per side), then runs tinybench rounds alternating the order (subject first, then floor first); '
      + 'a full garbage collection precedes every iteration, off the clock.',
    '- A size is skipped (and the projection shown) when one call, projected linearly from the previous size, would exceed `--max-call-seconds`.',
    '- Offline: the CRDs come from `$TOOLHIVE_UPSTREAM_DIR` (resolved as the tests do). Child processes run the sources transpiled with tsconfig.json\'s options into a temporary folder, with the entry points bundled as in lib/ (scripts/bundle-lib.ts).',
    `- Settings: plan sizes ${cfg.planSizes.join(', ')}; synth sizes ${cfg.synthSizes.join(', ')}${cfg.synthClusterSizes.length ? ` (and ${cfg.synthClusterSizes.join(', ')} in cluster mode)` : ''}; Pulumi N=${cfg.pulumiSize} × ${cfg.pulumiSamples} processes per side; `
      + `memory N=${cfg.memorySize}; ${cfg.importSamples} processes per import; ${cfg.budgetMs / 1000} s per side, ${cfg.minIterations}–${cfg.maxIterations} iterations.`,
    '',
  );
  if (info.notes) out.push('## Notes', '', '_Hand-written (bench/NOTES.md), not generated: check them against the tables above._', '', info.notes.trim(), '');
  return out.join('\n');
}
