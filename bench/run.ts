/*
 * The benchmark suite: `npm run bench` (full, writes BENCHMARKS.md) or `npm run bench:quick`
 * (small N, few iterations; CI runs it only to check that the suite still works). Options:
 * bench/lib/config.ts. It is not a test: missed targets are reported, never fatal; only a
 * broken suite (a floor that does not produce the same output, a failing program) fails it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TOOLHIVE_VERSION } from '../src';
import { importCases } from './cases/imports';
import { memoryCases } from './cases/memory';
import { pairedCases } from './cases/paired';
import { pulumiCases } from './cases/pulumi';
import { writerCases } from './cases/writer';
import { compileTree, REPO_ROOT } from './lib/compile';
import { parseArgs } from './lib/config';
import { renderReport, Results } from './lib/report';
import { RbacMode } from './lib/spec';

const started = performance.now();
const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

/** CRDs offline, as the tests find them: $TOOLHIVE_UPSTREAM_DIR, else ../shared/upstream, else the test cache. */
function ensureUpstream(): void {
  if (process.env.TOOLHIVE_UPSTREAM_DIR) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { toolhiveUpstream } = require('../test/support/upstream') as typeof import('../test/support/upstream');
  process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
}

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  ensureUpstream();
  const loadStart = os.loadavg();
  log(`${cfg.quick ? 'quick' : 'full'} mode: ${[...cfg.groups].join(', ')}; CRDs from ${process.env.TOOLHIVE_UPSTREAM_DIR}`);
  const tree = await compileTree();
  log(`sources compiled into ${tree.root}`);
  const results: Results = {};
  try {
    // Imports first, while nothing else has run.
    if (cfg.groups.has('imports')) results.imports = await importCases(cfg, tree, log);
    if (cfg.groups.has('plan')) results.plan = await pairedCases('plan', () => cfg.planSizes, cfg, tree, log);
    if (cfg.groups.has('synth')) {
      const sizes = (mode: RbacMode) => (mode === 'cluster' ? [...new Set([...cfg.synthSizes, ...cfg.synthClusterSizes])].sort((a, b) => a - b) : cfg.synthSizes);
      results.synth = await pairedCases('synth', sizes, cfg, tree, log);
    }
    if (cfg.groups.has('writer')) results.writer = await writerCases(cfg, tree, log);
    if (cfg.groups.has('pulumi')) results.pulumi = await pulumiCases(cfg, tree, log);
    if (cfg.groups.has('memory')) {
      results.memory = await memoryCases(cfg, tree, log, (program, n) => {
        const rows = (program === 'plan' ? results.plan : results.synth)?.filter((r) => r.mode === 'cluster' && r.result);
        const last = rows?.sort((a, b) => a.n - b.n).pop();
        return last ? last.result!.subject.median * (n / last.n) : undefined;
      });
    }
  } finally {
    tree.remove();
  }
  const notesFile = path.join(__dirname, 'NOTES.md');
  const markdown = renderReport(results, cfg, {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${git('status', '--porcelain', '--untracked-files=no', '--', 'src') ? ' with uncommitted changes in src/' : ''}`,
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    loadStart,
    loadEnd: os.loadavg(),
    wallMinutes: (performance.now() - started) / 60_000,
    toolhiveVersion: TOOLHIVE_VERSION,
    notes: !cfg.quick && fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : undefined,
  });
  fs.writeFileSync(cfg.out, markdown);
  if (cfg.quick) process.stdout.write(markdown);
  log(`wrote ${path.relative(process.cwd(), cfg.out) || cfg.out}`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
