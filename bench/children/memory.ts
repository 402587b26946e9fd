/*
 * Peak memory of one program, in a fresh process (run with --expose-gc).
 * Usage: node --expose-gc memory.js <program> <n> <rbac mode> <data folder>
 *
 *   none                        nothing (Node itself)
 *   import-core, import-cdk8s   only the entry point (what every program starts from)
 *   plan                        planPlatform of 1 control + n workload clusters; then writes
 *                               each cluster's plan to the data folder, for plan-floor
 *   plan-floor                  the same plan objects, read back (JSON) and serialized again:
 *                               holding and serializing the output, nothing else
 *   synth                       cdk8s app.synth() of the platform; then writes each chart's
 *                               objects to the data folder, for synth-floor
 *   synth-floor                 app.synth() of the same objects as bare ApiObjects
 *
 * Prints one JSON line: peak RSS (the kernel's high-water mark, process.resourceUsage().maxRSS),
 * and the heap still used after a full collection at the end of the program (the output the
 * program holds).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const [program, nArg, modeArg, dataDir] = process.argv.slice(2);
const n = Number(nArg);
const gc = (globalThis as any).gc as () => void;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');

/* eslint-disable @typescript-eslint/no-require-imports */
function run(): { keep: unknown; after?: () => void } {
  switch (program) {
    case 'none':
      return { keep: undefined };
    case 'import-core':
      return { keep: require('../../src') };
    case 'import-cdk8s':
      return { keep: require('../../src/cdk8s') };
    case 'plan': {
      const { planPlatform } = require('../../src') as typeof import('../../src');
      const { platformSpec } = require('../lib/spec') as typeof import('../lib/spec');
      const plan = planPlatform(platformSpec(n, modeArg as any));
      return {
        keep: plan,
        after: () => plan.clusters.forEach((c, i) => fs.writeFileSync(path.join(dataDir, `${String(i).padStart(5, '0')}.json`), JSON.stringify(c))),
      };
    }
    case 'plan-floor': {
      const clusters = fs.readdirSync(dataDir).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8')));
      let chars = 0;
      for (const c of clusters) chars += JSON.stringify(c).length;
      return { keep: { clusters, chars } };
    }
    case 'synth': {
      const apps = require('../lib/cdk8s-apps') as typeof import('../lib/cdk8s-apps');
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-bench-synth-'));
      const app = apps.platformApp(n, modeArg as any, outdir);
      app.synth();
      return {
        keep: app,
        after: () => {
          fs.rmSync(outdir, { recursive: true, force: true });
          apps.chartObjects(app).forEach((c, i) => fs.writeFileSync(path.join(dataDir, `${String(i).padStart(5, '0')}.json`), JSON.stringify(c)));
        },
      };
    }
    case 'synth-floor': {
      const apps = require('../lib/cdk8s-apps') as typeof import('../lib/cdk8s-apps');
      const charts = fs.readdirSync(dataDir).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8')));
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-bench-synth-'));
      const app = apps.floorApp(charts, outdir);
      app.synth();
      return { keep: app, after: () => fs.rmSync(outdir, { recursive: true, force: true }) };
    }
    default:
      throw new Error(`unknown program ${program}`);
  }
}

gc();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const { keep, after } = run();
const ms = performance.now() - t0;
gc();
const heapAfter = process.memoryUsage().heapUsed;
const result = {
  ms,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  heapBeforeMb: heapBefore / 2 ** 20,
  heapRetainedMb: (heapAfter - heapBefore) / 2 ** 20,
  // Read after the collection, so the output is still held when the heap is measured.
  held: keep !== undefined,
};
after?.();
process.stdout.write(`${JSON.stringify(result)}\n`);
