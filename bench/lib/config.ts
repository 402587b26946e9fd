/*
 * Command line of the benchmark:
 *
 *   npm run bench                      full mode, writes BENCHMARKS.md
 *   npm run bench -- --quick           small N, few iterations: only checks the suite still
 *                                      works (writes to a temporary file unless --out is given)
 *
 * Options (full-mode defaults in brackets):
 *   --out <file>                [BENCHMARKS.md]
 *   --only <groups>             comma-separated: plan,synth,writer,pulumi,imports,memory [all]
 *   --plan-sizes <list>         workload clusters for planning [10,100,1000]
 *   --synth-sizes <list>        workload clusters for cdk8s synth, both RBAC modes [10,100]
 *   --synth-cluster-sizes <l>   more sizes for cdk8s synth, cluster RBAC mode only [300,1000]
 *   --writer-sizes <list>       workload clusters for the manifest writer against helm [100,1000]
 *   --pulumi-size <n>           workload clusters of the mocked Pulumi program [100]
 *   --pulumi-samples <k>        processes per program [3]
 *   --memory-size <n>           workload clusters for peak memory [1000]
 *   --import-samples <k>        processes per entry point [10]
 *   --budget-seconds <s>        time spent on each task of a paired case [6]
 *   --max-call-seconds <s>      skip a case when one call is projected (from the previous size)
 *                               to take longer than this [400]
 */
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './compile';

export const GROUPS = ['plan', 'synth', 'writer', 'pulumi', 'imports', 'memory'] as const;
export type Group = typeof GROUPS[number];

export interface BenchConfig {
  readonly quick: boolean;
  readonly out: string;
  readonly groups: ReadonlySet<Group>;
  readonly planSizes: readonly number[];
  readonly synthSizes: readonly number[];
  /** Synth sizes measured in cluster RBAC mode only (larger: one call takes tens of seconds). */
  readonly synthClusterSizes: readonly number[];
  /** Workload clusters for the manifest writer (against helm). */
  readonly writerSizes: readonly number[];
  readonly pulumiSize: number;
  readonly pulumiSamples: number;
  readonly memorySize: number;
  readonly importSamples: number;
  /** Also time imports of the TypeScript sources through ts-node (informative). */
  readonly tsNodeImports: boolean;
  readonly budgetMs: number;
  readonly minIterations: number;
  readonly maxIterations: number;
  readonly maxCallMs: number;
  readonly argv: readonly string[];
}

function sizes(value: string, flag: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${flag}: expected a comma-separated list of positive integers, got ${value}`);
  return [...new Set(list)].sort((a, b) => a - b);
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag}: expected a positive number, got ${value}`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick');
  const defaults = quick
    ? {
      out: path.join(os.tmpdir(), 'toolhive-constructs-bench-quick.md'),
      planSizes: [2, 5],
      synthSizes: [2],
      synthClusterSizes: [],
      writerSizes: [5],
      pulumiSize: 2,
      pulumiSamples: 1,
      memorySize: 5,
      importSamples: 2,
      budgetMs: 300,
      minIterations: 2,
      maxIterations: 5,
      maxCallMs: 30_000,
      tsNodeImports: false,
    }
    : {
      out: path.join(REPO_ROOT, 'BENCHMARKS.md'),
      planSizes: [10, 100, 1000],
      synthSizes: [10, 100],
      synthClusterSizes: [300, 1000],
      writerSizes: [100, 1000],
      pulumiSize: 100,
      pulumiSamples: 3,
      memorySize: 1000,
      importSamples: 10,
      budgetMs: 6_000,
      minIterations: 3,
      maxIterations: 40,
      maxCallMs: 400_000,
      tsNodeImports: true,
    };
  const cfg: any = { ...defaults, quick, groups: new Set(GROUPS), argv: [...argv] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') continue;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--out': cfg.out = path.resolve(value); break;
      case '--only': {
        const groups = value.split(',').map((g) => g.trim());
        const unknown = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
        if (unknown.length) throw new Error(`--only: unknown group(s) ${unknown.join(', ')}; expected ${GROUPS.join(', ')}`);
        cfg.groups = new Set(groups);
        break;
      }
      case '--plan-sizes': cfg.planSizes = sizes(value, flag); break;
      case '--synth-sizes': cfg.synthSizes = sizes(value, flag); break;
      case '--synth-cluster-sizes': cfg.synthClusterSizes = value === '' ? [] : sizes(value, flag); break;
      case '--writer-sizes': cfg.writerSizes = sizes(value, flag); break;
      case '--pulumi-size': cfg.pulumiSize = sizes(value, flag)[0]; break;
      case '--pulumi-samples': cfg.pulumiSamples = Math.round(positive(value, flag)); break;
      case '--memory-size': cfg.memorySize = sizes(value, flag)[0]; break;
      case '--import-samples': cfg.importSamples = Math.round(positive(value, flag)); break;
      case '--budget-seconds': cfg.budgetMs = positive(value, flag) * 1000; break;
      case '--max-call-seconds': cfg.maxCallMs = positive(value, flag) * 1000; break;
      default: throw new Error(`unknown option ${flag} (see bench/lib/config.ts)`);
    }
  }
  return cfg as BenchConfig;
}
