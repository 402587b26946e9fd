import { renderRegistryServerChart, RegistryServerChartValues } from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { findObject, keys, snapshotYaml } from '../../support/objects';
import { restrictedViolations } from '../../support/pod-security';

const release = { releaseName: 'registry-server', namespace: 'toolhive-system' };
const withDb: RegistryServerChartValues = {
  config: { database: { host: 'postgres.example.com' } },
  extraEnv: [{ name: 'THV_REGISTRY_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'registry-db', key: 'password' } } }],
};
const hashOf = (objects: any[]) => findObject(objects, 'Deployment').spec.template.metadata.annotations['toolhive.stacklok.dev/config-hash'];

describe('renderRegistryServerChart (1.5.1)', () => {
  const objects = renderRegistryServerChart(withDb, release);

  test('renders the chart\'s objects in Helm install order, named after the release', () => {
    expect(keys(objects)).toEqual([
      'ServiceAccount/toolhive-registry-server',
      'ConfigMap/registry-server-toolhive-registry-server-config',
      'ClusterRole/toolhive-registry-server-manager-role',
      'ClusterRoleBinding/toolhive-registry-server-manager-rolebinding',
      'Role/toolhive-system/registry-server-toolhive-registry-server-leader-election-role',
      'RoleBinding/toolhive-system/registry-server-toolhive-registry-server-leader-election-rolebinding',
      'Service/registry-server-toolhive-registry-server',
      'Deployment/registry-server-toolhive-registry-server',
    ]);
  });

  test('the config-hash annotation is the chart\'s (sha256 of its toYaml of config, 63 characters)', () => {
    // Values `helm template` prints for these inputs.
    expect(hashOf(renderRegistryServerChart({}, release))).toBe('39be95f54141359b43cad41211210cd67d6581e30fe7a182e15a56515d3096b');
    expect(hashOf(objects)).toBe('b656f87dd3315adcf70e5b17923b336c4140711c40bec6f27809d16b763c49b');
  });

  test('the config lands in a ConfigMap (never a Secret), mounted read-only; passwords come from env refs', () => {
    const cm = findObject(objects, 'ConfigMap');
    expect(cm.data['config.yaml']).toContain('host: postgres.example.com');
    const pod = findObject(objects, 'Deployment').spec.template.spec;
    expect(pod.volumes[0]).toEqual({ name: 'config', configMap: { name: 'registry-server-toolhive-registry-server-config' } });
    expect(pod.containers[0].volumeMounts[0]).toEqual({ name: 'config', mountPath: '/etc/registry-server', readOnly: true });
    expect(pod.containers[0].args).toEqual(['serve', '--config', '/etc/registry-server/config.yaml']);
    expect(pod.containers[0].env).toEqual([
      { name: 'THV_REGISTRY_LEADER_ELECTION_ID', value: 'registry-server-toolhive-registry-server-leader-election' },
      { name: 'THV_REGISTRY_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'registry-db' } } },
    ]);
  });

  test('global.postgres fills an empty database host; the hash (of config) does not change', () => {
    const g = renderRegistryServerChart({ global: { postgres: { host: 'pg.global', port: 6543, sslMode: 'verify-full' } } }, release);
    expect(findObject(g, 'ConfigMap').data['config.yaml']).toContain('  host: pg.global\n  port: 6543\n  sslMode: verify-full');
    expect(hashOf(g)).toBe(hashOf(renderRegistryServerChart({}, release)));
  });

  test('namespace scope: RoleBindings per namespace and THV_REGISTRY_WATCH_NAMESPACE', () => {
    const ns = renderRegistryServerChart({ ...withDb, rbac: { scope: 'namespace', allowedNamespaces: ['team-a', 'team-b'] } }, release);
    expect(ns.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(ns.filter((o) => o.metadata.name === 'toolhive-registry-server-manager-rolebinding').map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
    expect(findObject(ns, 'Deployment').spec.template.spec.containers[0].env[1]).toEqual({ name: 'THV_REGISTRY_WATCH_NAMESPACE', value: 'team-a,team-b' });
  });

  test('the chart\'s three render failures', () => {
    expect(issuesOf(() => renderRegistryServerChart({ rbac: { scope: 'namespace' } }, release)).map((i) => i.path)).toEqual(['rbac.allowedNamespaces']);
    expect(issuesOf(() => renderRegistryServerChart({ rbac: { scope: 'cluster', allowedNamespaces: ['a'] } }, release)).map((i) => i.path)).toEqual(['rbac.allowedNamespaces']);
    expect(issuesOf(() => renderRegistryServerChart({ rbac: { scope: 'foo' } }, release)).map((i) => i.path)).toEqual(['rbac.scope']);
  });

  test('unknown values are rejected', () => {
    expect(issuesOf(() => renderRegistryServerChart({ replicas: 2 } as any, release)).map((i) => i.path)).toEqual(['replicas']);
  });

  test('schema-valid, restricted pods, snapshot', () => {
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
    expect(snapshotYaml(objects)).toMatchSnapshot();
  });
});
