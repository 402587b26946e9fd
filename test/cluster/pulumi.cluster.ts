/*
 * The Pulumi examples under the real Pulumi engine (CLI, Node.js language host and Kubernetes
 * provider built from Go sources by tools/build.sh), against real kube-apiservers: the
 * operator stack (examples/pulumi-mcp-workloads: namespace mode, custom resources) on one API
 * server, the platform stack (examples/pulumi-multi-cluster) on one API server per cluster,
 * each through its own kubernetes.Provider. For each: up; preview without changes; an RBAC
 * scope move and back, each leaving no stale binding and no change to preview; destroy (the
 * CRDs stay, everything else goes); up again over the kept CRDs, which then have one Apply
 * manager.
 */
import { TestCluster } from './harness/cluster';
import { KubeClient } from './harness/kube-client';
import { ensureLibBuilt, finalizingNamespaces, lifecycle, PulumiStack, StateResource, stateObjects, ObjectRef as Ref, refKey as key } from './harness/pulumi';
import { crdSource } from './harness/stacks';
import { teamWorkloads } from '../../examples/cdk8s-mcp-workloads/workloads';
import { KubeObject, planOperatorInstall, RbacScope, RETAINED_FIELD_MANAGER, ToolhiveOperatorOptions } from '../../src';

const keyOf = (o: KubeObject) => key({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
const isCrd = (r: { kind: string }) => r.kind === 'CustomResourceDefinition';
const isRbac = (r: { apiVersion: string }) => r.apiVersion.startsWith('rbac.authorization.k8s.io/');

/** The objects an operator install renders (the core's plan, as the component delivers it). */
function planned(options: ToolhiveOperatorOptions): KubeObject[] {
  return planOperatorInstall({ crds: { source: crdSource() }, ...options }).deliverables.flatMap((d) => ('objects' in d ? [...d.objects] : []));
}

async function exists(client: KubeClient, r: Ref): Promise<boolean> {
  return (await client.get(r.apiVersion, r.kind, r.name, r.namespace)) !== undefined;
}

/** The refs among `refs` that are not in the API (present: false) or that are (present: true). */
async function filterPresent(client: KubeClient, refs: readonly Ref[], present: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const r of refs) if ((await exists(client, r)) === present) out.push(key(r));
  return out.sort();
}

/** The Apply managers of each CRD in the API (name -> managers). */
async function crdApplyManagers(client: KubeClient): Promise<Record<string, string[]>> {
  const crds = await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  return Object.fromEntries(crds.filter((c) => c.spec.group === 'toolhive.stacklok.dev').map((c) => [
    c.metadata.name,
    (c.metadata.managedFields ?? []).filter((f: any) => f.operation === 'Apply').map((f: any) => f.manager).sort(),
  ]));
}

/** The objects of each kind group, by resourceVersion: one group's last write comes before the next group's first. */
async function resourceVersions(client: KubeClient, refs: readonly Ref[]): Promise<number[]> {
  const out: number[] = [];
  for (const r of refs) out.push(Number((await client.get(r.apiVersion, r.kind, r.name, r.namespace)).metadata.resourceVersion));
  return out;
}

describe('examples/pulumi-mcp-workloads under the real Pulumi engine', () => {
  const step = lifecycle();
  let cluster: TestCluster;
  let stack: PulumiStack;
  let firstUp: StateResource[] = [];
  const workloads = teamWorkloads('research');
  const namespaceMode = planned({ rbac: RbacScope.namespaces(['research']), customResources: workloads });
  const clusterMode = planned({ rbac: RbacScope.cluster(), customResources: workloads });

  beforeAll(async () => {
    ensureLibBuilt();
    cluster = await TestCluster.start('pulumi-operator');
    // The team's namespace exists before the operator is installed for it (as the README says).
    await cluster.ensureNamespaces(['research']);
    stack = PulumiStack.create('pulumi-mcp-workloads', 'operator');
    stack.setConfig('kubeconfig', cluster.kubeconfig(), { secret: true });
  });
  afterAll(async () => {
    await cluster?.stop();
    stack?.remove();
  });

  step('up creates every planned object, in apply order: namespace, CRDs (Established), operator, custom resources', async () => {
    await stack.up();
    firstUp = stack.resources();
    const created = stateObjects(firstUp);
    expect(created.map(key).sort()).toEqual(namespaceMode.map(keyOf).sort());
    expect(await filterPresent(cluster.admin, created, false)).toEqual([]);
    // Apply order, as the API server's resourceVersions record it (one etcd, one sequence).
    const groups = [
      namespaceMode.filter((o) => o.kind === 'Namespace'),
      namespaceMode.filter(isCrd),
      namespaceMode.filter((o) => o.kind !== 'Namespace' && !isCrd(o) && !o.apiVersion.startsWith('toolhive.stacklok.dev/')),
      namespaceMode.filter((o) => o.apiVersion.startsWith('toolhive.stacklok.dev/')),
    ].map((g) => g.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })));
    const versions = await Promise.all(groups.map((g) => resourceVersions(cluster.admin, g)));
    for (let i = 1; i < versions.length; i++) expect(Math.max(...versions[i - 1])).toBeLessThan(Math.min(...versions[i]));
    for (const crd of await cluster.admin.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')) {
      expect([crd.metadata.name, crd.status.conditions.find((c: any) => c.type === 'Established')?.status]).toEqual([crd.metadata.name, 'True']);
    }
    // The CRDs are kept on delete; nothing else is.
    const retained = firstUp.filter((r) => r.retainOnDelete).map((r) => r.type);
    expect(new Set(retained)).toEqual(new Set(['kubernetes:yaml/v2:ConfigGroup', 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition']));
    expect(retained.filter((t) => t.endsWith('CustomResourceDefinition'))).toHaveLength(14);
    expect(stack.outputs().namespace).toBe('toolhive-system');
  });

  step('preview after up plans no change', async () => {
    await stack.previewNoChanges();
  });

  step('moving to cluster scope leaves no namespace binding; preview plans no change', async () => {
    stack.setConfig('rbacScope', 'cluster');
    await stack.up();
    const stale = namespaceMode.filter((o) => isRbac(o) && !clusterMode.some((c) => keyOf(c) === keyOf(o)));
    expect(stale.length).toBeGreaterThan(0);
    expect(await filterPresent(cluster.admin, stale.map(toRef), true)).toEqual([]);
    expect(await filterPresent(cluster.admin, clusterMode.filter(isRbac).map(toRef), false)).toEqual([]);
    await stack.previewNoChanges();
  });

  step('moving back to namespace scope leaves no ClusterRoleBinding of cluster scope; preview plans no change', async () => {
    stack.cli(['config', 'rm', 'rbacScope']);
    await stack.up();
    const stale = clusterMode.filter((o) => isRbac(o) && !namespaceMode.some((c) => keyOf(c) === keyOf(o)));
    expect(stale.map(keyOf)).toEqual(expect.arrayContaining([expect.stringMatching(/^ClusterRoleBinding /)]));
    expect(await filterPresent(cluster.admin, stale.map(toRef), true)).toEqual([]);
    expect(await filterPresent(cluster.admin, namespaceMode.filter(isRbac).map(toRef), false)).toEqual([]);
    await stack.previewNoChanges();
  });

  step('destroy removes everything but the CRDs', async () => {
    await finalizingNamespaces([cluster.admin], () => stack.destroy());
    const created = stateObjects(firstUp);
    expect(await filterPresent(cluster.admin, created.filter((r) => !isCrd(r)), true)).toEqual([]);
    expect(await filterPresent(cluster.admin, created.filter(isCrd), false)).toEqual([]);
    expect(created.filter(isCrd)).toHaveLength(14);
    expect(stack.resources().filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  step('up again over the kept CRDs: adopted, one Apply manager each (the plan\'s), preview plans no change', async () => {
    await stack.up();
    expect(await filterPresent(cluster.admin, stateObjects(stack.resources()), false)).toEqual([]);
    const managers = await crdApplyManagers(cluster.admin);
    expect(Object.keys(managers)).toHaveLength(14);
    for (const [name, list] of Object.entries(managers)) expect([name, list]).toEqual([name, [RETAINED_FIELD_MANAGER]]);
    await stack.previewNoChanges();
  });

  step('bad input is one error on the component (a ResourceError): every problem with its path, no stack trace, nothing changed', async () => {
    const before = stack.resources().length;
    stack.setConfig('rbacScope', 'everywhere');
    const result = await stack.run(['preview']);
    stack.cli(['config', 'rm', 'rbacScope']);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code).not.toBe(0);
    expect(output).toMatch(/toolhive-constructs:index:ToolhiveOperator \(research\):\s*\n\s*error: Invalid ToolhiveOperator "research" \(1 problem\):/);
    expect(output).toMatch(/- operator\.rbac\.scope: /);
    expect(output).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
    expect(output).not.toMatch(/TypeError|unhandled exception/i);
    expect(stack.resources()).toHaveLength(before);
  });
});

describe('examples/pulumi-multi-cluster under the real Pulumi engine: one API server and one provider per cluster', () => {
  const step = lifecycle();
  /** The workload clusters' team namespaces, which exist before the platform is installed (as the README says). */
  const TEAMS: Record<string, string[]> = { 'eu-west': ['payments', 'search'], 'us-east': ['checkout', 'search'] };
  const NAMES = ['control', 'eu-west', 'us-east', 'staging', 'dev'];
  const clusters = new Map<string, TestCluster>();
  let stack: PulumiStack;
  let firstUp: StateResource[] = [];
  const rbacOf = (cluster: string, scope: 'cluster' | 'namespace') => planned({ rbac: scope === 'cluster' ? RbacScope.cluster() : RbacScope.namespaces(TEAMS[cluster]) })
    .filter(isRbac).map(toRef);
  const api = (name: string) => clusters.get(name)!.admin;

  /** The objects of the state, by the cluster of their provider. */
  const byCluster = (resources: readonly StateResource[]) => {
    const out = new Map<string, Ref[]>(NAMES.map((n) => [n, []]));
    for (const r of resources.filter((x) => x.custom && x.type.startsWith('kubernetes:') && x.outputs?.metadata?.name && !x.type.startsWith('kubernetes:helm.sh'))) {
      const cluster = /::([^:]+)::[^:]+$/.exec(r.provider ?? '')?.[1] ?? '';
      if (!out.has(cluster)) throw new Error(`${r.urn}: provider ${r.provider} is not one of the clusters' providers`);
      out.get(cluster)!.push(...stateObjects([r]));
    }
    return out;
  };

  beforeAll(async () => {
    ensureLibBuilt();
    for (const [name, c] of await Promise.all(NAMES.map(async (n) => [n, await TestCluster.start(`pulumi-${n}`)] as const))) clusters.set(name, c);
    for (const [name, teams] of Object.entries(TEAMS)) await clusters.get(name)!.ensureNamespaces(teams);
    stack = PulumiStack.create('pulumi-multi-cluster', 'platform');
    for (const name of NAMES) stack.setConfig(`kubeconfig-${name}`, clusters.get(name)!.kubeconfig(), { secret: true });
  });
  afterAll(async () => {
    await Promise.all([...clusters.values()].map((c) => c.stop()));
    stack?.remove();
  });

  step('up: each cluster\'s objects in its own API server only (CRDs and operator on the workload clusters, a Registry Server elsewhere)', async () => {
    await stack.up();
    firstUp = stack.resources();
    const objects = byCluster(firstUp);
    for (const name of NAMES) {
      const mine = objects.get(name)!;
      expect([name, mine.length > 0]).toEqual([name, true]);
      expect([name, await filterPresent(api(name), mine, false)]).toEqual([name, []]);
      const kinds = new Set(mine.map((r) => r.kind));
      const workload = name in TEAMS;
      expect([name, mine.filter(isCrd).length, kinds.has('Deployment')]).toEqual([name, workload ? 14 : 0, true]);
      expect((await api(name).list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).length).toBe(workload ? 14 : 0);
      // Another cluster's objects are not here (the ones no two clusters share).
      for (const other of NAMES.filter((n) => n !== name)) {
        const foreign = objects.get(other)!.filter((r) => !mine.some((m) => key(m) === key(r)));
        expect([name, other, await filterPresent(api(name), foreign, true)]).toEqual([name, other, []]);
      }
    }
    expect(stack.outputs().clusters).toEqual([...NAMES].sort());
  });

  step('preview after up plans no change', async () => {
    await stack.previewNoChanges();
  });

  step('moving the workload clusters to cluster scope and back leaves no stale binding; preview plans no change after each', async () => {
    for (const [scope, other] of [['cluster', 'namespace'], ['namespace', 'cluster']] as const) {
      if (scope === 'cluster') stack.setConfig('rbacScope', 'cluster');
      else stack.cli(['config', 'rm', 'rbacScope']);
      await stack.up();
      for (const name of Object.keys(TEAMS)) {
        const now = rbacOf(name, scope);
        const stale = rbacOf(name, other).filter((r) => !now.some((n) => key(n) === key(r)));
        expect([name, scope, stale.length > 0]).toEqual([name, scope, true]);
        expect([name, scope, await filterPresent(api(name), stale, true)]).toEqual([name, scope, []]);
        expect([name, scope, await filterPresent(api(name), now, false)]).toEqual([name, scope, []]);
      }
      await stack.previewNoChanges();
    }
  });

  step('destroy removes everything but the workload clusters\' CRDs', async () => {
    await finalizingNamespaces([...clusters.values()].map((c) => c.admin), () => stack.destroy());
    for (const [name, objects] of byCluster(firstUp)) {
      expect([name, await filterPresent(api(name), objects.filter((r) => !isCrd(r)), true)]).toEqual([name, []]);
      expect([name, await filterPresent(api(name), objects.filter(isCrd), false)]).toEqual([name, []]);
    }
    expect(stack.resources().filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  });

  step('up again over the kept CRDs: one Apply manager each; preview plans no change', async () => {
    await stack.up();
    for (const [name, objects] of byCluster(stack.resources())) expect([name, await filterPresent(api(name), objects, false)]).toEqual([name, []]);
    for (const name of Object.keys(TEAMS)) {
      const managers = await crdApplyManagers(api(name));
      expect(Object.keys(managers)).toHaveLength(14);
      for (const [crd, list] of Object.entries(managers)) expect([name, crd, list]).toEqual([name, crd, [RETAINED_FIELD_MANAGER]]);
    }
    await stack.previewNoChanges();
  });
});

function toRef(o: KubeObject): Ref {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
}
