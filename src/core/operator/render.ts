import { IssueCollector } from '../errors';
import { GLOBAL_REDIS_SHAPE, OPERATOR_VALUES_SHAPE, OperatorChartValues, operatorChartDefaults, withoutLaterKeys } from './chart-values';
import { MANAGER_BINDING_NAME, MANAGER_ROLE_NAME, OPERATOR_MANAGER_RULES } from './manager-role';
import { helmInstallOrder, TemplateOutput } from '../helm/install-order';
import { mergeHelmValues } from '../helm/merge';
import { ChartNames, chartNames, checkRelease, ReleaseContext } from '../helm/release';
import { KubeObject } from '../k8s/objects';
import { checkRbacScope } from '../k8s/rbac-scope';
import { checkNulls, deletableBelow } from '../rules/helm-values';
import { checkEnvList } from '../rules/kube';
import { checkShape } from '../rules/shape';
import { isPlainObject, sortedKeys, truncName, truthy } from '../util';
import { isAtLeast, renderedVersionProblem, toolhiveRelease, TOOLHIVE_VERSION } from '../versions';

const CHART_NAME = 'toolhive-operator';

/** Why the chart refuses the migrator outside cluster scope, reworded. */
export const MIGRATOR_SCOPE_REASON =
  'the StorageVersionMigrator needs rbac.scope "cluster": it watches the cluster-scoped CustomResourceDefinitions '
  + 'and re-stores custom resources in every namespace, which a namespace-scoped operator cannot do; '
  + 'set operator.features.storageVersionMigrator to false for a namespace-scoped install';

/** The env vars the chart sets on the operator container, and what sets each. */
export const CHART_MANAGED_ENV: ReadonlyMap<string, string> = new Map([
  ['GOMEMLIMIT', 'the chart (operator.gc.gomemlimit)'],
  ['GOGC', 'the chart (operator.gc.gogc)'],
  ['UNSTRUCTURED_LOGS', 'the chart'],
  ['POD_NAMESPACE', 'the chart'],
  ['TOOLHIVE_USE_CONFIGMAP', 'the chart'],
  ['ENABLE_EXPERIMENTAL_FEATURES', 'the chart (features.experimental)'],
  ['TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR', 'the chart (features.storageVersionMigrator)'],
  ['WATCH_NAMESPACE', 'the chart in namespace scope (rbac: RbacScope.namespaces([...]))'],
  ['TOOLHIVE_RUNNER_IMAGE', 'the chart (images.proxyRunner)'],
  ['VMCP_IMAGE', 'the chart (images.vmcp)'],
  ['TOOLHIVE_PROXY_HOST', 'the chart (operator.proxyHost)'],
  ['TOOLHIVE_REGISTRY_API_IMAGE', 'the chart (images.registryApi)'],
  ['TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS', 'the chart (workloadImagePullSecrets)'],
  ['TOOLHIVE_DEFAULT_REDIS_ADDR', 'the chart (defaultRedis.address)'],
  ['TOOLHIVE_DEFAULT_REDIS_SECRET_NAME', 'the chart (defaultRedis.passwordSecret)'],
  ['TOOLHIVE_DEFAULT_REDIS_SECRET_KEY', 'the chart (defaultRedis.passwordSecret)'],
  ['TOOLHIVE_DEFAULT_REDIS_TLS_ENABLED', 'the chart (defaultRedis.tls, from ToolHive 0.59.0)'],
  ['TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_NAME', 'the chart (defaultRedis.tls.caCertSecret, from ToolHive 0.59.0)'],
  ['TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_KEY', 'the chart (defaultRedis.tls.caCertSecret, from ToolHive 0.59.0)'],
]);

/** Where the operator chart renders a deleted default as helm does: the maps it prints whole, the metrics it only tests. */
const operatorNulls = (version: string) => ({
  defaults: operatorChartDefaults(version),
  deletable: deletableBelow(
    ['operator.resources', 'operator.podSecurityContext', 'operator.containerSecurityContext', 'operator.livenessProbe', 'operator.readinessProbe',
      // From 0.59.0 the template reads a deleted tls map, or a deleted key in it, as unset.
      'operator.defaultRedis.tls'],
    ['operator.autoscaling.targetCPUUtilizationPercentage', 'operator.autoscaling.targetMemoryUtilizationPercentage', 'operator.defaultRedis.tls'],
  ),
});

/**
 * The chart's template history: templates that change from a release on, each modelled here
 * (`npm run upstream:add` reports template changes; each is added here once the renderer knows it).
 * @internal
 */
export const OPERATOR_TEMPLATE_HISTORY: readonly { readonly template: string; readonly since: string; readonly what: string }[] = [
  { template: 'templates/deployment.yaml', since: '0.59.0', what: 'operator.defaultRedis.tls: its rules and the TOOLHIVE_DEFAULT_REDIS_TLS_* env vars' },
];

/** Records why `version` is not a release the library renders. @internal */
export function checkRenderedVersion(version: unknown, issues: IssueCollector, path = 'version'): version is string {
  const problem = renderedVersionProblem(version);
  if (problem) issues.add(path, problem);
  return problem === undefined;
}

/**
 * Validates operator chart values (input keys and types, then the merged result) and
 * returns the merged values. Throws one {@link ToolhiveValidationError} listing every problem.
 * @internal
 */
export function resolveOperatorValues(
  values: OperatorChartValues | undefined, release: ReleaseContext, version: string = TOOLHIVE_VERSION,
): OperatorChartValues {
  const issues = new IssueCollector();
  if (!checkRenderedVersion(version, issues)) issues.throwIfAny('operator chart values');
  const given = withoutLaterKeys(values ?? {}, version, (path, message) => issues.add(path, message)) as OperatorChartValues;
  checkShape(given, OPERATOR_VALUES_SHAPE, '', issues, { nulls: true });
  checkNulls(given, '', issues, operatorNulls(version));
  if (given.global && isPlainObject(given.global.redis)) checkShape(given.global.redis, GLOBAL_REDIS_SHAPE, 'global.redis', issues, { nulls: true });
  checkRelease(release, issues);
  issues.throwIfAny('operator chart values');

  const v = mergeHelmValues(operatorChartDefaults(version), given);
  const op = v.operator ?? {};
  const scope = op.rbac?.scope;
  checkRbacScope(op.rbac, (rest) => `operator.rbac.${rest}`, 'operator', (p, m) => issues.add(p, m), true);
  if (truthy(op.features?.storageVersionMigrator) && scope !== 'cluster') {
    issues.add('operator.features.storageVersionMigrator', MIGRATOR_SCOPE_REASON);
  }
  (op.defaultImagePullSecrets ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') return;
    if (isPlainObject(entry)) {
      if (!truthy(entry.name)) issues.add(`operator.defaultImagePullSecrets[${i}]`, 'an object entry needs a non-empty `name`');
      return;
    }
    issues.add(`operator.defaultImagePullSecrets[${i}]`, `expected a Secret name or an object with a \`name\`, got ${goKind(entry)}`);
  });
  // The chart puts operator.env before its own entries: a name it also sets would be there twice.
  checkEnvList(op.env, 'operator.env', issues, CHART_MANAGED_ENV);
  if (op.autoscaling?.enabled && (op.autoscaling.minReplicas ?? 1) > (op.autoscaling.maxReplicas ?? 100)) {
    issues.add('operator.autoscaling.minReplicas', `${op.autoscaling.minReplicas} is more than maxReplicas (${op.autoscaling.maxReplicas})`);
  }
  if (isAtLeast(version, '0.59.0')) checkRedisTls(v, issues);
  issues.throwIfAny('operator chart values');
  return v;
}

/** The default Redis address the chart derives (`addr`, else `global.redis.host:port`), or "". */
function redisAddress(v: OperatorChartValues): string {
  const local = v.operator?.defaultRedis ?? {};
  const global = (v.global?.redis ?? {}) as NonNullable<NonNullable<OperatorChartValues['global']>['redis']>;
  if (local.addr) return local.addr;
  return global.host ? `${global.host}:${global.port || 6379}` : '';
}

/** The rules the chart (from 0.59.0) fails on for `operator.defaultRedis.tls`, with its reasons. */
function checkRedisTls(v: OperatorChartValues, issues: IssueCollector): void {
  const tls = v.operator?.defaultRedis?.tls ?? {};
  const ca = tls.caCertSecretRef ?? {};
  const at = 'operator.defaultRedis.tls';
  if (truthy(ca.name) && !truthy(tls.enabled)) issues.add(`${at}.caCertSecretRef.name`, `a CA certificate Secret needs ${at}.enabled: true`);
  if (truthy(ca.name) && !truthy(ca.key)) issues.add(`${at}.caCertSecretRef.key`, 'must be non-empty when name is set (the key of the CA certificate in the Secret, e.g. "ca.crt")');
  if (!truthy(ca.name) && (ca.key || 'ca.crt') !== 'ca.crt') issues.add(`${at}.caCertSecretRef.key`, `${JSON.stringify(ca.key)} needs a Secret: set ${at}.caCertSecretRef.name too`);
  if (truthy(tls.enabled) && !redisAddress(v)) issues.add(`${at}.enabled`, 'TLS to the default Redis needs its address: set operator.defaultRedis.addr or global.redis.host');
}

function goKind(value: unknown): string {
  if (value === null || value === undefined) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/**
 * Renders the `toolhive-operator` chart of a ToolHive release (as published) for `values`: the
 * objects `helm template <releaseName> -n <namespace>` prints, in Helm's install order.
 *
 * Values merge over that release's chart defaults with Helm's rules. Throws one
 * {@link ToolhiveValidationError} where the chart's render would fail, and also where it would
 * silently render a broken install (unknown keys, keys the release does not have yet, a scope
 * other than cluster/namespace, namespace scope with no namespaces, invalid namespace names).
 *
 * @param version a supported ToolHive release @default - the newest supported release
 */
export function renderOperatorChart(
  values: OperatorChartValues | undefined, release: ReleaseContext, version: string = TOOLHIVE_VERSION,
): KubeObject[] {
  return helmInstallOrder(renderOperatorChartTemplates(values, release, version));
}

/**
 * The operator chart's render, template by template (`templates/deployment.yaml`, ...), in the
 * chart's file order: what helm-unittest selects by template. {@link renderOperatorChart} puts
 * the objects in Helm's install order.
 * @internal
 */
export function renderOperatorChartTemplates(
  values: OperatorChartValues | undefined, release: ReleaseContext, version: string = TOOLHIVE_VERSION,
): TemplateOutput[] {
  const v = resolveOperatorValues(values, release, version);
  const ctx = new OperatorTemplateContext(v, release, version);
  return [
    { template: 'templates/serviceaccount.yaml', objects: ctx.serviceAccount() },
    { template: 'templates/clusterrole/role.yaml', objects: [ctx.managerRole()] },
    { template: 'templates/clusterrole/rolebinding.yaml', objects: ctx.managerBindings() },
    { template: 'templates/leader-election-role.yaml', objects: ctx.leaderElection() },
    { template: 'templates/deployment.yaml', objects: [ctx.deployment()] },
    { template: 'templates/hpa.yaml', objects: ctx.hpa() },
    { template: 'templates/image-discovery.yaml', objects: ctx.imageDiscovery() },
  ];
}

/** The operator chart's helpers and templates over resolved values. */
class OperatorTemplateContext {
  private readonly op: NonNullable<OperatorChartValues['operator']>;

  private namesCache?: ChartNames;

  constructor(private readonly v: OperatorChartValues, private readonly release: ReleaseContext, private readonly version: string) {
    this.op = v.operator ?? {};
  }

  private get names(): ChartNames {
    return (this.namesCache ??= chartNames(CHART_NAME, toolhiveRelease(this.version)!.operatorChartVersion, this.v, this.release));
  }

  private get name(): string {
    return this.names.name;
  }

  private get fullname(): string {
    return this.names.fullname;
  }

  private get serviceAccountName(): string {
    const sa = this.op.serviceAccount ?? {};
    if (sa.create) return sa.name || this.fullname;
    return sa.name || 'default';
  }

  private selectorLabels(): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.release.releaseName,
      'app.kubernetes.io/part-of': this.name,
    };
  }

  private commonLabels(): Record<string, string> {
    return {
      'helm.sh/chart': this.names.chartLabel,
      ...this.selectorLabels(),
      // The published chart's appVersion carries no leading `v`.
      'app.kubernetes.io/version': this.version,
      'app.kubernetes.io/managed-by': 'Helm',
    };
  }

  private subject() {
    return { kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.release.namespace };
  }

  serviceAccount(): KubeObject[] {
    const sa = this.op.serviceAccount ?? {};
    if (!truthy(sa.create)) return [];
    const metadata: Record<string, unknown> = {
      name: this.serviceAccountName,
      namespace: this.release.namespace,
      labels: {
        'app.kubernetes.io/name': 'toolhive-operator',
        'app.kubernetes.io/part-of': 'toolhive-operator',
        ...sortedKeys(sa.labels ?? {}),
      },
    };
    if (truthy(sa.annotations)) metadata.annotations = sortedKeys(sa.annotations);
    return [{
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata as KubeObject['metadata'],
      automountServiceAccountToken: sa.automountServiceAccountToken,
    }];
  }

  managerRole(): KubeObject {
    return {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: MANAGER_ROLE_NAME },
      rules: OPERATOR_MANAGER_RULES.map((r) => ({ apiGroups: [...r.apiGroups!], resources: [...r.resources!], verbs: [...r.verbs] })),
    };
  }

  managerBindings(): KubeObject[] {
    const rbac = this.op.rbac ?? {};
    const labels = { 'app': 'toolhive', 'app.kubernetes.io/name': 'toolhive' };
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: MANAGER_ROLE_NAME };
    if (rbac.scope === 'cluster') {
      return [{
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: MANAGER_BINDING_NAME, labels },
        roleRef,
        subjects: [this.subject()],
      }];
    }
    if (rbac.scope === 'namespace') {
      return (rbac.allowedNamespaces ?? []).map((ns) => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: MANAGER_BINDING_NAME, namespace: ns, labels: { ...labels } },
        subjects: [this.subject()],
        roleRef: { ...roleRef },
      }));
    }
    return [];
  }

  leaderElection(): KubeObject[] {
    const le = this.op.leaderElectionRole ?? {};
    const roleName = le.name ?? '';
    return [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: roleName, namespace: this.release.namespace, labels: this.commonLabels() },
        rules: sortedKeys(le.rules ?? null),
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: le.binding?.name ?? '', namespace: this.release.namespace, labels: this.commonLabels() },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: [this.subject()],
      },
    ];
  }

  private env(): Record<string, unknown>[] {
    const op = this.op;
    const env: Record<string, unknown>[] = [...sortedKeys(op.env ?? []) as unknown as Record<string, unknown>[]];
    const add = (name: string, value: unknown) => env.push({ name, value: value === undefined || value === null ? '' : String(value) });
    add('GOMEMLIMIT', op.gc?.gomemlimit);
    add('GOGC', op.gc?.gogc);
    add('UNSTRUCTURED_LOGS', 'false');
    env.push({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    add('TOOLHIVE_USE_CONFIGMAP', 'true');
    add('ENABLE_EXPERIMENTAL_FEATURES', op.features?.experimental ?? '');
    add('TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR', op.features?.storageVersionMigrator ?? '');
    if (op.rbac?.scope === 'namespace') add('WATCH_NAMESPACE', (op.rbac.allowedNamespaces ?? []).join(','));
    add('TOOLHIVE_RUNNER_IMAGE', op.toolhiveRunnerImage);
    add('VMCP_IMAGE', op.vmcpImage);
    add('TOOLHIVE_PROXY_HOST', op.proxyHost);
    add('TOOLHIVE_REGISTRY_API_IMAGE', this.v.registryAPI?.image);
    const pullSecrets = (op.defaultImagePullSecrets ?? []).map((e) => (typeof e === 'string' ? e : e.name));
    if (pullSecrets.length > 0) add('TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS', pullSecrets.join(','));
    const redis = this.redisDefaults();
    if (redis) {
      add('TOOLHIVE_DEFAULT_REDIS_ADDR', redis.addr);
      if (redis.secret) {
        add('TOOLHIVE_DEFAULT_REDIS_SECRET_NAME', redis.secret);
        add('TOOLHIVE_DEFAULT_REDIS_SECRET_KEY', redis.key);
      }
      // From 0.59.0 (before, the chart has no tls key and the values check refuses one).
      const tls = this.op.defaultRedis?.tls;
      if (truthy(tls?.enabled)) {
        add('TOOLHIVE_DEFAULT_REDIS_TLS_ENABLED', 'true');
        if (truthy(tls?.caCertSecretRef?.name)) {
          add('TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_NAME', tls!.caCertSecretRef!.name);
          add('TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_KEY', tls!.caCertSecretRef!.key || 'ca.crt');
        }
      }
    }
    return env;
  }

  private redisDefaults(): { addr: string; secret?: string; key?: string } | undefined {
    const local = this.op.defaultRedis ?? {};
    const global = (this.v.global?.redis ?? {}) as NonNullable<NonNullable<OperatorChartValues['global']>['redis']>;
    const addr = redisAddress(this.v);
    if (!addr) return undefined;
    const secret = local.existingSecret || global.existingSecret || '';
    if (!secret) return { addr };
    return { addr, secret, key: local.existingSecretKey || global.existingSecretKey || 'redis-password' };
  }

  deployment(): KubeObject {
    const op = this.op;
    const podMetadata: Record<string, unknown> = {};
    if (truthy(op.podAnnotations)) podMetadata.annotations = sortedKeys(op.podAnnotations);
    podMetadata.labels = { ...this.commonLabels(), ...sortedKeys(op.podLabels ?? {}) };

    const container: Record<string, unknown> = {
      name: 'manager',
      securityContext: sortedKeys(op.containerSecurityContext ?? null),
      image: op.image ?? '',
      imagePullPolicy: op.imagePullPolicy,
      args: ['--leader-elect'],
      ports: sortedKeys(op.ports ?? null),
      env: this.env(),
      livenessProbe: sortedKeys(op.livenessProbe ?? null),
      readinessProbe: sortedKeys(op.readinessProbe ?? null),
      resources: sortedKeys(op.resources ?? null),
    };
    if (truthy(op.volumeMounts)) container.volumeMounts = sortedKeys(op.volumeMounts);

    const podSpec: Record<string, unknown> = {};
    if (truthy(op.imagePullSecrets)) podSpec.imagePullSecrets = sortedKeys(op.imagePullSecrets);
    podSpec.serviceAccountName = this.serviceAccountName;
    podSpec.securityContext = sortedKeys(op.podSecurityContext ?? null);
    podSpec.terminationGracePeriodSeconds = 10;
    podSpec.containers = [container];
    if (truthy(op.volumes)) podSpec.volumes = sortedKeys(op.volumes);
    if (truthy(op.nodeSelector)) podSpec.nodeSelector = sortedKeys(op.nodeSelector);
    if (truthy(op.affinity)) podSpec.affinity = sortedKeys(op.affinity);
    if (truthy(op.tolerations)) podSpec.tolerations = sortedKeys(op.tolerations);

    const spec: Record<string, unknown> = {};
    if (!truthy(op.autoscaling?.enabled)) spec.replicas = op.replicaCount;
    spec.selector = { matchLabels: this.selectorLabels() };
    spec.template = { metadata: podMetadata, spec: podSpec };

    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.fullname, namespace: this.release.namespace, labels: this.commonLabels() },
      spec,
    };
  }

  hpa(): KubeObject[] {
    const as = this.op.autoscaling ?? {};
    if (!truthy(as.enabled)) return [];
    const metrics: unknown[] = [];
    const metric = (name: string, target: number | undefined) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization: target } },
    });
    if (truthy(as.targetCPUUtilizationPercentage)) metrics.push(metric('cpu', as.targetCPUUtilizationPercentage));
    if (truthy(as.targetMemoryUtilizationPercentage)) metrics.push(metric('memory', as.targetMemoryUtilizationPercentage));
    return [{
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: this.fullname, labels: this.commonLabels() },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.fullname },
        minReplicas: as.minReplicas,
        maxReplicas: as.maxReplicas,
        metrics: metrics.length > 0 ? metrics : null,
      },
    }];
  }

  imageDiscovery(): KubeObject[] {
    const op = this.op;
    if (!truthy(op.imageDiscovery?.enabled)) return [];
    const component = { 'app.kubernetes.io/component': 'image-discovery' };
    const labels = { ...this.commonLabels(), ...component };
    const container = (name: string, image: string | undefined) => ({
      name,
      securityContext: sortedKeys(op.containerSecurityContext ?? null),
      image: image ?? '',
      imagePullPolicy: op.imagePullPolicy,
      resources: sortedKeys(op.imageDiscovery?.resources ?? {}),
    });
    const podSpec: Record<string, unknown> = {};
    if (truthy(op.imagePullSecrets)) podSpec.imagePullSecrets = sortedKeys(op.imagePullSecrets);
    podSpec.securityContext = sortedKeys(op.podSecurityContext ?? null);
    podSpec.containers = [
      container('toolhive-runner', op.toolhiveRunnerImage),
      container('vmcp', op.vmcpImage),
      container('registry-api', this.v.registryAPI?.image),
    ];
    return [{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: truncName(`${this.fullname}-image-discovery`), namespace: this.release.namespace, labels },
      spec: {
        replicas: 0,
        selector: { matchLabels: { ...this.selectorLabels(), ...component } },
        template: { metadata: { labels: { ...labels } }, spec: podSpec },
      },
    }];
  }
}
