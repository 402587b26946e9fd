import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { leaderElectionRules, planPlatform, RbacScope, TOOLHIVE_VERSION, ToolhiveValidationError } from '../../src';
import {
  ControlCluster, DeliveringComponent, RegistryServer, ToolhivePlatform, ToolhiveOperator, ToolhiveResourceError, WorkloadCluster,
} from '../../src/pulumi';
import { issuesOf } from '../support/errors';
import { standaloneRegistryServer } from '../support/platform-fixtures';
import { installPulumiMocks, settled, summarize, typeChain, valueOf } from '../support/pulumi-mocks';

jest.setTimeout(60_000);
const recorded = installPulumiMocks();

/** The resources of a component's deliverables, in apply order. */
function delivered(component: DeliveringComponent): pulumi.Resource[] {
  return component.deliverableIds().map((id) => component.deliverable(id));
}

/**
 * The resource options each child of a component was registered with, as a legacy
 * transformation on the component sees them (Pulumi's mocks do not record options).
 */
function recordOptions(): { seen: Map<string, pulumi.CustomResourceOptions>; opts: pulumi.ComponentResourceOptions } {
  const seen = new Map<string, pulumi.CustomResourceOptions>();
  return {
    seen,
    opts: { transformations: [(a) => { seen.set(a.name, a.opts); return undefined; }] },
  };
}

/** An MCPGroup in the operator's namespace. */
function mcpGroup(): any {
  return { apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPGroup', metadata: { name: 'team', namespace: 'toolhive-system' }, spec: {} };
}

/** The names of the resources an option lists (dependsOn). */
function names(resources: unknown): string[] {
  return ((resources ?? []) as any[]).map((r) => (r as any).__name);
}

async function deploy<T extends { urn: any }>(make: () => T): Promise<{ component: T; resources: ReturnType<typeof summarize>[] }> {
  const before = recorded.length;
  const component = make();
  await settled([component as any, ...(typeof (component as any).deliverable === 'function' ? delivered(component as any) : [])]);
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
    const { seen, opts } = recordOptions();
    const { component, resources } = await deploy(() => new ToolhiveOperator('op', { provider, rbac: RbacScope.cluster() }, opts));
    const groups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
    expect(groups.map((g) => g.name)).toEqual(['op-toolhive-operator-namespace', 'op-toolhive-operator-crds', 'op-toolhive-operator']);
    expect(groups.every((g) => g.provider === 'eu-west')).toBe(true);
    expect(groups[1].inputs.objs).toHaveLength(14);
    expect(groups[2].inputs.objs).toContain('ClusterRoleBinding/toolhive-operator-manager-rolebinding');
    expect(component.deliverableIds()).toEqual(['toolhive-operator-namespace', 'toolhive-operator-crds', 'toolhive-operator']);
    expect(component.deliverableIds().map((id) => {
      const o = seen.get(`op-${id}`)!;
      return [id, names(o.dependsOn), o.retainOnDelete];
    })).toEqual([
      ['toolhive-operator-namespace', [], false],
      ['toolhive-operator-crds', ['op-toolhive-operator-namespace'], true],
      ['toolhive-operator', ['op-toolhive-operator-namespace', 'op-toolhive-operator-crds'], false],
    ]);
    for (const r of delivered(component)) expect(typeChain(await valueOf(r.urn))).toEqual(['toolhive-constructs:index:ToolhiveOperator', 'kubernetes:yaml/v2:ConfigGroup']);
    expect(await valueOf(component.releaseNames)).toEqual({ operator: 'toolhive-operator', crds: 'toolhive-operator-crds' });
    expect(resources).toMatchSnapshot();
  });

  test('helm, namespace mode: two helm.v3.Releases (OCI, pinned), CRDs first and retained', async () => {
    const provider = new kubernetes.Provider('us-east', { kubeconfig: 'unused' });
    const { seen, opts } = recordOptions();
    const { resources } = await deploy(() => new ToolhiveOperator('helm-op', { provider, delivery: 'helm', rbac: RbacScope.namespaces(['team-a', 'team-b']) }, opts));
    const releases = resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    const facts = releases.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace, r.inputs.name, r.inputs.skipCrds, r.provider]);
    expect(facts).toEqual([
      ['helm-op-toolhive-operator-crds', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds', TOOLHIVE_VERSION, 'toolhive-system', 'toolhive-operator-crds', false, 'us-east'],
      ['helm-op-toolhive-operator', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator', TOOLHIVE_VERSION, 'toolhive-system', 'toolhive-operator', true, 'us-east'],
    ]);
    expect(releases[1].inputs.values).toEqual({
      operator: { features: { storageVersionMigrator: false }, leaderElectionRole: { rules: leaderElectionRules() }, rbac: { allowedNamespaces: ['team-a', 'team-b'], scope: 'namespace' } },
    });
    expect(seen.get('helm-op-toolhive-operator-crds')!.retainOnDelete).toBe(true);
    expect(seen.get('helm-op-toolhive-operator')!.retainOnDelete).toBe(false);
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

  test('air gap: both charts from the mirror; plain HTTP and a CA file only where the Helm resource can use them', async () => {
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')), 'ca.pem');
    fs.writeFileSync(caFile, 'PEM');
    const mirror = { chartMirror: 'oci://127.0.0.1:5000/mirror', imageRegistry: 'registry.internal/mirror' };
    const v4 = await deploy(() => new ToolhiveOperator('ag-chart', {
      provider: new kubernetes.Provider('ag-chart', { kubeconfig: 'unused' }), delivery: 'helm', helmResource: 'chart', airGap: { ...mirror, caFile },
    }));
    const charts = v4.resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart');
    expect(charts.map((r) => [r.inputs.chart, !!r.inputs.repositoryOpts?.caFile])).toEqual([
      ['oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator-crds', true], ['oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator', true],
    ]);
    const http = await deploy(() => new ToolhiveOperator('ag-http', {
      provider: new kubernetes.Provider('ag-http', { kubeconfig: 'unused' }), delivery: 'helm', helmResource: 'chart', airGap: { ...mirror, plainHttp: true },
    }));
    expect(http.resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart').map((r) => r.inputs.plainHttp)).toEqual([true, true]);
    // pulumi-kubernetes' helm.v3.Release takes neither for an OCI registry: refused, saying what to do.
    const refused = issuesOf(() => new ToolhiveOperator('ag-release', {
      provider: new kubernetes.Provider('ag-release', { kubeconfig: 'unused' }), delivery: 'helm', airGap: { ...mirror, caFile },
    }));
    expect(refused).toEqual([{ path: 'airGap.caFile', message: expect.stringContaining('trust the mirror\'s CA where Pulumi runs') }]);
    const release = await deploy(() => new ToolhiveOperator('ag-ok', { provider: new kubernetes.Provider('ag-ok', { kubeconfig: 'unused' }), delivery: 'helm', airGap: mirror }));
    expect(release.resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => r.inputs.chart))
      .toEqual(['oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator-crds', 'oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator']);
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

  test('crds args reach the core whole: a key the core does not know is reported, not dropped', () => {
    const provider = new kubernetes.Provider('bad-crds', { kubeconfig: 'unused' });
    const issues = issuesOf(() => new ToolhiveOperator('bad-crds-op', { provider, crds: { keep: true, retain: true } as any }));
    expect(issues.map((i) => i.path)).toEqual(['operator.crds.retain']);
  });

  test('a validation error is a pulumi.ResourceError on the component, and still the ToolhiveValidationError with every issue', () => {
    let error: any;
    try {
      new ToolhiveOperator('two-problems', { provider: {} as any, rbac: { scope: 'namespace', allowedNamespaces: ['Nope'] }, helmOptions: { chart: 'x' } as any });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect(pulumi.ResourceError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(ToolhiveResourceError);
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect(error.cause).toBeInstanceOf(ToolhiveValidationError);
    expect(error.hideStack).toBe(true);
    expect(error.resource.__name).toBe('two-problems');
    // One error, every problem: the adapter's (provider, helmOptions) and the plan's.
    expect(error.issues.map((i: any) => i.path)).toEqual(['helmOptions.chart', 'operator.rbac.allowedNamespaces[0]', 'provider']);
    expect(error.message).toBe(error.cause.message);
    // A plain Error is not one.
    expect(new Error('x')).not.toBeInstanceOf(ToolhiveValidationError);
  });

  test('helmOptions reach every helm.v3.Release, chartOptions every helm.v4.Chart; what the plan sets is refused', async () => {
    const provider = new kubernetes.Provider('opts', { kubeconfig: 'unused' });
    const { resources } = await deploy(() => new ToolhiveOperator('opts-op', {
      provider, delivery: 'helm', helmOptions: { timeout: 900, atomic: true, maxHistory: 3 },
    }));
    const releases = resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    expect(releases.map((r) => [r.name, r.inputs.timeout, r.inputs.atomic, r.inputs.maxHistory, r.inputs.chart])).toEqual([
      ['opts-op-toolhive-operator-crds', 900, true, 3, 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds'],
      ['opts-op-toolhive-operator', 900, true, 3, 'oci://ghcr.io/stacklok/toolhive/toolhive-operator'],
    ]);
    const chart = await deploy(() => new ToolhiveOperator('copts-op', {
      provider: new kubernetes.Provider('copts', { kubeconfig: 'unused' }), delivery: 'helm', helmResource: 'chart', chartOptions: { resourcePrefix: 'thv', skipAwait: true },
    }));
    expect(chart.resources.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart').map((r) => [r.inputs.resourcePrefix, r.inputs.skipAwait])).toEqual([['thv', true], ['thv', true]]);
    const refused = issuesOf(() => new ToolhiveOperator('refused-op', {
      provider, delivery: 'helm', helmResource: 'nope' as any, helmOptions: { version: '9.9.9', values: {}, timeout: 1 } as any, chartOptions: [] as any,
    }));
    expect(refused.map((i) => i.path)).toEqual(['chartOptions', 'helmOptions.values', 'helmOptions.version', 'helmResource']);
  });

  test('resource transforms on the component reach every child', async () => {
    const provider = new kubernetes.Provider('tx', { kubeconfig: 'unused' });
    const { seen, opts } = recordOptions();
    await deploy(() => new ToolhiveOperator('tx-op', { provider, customResources: [mcpGroup()] }, opts));
    expect([...seen.keys()]).toEqual(expect.arrayContaining([
      'tx-op-toolhive-operator-namespace', 'tx-op-toolhive-operator-crds', 'tx-op-toolhive-operator', 'tx-op-toolhive-custom-resources',
      'tx-op-toolhive-custom-resources-mcpgroup-toolhive-system-team',
    ]));
  });

  test('deliverable(id) gives the resource of one part; an unknown id is a validation error naming the ids', async () => {
    const provider = new kubernetes.Provider('parts', { kubeconfig: 'unused' });
    const { component } = await deploy(() => new ToolhiveOperator('parts-op', { provider, customResources: [mcpGroup()] }));
    expect(component.deliverableIds()).toEqual(['toolhive-operator-namespace', 'toolhive-operator-crds', 'toolhive-operator', 'toolhive-custom-resources']);
    expect(typeChain(await valueOf(component.deliverable('toolhive-custom-resources').urn)))
      .toEqual(['toolhive-constructs:index:ToolhiveOperator', 'toolhive-constructs:index:ToolhiveCustomResources']);
    const issues = issuesOf(() => component.deliverable('crds'));
    expect(issues).toEqual([{ path: 'id', message: expect.stringContaining('"toolhive-operator-crds"') }]);
  });

  test('the CRDs are applied under the plan\'s fixed field manager, the other objects under Pulumi\'s own', async () => {
    const provider = new kubernetes.Provider('fm', { kubeconfig: 'unused' });
    await deploy(() => new ToolhiveOperator('fm-op', { provider }));
    const objs = (name: string) => recorded.find((r) => r.name === name)!.inputs.objs as any[];
    const managers = (name: string) => [...new Set(objs(name).map((o) => o.metadata.annotations?.['pulumi.com/patchFieldManager']))];
    expect(managers('fm-op-toolhive-operator-crds')).toEqual(['toolhive-constructs']);
    expect(managers('fm-op-toolhive-operator')).toEqual([undefined]);
    expect(managers('fm-op-toolhive-operator-namespace')).toEqual([undefined]);
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
          { name: 'production', cluster: 'prod', promotesFrom: 'staging', claims: { org: ['acme'] } },
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

  test('version pins the release: the platform\'s for every cluster, a cluster\'s own for that cluster', async () => {
    const west = new kubernetes.Provider('pin-west', { kubeconfig: 'unused' });
    const east = new kubernetes.Provider('pin-east', { kubeconfig: 'unused' });
    const { resources } = await deploy(() => new ToolhivePlatform('pinned', {
      delivery: 'helm',
      version: '0.50.0',
      clusters: {
        west: { role: 'workload', provider: west, toolhiveOperator: {} },
        east: { role: 'workload', provider: east, version: '0.59.0', toolhiveOperator: {} },
      },
    }));
    const releases = resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => [r.provider, r.inputs.chart.split('/').pop(), r.inputs.version]).sort();
    expect(releases).toEqual([
      ['pin-east', 'toolhive-operator', '0.59.0'], ['pin-east', 'toolhive-operator-crds', '0.59.0'],
      ['pin-west', 'toolhive-operator', '0.50.0'], ['pin-west', 'toolhive-operator-crds', '0.50.0'],
    ]);
  });

  test('the platform\'s endpoints are the plan\'s: a control cluster declared and sorted last, and no control cluster at all', async () => {
    const rs = (env: string, url: string) => standaloneRegistryServer(env, url) as any;
    const specs = {
      'control-last': {
        edition: 'open-source' as const,
        clusters: {
          'a-east': { role: 'workload' as const, toolhiveOperator: {} },
          'b-staging': { role: 'registry' as const, registryServer: rs('s', 'https://registry.staging.example.com') },
          'z-control': { role: 'control' as const, registryServer: rs('p', 'https://registry.example.com') },
        },
      },
      'no-control': {
        edition: 'open-source' as const,
        clusters: {
          'a-east': { role: 'workload' as const, toolhiveOperator: {} },
          'b-registry': { role: 'registry' as const, registryServer: rs('r', 'https://registry.example.com') },
        },
      },
    };
    for (const [name, spec] of Object.entries(specs)) {
      const plan = planPlatform(spec);
      // Every cluster is given the platform's endpoints: the plan states them once.
      for (const c of plan.clusters) expect(c.endpoints).toEqual(plan.endpoints);
      const clusters = Object.fromEntries(Object.entries(spec.clusters).map(([n, c]) => [n, { ...c, provider: new kubernetes.Provider(`ep-${name}-${n}`, { kubeconfig: 'unused' }) }]));
      const { component } = await deploy(() => new ToolhivePlatform(`ep-${name}`, { ...spec, clusters }));
      expect(await valueOf(component.endpoints)).toEqual(plan.endpoints);
      for (const n of Object.keys(spec.clusters)) expect(await valueOf(component.cluster(n).endpoints)).toEqual(plan.endpoints);
    }
    expect(planPlatform(specs['control-last']).endpoints).toEqual({ controlCluster: 'z-control', registryServer: 'https://registry.example.com' });
    expect(planPlatform(specs['no-control']).endpoints).toEqual({ registryServer: 'https://registry.example.com' });
  });

  test('one stack per cluster (onlyCluster): from one definition, each program deploys only its cluster; together they equal the whole platform', async () => {
    const definition = (providers: { [n: string]: kubernetes.Provider | undefined }) => ({
      edition: 'open-source' as const,
      clusters: {
        'control': { role: 'control' as const, provider: providers.control, registryServer: standaloneRegistryServer('p', 'https://registry.example.com') as any },
        'eu-west': { role: 'workload' as const, provider: providers['eu-west'], toolhiveOperator: { rbac: { scope: 'namespace' as const, allowedNamespaces: ['team-a'] } } },
        'us-east': { role: 'workload' as const, provider: providers['us-east'], toolhiveOperator: {} },
      },
    });
    const provider = (n: string) => new kubernetes.Provider(`k8s-${n}`, { kubeconfig: 'unused' });
    const whole = await deploy(() => new ToolhivePlatform('fleet', definition({ 'control': provider('control'), 'eu-west': provider('eu-west'), 'us-east': provider('us-east') })));
    const stacks: Awaited<ReturnType<typeof deploy<ToolhivePlatform>>>[] = [];
    for (const n of ['control', 'eu-west', 'us-east']) {
      // Each stack's program has only its own cluster's provider (kubeconfigs of the others are not needed).
      stacks.push(await deploy(() => new ToolhivePlatform('fleet', { ...definition({ [n]: provider(n) }), onlyCluster: n })));
    }
    const key = (r: any) => JSON.stringify([r.type, r.name, r.provider, r.inputs]);
    const deployed = (rs: any[]) => rs.filter((r) => !r.type.startsWith('pulumi:providers') && r.type !== 'toolhive-constructs:index:ToolhivePlatform').map(key).sort();
    // Each program creates only its cluster's resources, each through that cluster's provider.
    stacks.forEach((st, i) => {
      const n = ['control', 'eu-west', 'us-east'][i];
      const objects = st.resources.filter((r) => r.provider !== undefined);
      expect(objects.length).toBeGreaterThan(0);
      expect(new Set(objects.map((r) => r.provider))).toEqual(new Set([`k8s-${n}`]));
    });
    // Together they are the whole platform's resources, exactly.
    expect(stacks.flatMap((st) => deployed(st.resources)).sort()).toEqual(deployed(whole.resources));
    // Each knows the whole platform's endpoints, with no StackReference.
    for (const st of stacks) expect(await valueOf(st.component.endpoints)).toEqual(await valueOf(whole.component.endpoints));
    expect(await valueOf(stacks[1].component.endpoints)).toEqual({ controlCluster: 'control', registryServer: 'https://registry.example.com' });
    expect(() => stacks[1].component.cluster('control')).toThrow(/no cluster "control" deployed by this program; the clusters it deploys are "eu-west"/);
  });

  test('onlyCluster names a cluster of the platform, and a bad one is refused with the clusters named; the whole platform is still validated', () => {
    const clusters = { a: { role: 'workload' as const, toolhiveOperator: {} }, b: { role: 'workload' as const, toolhiveOperator: {} } };
    expect(issuesOf(() => new ToolhivePlatform('only-bad', { clusters, onlyCluster: 'c' }))).toEqual([
      { path: 'onlyCluster', message: 'expected the name of one of the platform\'s clusters ("a", "b"), got "c"' },
    ]);
    // A problem in another cluster is still reported: the definition is one.
    const broken = { ...clusters, a: { ...clusters.a, provider: new kubernetes.Provider('k8s-only-a', { kubeconfig: 'unused' }) }, b: { role: 'workload' as const, toolhiveOperator: { replicas: 'two' } as any } };
    expect(issuesOf(() => new ToolhivePlatform('only-broken', { clusters: broken, onlyCluster: 'a' })).map((i) => i.path)).toEqual(['clusters.b.toolhiveOperator.replicas']);
  });

  test('every cluster needs its provider', () => {
    expect(() => new ToolhivePlatform('noprov', { clusters: { a: { role: 'workload', toolhiveOperator: {} } as any } })).toThrow(/Cluster "a" needs an explicit kubernetes\.Provider/);
  });
});
