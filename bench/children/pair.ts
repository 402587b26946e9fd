/*
 * One paired case (subject against floor, bench/lib/pairs.ts) at one size, in a fresh process:
 * every size starts from a clean heap, and a program that runs out of memory ends this process,
 * not the suite. Usage: node pair.js plan|synth <n> <rbac mode> <work folder> <policy JSON>
 * Prints one JSON line: the paired result and facts about the output.
 */
import * as v8 from 'v8';
import { fullGc, IterationPolicy, measurePair } from '../lib/measure';
import { PairGroup, pairSink, preparePair } from '../lib/pairs';
import { RbacMode } from '../lib/spec';

async function main(): Promise<void> {
  const [group, nArg, mode, workdir, policy] = process.argv.slice(2);
  const prepared = preparePair(group as PairGroup, Number(nArg), mode as RbacMode, workdir);
  const result = await measurePair(prepared.pair, JSON.parse(policy) as IterationPolicy);
  fullGc();
  const facts = prepared.facts();
  process.stdout.write(`${JSON.stringify({ result, facts, heapLimitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20, sink: pairSink() > 0 })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
