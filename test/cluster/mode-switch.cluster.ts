/*
 * Moving one cluster from cluster mode to namespace mode and back by changing one prop
 * (`rbac`) and re-applying with pruning by the install label: no stale RBAC object stays
 * behind, and the operator still works after each move. Planned for the operator binary's own
 * release (its CRDs and chart).
 */
import { TestCluster } from './harness/cluster';
import { refOf } from './harness/kube-client';
import { expectOnlyKnownRbacFindings, expectReconciled, operatorDeployment, operatorRelease, startOperator } from './harness/operator';
import {
  applyAndPrune, ensureInstallLabel, installOf, operatorRbacFootprint, planStack, PRUNABLE_KINDS, rbacRefs, Stack,
} from './harness/stacks';
import { RbacScope } from '../../src';

const TEAMS = ['team-a', 'team-b'];
/** The release of the operator binary. */
const version = operatorRelease();
const steps: [string, Stack][] = [
  ['cluster mode', planStack('cluster mode', { version, rbac: RbacScope.cluster() })],
  ['namespace mode', planStack('namespace mode', { version, rbac: RbacScope.namespaces(TEAMS) })],
  ['cluster mode again', planStack('cluster mode again', { version, rbac: RbacScope.cluster() })],
];

describe('moving between cluster and namespace mode', () => {
  let cluster: TestCluster;
  let previous: Stack | undefined;

  beforeAll(async () => {
    cluster = await TestCluster.start('mode-switch');
    await cluster.ensureNamespaces(TEAMS);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test.each(steps.map(([name, stack], i) => [name, stack, i] as [string, Stack, number]))('%s: apply and prune; no stale RBAC; the operator works', async (_name, stack, i) => {
    const report = await applyAndPrune(cluster.admin, stack);
    expect(report.errors).toEqual([]);
    expect(report.labelAddedByHarness).toBe(0);

    // Exactly what the previous stack rendered and this one does not is pruned (CRDs and Namespaces never are).
    const prunable = new Set(PRUNABLE_KINDS.map((k) => k.kind));
    const expectedPruned = previous
      ? previous.objects.filter((o) => prunable.has(o.kind)).map(refOf).filter((r) => !stack.objects.some((o) => refOf(o) === r))
      : [];
    expect(report.pruned.sort()).toEqual(expectedPruned.sort());
    if (i === 1) expect(report.pruned).toEqual(['rbac.authorization.k8s.io/ClusterRoleBinding//toolhive-operator-manager-rolebinding']);
    if (i === 2) {
      expect(report.pruned.sort()).toEqual(TEAMS.map((t) => `rbac.authorization.k8s.io/RoleBinding/${t}/toolhive-operator-manager-rolebinding`));
    }

    // No stale RBAC, found without relying on the label: bindings naming the operator's
    // ServiceAccount, the roles they grant, and anything labelled for this install.
    const { value } = ensureInstallLabel(stack);
    const footprint = await operatorRbacFootprint(cluster.admin, { namespace: installOf(stack).namespace, name: 'toolhive-operator' }, value);
    expect(footprint).toEqual(rbacRefs(stack));

    // The operator, restarted with the new Deployment (env), still reconciles.
    const deployment = operatorDeployment(stack);
    const operator = await startOperator(cluster, deployment, `step${i}`);
    try {
      const owned = await expectReconciled(cluster.admin, operator, `fetch-step${i}`, 'team-a');
      expect(owned).toEqual(expect.arrayContaining([`Deployment/fetch-step${i}`, `Service/mcp-fetch-step${i}-proxy`]));
      expectOnlyKnownRbacFindings(operator);
    } finally {
      await operator.stop();
    }
    previous = stack;
  });
});
