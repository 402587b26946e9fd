/*
 * Every stack's raw manifests, applied to a real kube-apiserver (RBAC, real admission, CRD
 * structural schemas and CEL rules) with server-side apply, in plan order, on a fresh cluster.
 */
import { TestCluster } from './harness/cluster';
import { KubeError, refOf } from './harness/kube-client';
import { mcpServer } from './harness/operator';
import { allStacks, applyStack, dryRunChanges, requiredNamespaces, Stack } from './harness/stacks';

const stacks = allStacks();

describe.each(stacks.map((s) => [s.name, s] as [string, Stack]))('%s', (_name, stack) => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start('manifests');
    await cluster.ensureNamespaces(requiredNamespaces(stack));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('every object is accepted by server-side apply in plan order; every CRD becomes Established', async () => {
    const crdIndexes = stack.objects.map((o, i) => (o.kind === 'CustomResourceDefinition' ? i : -1)).filter((i) => i >= 0);
    const firstNonCrdAfterCrds = stack.objects.findIndex((o, i) => i > Math.min(...crdIndexes) && o.kind !== 'CustomResourceDefinition');
    // Plan order: the CRDs form one run before the objects that follow them.
    expect(crdIndexes.length).toBe(14);
    expect(firstNonCrdAfterCrds).toBe(Math.max(...crdIndexes) + 1);

    const report = await applyStack(cluster.admin, stack.objects);
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(stack.objects.map(refOf));
    expect(report.crds).toHaveLength(14);

    // Every object is in the cluster, under the name and namespace it was rendered with.
    for (const obj of stack.objects) {
      const live = await cluster.admin.get(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace);
      expect(live ? refOf({ ...live, apiVersion: obj.apiVersion, kind: obj.kind }) : `missing: ${refOf(obj)}`).toBe(refOf(obj));
    }
  });

  test('a second server-side apply (dry run) changes nothing', async () => {
    expect(await dryRunChanges(cluster.admin, stack.objects)).toEqual([]);
  });

  test('custom resources are checked by the installed CRDs: schema and CEL rules', async () => {
    const ns = 'team-a';
    await cluster.ensureNamespaces([ns]);
    // A valid MCPServer is accepted, and re-applying it changes nothing.
    const valid = mcpServer('fetch', ns);
    await cluster.admin.apply(valid);
    expect(await dryRunChanges(cluster.admin, [valid])).toEqual([]);

    const refusal = async (obj: any): Promise<string> => {
      try {
        await cluster.admin.apply(obj, { dryRun: true });
        return 'accepted';
      } catch (e) {
        if (e instanceof KubeError) return `${e.status} ${e.message}`;
        throw e;
      }
    };
    // A CEL rule of the MCPServer CRD (x-kubernetes-validations): redis session storage needs an address.
    const cel = mcpServer('no-redis-address', ns);
    (cel as any).spec.sessionStorage = { provider: 'redis' };
    expect(await refusal(cel)).toMatch(/^422 .*address is required/);
    // The structural schema: unknown fields are refused, not dropped.
    const unknown = mcpServer('unknown-field', ns);
    (unknown as any).spec.notAField = true;
    expect(await refusal(unknown)).toMatch(/^(400|422) .*notAField/);
  });
});
