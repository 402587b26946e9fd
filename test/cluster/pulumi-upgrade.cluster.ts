/*
 * An operator upgrade under the real Pulumi engine (CLI, Node.js language host and Kubernetes
 * provider built by tools/build.sh), against a real kube-apiserver: a stack with one
 * ToolhiveOperator (raw manifests, cluster scope; the program in ./pulumi-upgrade) at the
 * oldest supported release is brought up, then `pulumi config set toolhiveVersion` moves it
 * to the newest and `pulumi up --json` runs again. The engine's steps for that up must update
 * in place what changed between the releases' plans and leave the rest as it is: no CRD
 * replaced or deleted, the operator Deployment updated (not replaced), nothing created or
 * deleted. The API server then has the same objects (same uids), the CRDs serving the newest
 * release's versions and schemas, and the operator at the newest image; a preview plans no
 * change; destroy keeps the (upgraded) CRDs and removes everything else.
 */
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { TestCluster } from './harness/cluster';
import { KubeClient } from './harness/kube-client';
import { EngineStep, ensureLibBuilt, finalizingNamespaces, lifecycle, PulumiStack, StateResource, ObjectRef as Ref, refKey as key } from './harness/pulumi';
import { crdSource } from './harness/stacks';
import { isObjectsDeliverable, KubeObject, planOperatorInstall, RbacScope } from '../../src';

/** The releases upgraded from and to (the oldest and the newest the library supports). */
const FROM = '0.44.0';
const TO = '0.66.0';
/** The program's ToolhiveOperator (its name is the plan's cluster name). */
const COMPONENT = 'upgrade';
const OPERATOR_IMAGE = 'ghcr.io/stacklok/toolhive/operator';

const refOf = (o: KubeObject): Ref => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
const isCrd = (r: { kind: string }) => r.kind === 'CustomResourceDefinition';
const CRD_TYPE = 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition';
const DEPLOYMENT_TYPE = 'kubernetes:apps/v1:Deployment';
/** The ops of steps that replace or delete a resource (a replacement is `replace` plus its create and delete steps). */
const DESTRUCTIVE_OPS = ['replace', 'create-replacement', 'delete-replaced', 'discard-replaced', 'delete', 'discard', 'import-replacement'];

/** The objects the program's ToolhiveOperator renders at `version`, by key (as the component plans them). */
function planned(version: string): Map<string, KubeObject> {
  const plan = planOperatorInstall({ version, rbac: RbacScope.cluster(), crds: { source: crdSource(version) } }, { delivery: 'manifests', cluster: COMPONENT });
  const objects = plan.deliverables.flatMap((d) => (isObjectsDeliverable(d) ? [...d.objects] : []));
  return new Map(objects.map((o) => [key(refOf(o)), o]));
}

/** The Kubernetes objects of a stack's state, by URN. */
function objectsByUrn(resources: readonly StateResource[]): Map<string, Ref> {
  return new Map(resources
    .filter((r) => r.custom && r.type.startsWith('kubernetes:') && r.outputs?.metadata?.name)
    .map((r) => [r.urn, {
      apiVersion: r.outputs!.apiVersion, kind: r.outputs!.kind, name: r.outputs!.metadata.name, namespace: r.outputs!.metadata.namespace,
    }]));
}

/** The uid of each object in the API (key -> uid; absent objects are left out). */
async function liveUids(client: KubeClient, refs: Iterable<Ref>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of refs) {
    const live = await client.get(r.apiVersion, r.kind, r.name, r.namespace);
    if (live) out.set(key(r), live.metadata.uid);
  }
  return out;
}

/** `name served storage` of every version a CRD declares. */
const versionsOf = (crd: any): string[] => crd.spec.versions.map((v: any) => `${v.name} served=${v.served} storage=${v.storage}`);
/** The schema of a version of a CRD. */
const schemaOf = (crd: any, version: string): any => crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;
/** The MCPServer v1beta1 spec has `proxyReadTimeout` (added after the oldest release). */
const hasProxyReadTimeout = (crd: any): boolean => schemaOf(crd, 'v1beta1')?.properties?.spec?.properties?.proxyReadTimeout !== undefined;

/**
 * Each CRD of `version` in the API: Established, serving and storing the versions its file
 * declares, with the file's schemas. Returns the problems (empty: all as planned).
 */
async function crdProblems(client: KubeClient, version: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [k, crd] of [...planned(version)].filter(([, o]) => isCrd(o))) {
    const live = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd.metadata.name);
    if (!live) {
      problems.push(`${k}: absent`);
      continue;
    }
    if (live.status?.conditions?.find((c: any) => c.type === 'Established')?.status !== 'True') problems.push(`${k}: not Established`);
    if (!isDeepStrictEqual(versionsOf(live), versionsOf(crd))) problems.push(`${k}: versions ${versionsOf(live).join(', ')}, planned ${versionsOf(crd).join(', ')}`);
    for (const v of (crd as any).spec.versions) {
      if (!isDeepStrictEqual(schemaOf(live, v.name), schemaOf(crd, v.name))) problems.push(`${k}: the ${v.name} schema is not ToolHive ${version}'s`);
    }
  }
  return problems;
}

describe(`a ToolhiveOperator stack upgraded from ToolHive ${FROM} to ${TO} under the real Pulumi engine`, () => {
  const step = lifecycle();
  let cluster: TestCluster;
  let stack: PulumiStack;
  const from = planned(FROM);
  const to = planned(TO);
  /** The state's objects after the first up (URN -> object) and their uids in the API then. */
  let firstObjects = new Map<string, Ref>();
  let firstUids = new Map<string, string>();
  let upgradeSteps: EngineStep[] = [];

  beforeAll(async () => {
    ensureLibBuilt();
    cluster = await TestCluster.start('pulumi-upgrade');
    stack = PulumiStack.fromProgram(path.join(__dirname, 'pulumi-upgrade'), 'upgrade');
    stack.setConfig('kubeconfig', cluster.kubeconfig(), { secret: true });
  });
  afterAll(async () => {
    await cluster?.stop();
    stack?.remove();
  });

  test('the releases differ where the test looks: the same objects, changed CRDs and Deployment, proxyReadTimeout only in the newer MCPServer CRD', () => {
    expect([...to.keys()].sort()).toEqual([...from.keys()].sort());
    const changed = [...to.keys()].filter((k) => !isDeepStrictEqual(from.get(k), to.get(k)));
    expect(changed).toEqual(expect.arrayContaining(['Deployment toolhive-system/toolhive-operator', 'CustomResourceDefinition mcpservers.toolhive.stacklok.dev']));
    const mcpServers = (plan: Map<string, KubeObject>) => plan.get('CustomResourceDefinition mcpservers.toolhive.stacklok.dev');
    expect([hasProxyReadTimeout(mcpServers(from)), hasProxyReadTimeout(mcpServers(to))]).toEqual([false, true]);
  });

  step(`up at ${FROM}: every planned object, the CRDs serving ${FROM}'s schemas, the operator at v${FROM}`, async () => {
    stack.setConfig('toolhiveVersion', FROM);
    await stack.up();
    firstObjects = objectsByUrn(stack.resources());
    expect([...firstObjects.values()].map(key).sort()).toEqual([...from.keys()].sort());
    firstUids = await liveUids(cluster.admin, firstObjects.values());
    expect([...firstUids.keys()].sort()).toEqual([...from.keys()].sort());
    expect(await crdProblems(cluster.admin, FROM)).toEqual([]);
    const deployment = await cluster.admin.get('apps/v1', 'Deployment', 'toolhive-operator', 'toolhive-system');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.image)).toEqual([`${OPERATOR_IMAGE}:v${FROM}`]);
    expect(stack.outputs()).toEqual({ namespace: 'toolhive-system', toolhiveVersion: FROM });
  });

  step(`toolhiveVersion ${TO}: preview, then up; each object updated in place where the releases' plans differ, the same elsewhere; nothing `
    + 'replaced, created or deleted', async () => {
    stack.setConfig('toolhiveVersion', TO);
    const previewed = await stack.previewSteps();
    upgradeSteps = await stack.upSteps();
    const after = objectsByUrn(stack.resources());
    // The same resources before and after (no URN gone, none new).
    expect([...after.keys()].sort()).toEqual([...firstObjects.keys()].sort());
    // For each object, `update` where the releases' plans differ, `same` elsewhere.
    const expected = new Map<string, string>();
    for (const [urn, ref] of after) expected.set(urn, isDeepStrictEqual(from.get(key(ref)), to.get(key(ref))) ? 'same' : 'update');
    const listed = (ops: Iterable<[string, string]>) => [...ops].map(([urn, op]) => `${op} ${key(after.get(urn)!)}`).sort();
    // The plan a user reviews, then what the engine did: the same steps.
    for (const [what, steps] of [['preview', previewed], ['up', upgradeSteps]] as const) {
      // Nothing replaced or deleted, no property that would force a replacement.
      const destructive = steps.filter((s) => DESTRUCTIVE_OPS.includes(s.op) || s.keys.length > 0 || Object.values(s.detailedDiff).some((k) => k.endsWith('-replace')));
      expect([what, destructive.map((s) => `${s.op} ${s.urn}`)]).toEqual([what, []]);
      // One step per resource.
      const urns = steps.map((s) => s.urn);
      expect([what, urns.filter((u, i) => urns.indexOf(u) !== i)]).toEqual([what, []]);
      expect([what, listed(steps.filter((s) => after.has(s.urn)).map((s) => [s.urn, s.op]))]).toEqual([what, listed(expected)]);
      // The stack, the provider and the components: no change of their own.
      expect([what, steps.filter((s) => !after.has(s.urn)).map((s) => `${s.op} ${s.type}`).sort()]).toEqual([what, [
        'same kubernetes:yaml/v2:ConfigGroup', 'same kubernetes:yaml/v2:ConfigGroup', 'same kubernetes:yaml/v2:ConfigGroup',
        'same pulumi:providers:kubernetes', 'same pulumi:pulumi:Stack', 'same toolhive-constructs:index:ToolhiveOperator',
      ]]);
      // What the upgrade is about: the CRDs updated or left as they are (the MCPServer one updated,
      // adding spec.proxyReadTimeout), the operator's image updated in place.
      const crdOps = steps.filter((s) => s.type === CRD_TYPE).map((s) => s.op);
      expect([what, crdOps.length, crdOps.filter((op) => op !== 'update' && op !== 'same')]).toEqual([what, 14, []]);
      const mcpServers = steps.filter((s) => s.type === CRD_TYPE && after.get(s.urn)?.name === 'mcpservers.toolhive.stacklok.dev');
      expect([what, mcpServers.map((s) => [s.op, s.detailedDiff['spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.proxyReadTimeout']])])
        .toEqual([what, [['update', 'add']]]);
      const deployment = steps.filter((s) => s.type === DEPLOYMENT_TYPE);
      expect([what, deployment.map((s) => [s.op, s.detailedDiff['spec.template.spec.containers[0].image']])]).toEqual([what, [['update', 'update']]]);
    }
  });

  step(`after the upgrade: the same objects (same uids), the CRDs serving ${TO}'s versions and schemas, the operator at v${TO}`, async () => {
    const uids = await liveUids(cluster.admin, firstObjects.values());
    expect([...uids].sort()).toEqual([...firstUids].sort());
    expect(await crdProblems(cluster.admin, TO)).toEqual([]);
    const mcpServers = await cluster.admin.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'mcpservers.toolhive.stacklok.dev');
    expect(hasProxyReadTimeout(mcpServers)).toBe(true);
    const deployment = await cluster.admin.get('apps/v1', 'Deployment', 'toolhive-operator', 'toolhive-system');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.image)).toEqual([`${OPERATOR_IMAGE}:v${TO}`]);
    expect(stack.outputs()).toEqual({ namespace: 'toolhive-system', toolhiveVersion: TO });
  });

  step('preview after the upgrade plans no change', async () => {
    await stack.previewNoChanges();
  });

  step(`destroy removes everything but the CRDs, which stay at ${TO} with their uids`, async () => {
    await finalizingNamespaces([cluster.admin], () => stack.destroy());
    const refs = [...firstObjects.values()];
    const left = await liveUids(cluster.admin, refs);
    expect([...left.keys()].filter((k) => !k.startsWith('CustomResourceDefinition ')).sort()).toEqual([]);
    expect([...left].sort()).toEqual([...firstUids].filter(([k]) => k.startsWith('CustomResourceDefinition ')).sort());
    expect(left.size).toBe(14);
    expect(await crdProblems(cluster.admin, TO)).toEqual([]);
    expect(stack.resources().filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });
});
