/*
 * The README's shell commands for upgrading, moving the CRDs between Helm and raw manifests,
 * and uninstalling, run as written (`<!-- run: name -->` blocks) with the real kubectl and helm
 * (tools/build.sh) on the real kube-apiserver, in the order a user would meet them:
 *   1. a cdk8s install of 0.44.0, upgraded to 0.66.0 by re-running the same `kubectl apply`;
 *   2. the raw uninstall (the install planned without CRDs, deleted), then the CRDs removed on
 *      purpose;
 *   3. the CRDs installed and upgraded by Helm, handed to raw manifests, back to Helm with
 *      `--take-ownership`, to raw again, and back to Helm by hand.
 * After each block the CRDs keep their uids, and their field managers and Helm metadata are what
 * the README says. The only change to a block: the chart `oci://ghcr.io/...` is the release's
 * chart folder from its Go module (no network here).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureTools, TestCluster } from './harness/cluster';
import { everyKind, NEWER_FIELDS } from './harness/every-kind';
import { ClusterHelm, clusterHelm, localChart } from './harness/helm';
import { FIELD_MANAGER, KubeClient, refOf } from './harness/kube-client';
import { HELM } from './harness/oci-registry';
import { waitFor } from './harness/processes';
import { finalizingNamespaces } from './harness/pulumi';
import { expectCrdsAt, readBackProblems, TOOLHIVE_CRD_NAMES } from './harness/releases';
import { applyStack, crdSource, waitEstablished } from './harness/stacks';
import {
  DEFAULT_OPERATOR_NAMESPACE, HelmReleaseSpec, KubeObject, OPERATOR_CRDS_CHART, OPERATOR_DELIVERABLES, planOperatorInstall, planPlatform,
  RbacScope, TOOLHIVE_API_GROUP, ToolhiveCustomResource, ToolhiveOperatorOptions, writeManifests,
} from '../../src';
import { ToolhiveOperator } from '../../src/cdk8s';
import { readmeBlock } from '../support/readme';

const FROM = '0.44.0';
const TO = '0.66.0';
const NS = 'team-a';
const OPERATOR_NS = DEFAULT_OPERATOR_NAMESPACE;
const CRD_API = 'apiextensions.k8s.io/v1';
const CRD = 'CustomResourceDefinition';
const HELM_OWNERSHIP = { 'app.kubernetes.io/managed-by': 'Helm', 'meta.helm.sh/release-name': 'toolhive-operator-crds', 'meta.helm.sh/release-namespace': OPERATOR_NS };
const NO_HELM_OWNERSHIP = { 'app.kubernetes.io/managed-by': undefined, 'meta.helm.sh/release-name': undefined, 'meta.helm.sh/release-namespace': undefined };
const OCI_CRDS_CHART = OPERATOR_CRDS_CHART.repository;

/** MCPServer `spec.proxyReadTimeout`: added in 0.48.0, refused by 0.44.0's CRDs. */
const NEW_FIELD = NEWER_FIELDS.find((f) => f.kind === 'MCPServer' && f.field === 'spec.proxyReadTimeout')!;

const helmOwnershipOf = (live: any) => ({
  'app.kubernetes.io/managed-by': live.metadata.labels?.['app.kubernetes.io/managed-by'],
  'meta.helm.sh/release-name': live.metadata.annotations?.['meta.helm.sh/release-name'],
  'meta.helm.sh/release-namespace': live.metadata.annotations?.['meta.helm.sh/release-namespace'],
});

/** A folder to run README blocks in, with the built kubectl and helm first on PATH, bound to `cluster`. */
function shellFor(cluster: TestCluster): { work: string; env: NodeJS.ProcessEnv } {
  const work = path.join(cluster.workDir, 'readme');
  const home = path.join(work, '.home');
  fs.mkdirSync(home, { recursive: true });
  const kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(kubeconfig, cluster.kubeconfig(), { mode: 0o600 });
  // The built kubectl and helm first on PATH: never a kubectl the machine may have.
  const bins = [...new Set([path.dirname(ensureTools().kubectl), path.dirname(HELM)])];
  return {
    work,
    env: {
      PATH: [...bins, '/usr/bin', '/bin'].join(':'),
      HOME: home,
      KUBECONFIG: kubeconfig,
      HELM_CACHE_HOME: path.join(home, 'helm-cache'),
      HELM_CONFIG_HOME: path.join(home, 'helm-config'),
      HELM_DATA_HOME: path.join(home, 'helm-data'),
    },
  };
}

/** Runs `code` with bash (-euo pipefail) in `work`; returns what it printed (stdout and stderr) and its exit code. */
async function bash(code: string, shell: { work: string; env: NodeJS.ProcessEnv }): Promise<{ out: string; code: number }> {
  try {
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', `exec 2>&1\n${code}`], {
      cwd: shell.work, env: shell.env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 2 ** 20,
    });
    return { out: stdout, code: 0 };
  } catch (e: any) {
    if (typeof e.code !== 'number') throw e;
    return { out: `${e.stdout ?? ''}${e.stderr ?? ''}`, code: e.code };
  }
}

/** The README block `name` (a `sh` block), with the replacements given (each must occur). */
function readmeShell(name: string, replace: ReadonlyArray<readonly [string, string]> = []): { code: string; line: number } {
  const block = readmeBlock(name);
  expect([name, block.lang]).toEqual([name, 'sh']);
  let code = block.code;
  for (const [a, b] of replace) {
    expect(code).toContain(a);
    code = code.split(a).join(b);
  }
  return { code, line: block.line };
}

describe('the README\'s upgrade, Helm <-> raw and uninstall commands, as written, with the real kubectl and helm', () => {
  let cluster: TestCluster;
  let admin: KubeClient;
  let helm: ClusterHelm;
  /** The folder the blocks run in (a user's checkout: dist/, crds.yaml). */
  let shell: { work: string; env: NodeJS.ProcessEnv };
  let work: string;
  const crdUids = new Map<string, string>();
  const from = everyKind(NS, false);

  beforeAll(async () => {
    cluster = await TestCluster.start('readme');
    admin = cluster.admin;
    helm = clusterHelm(cluster, cluster.workDir);
    shell = shellFor(cluster);
    work = shell.work;
    await cluster.ensureNamespaces([NS]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Runs the README block `name` with bash (-euo pipefail) in {@link work}; returns what it printed. */
  async function runReadme(name: string, replace: ReadonlyArray<readonly [string, string]> = []): Promise<string> {
    const { code, line } = readmeShell(name, replace);
    const run = await bash(code, shell);
    if (run.code !== 0) throw new Error(`README.md:${line} (${name}) failed (exit ${run.code}):\n${run.out}`);
    return run.out;
  }
  /** The local chart folder in place of the README's OCI chart (the version flag stays; helm ignores it for a folder). */
  const localCrdsChart = (): [string, string] => [OCI_CRDS_CHART, localChart(OPERATOR_CRDS_CHART.name, TO)];

  /** `cdk8s synth` of the README's one-cluster app (the chart `toolhive`), into {@link work}/dist; returns the file. */
  function synth(options: ToolhiveOperatorOptions): string {
    const outdir = path.join(work, 'dist');
    fs.rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    new ToolhiveOperator(new Chart(app, 'toolhive'), 'operator', { ...options, crds: { ...options.crds, source: crdSource(options.version) } });
    app.synth();
    const file = path.join(outdir, 'toolhive.k8s.yaml');
    expect(fs.readdirSync(outdir)).toEqual(['toolhive.k8s.yaml']);
    return file;
  }
  const objectsOf = (file: string): KubeObject[] => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON()).filter(Boolean);

  const liveCrds = async (): Promise<any[]> => Promise.all(TOOLHIVE_CRD_NAMES.map((n) => admin.get(CRD_API, CRD, n)));
  const crdRefs = TOOLHIVE_CRD_NAMES.map((name) => ({ apiVersion: CRD_API, kind: CRD, metadata: { name } }));
  async function metadataOf(objects: readonly KubeObject[], key: 'uid' | 'resourceVersion'): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {};
    for (const o of objects) out[refOf(o)] = (await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace))?.metadata[key];
    return out;
  }
  const operatorImage = async () => (await admin.get('apps/v1', 'Deployment', 'toolhive-operator', OPERATOR_NS))?.spec.template.spec.containers[0].image;
  async function applyCustomResources(objects: readonly ToolhiveCustomResource[]): Promise<void> {
    expect((await applyStack(admin, objects)).errors).toEqual([]);
  }
  /** The library's Helm release of the CRD chart at `version` (delivery 'helm'). */
  function crdsRelease(version: string): HelmReleaseSpec {
    const d = planOperatorInstall({ version }, { delivery: 'helm' }).deliverables.find((x) => x.id === OPERATOR_DELIVERABLES.crds)!;
    if (d.type !== 'helm-release') throw new Error(`the CRDs of ${version} are a ${d.type}`);
    return d.release;
  }

  let crUids: Record<string, string | undefined> = {};

  test(`upgrade-cdk8s: ${FROM} installed and upgraded to ${TO} by the same kubectl apply; CRDs in place, custom resources kept, the new field accepted; again, nothing changes`, async () => {
    const installed = objectsOf(synth({ version: FROM }));
    expect(installed.findIndex((o) => o.kind === CRD)).toBeLessThan(installed.findIndex((o) => o.kind === 'Deployment'));
    await runReadme('upgrade-cdk8s');
    await waitEstablished(admin, crdRefs, 60_000);
    await applyCustomResources(from);
    await expectCrdsAt(admin, FROM, { uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    expect(await operatorImage()).toBe(`ghcr.io/stacklok/toolhive/operator:v${FROM}`);
    crUids = await metadataOf(from, 'uid');

    const upgraded = objectsOf(synth({ version: TO }));
    await runReadme('upgrade-cdk8s');
    await waitEstablished(admin, crdRefs, 60_000);
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    expect(await operatorImage()).toBe(`ghcr.io/stacklok/toolhive/operator:v${TO}`);
    expect(await metadataOf(from, 'uid')).toEqual(crUids);
    expect(await readBackProblems(admin, from, TO)).toEqual([]);
    const server = from.find((o) => o.kind === NEW_FIELD.kind)!;
    await applyCustomResources([{ ...server, spec: { ...server.spec, proxyReadTimeout: '30s' } }]);
    expect((await admin.get(server.apiVersion, server.kind, server.metadata.name, NS)).spec.proxyReadTimeout).toBe('30s');

    const before = await metadataOf(upgraded, 'resourceVersion');
    await runReadme('upgrade-cdk8s');
    expect(await metadataOf(upgraded, 'resourceVersion')).toEqual(before);
  });

  test('uninstall-raw: the install planned with crds.install false, deleted with kubectl, leaves the CRDs and the custom resources; remove-crds then removes them', async () => {
    const full = objectsOf(synth({ version: TO }));
    const withoutCrds = objectsOf(synth({ version: TO, crds: { install: false } }));
    // The same objects, without the CRDs.
    expect(withoutCrds.map(refOf)).toEqual(full.filter((o) => o.kind !== CRD).map(refOf));
    expect(withoutCrds).toEqual(full.filter((o) => o.kind !== CRD));
    // No namespace controller runs here: the harness finalizes the deleted Namespace in its place.
    const out = await finalizingNamespaces([admin], () => runReadme('uninstall-raw'));
    const deleted = (o: KubeObject) => `${o.kind.toLowerCase()}${o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : ''} "${o.metadata.name}" deleted`;
    for (const o of withoutCrds) expect(out).toContain(deleted(o));
    expect(out).not.toContain('customresourcedefinition');
    expect(await metadataOf(withoutCrds, 'uid')).toEqual(Object.fromEntries(withoutCrds.map((o) => [refOf(o), undefined])));
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    expect(await metadataOf(from, 'uid')).toEqual(crUids);

    // Removing the CRDs on purpose: the custom resources first, then the CRDs.
    for (const o of from) await admin.delete(o.apiVersion, o.kind, o.metadata.name, NS);
    const removed = await runReadme('remove-crds');
    for (const name of TOOLHIVE_CRD_NAMES) expect(removed).toContain(`customresourcedefinition.apiextensions.k8s.io "${name}" deleted`);
    await waitFor('the ToolHive CRDs to be gone', 60_000, async () => ((await liveCrds()).every((c) => c === undefined) ? true : undefined));
    const left = ((await admin.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).items as any[])
      .filter((c) => c.spec.group === TOOLHIVE_API_GROUP);
    expect(left).toEqual([]);
    crdUids.clear();
  });

  test(`Helm: the CRD chart installed at ${FROM} and upgraded to ${TO} by helm (a user's existing install), with custom resources`, async () => {
    await cluster.ensureNamespaces([OPERATOR_NS]);
    helm.release('install', crdsRelease(FROM));
    await waitEstablished(admin, crdRefs, 60_000);
    await applyCustomResources(from);
    helm.release('upgrade', crdsRelease(TO));
    await waitEstablished(admin, crdRefs, 60_000);
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['helm Update'] });
    for (const live of await liveCrds()) expect([live.metadata.name, helmOwnershipOf(live)]).toEqual([live.metadata.name, HELM_OWNERSHIP]);
    crUids = await metadataOf(from, 'uid');
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator-crds toolhive-operator-crds-${TO} deployed 2`]);
  });

  /** The raw CRDs of {@link TO} (delivery 'manifests'), written to {@link work}/crds.yaml as the README's block expects. */
  function writeRawCrds(): KubeObject[] {
    const d = planOperatorInstall({ version: TO, crds: { source: crdSource(TO) } }).deliverables.find((x) => x.id === OPERATOR_DELIVERABLES.crds)!;
    if (d.type !== 'manifests') throw new Error(`the CRDs are a ${d.type}`);
    fs.writeFileSync(path.join(work, 'crds.yaml'), d.objects.map((o) => stringify(o)).join('---\n'));
    return [...d.objects];
  }

  /** After a move to raw: the CRDs are what a raw install leaves (one manager, the planned labels and annotations), custom resources kept. */
  async function expectRaw(planned: readonly KubeObject[]): Promise<void> {
    expect(helm.list(OPERATOR_NS)).toEqual([]);
    await expectCrdsAt(admin, TO, { planned, uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) {
      const p = planned.find((c) => c.metadata.name === live.metadata.name)!;
      expect([live.metadata.name, helmOwnershipOf(live), live.metadata.labels, live.metadata.annotations])
        .toEqual([live.metadata.name, NO_HELM_OWNERSHIP, p.metadata.labels, p.metadata.annotations]);
    }
    expect(await metadataOf(from, 'uid')).toEqual(crUids);
    expect(await readBackProblems(admin, from, TO)).toEqual([]);
  }
  /** After a move to Helm: a release of revision 1 owns the CRDs, custom resources kept. */
  async function expectHelm(managers: string[]): Promise<void> {
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator-crds toolhive-operator-crds-${TO} deployed 1`]);
    await expectCrdsAt(admin, TO, { uids: crdUids, managers });
    for (const live of await liveCrds()) expect([live.metadata.name, helmOwnershipOf(live)]).toEqual([live.metadata.name, HELM_OWNERSHIP]);
    expect(await metadataOf(from, 'uid')).toEqual(crUids);
  }

  test('crds-helm-to-raw: from Helm\'s install to the raw CRDs alone; helm keeps the CRDs on uninstall and its managedFields entry goes', async () => {
    const planned = writeRawCrds();
    const out = await runReadme('crds-helm-to-raw');
    expect(out).toContain('These resources were kept due to the resource policy:');
    await expectRaw(planned);
  });

  test('crds-raw-to-helm: helm --take-ownership adopts the raw CRDs; back to raw by the same block', async () => {
    await runReadme('crds-raw-to-helm', [localCrdsChart()]);
    await expectHelm(['helm Update', `${FIELD_MANAGER} Apply`]);
    const planned = writeRawCrds();
    await runReadme('crds-helm-to-raw');
    await expectRaw(planned);
  });

  test('crds-raw-to-helm-by-hand: helm refuses the raw CRDs until the label and two annotations are set, then adopts them', async () => {
    const refusal = helm.refusal(helm.releaseArgs('upgrade --install', crdsRelease(TO)));
    expect(refusal).toContain('invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"');
    await runReadme('crds-raw-to-helm-by-hand', [localCrdsChart()]);
    await expectHelm(['kubectl-annotate Update', 'kubectl-label Update', `${FIELD_MANAGER} Apply`]);
  });
});

describe('the README\'s apply command, as written, on a writer folder: server-side, in order, the namespaces first', () => {
  let cluster: TestCluster;
  let admin: KubeClient;
  let shell: { work: string; env: NodeJS.ProcessEnv };
  /** The cluster's custom resources: one of every kind, in the team namespace. */
  const customResources = everyKind(NS, false);
  const kinds = new Set(customResources.map((o) => o.kind));

  beforeAll(async () => {
    cluster = await TestCluster.start('readme-apply');
    admin = cluster.admin;
    shell = shellFor(cluster);
    const plan = planPlatform({
      edition: 'open-source',
      clusters: { 'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces([NS]), customResources, crds: { source: crdSource(TO) } } } },
    });
    writeManifests(plan, path.join(shell.work, 'clusters'));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Every object of the folder, as kustomize builds it (the built kubectl). */
  async function folderObjects(): Promise<KubeObject[]> {
    const built = await bash('kubectl kustomize clusters/eu-west', shell);
    expect(built.code).toBe(0);
    return parseAllDocuments(built.out).map((d) => d.toJSON()).filter(Boolean);
  }
  const apply = () => bash(readmeShell('apply-writer').code, shell);

  test('client-side apply is refused for the size of the virtualmcpservers CRD (server dry run: nothing stored)', async () => {
    const { out, code } = await bash('kubectl apply --dry-run=server -k clusters/eu-west', shell);
    expect(code).not.toBe(0);
    expect(out).toMatch(/CustomResourceDefinition.apiextensions.k8s.io "virtualmcpservers.toolhive.stacklok.dev" is invalid: metadata.annotations: Too long: (may not be more than|must have at most) 262144 bytes/);
    expect(await admin.get(CRD_API, CRD, `virtualmcpservers.${TOOLHIVE_API_GROUP}`)).toBeUndefined();
  });

  test('the first apply: the team namespace must exist, and custom resources wait for their CRDs; the second applies everything', async () => {
    const first = await apply();
    expect(first.code).not.toBe(0);
    expect(first.out).toContain(`namespaces "${NS}" not found`);
    expect(first.out).toContain('ensure CRDs are installed first');
    for (const name of TOOLHIVE_CRD_NAMES) expect(first.out).toContain(`customresourcedefinition.apiextensions.k8s.io/${name} serverside-applied`);

    await cluster.ensureNamespaces([NS]); // as the team would
    await waitEstablished(admin, TOOLHIVE_CRD_NAMES.map((name) => ({ apiVersion: CRD_API, kind: CRD, metadata: { name } })), 60_000);
    const second = await apply();
    expect([second.code, second.out]).toEqual([0, expect.any(String)]);
    const objects = await folderObjects();
    expect(objects.filter((o) => kinds.has(o.kind)).map(refOf).sort()).toEqual(customResources.map(refOf).sort());
    for (const o of objects) {
      const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      expect([refOf(o), live !== undefined]).toEqual([refOf(o), true]);
      expect([refOf(o), (live.metadata.managedFields ?? []).filter((m: any) => !m.subresource).map((m: any) => `${m.manager} ${m.operation}`)])
        .toEqual([refOf(o), [`${FIELD_MANAGER} Apply`]]);
    }
  });

  test('applied again, nothing changes', async () => {
    const objects = await folderObjects();
    const versions = async () => Promise.all(objects.map(async (o) => `${refOf(o)} ${(await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)).metadata.resourceVersion}`));
    const before = await versions();
    const again = await apply();
    expect(again.code).toBe(0);
    expect(await versions()).toEqual(before);
  });
});
