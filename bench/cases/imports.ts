/*
 * Cold imports: each entry point of the package, compiled (what users load from lib/), in a
 * fresh Node process, against importing `cdk8s` alone and `@pulumi/kubernetes` alone. The
 * clock runs inside the process around the one `require` (Node's own start-up is reported
 * apart). Processes run round-robin over the modules, after one discarded round that warms
 * the file cache: "cold" is a fresh process, not a cold disk.
 *
 * Informative rows: each adapter together with the core, which an adapter loads on first use
 * (what a synth or a Pulumi program pays before it plans anything); the same entry points
 * imported from the TypeScript sources through ts-node (transpile-only), as the examples and
 * tests run them.
 */
import * as path from 'path';
import { Log } from './common';
import { CompiledTree, REPO_ROOT } from '../lib/compile';
import { BenchConfig } from '../lib/config';
import { runNode, stats, Stats } from '../lib/measure';

export interface ImportRow {
  readonly label: string;
  /** What it is compared with (a label of another row), if anything. */
  readonly baseline?: string;
  readonly importMs: Stats;
  readonly wallMs: Stats;
  readonly rssMb: Stats;
  /** importMs median / the baseline's importMs median */
  ratio?: number;
  readonly informative?: boolean;
}

interface ImportResult { bootMs: number; importMs: number; rssMb: number }

export async function importCases(cfg: BenchConfig, tree: CompiledTree, log: Log): Promise<ImportRow[]> {
  const script = tree.script('children/import');
  const modules: { label: string; target: string; then?: string; baseline?: string; tsNode?: boolean; informative?: boolean }[] = [
    { label: 'node (nothing imported)', target: '-' },
    { label: 'cdk8s alone', target: 'cdk8s' },
    { label: '@pulumi/kubernetes alone', target: '@pulumi/kubernetes' },
    { label: 'toolhive-constructs (core)', target: tree.entryPoints.core },
    { label: 'toolhive-constructs/cdk8s', target: tree.entryPoints.cdk8s, baseline: 'cdk8s alone' },
    { label: 'toolhive-constructs/pulumi', target: tree.entryPoints.pulumi, baseline: '@pulumi/kubernetes alone' },
    { label: 'toolhive-constructs/cdk8s, then the core', target: tree.entryPoints.cdk8s, then: tree.entryPoints.core, baseline: 'cdk8s alone', informative: true },
    { label: 'toolhive-constructs/pulumi, then the core', target: tree.entryPoints.pulumi, then: tree.entryPoints.core, baseline: '@pulumi/kubernetes alone', informative: true },
  ];
  if (cfg.tsNodeImports) {
    for (const [label, file] of [['core', 'index.ts'], ['cdk8s', 'cdk8s/index.ts'], ['pulumi', 'pulumi/index.ts']]) {
      modules.push({ label: `src ${label} entry via ts-node`, target: path.join(REPO_ROOT, 'src', file), tsNode: true });
    }
  }
  const samples = new Map(modules.map((m) => [m.label, { importMs: [] as number[], wallMs: [] as number[], rssMb: [] as number[] }]));
  const tsNodeSamples = Math.min(cfg.importSamples, 3);
  for (let round = 0; round <= cfg.importSamples; round++) {
    for (const m of modules) {
      if (m.tsNode && (round === 0 || round > tsNodeSamples)) continue;
      const targets = m.then ? [m.target, m.then] : [m.target];
      const args = m.tsNode ? ['-r', 'ts-node/register/transpile-only', script, ...targets] : [script, ...targets];
      // ts-node runs from the checkout, with its tsconfig.json; compiled code runs from the temporary tree.
      const run = m.tsNode
        ? runNode<ImportResult>(args, { cwd: REPO_ROOT, env: { TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') } })
        : runNode<ImportResult>(args, { cwd: tree.root });
      if (round === 0) continue;
      const s = samples.get(m.label)!;
      s.importMs.push(run.value.importMs);
      s.wallMs.push(run.wallMs);
      s.rssMb.push(run.value.rssMb);
    }
    if (round > 0) log(`imports: round ${round}/${cfg.importSamples}`);
  }
  const rows: ImportRow[] = modules.map((m) => {
    const s = samples.get(m.label)!;
    return {
      label: m.label,
      baseline: m.baseline,
      importMs: stats(s.importMs),
      wallMs: stats(s.wallMs),
      rssMb: stats(s.rssMb),
      informative: m.tsNode || m.informative,
    };
  });
  for (const row of rows) {
    const base = rows.find((r) => r.label === row.baseline);
    if (base) row.ratio = row.importMs.median / base.importMs.median;
  }
  return rows;
}
