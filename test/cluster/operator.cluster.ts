/*
 * The real ToolHive operator, run as the ServiceAccount our manifests create (TokenRequest
 * token, RBAC from our ClusterRole and bindings), in cluster mode and in namespace mode.
 * Every stack is planned for the operator binary's own release (its CRDs and chart), which is
 * older than the library's default: the examples' options are planned with that `version`.
 */
import { TestCluster } from './harness/cluster';
import {
  expectOnlyKnownRbacFindings, expectReconciled, KNOWN_RBAC_FINDINGS, mcpServer, operatorDeployment, OperatorRun, operatorRelease, ownedBy,
  startOperator,
} from './harness/operator';
import { waitFor } from './harness/processes';
import { applyStack, exampleStack, installOf, planStack, requiredNamespaces, Stack } from './harness/stacks';
import { teamWorkloads } from '../../examples/cdk8s-mcp-workloads/workloads';
import { RbacScope, ToolhiveOperatorOptions } from '../../src';

/** A namespace no stack lists. */
const OUTSIDE = 'team-c';

/** The release of the operator binary: the CRDs and chart every stack here installs. */
const version = operatorRelease();

/** The options of the examples the operator runs (their main.ts), to plan them at the operator's release. */
const EXAMPLE_OPTIONS: Record<string, ToolhiveOperatorOptions> = {
  'cdk8s-operator-namespaces': { rbac: RbacScope.namespaces(['team-a', 'team-b']), replicas: 2, workloadImagePullSecrets: ['registry-credentials'] },
  'cdk8s-mcp-workloads': { rbac: RbacScope.namespaces(['research']), customResources: teamWorkloads('research'), externalResources: [] },
};

/** An example's install, planned at the operator binary's release. */
function exampleAtOperatorRelease(example: string): Stack {
  return planStack(`example ${example} at ToolHive ${version}`, { ...EXAMPLE_OPTIONS[example], version });
}

test.each(Object.keys(EXAMPLE_OPTIONS))('the options used for example %s are the example\'s: planned at the default release, they render its objects', (example) => {
  const synthesized = exampleStack(example);
  const planned = planStack(example, EXAMPLE_OPTIONS[example]);
  expect(planned.objects).toEqual(synthesized.objects);
  expect(planned.install).toEqual(synthesized.install);
});

interface Context {
  cluster: TestCluster;
  operator: OperatorRun;
}

/**
 * A fresh cluster with the stack applied (plan order, server-side apply) and the operator
 * running as the stack's ServiceAccount; everything stopped after the describe block.
 */
function withOperator(stack: Stack, label: string, prepare?: (cluster: TestCluster) => Promise<void>): Context {
  const ctx = {} as Context;
  beforeAll(async () => {
    ctx.cluster = await TestCluster.start(`operator-${label}`);
    await ctx.cluster.ensureNamespaces([...requiredNamespaces(stack), 'team-a', OUTSIDE]);
    await prepare?.(ctx.cluster);
    const report = await applyStack(ctx.cluster.admin, stack.objects);
    if (report.errors.length > 0) throw new Error(`the stack was refused:\n${report.errors.join('\n')}`);
    ctx.operator = await startOperator(ctx.cluster, operatorDeployment(stack), label);
  });
  afterAll(async () => {
    try {
      if (ctx.operator) {
        await ctx.operator.stop();
        // Error lines other than the known findings, for whoever reads the test output.
        const errors = ctx.operator.errorLines().filter((l) => !KNOWN_RBAC_FINDINGS.some((f) => f.pattern.test(l)));
        // eslint-disable-next-line no-console
        if (errors.length > 0) console.log(`operator (${label}) logged ${errors.length} error line(s):\n${errors.slice(0, 20).join('\n')}`);
      }
    } finally {
      await ctx.cluster?.stop();
    }
  });
  return ctx;
}

/** Checks every operator run gets: identity, env, loopback, RBAC. */
function commonChecks(ctx: Context, stack: Stack, watchNamespace: string | undefined): void {
  test('runs as the ServiceAccount our manifests create, with a TokenRequest token (not admin)', () => {
    const { namespace } = installOf(stack);
    const sa = operatorDeployment(stack).spec.template.spec.serviceAccountName;
    expect(ctx.operator.username).toBe(`system:serviceaccount:${namespace}:${sa}`);
    expect(ctx.operator.groups).toContain('system:serviceaccounts');
    expect(ctx.operator.groups).not.toContain('system:masters');
    // The env our manifests render: WATCH_NAMESPACE only in namespace mode.
    expect(ctx.operator.env.POD_NAMESPACE).toBe(namespace);
    expect(ctx.operator.env.WATCH_NAMESPACE ?? '').toBe(watchNamespace ?? '');
  });

  test('everything the harness started listens on 127.0.0.1 only', () => {
    const sockets = ctx.cluster.supervisor.listeningSockets();
    expect(sockets.filter((s) => !/ (127\.0\.0\.1|::ffff:127\.0\.0\.1):\d+$/.test(s))).toEqual([]);
    // etcd (client, peer), kube-apiserver, the operator (metrics, health probes).
    for (const name of ['etcd', 'kube-apiserver', 'thv-operator']) {
      expect(sockets.filter((s) => s.startsWith(`${name} `)).length).toBeGreaterThan(0);
    }
  });

  // Last in its block: by now the operator has done everything the other tests asked of it.
  test(`the operator log has no RBAC "forbidden" error but the known findings (${KNOWN_RBAC_FINDINGS.map((f) => f.id).join(', ') || 'none'})`, () => {
    expectOnlyKnownRbacFindings(ctx.operator);
    expect(ctx.operator.process.hasExited()).toBe(false);
  });
}

describe('operator in cluster mode (plan defaults)', () => {
  const stack = planStack(`plan: cluster scope (defaults but the release, ${version})`, { version });
  const ctx = withOperator(stack, 'cluster');

  test('reconciles an MCPServer into a Deployment, a Service and the rest', async () => {
    const owned = await expectReconciled(ctx.cluster.admin, ctx.operator, 'fetch', 'team-a');
    expect(owned).toEqual(expect.arrayContaining(['Deployment/fetch', 'Service/mcp-fetch-proxy']));
    // The proxy runner's own RBAC: the operator may only grant what our ClusterRole grants it.
    expect(owned).toEqual(expect.arrayContaining(['Role/fetch-proxy-runner', 'RoleBinding/fetch-proxy-runner', 'ServiceAccount/fetch-proxy-runner']));
    const live = await ctx.cluster.admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', 'team-a');
    expect(live.metadata.finalizers ?? []).not.toHaveLength(0);
  });

  test('reconciles an MCPServer in any namespace', async () => {
    const owned = await expectReconciled(ctx.cluster.admin, ctx.operator, 'fetch-c', OUTSIDE);
    expect(owned).toEqual(expect.arrayContaining(['Deployment/fetch-c', 'Service/mcp-fetch-c-proxy']));
  });

  commonChecks(ctx, stack, undefined);
});

describe('operator in namespace mode (example cdk8s-operator-namespaces: team-a, team-b)', () => {
  const stack = exampleAtOperatorRelease('cdk8s-operator-namespaces');
  const ctx = withOperator(stack, 'namespace');

  test('reconciles an MCPServer in a watched namespace into a Deployment, a Service and the rest', async () => {
    const owned = await expectReconciled(ctx.cluster.admin, ctx.operator, 'fetch', 'team-a');
    expect(owned).toEqual(expect.arrayContaining([
      'Deployment/fetch', 'Service/mcp-fetch-proxy', 'Role/fetch-proxy-runner', 'RoleBinding/fetch-proxy-runner', 'ServiceAccount/fetch-proxy-runner',
    ]));
  });

  test('leaves an MCPServer outside allowedNamespaces alone', async () => {
    const { admin } = ctx.cluster;
    const outside = await admin.apply(mcpServer('fetch-outside', OUTSIDE));
    // Created after the outside one: once it is reconciled, the operator has had its chance.
    await expectReconciled(admin, ctx.operator, 'fetch-b', 'team-b');
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await ownedBy(admin, outside.metadata.uid, OUTSIDE)).toEqual([]);
    const live = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch-outside', OUTSIDE);
    expect(live.metadata.finalizers ?? []).toEqual([]);
    expect(live.status ?? {}).toEqual({});
    // And the operator's own credentials cannot even read it.
    await expect(ctx.operator.client.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch-outside', OUTSIDE)).rejects.toThrow(/403/);
  });

  commonChecks(ctx, stack, 'team-a,team-b');
});

describe('operator in namespace mode with the team\'s workloads (example cdk8s-mcp-workloads)', () => {
  const stack = exampleAtOperatorRelease('cdk8s-mcp-workloads');
  const crs = stack.objects.filter((o) => o.apiVersion.startsWith('toolhive.stacklok.dev/'));
  // The example says the team creates the Secret its MCPExternalAuthConfig refers to.
  const ctx = withOperator(stack, 'workloads', (cluster) => cluster.admin.create({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github-token', namespace: 'research' }, stringData: { header: 'Bearer placeholder' },
  }));

  test('the example has custom resources', () => {
    expect(crs.map((o) => o.kind).sort()).toEqual(['MCPExternalAuthConfig', 'MCPGroup', 'MCPServer', 'MCPServer', 'MCPToolConfig', 'VirtualMCPServer']);
  });

  test('every MCPServer and VirtualMCPServer of the example gets its Deployment and Service', async () => {
    const { admin } = ctx.cluster;
    const expected: Record<string, (name: string) => string[]> = {
      MCPServer: (n) => [`Deployment/${n}`, `Service/mcp-${n}-proxy`],
      VirtualMCPServer: (n) => [`Deployment/${n}`, `Service/vmcp-${n}`],
    };
    for (const cr of crs.filter((o) => expected[o.kind])) {
      const { name, namespace } = cr.metadata;
      const live = await admin.get(cr.apiVersion, cr.kind, name, namespace);
      let owned: string[] = [];
      await waitFor(`the operator to reconcile ${cr.kind} ${namespace}/${name}`, 60_000, async () => {
        owned = await ownedBy(admin, live.metadata.uid, namespace!);
        return expected[cr.kind](name).every((o) => owned.includes(o)) ? true : undefined;
      }, { intervalMs: 500, describe: () => `owned so far: ${owned.join(', ') || 'nothing'}` });
    }
  });

  test('the MCPGroup is Ready with both servers; the configs are Valid', async () => {
    const { admin } = ctx.cluster;
    const group = await waitFor('MCPGroup research/research to be Ready', 60_000, async () => {
      const g = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPGroup', 'research', 'research');
      return g?.status?.phase === 'Ready' ? g : undefined;
    });
    expect([...group.status.servers].sort()).toEqual(['fetch', 'github']);
    for (const cr of crs.filter((o) => ['MCPToolConfig', 'MCPExternalAuthConfig'].includes(o.kind))) {
      await waitFor(`${cr.kind} ${cr.metadata.name} to be Valid`, 60_000, async () => {
        const live = await admin.get(cr.apiVersion, cr.kind, cr.metadata.name, cr.metadata.namespace);
        return (live?.status?.conditions ?? []).some((c: any) => c.type === 'Valid' && c.status === 'True') ? true : undefined;
      });
    }
  });

  commonChecks(ctx, stack, 'research');
});
