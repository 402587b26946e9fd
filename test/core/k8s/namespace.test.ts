/**
 * One namespace planner (plan.ts namespaceDeliverable over k8s/namespace.ts): the operator's
 * install, the Registry Server's and the platform's namespace are the same deliverable, the
 * open source ones enforcing Pod Security "restricted", the enterprise one warning and auditing.
 */
import { Deliverable, planOperatorInstall, planPlatform, planRegistryServer } from '../../../src';
import { centralized, standaloneRegistryServer } from '../../support/platform-fixtures';

const namespaceOf = (deliverables: readonly Deliverable[]) => deliverables[0] as Extract<Deliverable, { type: 'manifests' }>;
const labels = (d: Extract<Deliverable, { type: 'manifests' }>): Record<string, string> => d.objects[0].metadata.labels ?? {};

test('the three open source planners give the same Namespace, enforcing "restricted", first and depending on nothing', () => {
  const operator = namespaceOf(planOperatorInstall({}).deliverables);
  const registry = namespaceOf(planRegistryServer(standaloneRegistryServer('r', 'https://r.example.com') as any).deliverables);
  const platform = namespaceOf(planPlatform({ edition: 'open-source', clusters: { w: { role: 'workload', toolhiveOperator: {} } } }).clusters[0].deliverables);
  for (const d of [operator, registry, platform]) {
    expect(d.dependsOn).toEqual([]);
    expect(d.description).toBe('Namespace toolhive-system, enforcing the Pod Security "restricted" profile');
    expect(d.objects).toHaveLength(1);
    expect(labels(d)).toMatchObject({
      'kubernetes.io/metadata.name': 'toolhive-system',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
  }
  // Each names its install, so a later plan can prune what it drops.
  expect(labels(registry)['toolhive-constructs.dev/install']).toBeDefined();
  expect(labels(platform)['toolhive-constructs.dev/install']).toBeDefined();
});

test('the enterprise platform\'s namespace warns on and audits "restricted" (its charts cannot be checked here)', () => {
  const d = namespaceOf(planPlatform(centralized()).clusters[0].deliverables);
  expect(d.description).toBe('Namespace stacklok-system, warning on and auditing the Pod Security "restricted" profile');
  expect(labels(d)).toMatchObject({ 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' });
  expect(labels(d)['pod-security.kubernetes.io/enforce']).toBeUndefined();
});
