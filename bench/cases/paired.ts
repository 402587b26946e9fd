/*
 * The paired cases (bench/lib/pairs.ts) over their sizes and both RBAC modes, one fresh
 * process per size (bench/children/pair.ts). A size is skipped when one call, projected
 * linearly from the previous size, would exceed --max-call-seconds, or when a smaller size
 * ran out of memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Log, projectMs, Skipped } from './common';
import { CompiledTree } from '../lib/compile';
import { BenchConfig } from '../lib/config';
import { PairResult, runNode } from '../lib/measure';
import { PairFacts, PairGroup } from '../lib/pairs';
import { RBAC_MODES, RbacMode } from '../lib/spec';

export interface PairRow {
  readonly group: PairGroup;
  readonly n: number;
  readonly mode: RbacMode;
  readonly result?: PairResult;
  readonly facts?: PairFacts;
  readonly skipped?: Skipped;
  /** Why the case could not be measured (e.g. out of memory). */
  readonly failed?: string;
}

interface PairOutput { result: PairResult; facts: PairFacts; heapLimitMb: number }

export async function pairedCases(
  group: PairGroup, sizesFor: (mode: RbacMode) => readonly number[], cfg: BenchConfig, tree: CompiledTree, log: Log,
): Promise<PairRow[]> {
  const rows: PairRow[] = [];
  const policy = JSON.stringify({ budgetMs: cfg.budgetMs, minIterations: cfg.minIterations, maxIterations: cfg.maxIterations });
  for (const mode of RBAC_MODES) {
    let previous: { n: number; ms: number } | undefined;
    let failed: string | undefined;
    for (const n of sizesFor(mode)) {
      if (failed) {
        rows.push({ group, n, mode, failed: `not run: a smaller size failed (${failed})` });
        continue;
      }
      const projected = projectMs(previous, n);
      if (projected !== undefined && projected > cfg.maxCallMs) {
        log(`${group} N=${n} ${mode}: skipped, one call projected at ${(projected / 1000).toFixed(0)} s`);
        rows.push({ group, n, mode, skipped: { projectedMs: projected, from: previous! } });
        continue;
      }
      const workdir = path.join(tree.root, `${group}-${mode}-${n}`);
      fs.mkdirSync(workdir, { recursive: true });
      let out: PairOutput;
      try {
        out = runNode<PairOutput>([tree.script('children/pair'), group, String(n), mode, workdir, policy], { cwd: tree.root }).value;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!/heap out of memory|Allocation failed/.test(message)) throw e;
        failed = 'out of memory: the JavaScript heap reached its limit (Node\'s default, about 4 GB here)';
        log(`${group} N=${n} ${mode}: ${failed}`);
        rows.push({ group, n, mode, failed });
        continue;
      } finally {
        fs.rmSync(workdir, { recursive: true, force: true });
      }
      const { result, facts } = out;
      rows.push({ group, n, mode, result, facts });
      log(`${group} N=${n} ${mode}: ${result.subject.median.toFixed(1)} ms vs floor ${result.floor.median.toFixed(1)} ms = ${result.ratio.toFixed(2)}x`
        + ` (${result.subject.n} samples${facts.identical === undefined ? '' : `, output ${facts.identical ? 'identical' : 'DIFFERENT'}`})`);
      if (facts.identical === false) throw new Error(`${group} N=${n} ${mode}: the floor app's output differs from the platform's; the floor is not the same objects`);
      previous = { n, ms: result.subject.median };
    }
  }
  return rows;
}
