/*
 * A real OCI registry on loopback as an air gap's chart mirror: the CNCF Distribution registry
 * (tools/build.sh distribution-registry, built from Go modules), TLS with a test CA. The charts
 * of ../shared are packaged and pushed with the real helm, each under the mirror at its public
 * path (`oci://ghcr.io/stacklok/toolhive/toolhive-operator` as
 * `<mirror>/stacklok/toolhive/toolhive-operator`), as a user mirroring them would.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { freePort, ManagedProcess, Supervisor, tail, waitFor } from './processes';
import { loopbackCertificates } from './tls';
import { TOOLHIVE_VERSION } from '../../../src';
import { CACHE_DIR } from '../../support/paths';
import { registryServerChartDir } from '../../support/registry';
import { toolhiveUpstream } from '../../support/upstream';

export const HELM = path.join(CACHE_DIR, 'tools', 'bin', 'helm');
const REGISTRY = path.join(CACHE_DIR, 'tools', 'bin', 'distribution-registry');

/** A running mirror. */
export interface ChartMirror {
  /** `oci://127.0.0.1:<port>/mirror`: the base the library's `airGap.chartMirror` takes. */
  readonly base: string;
  /** The test CA that signs its certificate (the library's `airGap.caFile`). */
  readonly caFile: string;
  /** The environment helm runs with: its own config, cache and registry login files. */
  readonly helmEnv: NodeJS.ProcessEnv;
  readonly proc: ManagedProcess;
  /** The charts pushed: public repository to mirror repository, with the version. */
  readonly pushed: { readonly source: string; readonly repository: string; readonly version: string }[];
}

/** The charts the plans pull (the default ToolHive release's, the Registry Server's) and where they are public. */
function upstreamCharts(): { dir: string; publicRepository: string }[] {
  const toolhive = path.join(toolhiveUpstream(TOOLHIVE_VERSION).dir, 'charts');
  const registry = registryServerChartDir();
  return [
    { dir: path.join(toolhive, 'operator-crds'), publicRepository: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds' },
    { dir: path.join(toolhive, 'operator'), publicRepository: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator' },
    { dir: registry, publicRepository: 'oci://ghcr.io/stacklok/toolhive-registry-server' },
  ];
}

function getWithCa(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: fs.readFileSync(ca), timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });
}

/** Runs the real helm with the mirror's environment. */
export function helm(mirror: Pick<ChartMirror, 'helmEnv'>, args: string[], cwd?: string): string {
  return execFileSync(HELM, args, { env: mirror.helmEnv, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20 });
}

/** Starts the registry in `workDir` and pushes the charts to it. */
export async function startChartMirror(supervisor: Supervisor, workDir: string): Promise<ChartMirror> {
  const dir = path.join(workDir, 'oci-registry');
  fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const certs = loopbackCertificates(path.join(dir, 'tls'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'storage')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  tls:',
    `    certificate: ${certs.certFile}`,
    `    key: ${certs.keyFile}`,
    '',
  ].join('\n'));
  const proc = supervisor.start('oci-registry', REGISTRY, ['serve', config], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, logFile: path.join(dir, 'registry.log') });
  await waitFor('the OCI registry to answer /v2/', 30_000, async () => {
    if (proc.hasExited()) throw new Error(`the OCI registry exited; log (tail):\n${tail(proc.log(), 40)}`);
    const status = await getWithCa(`https://127.0.0.1:${port}/v2/`, certs.caFile).catch(() => undefined);
    return status === 200 ? true : undefined;
  }, { intervalMs: 200 });
  const home = path.join(dir, 'helm');
  const helmEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    HELM_REGISTRY_CONFIG: path.join(home, 'registry.json'),
  };
  const base = `oci://127.0.0.1:${port}/mirror`;
  const mirror = { base, caFile: certs.caFile, helmEnv, proc };
  const packaged = path.join(dir, 'packaged');
  fs.mkdirSync(packaged, { recursive: true });
  const pushed: ChartMirror['pushed'] = [];
  for (const chart of upstreamCharts()) {
    const out = helm(mirror, ['package', chart.dir, '--destination', packaged]);
    const tgz = /saved it to: (\S+)/.exec(out)?.[1];
    if (!tgz) throw new Error(`helm package ${chart.dir}: ${out}`);
    const publicPath = chart.publicRepository.replace(/^oci:\/\/[^/]+\//, '');
    const target = `${base}/${path.posix.dirname(publicPath)}`;
    helm(mirror, ['push', tgz, target, '--ca-file', certs.caFile]);
    const version = /-(\d+\.\d+\.\d+)\.tgz$/.exec(tgz)![1];
    pushed.push({ source: chart.publicRepository, repository: `${base}/${publicPath}`, version });
  }
  return { ...mirror, pushed };
}
