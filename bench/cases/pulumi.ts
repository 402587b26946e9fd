/*
 * A mocked Pulumi program (pulumi.runtime.setMocks: no engine, no plugins) of 1 control + N
 * workload clusters through the library's ToolhivePlatform component, against a floor program
 * creating the same resources directly from the already computed plan. One fresh process per
 * measurement (the Pulumi runtime is global state), alternating subject and floor; the clock
 * runs inside the process, from the first resource until the runtime's RPC queue has drained.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Log } from './common';
import { planPlatform } from '../../src';
import { CompiledTree } from '../lib/compile';
import { BenchConfig } from '../lib/config';
import { runNode, stats, Stats } from '../lib/measure';
import { platformSpec, RbacMode } from '../lib/spec';

/** The RBAC mode of the Pulumi program (one mode keeps the full run near ten minutes). */
export const PULUMI_MODE: RbacMode = 'cluster';

export interface PulumiRow {
  readonly n: number;
  readonly mode: RbacMode;
  readonly subject: Stats;
  readonly floor: Stats;
  readonly ratio: number;
  /** Whole processes (start-up and imports included), for context. */
  readonly subjectWall: Stats;
  readonly floorWall: Stats;
  readonly resources: number;
  /** Whether both programs registered the same resources (types, names, providers, inputs). */
  readonly sameResources: boolean;
}

interface ProgramResult { ms: number; resources: number; digest: string }

export async function pulumiCases(cfg: BenchConfig, tree: CompiledTree, log: Log): Promise<PulumiRow[]> {
  const n = cfg.pulumiSize;
  const mode = PULUMI_MODE;
  const planFile = path.join(tree.root, `pulumi-plan-${n}-${mode}.json`);
  fs.writeFileSync(planFile, JSON.stringify(planPlatform(platformSpec(n, mode))));
  const program = tree.script('children/pulumi-program');
  const samples = { subject: [] as number[], floor: [] as number[], subjectWall: [] as number[], floorWall: [] as number[] };
  const digests = new Set<string>();
  const counts = new Set<number>();
  try {
    for (let i = 0; i < cfg.pulumiSamples; i++) {
      const order: ('subject' | 'floor')[] = i % 2 === 0 ? ['subject', 'floor'] : ['floor', 'subject'];
      for (const kind of order) {
        const run = runNode<ProgramResult>([program, kind, String(n), mode, planFile], { cwd: tree.root });
        samples[kind].push(run.value.ms);
        samples[`${kind}Wall`].push(run.wallMs);
        digests.add(run.value.digest);
        counts.add(run.value.resources);
        log(`pulumi N=${n} ${mode} ${kind} #${i + 1}: ${run.value.ms.toFixed(0)} ms (${run.value.resources} resources)`);
      }
    }
  } finally {
    fs.rmSync(planFile, { force: true });
  }
  const subject = stats(samples.subject);
  const floor = stats(samples.floor);
  const sameResources = digests.size === 1 && counts.size === 1;
  if (!sameResources) throw new Error(`pulumi N=${n}: the floor program did not register the same resources as the platform (digests ${[...digests].join(', ')})`);
  return [{
    n,
    mode,
    subject,
    floor,
    ratio: subject.median / floor.median,
    subjectWall: stats(samples.subjectWall),
    floorWall: stats(samples.floorWall),
    resources: [...counts][0],
    sameResources,
  }];
}
