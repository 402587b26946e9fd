/*
 * Every stack's raw manifests, applied to a real kube-apiserver (RBAC, real admission, CRD
 * structural schemas and CEL rules) with server-side apply, in plan order, on a fresh cluster.
 */
import { TestCluster } from './harness/cluster';
import { refOf } from './harness/kube-client';
import { mcpServer } from './harness/operator';
import { allStacks, ApplyReport, applyStack, dryRunChanges, dryRunRefusal, requiredNamespaces, Stack } from './harness/stacks';

const stacks = allStacks();

describe.each(stacks.map((s) => [s.name, s] as [string, Stack]))('%s', (_name, stack) => {
  let cluster: TestCluster;
  // Applied once, by the first test that needs it (so each test also runs on its own, with -t).
  let applied: Promise<ApplyReport> | undefined;
  const apply = () => (applied ??= applyStack(cluster.admin, stack.objects));
  const hasCrds = stack.objects.some((o) => o.kind === 'CustomResourceDefinition');

  beforeAll(async () => {
    cluster = await TestCluster.start('manifests');
    await cluster.ensureNamespaces(requiredNamespaces(stack));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('every object is accepted by server-side apply in plan order; every CRD becomes Established', async () => {
    const kinds = stack.objects.map((o) => o.kind);
    if (hasCrds) {
      // Plan order: the 14 ToolHive CRDs form one run, and every custom resource comes after it.
      const first = kinds.indexOf('CustomResourceDefinition');
      const last = kinds.lastIndexOf('CustomResourceDefinition');
      expect(kinds.slice(first, last + 1).every((k) => k === 'CustomResourceDefinition')).toBe(true);
      expect(last - first + 1).toBe(14);
      stack.objects.forEach((o, i) => {
        if (o.apiVersion.startsWith('toolhive.stacklok.dev/')) expect(i).toBeGreaterThan(last);
      });
    }

    const report = await apply();
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(stack.objects.map(refOf));
    expect(report.crds).toHaveLength(hasCrds ? 14 : 0);

    // Every object is in the cluster, under the name and namespace it was rendered with.
    for (const obj of stack.objects) {
      const live = await cluster.admin.get(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace);
      expect(live ? refOf({ ...live, apiVersion: obj.apiVersion, kind: obj.kind }) : `missing: ${refOf(obj)}`).toBe(refOf(obj));
    }
  });

  test('a second server-side apply (dry run) changes nothing', async () => {
    expect((await apply()).errors).toEqual([]);
    expect(await dryRunChanges(cluster.admin, stack.objects)).toEqual([]);
  });

  (hasCrds ? test : test.skip)('custom resources are checked by the installed CRDs: schema and CEL rules', async () => {
    expect((await apply()).errors).toEqual([]);
    const ns = 'team-a';
    await cluster.ensureNamespaces([ns]);
    // A valid MCPServer is accepted, and re-applying it changes nothing.
    const valid = mcpServer('fetch', ns);
    await cluster.admin.apply(valid);
    expect(await dryRunChanges(cluster.admin, [valid])).toEqual([]);
    // The no-change check does see a change.
    const changed = { ...valid, spec: { ...(valid as any).spec, proxyPort: 9090 } };
    expect(await dryRunChanges(cluster.admin, [changed])).toEqual([expect.stringContaining('/spec/proxyPort: 8080 → 9090')]);

    const refusal = (obj: any) => dryRunRefusal(cluster.admin, obj);
    // A CEL rule of the MCPServer CRD (x-kubernetes-validations): redis session storage needs an address.
    const cel = mcpServer('no-redis-address', ns);
    (cel as any).spec.sessionStorage = { provider: 'redis' };
    expect(await refusal(cel)).toMatch(/^422 .*address is required/);
    // The structural schema: unknown fields are refused, not dropped (server-side apply
    // answers 500 "failed to create typed patch object" for them).
    const unknown = mcpServer('unknown-field', ns);
    (unknown as any).spec.notAField = true;
    expect(await refusal(unknown)).toMatch(/^\d{3} .*\.spec\.notAField: field not declared in schema/);
  });
});
