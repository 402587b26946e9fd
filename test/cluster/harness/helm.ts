/*
 * The real helm (tools/build.sh) against a test API server: a kubeconfig for the harness's admin
 * identity and helm's own config, cache and data folders, so nothing outside the work folder is
 * read or written. Charts come from a ToolHive release's published chart folders (the local
 * form of the OCI charts the library's Helm delivery names).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { TestCluster } from './cluster';
import { HELM } from './oci-registry';
import { HelmReleaseSpec, OPERATOR_CHART, OPERATOR_CRDS_CHART } from '../../../src';
import { toolhiveUpstream } from '../../support/upstream';

/** helm bound to one API server. */
export interface ClusterHelm {
  /** Runs helm; fails with its output when it exits non-zero. */
  run(args: string[]): string;
  /** Runs a helm command that must fail; returns what it printed (stderr, then stdout). */
  refusal(args: string[]): string;
  /**
   * The arguments of `helm <action> <releaseName> <the release's local chart folder> --namespace <ns>
   * --values <values file>` for a release the library planned (`--skip-crds` when the plan says
   * so), then `extra`.
   */
  releaseArgs(action: 'install' | 'upgrade' | 'upgrade --install', release: HelmReleaseSpec, extra?: string[]): string[];
  /** Runs {@link releaseArgs}. */
  release(action: 'install' | 'upgrade' | 'upgrade --install', release: HelmReleaseSpec, extra?: string[]): string;
  /** `helm list --all --namespace <ns>`: `name chart-version status revision` of each release, sorted. */
  list(namespace: string): string[];
}

/** The folder of a release's published chart (`toolhive-operator` or `toolhive-operator-crds`) at `version`. */
export function localChart(chart: string, version: string): string {
  const folder = chart === OPERATOR_CRDS_CHART.name ? 'operator-crds' : chart === OPERATOR_CHART.name ? 'operator' : undefined;
  if (!folder) throw new Error(`${chart} is not a chart of the ToolHive operator`);
  const dir = path.join(toolhiveUpstream(version).dir, 'charts', folder);
  const meta = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'));
  if (meta.name !== chart || meta.version !== version) throw new Error(`${dir} holds chart ${meta.name} ${meta.version}, not ${chart} ${version}`);
  return dir;
}

/** helm for `cluster`, its files in `workDir`. */
export function clusterHelm(cluster: TestCluster, workDir: string): ClusterHelm {
  const home = path.join(workDir, 'helm');
  fs.mkdirSync(home, { recursive: true });
  const kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(kubeconfig, cluster.kubeconfig(), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
  };
  let valuesFiles = 0;
  const run = (args: string[]): string => {
    try {
      return execFileSync(HELM, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20, timeout: 300_000 });
    } catch (e: any) {
      throw new Error(`helm ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`);
    }
  };
  const releaseArgs: ClusterHelm['releaseArgs'] = (action, release, extra = []) => {
    const values = path.join(home, `values-${++valuesFiles}.json`);
    fs.writeFileSync(values, JSON.stringify(release.values ?? {}));
    return [
      ...action.split(' '), release.releaseName, localChart(release.chart, release.version),
      '--namespace', release.namespace, '--values', values, ...(release.skipCrds ? ['--skip-crds'] : []), ...extra,
    ];
  };
  return {
    run,
    refusal(args) {
      try {
        const out = execFileSync(HELM, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20, timeout: 300_000 });
        throw new Error(`helm ${args.join(' ')} succeeded, expected it to fail: ${out}`);
      } catch (e: any) {
        if (e.status === undefined) throw e;
        return `${e.stderr ?? ''}${e.stdout ?? ''}`;
      }
    },
    releaseArgs,
    release: (action, release, extra) => run(releaseArgs(action, release, extra)),
    list(namespace) {
      const releases: any[] = JSON.parse(run(['list', '--all', '--namespace', namespace, '--output', 'json']));
      return releases.map((r) => `${r.name} ${r.chart} ${r.status} ${r.revision}`).sort();
    },
  };
}
