/*
 * The manifest writer against the real `helm template`, in the same run. One workload cluster's
 * output as `helm template` gives it: the CRD chart and the operator chart of the default release
 * (the verified release cache) with that cluster's values (operatorValuesFor, the CRD chart's defaults), YAML text
 * out. The writer: 1 control + N workload clusters planned and written as files (YAML text
 * included), in a fresh process each sample, per cluster. The ratio is helm's time per cluster
 * over the writer's.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Log } from './common';
import { operatorValuesFor, TOOLHIVE_VERSION } from '../../src';
import { CompiledTree, REPO_ROOT } from '../lib/compile';
import { BenchConfig } from '../lib/config';
import { runNode, stats, Stats } from '../lib/measure';
import { RbacMode, workloadOptions } from '../lib/spec';

export const WRITER_MODE: RbacMode = 'namespace';

export interface WriterRow {
  readonly n: number;
  readonly mode: RbacMode;
  /** Per cluster, from the spec to the files on disk. */
  readonly writerPerCluster: Stats;
  readonly writerTotal: Stats;
  /** `helm template` of the two charts for one cluster (sum of the two medians). */
  readonly helmPerCluster: number;
  readonly helmCrds: Stats;
  readonly helmOperator: Stats;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly files: number;
  readonly outputMb: number;
  readonly target: string;
}

function helmBinary(): string | undefined {
  const helm = process.env.TOOLHIVE_HELM ?? path.join(REPO_ROOT, '.cache', 'tools', 'bin', 'helm');
  return fs.existsSync(helm) ? helm : undefined;
}

function chartsDir(): string {
  // The release the writer's plans render (the default): its charts, as the tests lay them out.
  return path.join(process.env.TOOLHIVE_UPSTREAM_DIR!, `toolhive-v${TOOLHIVE_VERSION}`, 'charts');
}

function timeHelm(helm: string, release: string, chart: string, valuesFile: string): number {
  const t0 = performance.now();
  const r = spawnSync(helm, ['template', release, chart, '--namespace', 'toolhive-system', '-f', valuesFile], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`helm template ${chart} failed: ${r.stderr}`);
  return ms;
}

/** tmpfs when there is one (the disk's write-back is not what is compared), else the temp folder. */
function scratchRoot(): string {
  return fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

export async function writerCases(cfg: BenchConfig, tree: CompiledTree, log: Log): Promise<WriterRow[] | { skipped: string }> {
  const helm = helmBinary();
  if (!helm) return { skipped: 'no helm binary (tools/build.sh helm, or $TOOLHIVE_HELM)' };
  const script = tree.script('children/writer');
  const root = fs.mkdtempSync(path.join(scratchRoot(), 'toolhive-bench-writer-'));
  try {
    const valuesFile = path.join(root, 'operator-values.json');
    fs.writeFileSync(valuesFile, JSON.stringify(operatorValuesFor(workloadOptions(WRITER_MODE).toolhiveOperator!)));
    const emptyValues = path.join(root, 'crds-values.json');
    fs.writeFileSync(emptyValues, '{}');
    const crds: number[] = [];
    const operator: number[] = [];
    const samples = cfg.quick ? 2 : 7;
    for (let i = 0; i < samples; i++) {
      crds.push(timeHelm(helm, 'toolhive-operator-crds', path.join(chartsDir(), 'operator-crds'), emptyValues));
      operator.push(timeHelm(helm, 'toolhive-operator', path.join(chartsDir(), 'operator'), valuesFile));
    }
    const helmCrds = stats(crds);
    const helmOperator = stats(operator);
    const helmPerCluster = helmCrds.median + helmOperator.median;
    log(`writer: helm template per cluster ${helmPerCluster.toFixed(0)} ms (CRDs ${helmCrds.median.toFixed(0)}, operator ${helmOperator.median.toFixed(0)})`);
    const rows: WriterRow[] = [];
    for (const n of cfg.writerSizes) {
      const totals: number[] = [];
      let last: { ms: number; peakRssMb: number; files: number; bytes: number } | undefined;
      for (let i = 0; i < (cfg.quick ? 1 : 3); i++) {
        const out = path.join(root, `out-${n}-${i}`);
        type Run = { ms: number; peakRssMb: number; files: number; bytes: number };
        last = runNode<Run>([script, String(n), WRITER_MODE, out], { timeoutMs: 600_000 }).value;
        totals.push(last.ms);
        fs.rmSync(out, { recursive: true, force: true });
      }
      const total = stats(totals);
      const perCluster = stats(totals.map((t) => t / (n + 1)));
      rows.push({
        n,
        mode: WRITER_MODE,
        writerPerCluster: perCluster,
        writerTotal: total,
        helmPerCluster,
        helmCrds,
        helmOperator,
        ratio: helmPerCluster / perCluster.median,
        peakRssMb: last!.peakRssMb,
        files: last!.files,
        outputMb: last!.bytes / 2 ** 20,
        target: scratchRoot(),
      });
      log(`writer: N=${n}: ${total.median.toFixed(0)} ms, ${perCluster.median.toFixed(2)} ms per cluster, ${(helmPerCluster / perCluster.median).toFixed(0)}× faster than helm`);
    }
    return rows;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
