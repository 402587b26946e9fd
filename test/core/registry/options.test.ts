import { HelmReleaseDeliverable, ManifestsDeliverable, planPlatform, planRegistryServer, PlatformSpec, RbacScope } from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { findObject } from '../../support/objects';
import { standaloneRegistryServer } from '../../support/platform-fixtures';
import { restrictedViolations } from '../../support/pod-security';

const oss = (rs: any, extra: Partial<PlatformSpec> = {}): PlatformSpec => ({ edition: 'open-source', ...extra, clusters: { control: { role: 'control', registryServer: rs } } });
const objectsOf = (spec: PlatformSpec) => (planPlatform(spec).clusters[0].deliverables.find((d) => d.id === 'toolhive-registry-server') as ManifestsDeliverable).objects;

describe('Registry Server options (open source edition)', () => {
  test('raw manifests in the platform namespace, schema-valid, restricted', () => {
    const objects = objectsOf(oss(standaloneRegistryServer('p', 'https://registry.example.com')));
    expect(new Set(objects.filter((o) => o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding').map((o) => o.metadata.namespace))).toEqual(new Set(['toolhive-system']));
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('a pgpass Secret: an init container copies it with mode 0600, the server reads PGPASSFILE; still restricted', () => {
    const rs = { ...standaloneRegistryServer('p'), passwordSecret: undefined, pgpassSecret: { name: 'registry-pgpass', key: '.pgpass' } };
    const objects = objectsOf(oss(rs));
    const pod = findObject(objects, 'Deployment').spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0].command.join(' ')).toContain('chmod 0600 /pgpass-prepared/.pgpass');
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['config', 'pgpass-secret', 'pgpass-prepared']);
    expect(pod.volumes[1].secret).toEqual({ items: [{ key: '.pgpass', path: '.pgpass' }], secretName: 'registry-pgpass' });
    expect(pod.containers[0].env).toContainEqual({ name: 'PGPASSFILE', value: '/pgpass-prepared/.pgpass' });
    expect(JSON.stringify(pod)).not.toContain('THV_REGISTRY_DATABASE_PASSWORD');
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('namespace-scoped RBAC for kubernetes sources', () => {
    const rs = { ...standaloneRegistryServer('p'), rbac: RbacScope.namespaces(['team-b', 'team-a']) };
    const objects = objectsOf(oss(rs));
    expect(objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'toolhive-registry-server-manager-rolebinding').map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
  });

  test('global.postgres fills the database host when the config leaves it empty', () => {
    const base = standaloneRegistryServer('p');
    const rs = { ...base, config: { ...base.config, database: { ...base.config.database, host: '' } } };
    expect(() => planPlatform(oss(rs))).toThrow(/config\.database\.host: required/);
    const objects = objectsOf(oss(rs, { global: { postgres: { host: 'pg.shared', sslMode: 'verify-full' } } }));
    expect(findObject(objects, 'ConfigMap').data['config.yaml']).toContain('host: pg.shared');
  });

  test('as a Helm release: the OSS chart, pinned, with the values that differ from its defaults', () => {
    const plan = planPlatform(oss(standaloneRegistryServer('p'), { delivery: 'helm' }));
    const release = (plan.clusters[0].deliverables.find((d) => d.id === 'toolhive-registry-server') as HelmReleaseDeliverable).release;
    expect({ ...release, values: undefined }).toEqual({
      chart: 'toolhive-registry-server',
      repository: 'oci://ghcr.io/stacklok/toolhive-registry-server',
      version: '1.5.1',
      releaseName: 'toolhive-registry-server',
      namespace: 'toolhive-system',
      values: undefined,
      skipCrds: false,
      images: ['ghcr.io/stacklok/thv-registry-api:v1.5.1'],
    });
    expect(Object.keys(release.values)).toEqual(['config', 'extraEnv']);
  });

  test('rules of the options: credentials, dynamicAuth, migration password, external URL, inlined secrets', () => {
    const base = standaloneRegistryServer('p');
    expect(issuesOf(() => planPlatform(oss({ ...base, passwordSecret: undefined }))).map((i) => i.path)).toEqual(['clusters.control.registryServer.passwordSecret']);
    const dyn = { ...base, config: { ...base.config, database: { ...base.config.database, dynamicAuth: { awsRdsIam: { region: 'detect' } } } } };
    expect(issuesOf(() => planPlatform(oss(dyn))).map((i) => i.path)).toEqual(['clusters.control.registryServer.passwordSecret']);
    expect(() => planPlatform(oss({ ...dyn, passwordSecret: undefined }))).not.toThrow();
    expect(issuesOf(() => planPlatform(oss({ ...base, migrationPasswordSecret: { name: 'm' } }))).map((i) => i.path)).toEqual(['clusters.control.registryServer.migrationPasswordSecret']);
    expect(issuesOf(() => planPlatform(oss({ ...base, externalUrl: 'https://registry.example.com/registry/x' }))).map((i) => i.path)).toEqual(['clusters.control.registryServer.externalUrl']);
    expect(issuesOf(() => planPlatform(oss({ ...base, env: [{ name: 'GIT_TOKEN', value: 'x' }] }))).map((i) => i.path)).toEqual(['clusters.control.registryServer.env[0].value']);
  });
});

test('no options are no configuration: planRegistryServer(undefined) is refused exactly as planRegistryServer({}) is', () => {
  const none = issuesOf(() => planRegistryServer(undefined as any));
  expect(none.length).toBeGreaterThan(0);
  expect(none).toEqual(issuesOf(() => planRegistryServer({} as any)));
  expect(none.map((i) => i.path)).toContain('registryServer.config');
});
