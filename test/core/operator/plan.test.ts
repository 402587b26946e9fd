import {
  CrdSource, Delivery, HelmReleaseDeliverable, leaderElectionRules, ManifestsDeliverable, operatorValuesFor, planOperatorInstall, RbacScope,
  RENDERED_TOOLHIVE_VERSIONS, TOOLHIVE_VERSION, ToolhiveOperatorOptions,
} from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { envOf, findObject } from '../../support/objects';
import { restrictedViolations } from '../../support/pod-security';
import { toolhiveUpstream } from '../../support/upstream';

const source = CrdSource.fromDirectory(toolhiveUpstream().crdsDir);
/** What every install of a rendered version adds to the chart's defaults: core events for leader election. */
const LE = { leaderElectionRole: { rules: leaderElectionRules() } };
const plan = (o: ToolhiveOperatorOptions = {}, delivery: Delivery = Delivery.MANIFESTS) =>
  planOperatorInstall({ ...o, crds: { source, ...o.crds } }, { delivery });
const manifests = (o: ToolhiveOperatorOptions = {}) => plan(o).deliverables.find((d) => d.id === 'toolhive-operator') as ManifestsDeliverable;

describe('the plan', () => {
  test('namespace, then CRDs, then the operator depending on them', () => {
    const p = plan();
    expect(p.deliverables.map((d) => [d.id, d.type, d.dependsOn])).toEqual([
      ['toolhive-operator-namespace', 'manifests', []],
      ['toolhive-operator-crds', 'manifests', ['toolhive-operator-namespace']],
      ['toolhive-operator', 'manifests', ['toolhive-operator-namespace', 'toolhive-operator-crds']],
    ]);
    expect(p.deliverables.map((d) => d.retainOnDelete)).toEqual([false, true, false]);
  });

  test('the namespace enforces the Pod Security "restricted" profile', () => {
    const ns = (plan().deliverables[0] as ManifestsDeliverable).objects[0];
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('raw manifests place namespace-less namespaced objects in the release namespace, as helm install does', () => {
    const hpa = findObject(manifests({ autoscaling: { maxReplicas: 3 } }).objects, 'HorizontalPodAutoscaler');
    expect(hpa.metadata.namespace).toBe('toolhive-system');
  });

  test('every object of a full plan is schema-valid and every pod meets "restricted"', () => {
    const all = plan({ rbac: RbacScope.namespaces(['team-a']), imageDiscovery: true, autoscaling: {} }).deliverables
      .flatMap((d) => (d.type === 'manifests' ? d.objects : []));
    expectValidObjects(all);
    expect(restrictedViolations(all)).toEqual([]);
  });

  test('crds.install=false leaves the CRDs to someone else: no CRD deliverable, no dependency', () => {
    const p = plan({ crds: { install: false } });
    expect(p.deliverables.map((d) => d.id)).toEqual(['toolhive-operator-namespace', 'toolhive-operator']);
    expect(p.deliverables[1].dependsOn).toEqual(['toolhive-operator-namespace']);
  });

  test('createNamespace=false: no namespace deliverable', () => {
    expect(plan({ createNamespace: false }).deliverables.map((d) => d.id)).toEqual(['toolhive-operator-crds', 'toolhive-operator']);
  });

  test('the same options give an identical plan', () => {
    const o = { rbac: RbacScope.namespaces(['b', 'a']), workloadImagePullSecrets: ['x'] };
    expect(JSON.stringify(plan(o))).toBe(JSON.stringify(plan(o)));
  });
});

describe('helm delivery', () => {
  const p = plan({ rbac: RbacScope.namespaces(['team-a', 'team-b']), replicas: 2 }, Delivery.HELM);

  test('two OCI releases, pinned, in the operator namespace, CRDs first', () => {
    const [crds, operator] = p.deliverables.slice(1) as HelmReleaseDeliverable[];
    expect(crds.release).toEqual({
      chart: 'toolhive-operator-crds',
      repository: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds',
      version: TOOLHIVE_VERSION,
      releaseName: 'toolhive-operator-crds',
      namespace: 'toolhive-system',
      values: { crds: { install: true, keep: true } },
      skipCrds: false,
      images: [],
    });
    expect(operator.release.repository).toBe('oci://ghcr.io/stacklok/toolhive/toolhive-operator');
    expect(operator.release.version).toBe(TOOLHIVE_VERSION);
    expect(operator.dependsOn).toContain('toolhive-operator-crds');
  });

  test('values hold only what differs from the chart defaults', () => {
    const operator = p.deliverables[2] as HelmReleaseDeliverable;
    expect(operator.release.values).toEqual({
      operator: {
        ...LE,
        rbac: { scope: 'namespace', allowedNamespaces: ['team-a', 'team-b'] },
        features: { storageVersionMigrator: false },
        replicaCount: 2,
      },
    });
  });

  test('another version is accepted for Helm delivery and its values pass through', () => {
    const other = plan({ version: '0.45.1', values: { operator: { someNewKey: true } } as any }, Delivery.HELM);
    const operator = other.deliverables[2] as HelmReleaseDeliverable;
    expect(operator.release.version).toBe('0.45.1');
    expect(operator.release.values).toEqual({ operator: { someNewKey: true } });
    // A release the library does not render: the images are the ones its values name (none here).
    expect(operator.release.images).toEqual([]);
  });

  test('the operator release states the images its pods pull: the chart defaults of its release, with the values over them', () => {
    const operator = p.deliverables[2] as HelmReleaseDeliverable;
    expect(operator.release.images).toEqual([
      'ghcr.io/stacklok/thv-registry-api:v1.5.3',
      `ghcr.io/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`,
      `ghcr.io/stacklok/toolhive/proxyrunner:v${TOOLHIVE_VERSION}`,
      `ghcr.io/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`,
    ]);
    const own = plan({ values: { operator: { image: 'registry.example.com/operator:v1' } } }, Delivery.HELM).deliverables[2] as HelmReleaseDeliverable;
    expect(own.release.images).toContain('registry.example.com/operator:v1');
    expect(own.release.images).not.toContain(`ghcr.io/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
  });

  test('another version is refused for raw rendering, naming the rendered versions', () => {
    expect(issuesOf(() => plan({ version: '0.45.1' }))).toEqual([
      {
        path: 'operator.version',
        message: expect.stringContaining(`ToolHive 0.45.1 is not a release the library supports, so it cannot be rendered as raw manifests; supported releases: ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}.`),
      },
    ]);
  });
});

describe('intent compiles to chart values', () => {
  test('cluster scope by default: nothing to override but the leader-election Role\'s core events', () => {
    expect(operatorValuesFor({})).toEqual({ operator: LE });
  });

  test('the leader-election Role also grants core/v1 events (create, patch), which the operator\'s leader election uses', () => {
    // Found by the real-component suite: controller-runtime 0.23 records the LeaderElection event
    // through core/v1 Events, and the chart's Role grants events.k8s.io only.
    const role = findObject(manifests({}).objects, 'Role', 'toolhive-operator-leader-election-role');
    expect(role.rules).toHaveLength(4);
    expect(role.rules.slice(0, 3)).toEqual(findObject(manifests({}).objects, 'Role').rules.slice(0, 3));
    expect(role.rules[2]).toEqual({ apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] });
    expect(role.rules[3]).toEqual({ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] });
  });

  test('every rendered object carries the install label, for pruning', () => {
    const p = plan({ rbac: RbacScope.namespaces(['team-a']) });
    const objects = p.deliverables.flatMap((d) => (d.type === 'manifests' ? d.objects : []));
    expect(new Set(objects.map((o) => o.metadata.labels?.['toolhive-constructs.dev/install']))).toEqual(new Set(['toolhive-system.toolhive-operator']));
  });

  test('moving between cluster and namespace mode is one prop', () => {
    const ns = manifests({ rbac: RbacScope.namespaces(['team-a']) }).objects;
    const cl = manifests({ rbac: RbacScope.cluster() }).objects;
    expect(ns.filter((o) => o.kind === 'RoleBinding').map((o) => o.metadata.namespace)).toEqual(['team-a', 'toolhive-system']);
    expect(ns.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
    expect(cl.some((o) => o.kind === 'ClusterRoleBinding')).toBe(true);
    expect(new Map(envOf(findObject(ns, 'Deployment'))).get('TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR')).toBe('false');
    expect(new Map(envOf(findObject(cl, 'Deployment'))).get('TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR')).toBe('true');
  });

  test('autoscaling', () => {
    expect(operatorValuesFor({ autoscaling: { minReplicas: 2, maxReplicas: 5, targetMemoryUtilizationPercent: 70 } })).toEqual({
      operator: { ...LE, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetMemoryUtilizationPercentage: 70 } },
    });
  });

  test('one registry override rewrites every default image, for air-gapped clusters', () => {
    const v = operatorValuesFor({ images: { registry: 'mirror.internal:5000/ghcr' } });
    expect(v).toEqual({
      operator: {
        ...LE,
        image: `mirror.internal:5000/ghcr/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`,
        toolhiveRunnerImage: `mirror.internal:5000/ghcr/stacklok/toolhive/proxyrunner:v${TOOLHIVE_VERSION}`,
        vmcpImage: `mirror.internal:5000/ghcr/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`,
      },
      registryAPI: { image: 'mirror.internal:5000/ghcr/stacklok/thv-registry-api:v1.5.3' },
    });
  });

  test('an explicit image wins over the registry override', () => {
    const v = operatorValuesFor({ images: { registry: 'mirror.internal', operator: 'other.example/op:1' } });
    expect(v.operator!.image).toBe('other.example/op:1');
    expect(v.operator!.vmcpImage).toBe(`mirror.internal/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`);
  });

  test('default Redis with the password from an existing Secret: only the reference is rendered', () => {
    const objects = manifests({ defaultRedis: { address: 'redis.cache.svc:6379', passwordSecret: { name: 'redis-auth', key: 'password' } } }).objects;
    const env = new Map(envOf(findObject(objects, 'Deployment')));
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_ADDR')).toBe('redis.cache.svc:6379');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_NAME')).toBe('redis-auth');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_KEY')).toBe('password');
  });

  test('pull secrets, resources, scheduling, pod metadata, env', () => {
    const v = operatorValuesFor({
      imagePullSecrets: ['regcred'],
      workloadImagePullSecrets: ['a', 'b'],
      resources: { requests: { cpu: '50m' } },
      scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
      podAnnotations: { a: 'b' },
      env: [{ name: 'TOOLHIVE_SKIP_UPDATE_CHECK', value: 'true' }],
      features: { experimental: true },
      imageDiscovery: true,
    });
    expect(v.operator).toEqual({
      ...LE,
      imagePullSecrets: [{ name: 'regcred' }],
      defaultImagePullSecrets: ['a', 'b'],
      resources: { requests: { cpu: '50m' } },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      podAnnotations: { a: 'b' },
      env: [{ name: 'TOOLHIVE_SKIP_UPDATE_CHECK', value: 'true' }],
      features: { experimental: true },
      imageDiscovery: { enabled: true },
    });
  });

  test('the values escape hatch is merged last; null there still deletes a chart default', () => {
    const objects = manifests({ replicas: 2, values: { operator: { proxyHost: '0.0.0.0', resources: { limits: null as any } } } }).objects;
    const d = findObject(objects, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' } });
    expect(d.spec.template.spec.containers[0].env).toContainEqual({ name: 'TOOLHIVE_PROXY_HOST', value: '0.0.0.0' });
  });

  test('values that set what a typed option sets are a conflict, not a silent winner', () => {
    expect(issuesOf(() => manifests({ replicas: 2, values: { operator: { replicaCount: 3 } } }))).toEqual([{
      path: 'operator.values.operator.replicaCount',
      message: 'conflicts with the typed option replicas, which sets it: set it in one place only (remove one of them)',
    }]);
    expect(issuesOf(() => manifests({ rbac: RbacScope.namespaces(['team-a']), values: { operator: { rbac: { scope: 'cluster' } } } })).map((i) => i.path))
      .toEqual(['operator.values.operator.rbac']);
  });
});

describe('validation: one rule, one test', () => {
  const only = (o: ToolhiveOperatorOptions) => issuesOf(() => plan(o));

  test('namespace names must be DNS-1123 labels', () => {
    expect(only({ rbac: RbacScope.namespaces(['team-a', 'Team_A']) })).toEqual([
      { path: 'operator.rbac.allowedNamespaces[1]', message: expect.stringMatching(/^"Team_A" is not a valid namespace name/) },
    ]);
  });

  test('namespace scope needs namespaces', () => {
    expect(only({ rbac: RbacScope.namespaces([]) }).map((i) => i.path)).toEqual(['operator.rbac.allowedNamespaces']);
  });

  test('a namespace listed twice', () => {
    expect(only({ rbac: RbacScope.namespaces(['a', 'a']) }).map((i) => i.path)).toEqual(['operator.rbac.allowedNamespaces[1]']);
  });

  test('an unknown scope', () => {
    expect(only({ rbac: { scope: 'global' as any } }).map((i) => i.path)).toEqual(['operator.rbac.scope']);
  });

  test('namespaces given in cluster scope', () => {
    expect(only({ rbac: { scope: 'cluster', allowedNamespaces: ['a'] } }).map((i) => i.path)).toEqual(['operator.rbac.allowedNamespaces']);
  });

  test('asking for the migrator in namespace mode is an error with the reason', () => {
    expect(only({ rbac: RbacScope.namespaces(['a']), features: { storageVersionMigrator: true } })).toEqual([
      { path: 'operator.features.storageVersionMigrator', message: expect.stringContaining('cluster-scoped CustomResourceDefinitions') },
    ]);
  });

  test('replicas and autoscaling together', () => {
    expect(only({ replicas: 2, autoscaling: {} }).map((i) => i.path)).toEqual(['operator.replicas']);
  });

  test('negative or fractional replicas', () => {
    expect(only({ replicas: 1.5 }).map((i) => i.path)).toEqual(['operator.replicas']);
  });

  test('autoscaling bounds', () => {
    expect(only({ autoscaling: { minReplicas: 5, maxReplicas: 2, targetCpuUtilizationPercent: 150 } }).map((i) => i.path))
      .toEqual(['operator.autoscaling.minReplicas', 'operator.autoscaling.targetCpuUtilizationPercent']);
  });

  test('a registry override with a scheme', () => {
    expect(only({ images: { registry: 'https://mirror.internal' } }).map((i) => i.path)).toEqual(['operator.images.registry']);
  });

  test('a registry override for another version needs the Registry API image', () => {
    expect(issuesOf(() => plan({ version: '0.45.1', images: { registry: 'mirror.internal' } }, Delivery.HELM)).map((i) => i.path))
      .toEqual(['operator.images.registryApi']);
  });

  test('an empty image reference', () => {
    expect(only({ images: { vmcp: ' ' } }).map((i) => i.path)).toEqual(['operator.images.vmcp']);
  });

  test('an unknown pull policy', () => {
    expect(only({ images: { pullPolicy: 'Sometimes' as any } }).map((i) => i.path)).toEqual(['operator.images.pullPolicy']);
  });

  test('a Redis address that is not host:port', () => {
    expect(only({ defaultRedis: { address: 'redis://cache' } }).map((i) => i.path)).toEqual(['operator.defaultRedis.address']);
  });

  test('an invalid Redis password Secret reference', () => {
    expect(only({ defaultRedis: { address: 'r:6379', passwordSecret: { name: 'Bad Name', key: 'a b' } } }).map((i) => i.path))
      .toEqual(['operator.defaultRedis.passwordSecret.key', 'operator.defaultRedis.passwordSecret.name']);
  });

  test('invalid pull secret names', () => {
    expect(only({ imagePullSecrets: ['ok', 'NOT_OK'], workloadImagePullSecrets: [''] }).map((i) => i.path))
      .toEqual(['operator.imagePullSecrets[1]', 'operator.workloadImagePullSecrets[0]']);
  });

  test('a secret-looking env var inlined instead of referenced', () => {
    expect(only({ env: [{ name: 'API_TOKEN', value: 'abc' }] })).toEqual([
      { path: 'operator.env[0].value', message: expect.stringContaining('secretKeyRef') },
    ]);
    expect(() => plan({ env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })).not.toThrow();
  });

  test('an env var with both or neither of value and valueFrom', () => {
    expect(only({ env: [{ name: 'A' }] }).map((i) => i.path)).toEqual(['operator.env[0]']);
  });

  test('an invalid operator namespace', () => {
    expect(only({ namespace: 'ToolHive' }).map((i) => i.path)).toEqual(['operator.namespace']);
  });

  test('the same release name for CRDs and operator', () => {
    expect(only({ crds: { releaseName: 'toolhive-operator' } }).map((i) => i.path)).toEqual(['operator.crds.releaseName']);
  });

  test('a version that is not X.Y.Z', () => {
    expect(issuesOf(() => plan({ version: 'latest' }, Delivery.HELM)).map((i) => i.path)).toEqual(['operator.version']);
  });

  test('an unknown delivery', () => {
    expect(issuesOf(() => plan({}, 'kustomize' as any)).map((i) => i.path)).toEqual(['delivery']);
  });

  test('unknown keys in the values escape hatch are rejected, under operator.values', () => {
    expect(only({ values: { operator: { replicas: 2 } } as any }).map((i) => i.path)).toEqual(['operator.values.operator.replicas']);
  });

  test('every problem of every field at once, sorted by path', () => {
    const issues = only({
      namespace: 'Bad',
      rbac: RbacScope.namespaces(['Team_A']),
      features: { storageVersionMigrator: true },
      replicas: -1,
      images: { pullPolicy: 'x' as any },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'operator.features.storageVersionMigrator',
      'operator.images.pullPolicy',
      'operator.namespace',
      'operator.rbac.allowedNamespaces[0]',
      'operator.replicas',
    ]);
    expect(() => plan({ namespace: 'Bad', replicas: -1 })).toThrow(/Invalid ToolHive operator install \(2 problems\):\n {2}- operator\.namespace: .*\n {2}- operator\.replicas: /);
  });
});
