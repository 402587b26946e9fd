import * as kubernetes from '@pulumi/kubernetes';
import { leaderElectionRules, planPlatform, RbacScope } from '../../src';
import { ControlCluster, deliveredResources, RegistryServer, ToolhivePlatform, ToolhiveOperator, WorkloadCluster } from '../../src/pulumi';
import { standaloneRegistryServer } from '../support/platform-fixtures';
import { installPulumiMocks, settled, summarize, typeChain, valueOf } from '../support/pulumi-mocks';

jest.setTimeout(60_000);
const recorded = installPulumiMocks();

async function deploy<T extends { urn: any }>(make: () => T): Promise<{ component: T; resources: ReturnType<typeof summarize>[] }> {
  const before = recorded.length;
  const component = make();
  await settled([component as any, ...deliveredResources(component as any).map((d) => d.resource)]);
  // Children of children register asynchronously: wait until the engine has seen them all.
  for (let stable = 0, count = -1; stable < 3;) {
    await new Promise((r) => setTimeout(r, 10));
    stable = recorded.length === count ? stable + 1 : 0;
    count = recorded.length;
  }
  return { component, resources: recorded.slice(before).map(summarize) };
}

describe('ToolhiveOperator', () => {
  test('manifests, cluster mode: namespace, CRDs (kept on delete), operator, as children with the cluster provider', async () => {
    const provider = new kubernetes.Provider('eu-west', { kubeconfig: 'unused' });
    const { component, resources } = await deploy(() => new ToolhiveOperator('op', { provider, rbac: RbacScope.cluster() }));
    const groups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
    expect(groups.map((g) => g.name)).toEqual(['op-toolhive-operator-namespace', 'op-toolhive-operator-crds', 'op-toolhive-operator']);
    expect(groups.every((g) => g.provider === 'eu-west')).toBe(true);
    expect(groups[1].inputs.objs).toHaveLength(14);
    expect(groups[2].inputs.objs).toContain('ClusterRoleBinding/toolhive-operator-manager-rolebinding');
    const delivered = deliveredResources(component);
    expect(delivered.map((d) => [d.id, d.dependsOn, d.retainOnDelete])).toEqual([
      ['toolhive-operator-namespace', [], false],
      ['toolhive-operator-crds', ['toolhive-operator-namespace'], true],
      ['toolhive-operator', ['toolhive-operator-namespace', 'toolhive-operator-crds'], false],
    ]);
    for (const d of delivered) expect(typeChain(await valueOf(d.resource.urn))).toEqual(['toolhive-constructs:index:ToolhiveOperator', 'kubernetes:yaml/v2:ConfigGroup']);
    expect(await valueOf(component.releaseNames)).toEqual({ operator: 'toolhive-operator', crds: 'toolhive-operator-crds' });
    expect(resources).toMatchSnapshot();
  });

  test('helm, namespace mode: two helm.v3.Releases (OCI, pinned), CRDs first and retained', async () => {
    const provider = new kubernetes.Provider('us-east', { kubeconfig: 'unused' });
    const { component, resources } = await deploy(() => new ToolhiveOperator('helm-op', { provider, delivery: 'helm', rbac: RbacScope.namespaces(['team-a', 'team-b']) }));
    const releases = resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    const facts = releases.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace, r.inputs.name, r.inputs.skipCrds, r.provider]);
    expect(facts).toEqual([
      ['helm-op-toolhive-operator-crds', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds', '0.44.0', 'toolhive-system', 'toolhive-operator-crds', false, 'us-east'],
      ['helm-op-toolhive-operator', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator', '0.44.0', 'toolhive-system', 'toolhive-operator', true, 'us-east'],
    ]);
    expect(releases[1].inputs.values).toEqual({
      operator: { features: { storageVersionMigrator: false }, leaderElectionRole: { rules: leaderElectionRules() }, rbac: { allowedNamespaces: ['team-a', 'team-b'], scope: 'namespace' } },
    });
    expect(deliveredResources(component).find((d) => d.id === 'toolhive-operator-crds')!.retainOnDelete).toBe(true);
    expect(resources).toMatchSnapshot();
  });

  test('release names come from the plan: a custom operator release, no CRD release when the CRDs are installed elsewhere', async () => {
    const provider = new kubernetes.Provider('names', { kubeconfig: 'unused' });
    const { component } = await deploy(() => new ToolhiveOperator('named-op', { provider, releaseName: 'thv', crds: { install: false } }));
    expect(await valueOf(component.releaseNames)).toEqual({ operator: 'thv' });
    expect(await valueOf(component.namespace)).toBe('toolhive-system');
  });

  test('helm.v4.Chart on request', async () => {
    const provider = new kubernetes.Provider('ap-south', { kubeconfig: 'unused' });
    const { resources } = await deploy(() => new ToolhiveOperator('chart-op', { provider, delivery: 'helm', helmResource: 'chart' }));
    expect(resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart').map((r) => r.name)).toEqual(['chart-op-toolhive-operator-crds', 'chart-op-toolhive-operator']);
  });

  test('an explicit provider is required: no silent fallback to the local kubeconfig', () => {
    expect(() => new ToolhiveOperator('no-provider', {} as any)).toThrow(/needs an explicit kubernetes\.Provider/);
    expect(() => new ToolhiveOperator('not-a-provider', { provider: {} as any })).toThrow(/needs an explicit kubernetes\.Provider/);
  });

  test('bad options fail with the validation error, before any resource is created', () => {
    const provider = new kubernetes.Provider('bad', { kubeconfig: 'unused' });
    const before = recorded.filter((r) => r.name.startsWith('bad-op')).length;
    expect(() => new ToolhiveOperator('bad-op', { provider, rbac: { scope: 'namespace', allowedNamespaces: ['Nope'] } })).toThrow(/operator\.rbac\.allowedNamespaces\[0\]/);
    expect(recorded.filter((r) => r.name.startsWith('bad-op')).length).toBe(before);
  });
});

describe('RegistryServer', () => {
  test('namespace and the rendered chart, with outputs', async () => {
    const provider = new kubernetes.Provider('registry', { kubeconfig: 'unused' });
    const { component, resources } = await deploy(() => new RegistryServer('rs', { provider, ...(standaloneRegistryServer('p', 'https://registry.example.com') as any) }));
    expect(resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup').map((r) => r.name)).toEqual(['rs-registry-server-namespace', 'rs-toolhive-registry-server']);
    expect(await valueOf(component.externalUrl)).toBe('https://registry.example.com');
    expect(await valueOf(component.releaseName)).toBe('toolhive-registry-server');
  });
});

describe('ToolhivePlatform', () => {
  test('a control cluster and two workload clusters, each through its own provider', async () => {
    const providers = Object.fromEntries(['control', 'eu-west', 'us-east'].map((n) => [n, new kubernetes.Provider(`k8s-${n}`, { kubeconfig: 'unused' })]));
    const { component, resources } = await deploy(() => new ToolhivePlatform('acme', {
      edition: 'open-source',
      clusters: {
        'control': { role: 'control', provider: providers.control, registryServer: standaloneRegistryServer('p', 'https://registry.example.com') as any },
        'eu-west': { role: 'workload', provider: providers['eu-west'], toolhiveOperator: { rbac: { scope: 'namespace', allowedNamespaces: ['team-a'] } } },
        'us-east': { role: 'workload', provider: providers['us-east'], toolhiveOperator: {} },
      },
    }));
    const byName = (n: string) => resources.find((r) => r.name === n)!;
    expect(resources.filter((r) => r.type.startsWith('toolhive-constructs:')).map((r) => [r.type, r.name])).toEqual([
      ['toolhive-constructs:index:ToolhivePlatform', 'acme'],
      ['toolhive-constructs:index:ControlCluster', 'acme-control'],
      ['toolhive-constructs:index:WorkloadCluster', 'acme-eu-west'],
      ['toolhive-constructs:index:WorkloadCluster', 'acme-us-east'],
    ]);
    expect(byName('acme-eu-west-toolhive-operator').provider).toBe('k8s-eu-west');
    expect(byName('acme-us-east-toolhive-operator').provider).toBe('k8s-us-east');
    expect(byName('acme-control-toolhive-registry-server').provider).toBe('k8s-control');
    expect(byName('acme-eu-west-platform-endpoints').inputs.objs).toEqual(['ConfigMap/toolhive-system/toolhive-platform-endpoints']);
    expect(await valueOf(component.clusterNames)).toEqual(['control', 'eu-west', 'us-east']);
    expect(await valueOf(component.endpoints)).toEqual({ controlCluster: 'control', registryServer: 'https://registry.example.com' });
    expect(resources.filter((r) => !r.type.startsWith('pulumi:providers'))).toMatchSnapshot();
  });

  test('each cluster component publishes the release names of its plan (as raw manifests: the releases they mirror)', async () => {
    const plan = planPlatform({
      edition: 'open-source',
      clusters: {
        control: { role: 'control', registryServer: standaloneRegistryServer('p', 'https://registry.example.com') as any },
        eu: { role: 'workload', toolhiveOperator: { releaseName: 'thv', crds: { install: false } } },
      },
    });
    const provider = (n: string) => new kubernetes.Provider(`facts-${n}`, { kubeconfig: 'unused' });
    const byName = Object.fromEntries(plan.clusters.map((c) => [c.cluster, c]));
    const { component: control } = await deploy(() => new ControlCluster('facts-control', { provider: provider('control'), plan: byName.control }));
    const { component: eu } = await deploy(() => new WorkloadCluster('facts-eu', { provider: provider('eu'), plan: byName.eu }));
    expect(await valueOf(control.releaseNames)).toEqual(['toolhive-registry-server']);
    expect(await valueOf(eu.releaseNames)).toEqual(['thv']);
  });

  test('layered registries (git promotion) across three clusters', async () => {
    const providers = Object.fromEntries(['prod', 'staging', 'dev'].map((n) => [n, new kubernetes.Provider(`layer-${n}`, { kubeconfig: 'unused' })]));
    const rs = (env: string, url: string) => ({
      ...(standaloneRegistryServer(env, url) as any),
      config: { ...standaloneRegistryServer(env).config, sources: [], registries: [] },
    });
    const { resources } = await deploy(() => new ToolhivePlatform('layers', {
      edition: 'open-source',
      registryLayering: {
        promotion: 'git',
        catalog: { repository: 'https://git.example.com/catalog.git' },
        environments: [
          { name: 'production', cluster: 'prod', promotesFrom: 'staging', claims: { org: 'acme' } },
          { name: 'staging', cluster: 'staging', promotesFrom: 'development', claims: { groups: ['reviewers'] } },
          { name: 'development', cluster: 'dev', claims: { groups: ['developers'] } },
        ],
      },
      clusters: {
        prod: { role: 'control', provider: providers.prod, registryServer: rs('production', 'https://registry.example.com') },
        staging: { role: 'registry', provider: providers.staging, registryServer: rs('staging', 'https://registry.staging.example.com') },
        dev: { role: 'registry', provider: providers.dev, registryServer: rs('development', 'https://registry.dev.example.com') },
      },
    }));
    expect(resources.filter((r) => r.name.endsWith('toolhive-registry-server')).map((r) => [r.name, r.provider])).toEqual([
      ['layers-dev-toolhive-registry-server', 'layer-dev'],
      ['layers-prod-toolhive-registry-server', 'layer-prod'],
      ['layers-staging-toolhive-registry-server', 'layer-staging'],
    ]);
    expect(resources.filter((r) => !r.type.startsWith('pulumi:providers'))).toMatchSnapshot();
  });

  test('every cluster needs its provider', () => {
    expect(() => new ToolhivePlatform('noprov', { clusters: { a: { role: 'workload', toolhiveOperator: {} } as any } })).toThrow(/Cluster "a" needs an explicit kubernetes\.Provider/);
  });
});
