/*
 * Paired measurements on tinybench: a subject and its floor, in the same process, alternating
 * (round 1 subject then floor, round 2 floor then subject, ...) so that a slow spell of this
 * shared machine weighs on both. Each side's iteration count follows from its own untimed
 * first call and the time budget per side. Every iteration starts after a full garbage collection, so the
 * garbage one task leaves behind is not collected on the other's clock. Figures are medians; the
 * ratio of the medians is what the targets are about.
 */
import { spawnSync } from 'child_process';
import * as v8 from 'v8';
import * as vm from 'vm';
import { Bench } from 'tinybench';

v8.setFlagsFromString('--expose-gc');
/** A full garbage collection. */
export const fullGc: () => void = vm.runInNewContext('gc');

/** Summary of a set of samples (milliseconds, or whatever unit was sampled). */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median absolute deviation, relative to the median (0.05 = 5%). */
  readonly relMad: number;
  readonly n: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const mad = quantile([...sorted.map((s) => Math.abs(s - median))].sort((a, b) => a - b), 0.5);
  return { median, min: sorted[0], max: sorted[sorted.length - 1], relMad: median > 0 ? mad / median : 0, n: sorted.length };
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** How many iterations a paired case gets. */
export interface IterationPolicy {
  /** Time to spend on each of the two tasks, in ms (the iteration count follows from the probe). */
  readonly budgetMs: number;
  readonly minIterations: number;
  readonly maxIterations: number;
}

/** Calls slower than this get two iterations (after the untimed first call): enough for a median of a ratio. */
const SLOW_CALL_MS = 20_000;

/** A subject, its floor, and what runs around each iteration (outside the clock). */
export interface PairCase {
  readonly subject: () => unknown;
  readonly floor: () => unknown;
  /** Runs before each iteration of a task, outside the clock (e.g. empty its output folder). */
  readonly beforeEach?: (task: 'subject' | 'floor') => void;
}

export interface PairResult {
  readonly subject: Stats;
  readonly floor: Stats;
  /** median(subject) / median(floor) */
  readonly ratio: number;
  /** The untimed first call of each (warm-up and cost probe), in ms. */
  readonly probe: { readonly subject: number; readonly floor: number };
  readonly rounds: number;
}

function timeOnce(before: (() => void) | undefined, fn: () => unknown): number {
  before?.();
  fullGc();
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Measures a pair: one warm-up call of each (which also sets its iteration count), then
 * tinybench rounds in alternating order.
 */
export async function measurePair(c: PairCase, policy: IterationPolicy): Promise<PairResult> {
  const probe = { subject: timeOnce(() => c.beforeEach?.('subject'), c.subject), floor: timeOnce(() => c.beforeEach?.('floor'), c.floor) };
  // Each side gets the iterations that fit its own budget (a cheap subject is not held to its floor's
  // count); a side whose call takes over SLOW_CALL_MS gets at most two.
  const iterations = (ms: number) => (ms > SLOW_CALL_MS
    ? Math.min(2, policy.minIterations)
    : Math.max(policy.minIterations, Math.min(policy.maxIterations, Math.round(policy.budgetMs / Math.max(ms, 0.001)))));
  const total = { subject: iterations(probe.subject), floor: iterations(probe.floor) };
  const rounds = Math.min(total.subject, total.floor, Math.max(total.subject, total.floor) >= 8 ? 4 : 2);
  const samples = { subject: [] as number[], floor: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const order: ('subject' | 'floor')[] = r % 2 === 0 ? ['subject', 'floor'] : ['floor', 'subject'];
    for (const name of order) {
      const bench = new Bench({ iterations: Math.ceil(total[name] / rounds), time: 0, warmup: false, throws: true, retainSamples: true });
      bench.add(name, c[name], {
        beforeEach: () => {
          c.beforeEach?.(name);
          fullGc();
        },
      });
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== 'completed') throw new Error(`task ${name} ended ${result.state}${'error' in result ? `: ${result.error}` : ''}`);
      samples[name].push(...(result.latency.samples ?? []));
    }
  }
  const subject = stats(samples.subject);
  const floor = stats(samples.floor);
  return { subject, floor, ratio: subject.median / floor.median, probe, rounds };
}

/** What a child process printed on its last line (JSON), and how long it ran. */
export interface ChildRun<T> {
  readonly value: T;
  readonly wallMs: number;
}

/** Runs `node <args>` (this Node) in a fresh process and parses the JSON of its last output line. */
export function runNode<T>(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): ChildRun<T> {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed (${r.error ?? `exit ${r.status}, signal ${r.signal}`}):\n${(r.stderr ?? '').slice(-4000)}`);
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { value: JSON.parse(last) as T, wallMs };
  } catch {
    throw new Error(`node ${args.join(' ')} printed no JSON result:\n${r.stdout.slice(-2000)}\n${(r.stderr ?? '').slice(-2000)}`);
  }
}
