/*
 * The cdk8s programs: the platform through the library's constructs, and the floor app that
 * holds exactly the same final objects as bare ApiObjects (one Chart per cluster, the objects
 * already in apply order, no dependencies left to resolve).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { CONTROL_CLUSTER, controlRegistryServer, PLATFORM_NAME, RbacMode, workloadNames, workloadOptions } from './spec';
import { ToolhivePlatform } from '../../src/cdk8s';

/** The objects of one chart, as `app.synth()` writes them. */
export interface ChartObjects {
  readonly chart: string;
  readonly objects: any[];
}

function newApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}

/** The platform of 1 control + `n` workload clusters, declared through the constructs (planned at synth). */
export function platformApp(n: number, mode: RbacMode, outdir: string): App {
  const app = newApp(outdir);
  const platform = new ToolhivePlatform(app, PLATFORM_NAME, { edition: 'open-source', delivery: 'manifests' });
  platform.addControlCluster(CONTROL_CLUSTER, { registryServer: controlRegistryServer() });
  for (const name of workloadNames(n)) platform.addWorkloadCluster(name, workloadOptions(mode));
  return app;
}

/** The final objects of every chart of a synthesized app, in output order. */
export function chartObjects(app: App): ChartObjects[] {
  return app.charts.map((c) => ({ chart: c.node.id, objects: c.toJson() }));
}

/** The floor: the same objects as bare ApiObjects, one Chart per cluster. */
export function floorApp(charts: readonly ChartObjects[], outdir: string): App {
  const app = newApp(outdir);
  for (const { chart, objects } of charts) {
    const c = new Chart(app, chart);
    objects.forEach((o, i) => new ApiObject(c, `o${i}`, o));
  }
  return app;
}

/** Whether two synth output folders hold the same files with the same bytes. */
export function sameOutput(a: string, b: string): boolean {
  const files = fs.readdirSync(a).sort();
  if (files.join('\n') !== fs.readdirSync(b).sort().join('\n')) return false;
  return files.every((f) => fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
}
