import { HelmReleaseDeliverable, ManifestsDeliverable, PlatformPlan, planPlatform, PlatformSpec, RbacScope } from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { centralized, cloudUi, enterpriseManager, layered, registryServer, standaloneRegistryServer } from '../../support/platform-fixtures';
import { seedValuesFlags } from '../../support/seed';

const cluster = (plan: PlatformPlan, name: string) => plan.clusters.find((c) => c.cluster === name)!;
const umbrella = (plan: PlatformPlan, name: string) => (cluster(plan, name).deliverables.find((d) => d.type === 'helm-release') as HelmReleaseDeliverable).release;
const values = (plan: PlatformPlan, name: string) => umbrella(plan, name).values as any;
const FLAGS = ['toolhiveOperator', 'enterpriseManager', 'cloudUi', 'registryServer', 'aiGateway'];
const flagsOf = (v: any) => Object.fromEntries(FLAGS.map((f) => [f, v[f].enabled]));

describe('the seed\'s four example values files', () => {
  const seed = seedValuesFlags();
  const maybe = seed ? test : test.skip;
  const c = planPlatform(centralized());
  const l = planPlatform(layered());

  maybe('control-cluster-values.yaml: the enable flags', () => {
    expect(flagsOf(values(c, 'control'))).toEqual(seed!.get('control-cluster-values.yaml'));
  });

  maybe('workload-cluster-values.yaml: the enable flags', () => {
    expect(flagsOf(values(c, 'eu-west'))).toEqual(seed!.get('workload-cluster-values.yaml'));
    expect(flagsOf(values(c, 'us-east'))).toEqual(seed!.get('workload-cluster-values.yaml'));
  });

  maybe('env-registry-values.yaml: the enable flags and the Registry Server config under toolhive-registry-server.upstream.config', () => {
    for (const env of ['staging', 'dev']) {
      const v = values(l, env);
      expect(flagsOf(v)).toEqual(seed!.get('env-registry-values.yaml'));
      expect(v['toolhive-registry-server'].upstream.config).toEqual(expect.objectContaining({ sources: expect.any(Array), registries: expect.any(Array), database: expect.any(Object) }));
    }
  });

  maybe('prod-values.yaml: the enable flags, and the Cloud UI pointed at its own Registry Server by Service DNS', () => {
    const v = values(l, 'prod');
    expect(flagsOf(v)).toEqual(seed!.get('prod-values.yaml'));
    expect(v['toolhive-cloud-ui'].apiBaseUrl).toBe('http://registry-api.stacklok-system.svc.cluster.local:8080');
    expect(v['toolhive-registry-server'].upstream.config.registries.map((r: any) => r.name)).toEqual(['production', 'staging', 'development']);
  });

  test('all five enable flags are explicit in every release', () => {
    for (const plan of [c, l]) {
      for (const cl of plan.clusters) {
        expect(Object.keys(values(plan, cl.cluster)).filter((k) => FLAGS.includes(k)).sort()).toEqual([...FLAGS].sort());
      }
    }
  });
});

describe('one umbrella release per cluster', () => {
  const plan = planPlatform(centralized());

  test('pinned chart, channel and version; release stacklok-enterprise in stacklok-system', () => {
    for (const cl of plan.clusters) {
      const helm = cl.deliverables.filter((d) => d.type === 'helm-release');
      expect(helm).toHaveLength(1);
      expect({ ...umbrella(plan, cl.cluster), values: undefined }).toEqual({
        chart: 'stacklok-enterprise-platform',
        repository: 'oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform',
        version: '1.4.0',
        releaseName: 'stacklok-enterprise',
        namespace: 'stacklok-system',
        values: undefined,
        skipCrds: false,
        // The umbrella's own images are its chart's business: the plan states the ones its values name (none here).
        images: [],
      });
    }
  });

  test('clusters are planned in name order', () => {
    expect(plan.clusters.map((x) => x.cluster)).toEqual(['control', 'eu-west', 'us-east']);
  });

  test('each cluster plan carries the facts adapters publish: the namespace and the umbrella release, by deliverable', () => {
    for (const cl of plan.clusters) {
      expect([cl.namespace, cl.releaseNames, cl.releases]).toEqual(['stacklok-system', ['stacklok-enterprise'], { 'stacklok-enterprise-platform': 'stacklok-enterprise' }]);
    }
  });

  test('the operator options compile under toolhive-operator.upstream (namespace mode, migrator off; the enterprise chart\'s own rules kept)', () => {
    expect(values(plan, 'eu-west')['toolhive-operator']).toEqual({
      upstream: { operator: { features: { storageVersionMigrator: false }, rbac: { allowedNamespaces: ['team-a', 'team-b'], scope: 'namespace' } } },
    });
  });

  test('secrets are only referenced: the Cloud UI\'s OIDC client secret and auth secret come from secretKeyRef env', () => {
    const ui = values(plan, 'control')['toolhive-cloud-ui'];
    expect(ui.env).toEqual([
      { name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { key: 'client-secret', name: 'cloud-ui-oidc' } } },
      { name: 'BETTER_AUTH_SECRET', valueFrom: { secretKeyRef: { key: 'secret', name: 'cloud-ui-auth' } } },
    ]);
    expect(JSON.stringify(ui)).not.toMatch(/clientSecret|"secret":/);
    expect(values(plan, 'control')['toolhive-registry-server'].upstream.extraEnv).toEqual([
      { name: 'THV_REGISTRY_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'registry-db-credentials' } } },
    ]);
  });

  test('the Enterprise Manager: identity, signing key reference, public URL, and the registry policy pointing at the control Registry Server', () => {
    const em = values(plan, 'control')['enterprise-manager'];
    expect(em.idpConfig).toEqual({ audience: 'enterprise-manager', idpType: 'okta', issuer: 'https://idp.example.com', requiredScope: 'toolhive:config:read' });
    expect(em.signingConfig).toEqual({ existingSecret: 'enterprise-manager-signing-key' });
    expect(em.resourceURL).toBe('https://config.example.com');
    expect(em.enterpriseConfig.registry).toEqual({ enforcement: 'enforced', value: { api_url: 'https://registry.example.com', server_api_url: 'https://registry.example.com' } });
  });

  test('air gap: every image from the mirror at the platform version, the pull secret, no Replicated', () => {
    const spec = centralized();
    const air = planPlatform({ ...spec, enterprise: { ...spec.enterprise!, airGap: { registry: 'mirror.example.com/stacklok', pullSecret: 'stacklok-enterprise-pull' } } });
    const v = values(air, 'control');
    expect(v.replicated).toEqual({ enabled: false });
    expect(v['enterprise-manager'].image).toEqual({ repository: 'mirror.example.com/stacklok/toolhive-enterprise', tag: '1.4.0' });
    expect(v['toolhive-cloud-ui'].image).toEqual({ repository: 'mirror.example.com/stacklok/cloud-ui', tag: '1.4.0' });
    expect(v['toolhive-registry-server'].upstream.image).toEqual({ registryServerUrl: 'mirror.example.com/stacklok/registry-api:1.4.0' });
    expect(v['toolhive-registry-server'].upstream.imagePullSecrets).toEqual([{ name: 'stacklok-enterprise-pull' }]);
    const op = values(air, 'eu-west')['toolhive-operator'].upstream;
    expect(op.operator.image).toBe('mirror.example.com/stacklok/operator:1.4.0');
    expect(op.operator.toolhiveRunnerImage).toBe('mirror.example.com/stacklok/proxyrunner:1.4.0');
    expect(op.operator.vmcpImage).toBe('mirror.example.com/stacklok/vmcp:1.4.0');
    expect(op.operator.defaultImagePullSecrets).toEqual(['stacklok-enterprise-pull']);
    expect(op.registryAPI.image).toBe('mirror.example.com/stacklok/registry-api:1.4.0');
  });

  test('global Redis and Postgres', () => {
    const plan2 = planPlatform({ ...centralized(), global: { redis: { host: 'valkey.cache', passwordSecret: { name: 'valkey-auth' } }, postgres: { host: 'pg.shared', sslMode: 'verify-full' } } });
    expect(values(plan2, 'eu-west').global).toEqual({
      postgres: { host: 'pg.shared', sslMode: 'verify-full' },
      redis: { existingSecret: 'valkey-auth', existingSecretKey: 'redis-password', host: 'valkey.cache' },
    });
  });

  test('every manifest object (namespace, endpoints) is schema-valid', () => {
    expectValidObjects(plan.clusters.flatMap((cl) => cl.deliverables.flatMap((d) => (d.type === 'manifests' ? d.objects : []))));
  });
});

describe('the open source edition\'s facts', () => {
  test('release names by deliverable, as Helm releases and as the manifests that mirror them', () => {
    for (const delivery of ['helm', 'manifests'] as const) {
      const plan = planPlatform({
        edition: 'open-source',
        delivery,
        clusters: {
          control: { role: 'control', registryServer: standaloneRegistryServer('p', 'https://registry.example.com') },
          eu: { role: 'workload', toolhiveOperator: { releaseName: 'thv', namespace: 'thv-system', crds: { releaseName: 'thv-crds' } } },
        },
      });
      expect(plan.clusters.map((c) => [c.cluster, c.namespace, c.releases])).toEqual([
        ['control', 'toolhive-system', { 'toolhive-registry-server': 'toolhive-registry-server' }],
        ['eu', 'toolhive-system', { 'toolhive-operator-crds': 'thv-crds', 'toolhive-operator': 'thv' }],
      ]);
      expect(cluster(plan, 'eu').releaseNames).toEqual(['thv-crds', 'thv']);
      if (delivery === 'helm') {
        const helmNames = cluster(plan, 'eu').deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release.releaseName] : []));
        expect(helmNames).toEqual(cluster(plan, 'eu').releaseNames);
      }
    }
  });
});

describe('wiring between clusters', () => {
  test('workload clusters receive the control cluster\'s external URLs without repeating them', () => {
    const plan = planPlatform(centralized());
    const eu = cluster(plan, 'eu-west');
    expect(eu.endpoints).toEqual({
      controlCluster: 'control',
      registryServer: 'https://registry.example.com',
      enterpriseManager: 'https://config.example.com',
      cloudUi: 'https://ui.example.com',
    });
    const cm = (eu.deliverables.find((d) => d.id === 'platform-endpoints') as ManifestsDeliverable).objects[0];
    expect(cm.data).toEqual({
      controlCluster: 'control',
      registryServerUrl: 'https://registry.example.com',
      enterpriseManagerUrl: 'https://config.example.com',
      cloudUiUrl: 'https://ui.example.com',
    });
  });

  test('a Cloud UI in a cluster without the Registry Server reaches it through the external URL', () => {
    const spec = centralized();
    const { registryServer: rs, ...control } = spec.clusters.control;
    const plan = planPlatform({ ...spec, clusters: { ...spec.clusters, control: { ...control, role: 'control' }, catalog: { role: 'registry', registryServer: rs } } });
    expect(values(plan, 'control')['toolhive-cloud-ui'].apiBaseUrl).toBe('https://registry.example.com');
    expect(values(plan, 'control')['toolhive-cloud-ui'].enterpriseManagerUrl).toBe('http://stacklok-enterprise-enterprise-manager.stacklok-system.svc.cluster.local');
    expect(values(plan, 'control')['enterprise-manager'].enterpriseConfig.registry.value.server_api_url).toBe('https://registry.example.com');
  });

  test('a cross-cluster reference in Service DNS is an error naming both clusters', () => {
    const spec = layered();
    const dedicated: PlatformSpec = {
      ...spec,
      clusters: {
        ...spec.clusters,
        prod: { ...spec.clusters.prod, cloudUi: cloudUi({ apiBaseUrl: 'http://registry-api.stacklok-system.svc.cluster.local:8080' }) },
        agg: { role: 'registry', registryServer: registryServer('agg', 'https://registry-agg.example.com') },
      },
      registryLayering: { ...spec.registryLayering!, aggregator: { cluster: 'agg' } },
    };
    expect(issuesOf(() => planPlatform(dedicated))).toEqual([{
      path: 'clusters.prod.cloudUi.apiBaseUrl',
      message: expect.stringMatching(/in-cluster Service DNS, but cluster "prod" reaches the aggregating Registry Server in cluster "agg"/),
    }]);
  });

  test('bare Service names and svc.namespace forms count as Service DNS too', () => {
    for (const url of ['http://registry-api:8080', 'http://registry-api.stacklok-system:8080', 'http://registry-api.stacklok-system.svc:8080']) {
      const spec = centralized();
      const em = { ...enterpriseManager(), policies: { registry: { value: { apiUrl: url } } } };
      const bad: PlatformSpec = { ...spec, clusters: { ...spec.clusters, control: { ...spec.clusters.control, enterpriseManager: em } } };
      expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual(['clusters.control.enterpriseManager.policies.registry.value.apiUrl']);
    }
  });

  describe('an external URL in Service DNS is refused, naming the cluster and the clusters that would receive it', () => {
    const SERVICE_DNS = [
      'https://toolhive-registry-server.toolhive-system.svc.cluster.local:8080',
      'https://toolhive-registry-server.toolhive-system.svc',
      'https://toolhive-registry-server.toolhive-system.svc.corp.internal',
      'https://registry.cluster.local',
      'https://REGISTRY.Toolhive-System.SVC.Cluster.Local.',
      'https://toolhive-registry-server',
      'https://toolhive-registry-server.toolhive-system',
    ];
    test.each(SERVICE_DNS)('registryServer.externalUrl %s (open source, workload clusters would receive it)', (url) => {
      const spec: PlatformSpec = {
        edition: 'open-source',
        clusters: {
          'control': { role: 'control', registryServer: standaloneRegistryServer('control', url) },
          'eu-west': { role: 'workload', toolhiveOperator: {} },
        },
      };
      expect(issuesOf(() => planPlatform(spec))).toEqual([{
        path: 'clusters.control.registryServer.externalUrl',
        message: `${JSON.stringify(url)} is in-cluster Service DNS, which resolves only inside cluster "control"; the Registry Server's external URL is how `
          + 'cluster "eu-west" and clients outside every cluster reach it: use its ingress URL, like "https://registry.example.com"',
      }]);
    });

    test('the Enterprise Manager\'s resourceUrl and the Cloud UI\'s url too; every reader named, at most three', () => {
      const spec = centralized();
      const bad: PlatformSpec = {
        ...spec,
        clusters: {
          ...spec.clusters,
          'control': {
            ...spec.clusters.control,
            enterpriseManager: { ...enterpriseManager(), resourceUrl: 'https://em.stacklok-system.svc.cluster.local' },
            cloudUi: cloudUi({ url: 'https://cloud-ui.stacklok-system.svc' }),
          },
          'ap-south': { role: 'workload', toolhiveOperator: {} },
          'sa-east': { role: 'workload', toolhiveOperator: {} },
        },
      };
      const issues = issuesOf(() => planPlatform(bad));
      expect(issues.map((i) => i.path)).toEqual(['clusters.control.cloudUi.url', 'clusters.control.enterpriseManager.resourceUrl']);
      expect(issues[1].message).toContain('the Enterprise Manager\'s external URL is how clusters "ap-south", "eu-west", "sa-east" and 1 more and clients outside every cluster reach it');
    });

    test('a layered environment\'s Registry Server names the aggregating cluster that reads it', () => {
      const spec = layered();
      const bad: PlatformSpec = {
        ...spec,
        clusters: { ...spec.clusters, staging: { ...spec.clusters.staging, registryServer: { ...spec.clusters.staging.registryServer!, externalUrl: 'https://registry-api.stacklok-system.svc.cluster.local' } } },
      };
      const issues = issuesOf(() => planPlatform(bad)).filter((i) => i.path === 'clusters.staging.registryServer.externalUrl');
      expect(issues).toEqual([{ path: 'clusters.staging.registryServer.externalUrl', message: expect.stringContaining('is how cluster "prod" and clients outside every cluster reach it') }]);
    });

    test('public hosts that merely contain the words are accepted', () => {
      for (const url of ['https://svc.example.com', 'https://registry.svcs.example.com', 'https://cluster.local.example.com', 'https://localhost:8443']) {
        const spec: PlatformSpec = { edition: 'open-source', clusters: { control: { role: 'control', registryServer: standaloneRegistryServer('control', url) } } };
        expect(planPlatform(spec).clusters.map((c) => c.cluster)).toEqual(['control']);
      }
    });
  });

  test('a same-cluster reference may use Service DNS (as the seed\'s production values do)', () => {
    const spec = layered();
    const ok: PlatformSpec = { ...spec, clusters: { ...spec.clusters, prod: { ...spec.clusters.prod, cloudUi: cloudUi({ apiBaseUrl: 'http://registry-api.stacklok-system.svc.cluster.local:8080' }) } } };
    expect(values(planPlatform(ok), 'prod')['toolhive-cloud-ui'].apiBaseUrl).toBe('http://registry-api.stacklok-system.svc.cluster.local:8080');
  });

  test('a user api source in Service DNS is cross-cluster, and one at the server\'s own URL points at itself', () => {
    const spec = centralized();
    const rs = standaloneRegistryServer('control', 'https://registry.example.com');
    const bad: PlatformSpec = {
      ...spec,
      clusters: {
        ...spec.clusters,
        control: {
          ...spec.clusters.control,
          registryServer: {
            ...rs,
            config: {
              ...rs.config,
              sources: [
                { name: 'other', api: { endpoint: 'http://registry-api.stacklok-system.svc.cluster.local:8080/registry/x' }, syncPolicy: { interval: '10m' } },
                { name: 'self', api: { endpoint: 'https://registry.example.com/registry/y' }, syncPolicy: { interval: '10m' } },
              ],
              registries: [{ name: 'r', sources: ['other', 'self'], claims: { org: 'acme' } }],
            },
          },
        },
      },
    };
    const issues = issuesOf(() => planPlatform(bad));
    expect(issues.map((i) => i.path)).toEqual([
      'clusters.control.registryServer.config.sources[0].api.endpoint',
      'clusters.control.registryServer.config.sources[1].api.endpoint',
    ]);
    expect(issues[1].message).toContain('points at this Registry Server itself');
  });
});

describe('layered registries (api promotion, the documented topology)', () => {
  const plan = planPlatform(layered());
  const config = (name: string) => values(plan, name)['toolhive-registry-server'].upstream.config;

  test('the aggregator defines its own gated registry and one per lower environment, backed by api sources', () => {
    const c = config('prod');
    expect(c.sources).toEqual([
      { claims: { org: 'acme' }, managed: {}, name: 'production-catalog' },
      { api: { endpoint: 'https://registry.staging.example.com/registry/staging' }, claims: { groups: ['mcp-reviewers', 'mcp-developers'] }, name: 'staging-upstream', syncPolicy: { interval: '10m' } },
      { api: { endpoint: 'https://registry.dev.example.com/registry/development' }, claims: { groups: ['mcp-developers', 'mcp-reviewers'] }, name: 'development-upstream', syncPolicy: { interval: '10m' } },
    ]);
    expect(c.registries.map((r: any) => [r.name, r.sources, r.claims])).toEqual([
      ['production', ['production-catalog'], { org: 'acme' }],
      ['staging', ['staging-upstream'], { groups: ['mcp-reviewers', 'mcp-developers'] }],
      ['development', ['development-upstream'], { groups: ['mcp-developers', 'mcp-reviewers'] }],
    ]);
  });

  test('api sources send no credentials: upstream instances make exactly the promoted registry readable without them', () => {
    expect(config('staging').auth.publicPaths).toEqual(['/registry/staging']);
    expect(config('dev').auth.publicPaths).toEqual(['/registry/development']);
    expect(config('prod').auth.publicPaths).toBeUndefined();
    expect(config('staging').sources).toEqual([{ claims: { groups: ['mcp-reviewers', 'mcp-developers'] }, managed: {}, name: 'staging-catalog' }]);
  });

  test('the Enterprise Manager pins CLI and Desktop to the production registry', () => {
    expect(values(plan, 'prod')['enterprise-manager'].enterpriseConfig.registry.value).toEqual({
      api_url: 'https://registry.example.com/registry/production',
      server_api_url: 'https://registry.example.com',
    });
  });

  test('a dedicated aggregating instance: it mirrors every environment and the Cloud UI points at it', () => {
    const spec = layered();
    const { cloudUi: ui, ...prod } = spec.clusters.prod;
    const dedicated: PlatformSpec = {
      ...spec,
      registryLayering: { ...spec.registryLayering!, aggregator: { cluster: 'agg' } },
      clusters: { ...spec.clusters, prod, agg: { role: 'control', cloudUi: ui, registryServer: registryServer('agg', 'https://registry-agg.example.com') } } as any,
    };
    const p = planPlatform({ ...dedicated, clusters: { ...dedicated.clusters, prod: { ...prod, role: 'registry', enterpriseManager: undefined } } as any });
    const agg = values(p, 'agg');
    expect(agg['toolhive-registry-server'].upstream.config.registries.map((r: any) => r.name)).toEqual(['production', 'staging', 'development']);
    expect(agg['toolhive-registry-server'].upstream.config.sources.map((s: any) => s.name)).toEqual(['production-upstream', 'staging-upstream', 'development-upstream']);
    expect(agg['toolhive-cloud-ui'].apiBaseUrl).toBe('http://registry-api.stacklok-system.svc.cluster.local:8080');
    expect(values(p, 'prod')['toolhive-registry-server'].upstream.config.auth.publicPaths).toEqual(['/registry/production']);
  });

  test('a promotion cycle', () => {
    const spec = layered();
    const envs = spec.registryLayering!.environments.map((e) => (e.name === 'development' ? { ...e, promotesFrom: 'production' } : e));
    const issues = issuesOf(() => planPlatform({ ...spec, registryLayering: { environments: envs } }));
    expect(issues.map((i) => i.path)).toEqual(['registryLayering.environments[0].promotesFrom', 'registryLayering.environments[1].promotesFrom', 'registryLayering.environments[2].promotesFrom']);
    expect(issues[0].message).toMatch(/promotion cycle: production <- staging <- development <- production/);
  });

  test('an api source that would point at its own instance (two environments on the aggregator\'s cluster... served by one instance)', () => {
    const spec = layered();
    const clusters = { ...spec.clusters, staging: { role: 'registry' as const, registryServer: registryServer('staging', 'https://registry.example.com') } };
    expect(issuesOf(() => planPlatform({ ...spec, clusters })).map((i) => i.path)).toEqual(['clusters.staging.registryServer.externalUrl']);
  });

  test('duplicate environment, source and registry names', () => {
    const spec = layered();
    const envs = [...spec.registryLayering!.environments, { name: 'staging', cluster: 'staging', claims: { org: 'acme' } }];
    expect(issuesOf(() => planPlatform({ ...spec, registryLayering: { environments: envs } })).map((i) => i.path)).toEqual(['registryLayering.environments[3].name']);
    const rs = registryServer('staging', 'https://registry.staging.example.com');
    const clash: PlatformSpec = {
      ...spec,
      clusters: {
        ...spec.clusters,
        staging: { role: 'registry', registryServer: { ...rs, config: { ...rs.config, sources: [{ name: 'staging-catalog', managed: {} }], registries: [{ name: 'staging', sources: ['staging-catalog'], claims: { org: 'a' } }] } } },
      },
    };
    expect(issuesOf(() => planPlatform(clash)).map((i) => i.path)).toEqual(expect.arrayContaining(['clusters.staging.registryServer.config.registries', 'clusters.staging.registryServer.config.sources']));
  });

  test('an environment without claims (only super-admins would see it)', () => {
    const spec = layered();
    const envs = spec.registryLayering!.environments.map((e) => (e.name === 'staging' ? { ...e, claims: {} } : e));
    expect(issuesOf(() => planPlatform({ ...spec, registryLayering: { environments: envs } })).map((i) => i.path)).toEqual(['registryLayering.environments[1].claims']);
  });

  test('a lower environment without an external URL', () => {
    const spec = layered();
    const clusters = { ...spec.clusters, dev: { role: 'registry' as const, registryServer: registryServer('development') } };
    const issues = issuesOf(() => planPlatform({ ...spec, clusters }));
    expect(issues).toEqual([{ path: 'clusters.dev.registryServer.externalUrl', message: expect.stringContaining('reads environment "development" across clusters') }]);
  });

  test('the open source edition refuses api promotion, explaining why, and offers git', () => {
    const spec = layered();
    const oss: PlatformSpec = {
      edition: 'open-source',
      registryLayering: { ...spec.registryLayering!, promotion: 'api' },
      clusters: { prod: { role: 'control', registryServer: registryServer('production', 'https://registry.example.com') }, staging: spec.clusters.staging, dev: spec.clusters.dev },
    };
    expect(issuesOf(() => planPlatform(oss))).toEqual([{ path: 'registryLayering.promotion', message: expect.stringMatching(/probes <endpoint>\/openapi\.yaml.*use promotion "git"/) }]);
  });
});

describe('git promotion', () => {
  const gitSpec = (): PlatformSpec => {
    const spec = layered();
    return { ...spec, registryLayering: { ...spec.registryLayering!, promotion: 'git', catalog: { repository: 'https://git.example.com/catalog.git' } } };
  };

  test('one catalog file on one branch, a tag filter per environment; no cross-instance traffic, no public paths', () => {
    const plan = planPlatform(gitSpec());
    const prod = values(plan, 'prod')['toolhive-registry-server'].upstream.config;
    expect(prod.sources.map((s: any) => [s.name, s.git.branch, s.git.path, s.filter.tags.include])).toEqual([
      ['production-catalog', 'main', 'registry.json', ['env:production']],
      ['staging-catalog', 'main', 'registry.json', ['env:staging']],
      ['development-catalog', 'main', 'registry.json', ['env:development']],
    ]);
    expect(prod.auth.publicPaths).toBeUndefined();
    const staging = values(plan, 'staging')['toolhive-registry-server'].upstream.config;
    expect(staging.sources).toEqual([{
      claims: { groups: ['mcp-reviewers', 'mcp-developers'] },
      filter: { tags: { include: ['env:staging'] } },
      git: { branch: 'main', path: 'registry.json', repository: 'https://git.example.com/catalog.git' },
      name: 'staging-catalog',
      syncPolicy: { interval: '10m' },
    }]);
    expect(staging.auth.publicPaths).toBeUndefined();
  });

  test('a Git ref per environment is refused, with the reason found against the real Registry Server', () => {
    const spec = gitSpec();
    const envs = spec.registryLayering!.environments.map((e) => (e.name === 'staging' ? { ...e, gitRef: { branch: 'staging' } } as any : e));
    expect(issuesOf(() => planPlatform({ ...spec, registryLayering: { ...spec.registryLayering!, environments: envs } }))).toEqual([
      { path: 'registryLayering.environments[1].gitRef', message: expect.stringContaining('examines one source per poll') },
    ]);
  });

  test('git promotion needs the catalog repository', () => {
    const spec = layered();
    expect(issuesOf(() => planPlatform({ ...spec, registryLayering: { ...spec.registryLayering!, promotion: 'git' } })).map((i) => i.path)).toEqual(['registryLayering.catalog.repository']);
  });
});

describe('whole-platform validation', () => {
  test('every problem of every cluster at once, each with its path', () => {
    const spec = centralized();
    const bad: PlatformSpec = {
      ...spec,
      clusters: {
        ...spec.clusters,
        'control': { ...spec.clusters.control, enterpriseManager: { ...enterpriseManager(), resourceUrl: 'config.example.com' } },
        'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a', 'Team_B']) } },
        'us-east': { role: 'workload', toolhiveOperator: { replicas: -1 }, registryServer: standaloneRegistryServer('x') },
      },
    };
    expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual([
      'clusters.control.enterpriseManager.resourceUrl',
      'clusters.eu-west.toolhiveOperator.rbac.allowedNamespaces[1]',
      'clusters.us-east.registryServer',
      'clusters.us-east.toolhiveOperator.replicas',
    ]);
  });

  test('an inline database password is an error', () => {
    const spec = centralized();
    const rs = standaloneRegistryServer('control', 'https://registry.example.com');
    const bad: PlatformSpec = { ...spec, clusters: { ...spec.clusters, control: { ...spec.clusters.control, registryServer: { ...rs, config: { ...rs.config, database: { ...rs.config.database, password: 'x' } as any } } } } };
    expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual(['clusters.control.registryServer.config.database.password']);
  });

  test('a Registry Server without any database credentials', () => {
    const spec = centralized();
    const bad: PlatformSpec = { ...spec, clusters: { ...spec.clusters, control: { ...spec.clusters.control, registryServer: { ...standaloneRegistryServer('c', 'https://r.example.com'), passwordSecret: undefined } } } };
    expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual(['clusters.control.registryServer.passwordSecret']);
  });

  test('enterprise components in the open source edition, and raw manifests of the enterprise umbrella', () => {
    const spec = centralized();
    expect(issuesOf(() => planPlatform({ ...spec, edition: 'open-source', enterprise: undefined })).map((i) => i.path)).toEqual(['clusters.control.cloudUi', 'clusters.control.enterpriseManager']);
    expect(issuesOf(() => planPlatform({ ...spec, delivery: 'manifests' }))).toEqual([{ path: 'delivery', message: expect.stringContaining('no public templates') }]);
  });

  test('two control clusters, unknown roles, components a role does not run, missing enterprise options', () => {
    const bad: PlatformSpec = {
      edition: 'enterprise',
      clusters: {
        a: { role: 'control', registryServer: standaloneRegistryServer('a', 'https://a.example.com') },
        b: { role: 'control', registryServer: standaloneRegistryServer('b', 'https://b.example.com'), enterpriseManager: enterpriseManager() },
        c: { role: 'edge' as any },
        d: { role: 'workload', toolhiveOperator: {}, cloudUi: cloudUi() },
      },
    };
    expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual(['clusters', 'clusters.c.role', 'clusters.d.cloudUi', 'enterprise']);
  });

  test('the same platform declared in a different order plans identically', () => {
    const spec = layered();
    const reversed: PlatformSpec = {
      ...spec,
      registryLayering: { environments: [...spec.registryLayering!.environments].reverse() },
      clusters: Object.fromEntries(Object.entries(spec.clusters).reverse()),
    };
    expect(JSON.stringify(planPlatform(reversed))).toBe(JSON.stringify(planPlatform(spec)));
  });
});
