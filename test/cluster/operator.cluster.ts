/*
 * The real ToolHive operator, run as the ServiceAccount our manifests create (TokenRequest
 * token, RBAC from our ClusterRole and bindings), in cluster mode and in namespace mode.
 */
import { TestCluster } from './harness/cluster';
import { expectReconciled, mcpServer, operatorDeployment, OperatorRun, ownedBy, startOperator } from './harness/operator';
import { applyStack, exampleStack, planStack, requiredNamespaces, Stack } from './harness/stacks';

/** A namespace no stack lists. */
const OUTSIDE = 'team-c';

interface ModeCase {
  readonly mode: 'cluster' | 'namespace';
  readonly stack: () => Stack;
}

const cases: [string, ModeCase][] = [
  ['cluster mode (plan defaults)', { mode: 'cluster', stack: () => planStack('plan: cluster scope (defaults)', {}) }],
  ['namespace mode (the cdk8s example: team-a, team-b)', { mode: 'namespace', stack: exampleStack }],
];

describe.each(cases)('operator in %s', (_name, c) => {
  let cluster: TestCluster;
  let operator: OperatorRun;
  const stack = c.stack();
  const deployment = operatorDeployment(stack.objects, stack.install.namespace, stack.install.releaseName);
  const sa = `system:serviceaccount:${stack.install.namespace}:${deployment.spec.template.spec.serviceAccountName}`;

  beforeAll(async () => {
    cluster = await TestCluster.start(`operator-${c.mode}`);
    await cluster.ensureNamespaces([...requiredNamespaces(stack), 'team-a', OUTSIDE]);
    const report = await applyStack(cluster.admin, stack.objects);
    if (report.errors.length > 0) throw new Error(`the stack was refused:\n${report.errors.join('\n')}`);
    operator = await startOperator(cluster, deployment, c.mode);
  });

  afterAll(async () => {
    try {
      if (operator) {
        await operator.stop();
        const errors = operator.errorLines();
        // eslint-disable-next-line no-console
        if (errors.length > 0) console.log(`operator (${c.mode}) logged ${errors.length} error line(s):\n${errors.slice(0, 20).join('\n')}`);
      }
    } finally {
      await cluster?.stop();
    }
  });

  test('runs as the ServiceAccount our manifests create, with a TokenRequest token (not admin)', () => {
    expect(operator.username).toBe(sa);
    expect(operator.groups).toContain('system:serviceaccounts');
    expect(operator.groups).not.toContain('system:masters');
    // The env our manifests render, e.g. WATCH_NAMESPACE only in namespace mode.
    expect(operator.env.POD_NAMESPACE).toBe(stack.install.namespace);
    if (c.mode === 'namespace') expect(operator.env.WATCH_NAMESPACE).toBe('team-a,team-b');
    else expect(operator.env.WATCH_NAMESPACE ?? '').toBe('');
  });

  test('reconciles an MCPServer in a watched namespace into a Deployment, a Service and the rest', async () => {
    const owned = await expectReconciled(cluster.admin, operator, 'fetch', 'team-a');
    expect(owned).toEqual(expect.arrayContaining(['Deployment/fetch', 'Service/mcp-fetch-proxy']));
    // The proxy runner's own RBAC: the operator may only grant what our ClusterRole grants it.
    expect(owned).toEqual(expect.arrayContaining(['Role/fetch-proxy-runner', 'RoleBinding/fetch-proxy-runner', 'ServiceAccount/fetch-proxy-runner']));
    const live = await cluster.admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', 'team-a');
    expect(live.metadata.finalizers ?? []).not.toHaveLength(0);
  });

  if (c.mode === 'cluster') {
    test('reconciles an MCPServer in any namespace', async () => {
      const owned = await expectReconciled(cluster.admin, operator, 'fetch-c', OUTSIDE);
      expect(owned).toEqual(expect.arrayContaining(['Deployment/fetch-c', 'Service/mcp-fetch-c-proxy']));
    });
  } else {
    test('leaves an MCPServer outside allowedNamespaces alone', async () => {
      const outside = await cluster.admin.apply(mcpServer('fetch-outside', OUTSIDE));
      // Created after the outside one: once it is reconciled, the operator has had its chance.
      await expectReconciled(cluster.admin, operator, 'fetch-b', 'team-b');
      await new Promise((r) => setTimeout(r, 5_000));
      expect(await ownedBy(cluster.admin, outside.metadata.uid, OUTSIDE)).toEqual([]);
      const live = await cluster.admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch-outside', OUTSIDE);
      expect(live.metadata.finalizers ?? []).toEqual([]);
      expect(live.status ?? {}).toEqual({});
      // And the operator's own credentials cannot even read it.
      await expect(operator.client.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch-outside', OUTSIDE)).rejects.toThrow(/403/);
    });
  }

  test('the operator log has no RBAC "forbidden" error', () => {
    expect(operator.forbiddenLines()).toEqual([]);
    expect(operator.process.hasExited()).toBe(false);
  });
});
