/*
 * The paired cases (subject and floor), as bench/children/pair.ts runs them:
 *
 *   plan   planPlatform of 1 control + N workload clusters, against the floor of serializing the
 *          same output objects (JSON.stringify of each cluster's plan: one string for the whole
 *          platform would pass V8's string length limit at N = 1000); the floor's copy of the
 *          objects is made before each of its calls, off the clock (see preparePair)
 *   synth  building the cdk8s app (ToolhivePlatform and its clusters) and app.synth(), planning
 *          included, against a floor app holding exactly the same final objects as bare
 *          ApiObjects (made the same way), built and synthesized the same way; both write one YAML file per cluster
 *          to a temporary folder (emptied before each call, off the clock), and the two folders
 *          must end up byte-identical
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ChartObjects, floorApp, platformApp, sameOutput } from './cdk8s-apps';
import { PairCase } from './measure';
import { platformSpec, RbacMode } from './spec';
import { planPlatform, PlatformPlan } from '../../src';

export type PairGroup = 'plan' | 'synth';

/** What a case reports besides the times. */
export interface PairFacts {
  /** Size of the output: JSON (plan) or YAML files (synth), in MB. */
  readonly outputMb: number;
  /** Kubernetes objects (plan), or files written (synth). */
  readonly objects?: number;
  readonly files?: number;
  /** synth: whether the floor wrote the same bytes. */
  readonly identical?: boolean;
}

export interface PreparedPair {
  readonly pair: PairCase;
  /** After the measurement: facts about the output (and checks that the floor made the same). */
  facts(): PairFacts;
}

let sink = 0;

/**
 * Records each chart's objects as JSON when `app.synth()` renders it (the first, untimed call):
 * asking the charts again afterwards (`chart.toJson()`) would redo cdk8s's dependency
 * resolution for the whole app once per chart.
 */
function captureCharts(app: App, into: string[]): void {
  for (const chart of app.charts) {
    const toJson = chart.toJson.bind(chart);
    chart.toJson = () => {
      const objects = toJson();
      const entry: ChartObjects = { chart: chart.node.id, objects };
      into.push(JSON.stringify(entry));
      return objects;
    };
  }
}

function emptyDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

export function preparePair(group: PairGroup, n: number, mode: RbacMode, workdir: string): PreparedPair {
  // The floor's input is kept as JSON text between its calls and parsed before each (off the
  // clock): while the subject runs, the heap holds only the subject's own objects, as in a real
  // program, not also a second copy of the output for the floor (strings cost the collector
  // nothing to mark; at N = 1000 a held copy would slow the subject's collections down).
  let first: PlatformPlan | undefined;
  let captured: string[] | undefined;
  let json: string[] | undefined;
  let input: any[] | undefined;
  const prepare = (task: 'subject' | 'floor') => {
    if (!json && first) {
      json = first.clusters.map((o) => JSON.stringify(o));
      first = undefined;
    }
    if (!json && captured) json = captured;
    input = undefined;
    if (task === 'floor') input = json!.map((s) => JSON.parse(s));
  };

  if (group === 'plan') {
    const spec = platformSpec(n, mode);
    return {
      pair: {
        subject: () => {
          const plan = planPlatform(spec);
          if (!json) first ??= plan;
        },
        floor: () => {
          let chars = 0;
          for (const cluster of input!) chars += JSON.stringify(cluster).length;
          sink += chars;
        },
        beforeEach: prepare,
      },
      facts: () => {
        let objects = 0;
        for (const text of json!) {
          const c = JSON.parse(text) as PlatformPlan['clusters'][number];
          for (const d of c.deliverables) objects += d.type === 'manifests' ? d.objects.length : 0;
        }
        return { outputMb: json!.reduce((sum, t) => sum + t.length, 0) / 1e6, objects };
      },
    };
  }

  const dirs = { subject: path.join(workdir, 'subject'), floor: path.join(workdir, 'floor') };
  return {
    pair: {
      subject: () => {
        const app = platformApp(n, mode, dirs.subject);
        if (!json && !captured) captureCharts(app, (captured = []));
        app.synth();
      },
      floor: () => floorApp(input as ChartObjects[], dirs.floor).synth(),
      beforeEach: (task) => {
        prepare(task);
        emptyDir(dirs[task]);
      },
    },
    facts: () => {
      const files = fs.readdirSync(dirs.subject);
      const outputMb = files.reduce((sum, f) => sum + fs.statSync(path.join(dirs.subject, f)).size, 0) / 1e6;
      return { outputMb, files: files.length, identical: sameOutput(dirs.subject, dirs.floor) };
    },
  };
}

/** Keeps the floor's result observable. @internal */
export function pairSink(): number {
  return sink;
}
