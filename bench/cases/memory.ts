/*
 * Peak memory at N workload clusters (cluster RBAC mode), one fresh process per program
 * (compiled code, --expose-gc): the kernel's high-water mark of the resident set, and what the
 * heap still holds after a full collection at the end (the output). Programs:
 *
 *   node                 nothing imported
 *   core entry point     import only          plan          planPlatform
 *   plan floor           the same plan objects read back and serialized (no library)
 *   cdk8s entry point    import only          synth         app.synth() of the platform
 *   synth floor          app.synth() of the same objects as bare ApiObjects
 *
 * "Above start" subtracts the program's starting point (node, or the entry point it loads).
 * Synth is measured at the largest size synthesized in both RBAC modes (--synth-sizes).
 *
 * The floors are no lower bound for memory: their objects are parsed back from JSON, so nothing
 * in them is shared, while the library shares the CRD schemas between clusters.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Log } from './common';
import { CompiledTree } from '../lib/compile';
import { BenchConfig } from '../lib/config';
import { ChildRun, runNode } from '../lib/measure';
import { RbacMode } from '../lib/spec';

export const MEMORY_MODE: RbacMode = 'cluster';

export interface MemoryRow {
  readonly program: string;
  readonly label: string;
  readonly n?: number;
  /** The row whose peak this one starts from. */
  readonly base?: string;
  readonly peakRssMb?: number;
  readonly aboveBaseMb?: number;
  readonly heapRetainedMb?: number;
  readonly ms?: number;
  readonly skipped?: string;
}

interface MemoryResult { ms: number; peakRssMb: number; heapRetainedMb: number }

/** `estimateMs(program, n)`: how long one run would take (from the timed cases), to skip what would not end in time. */
export async function memoryCases(
  cfg: BenchConfig, tree: CompiledTree, log: Log, estimateMs: (program: 'plan' | 'synth', n: number) => number | undefined,
): Promise<MemoryRow[]> {
  const script = tree.script('children/memory');
  const synthN = Math.max(...cfg.synthSizes);
  const programs: { program: string; label: string; n?: number; base?: string; estimate?: number }[] = [
    { program: 'none', label: 'node (nothing imported)' },
    { program: 'import-core', label: 'core entry point' },
    { program: 'plan', label: 'planPlatform', n: cfg.memorySize, base: 'import-core', estimate: estimateMs('plan', cfg.memorySize) },
    { program: 'plan-floor', label: 'plan floor (same objects, serialized)', n: cfg.memorySize, base: 'none' },
    { program: 'import-cdk8s', label: 'cdk8s entry point' },
    { program: 'synth', label: 'cdk8s app.synth()', n: synthN, base: 'import-cdk8s', estimate: estimateMs('synth', synthN) },
    { program: 'synth-floor', label: 'synth floor (bare ApiObjects)', n: synthN, base: 'import-cdk8s' },
  ];
  const rows: MemoryRow[] = [];
  const data = path.join(tree.root, 'memory-data');
  for (const p of programs) {
    const dataDir = path.join(data, p.program.replace(/-floor$/, ''));
    if (p.program.endsWith('-floor') && !fs.existsSync(dataDir)) {
      rows.push({ program: p.program, label: p.label, n: p.n, base: p.base, skipped: 'its subject was not run' });
      continue;
    }
    if (p.estimate !== undefined && p.estimate > cfg.maxCallMs) {
      log(`memory ${p.program} N=${p.n}: skipped, projected at ${(p.estimate / 1000).toFixed(0)} s`);
      rows.push({ program: p.program, label: p.label, n: p.n, base: p.base, skipped: `one run projected at ${(p.estimate / 1000).toFixed(0)} s` });
      continue;
    }
    fs.mkdirSync(dataDir, { recursive: true });
    let run: ChildRun<MemoryResult>;
    try {
      run = runNode<MemoryResult>(['--expose-gc', script, p.program, String(p.n ?? 0), MEMORY_MODE, dataDir], { cwd: tree.root });
    } catch (e) {
      if (!/heap out of memory|Allocation failed/.test(e instanceof Error ? e.message : String(e))) throw e;
      fs.rmSync(dataDir, { recursive: true, force: true });
      log(`memory ${p.program} N=${p.n}: out of memory`);
      rows.push({ program: p.program, label: p.label, n: p.n, base: p.base, skipped: 'out of memory: the JavaScript heap reached its limit (Node\'s default, about 4 GB here)' });
      continue;
    }
    const base = rows.find((r) => r.program === p.base);
    rows.push({
      program: p.program,
      label: p.label,
      n: p.n,
      base: p.base,
      peakRssMb: run.value.peakRssMb,
      aboveBaseMb: base?.peakRssMb !== undefined ? run.value.peakRssMb - base.peakRssMb : undefined,
      heapRetainedMb: run.value.heapRetainedMb,
      ms: run.value.ms,
    });
    log(`memory ${p.program}${p.n !== undefined ? ` N=${p.n}` : ''}: peak RSS ${run.value.peakRssMb.toFixed(0)} MB, heap held ${run.value.heapRetainedMb.toFixed(0)} MB`);
  }
  fs.rmSync(data, { recursive: true, force: true });
  return rows;
}
