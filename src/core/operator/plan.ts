import { renderCrdsChart } from '../crds/render';
import { checkCustomResources, ToolhiveCustomResource } from '../crds/resources';
import { CrdSource } from '../crds/source';
import { collectFrom, IssueCollector } from '../errors';
import { checkForbiddenKeys } from '../rules/keys';
import { dns1123LabelProblem } from '../k8s/names';
import { KubeObject } from '../k8s/objects';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { restrictedNamespace } from '../k8s/namespace';
import { inReleaseNamespace } from '../k8s/scope';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery } from '../plan';
import { mergeOverrides } from '../helm/merge';
import { deepClone, isPlainObject, JsonObject, sortedKeys } from '../util';
import {
  DEFAULT_CRDS_RELEASE, DEFAULT_OPERATOR_NAMESPACE, DEFAULT_OPERATOR_RELEASE, isRenderedVersion,
  OPERATOR_CHART, OPERATOR_CRDS_CHART, RENDERED_TOOLHIVE_VERSIONS, TOOLHIVE_VERSION,
} from '../versions';
import { PolicyRule } from '../k8s/types';
import { OperatorChartValues, operatorChartDefaults } from './chart-values';
import { ToolhiveOperatorOptions } from './options';
import { MIGRATOR_SCOPE_REASON, renderOperatorChart, resolveOperatorValues } from './render';

/** Ids of the operator install's deliverables. */
export const OPERATOR_DELIVERABLES = {
  namespace: 'toolhive-operator-namespace',
  crds: 'toolhive-operator-crds',
  operator: 'toolhive-operator',
  customResources: 'toolhive-custom-resources',
};

/** Options of {@link planOperatorInstall}. */
export interface PlanOperatorOptions {
  /** How the CRDs and the operator are delivered. @default "manifests" */
  readonly delivery?: Delivery;
  /** Name of the cluster the plan is for. @default "default" */
  readonly cluster?: string;
  /** Prefix of the paths in validation errors. @default "operator" */
  readonly path?: string;
}

/**
 * Compiles operator options to the chart values that differ from the chart defaults
 * (what a hand-written values.yaml would hold). Throws one validation error listing
 * every problem, with paths under `path`.
 */
export function operatorValuesFor(options: ToolhiveOperatorOptions, path = 'operator'): OperatorChartValues {
  const issues = new IssueCollector();
  checkForbiddenKeys(options, path, issues);
  const values = compile(options, issues, path);
  issues.throwIfAny('operator options');
  return values;
}

function compile(o: ToolhiveOperatorOptions, issues: IssueCollector, path: string): OperatorChartValues {
  const p = (rest: string) => (path ? `${path}.${rest}` : rest);
  const version = o.version ?? TOOLHIVE_VERSION;
  const operator: Record<string, any> = {};

  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)) {
    issues.add(p('version'), `${JSON.stringify(version)} is not a chart version; expected X.Y.Z, e.g. "${TOOLHIVE_VERSION}"`);
  }

  // RBAC
  const scope = o.rbac?.scope ?? 'cluster';
  if (scope !== 'cluster' && scope !== 'namespace') {
    issues.add(p('rbac.scope'), `${JSON.stringify(scope)} is not valid; use RbacScope.cluster() or RbacScope.namespaces([...])`);
  }
  const namespaces = [...(o.rbac?.allowedNamespaces ?? [])];
  if (scope === 'namespace') {
    if (namespaces.length === 0) issues.add(p('rbac.allowedNamespaces'), 'namespace scope needs at least one namespace');
    const seen = new Set<string>();
    namespaces.forEach((ns, i) => {
      const problem = dns1123LabelProblem(ns);
      if (problem) issues.add(p(`rbac.allowedNamespaces[${i}]`), `${JSON.stringify(ns)} is not a valid namespace name (${problem})`);
      else if (seen.has(ns)) issues.add(p(`rbac.allowedNamespaces[${i}]`), `${JSON.stringify(ns)} is listed twice`);
      seen.add(ns);
    });
    // A set of namespaces: sorted, so the output does not depend on the order they were listed in.
    operator.rbac = { scope: 'namespace', allowedNamespaces: [...namespaces].sort() };
  } else if (scope === 'cluster' && namespaces.length > 0) {
    issues.add(p('rbac.allowedNamespaces'), 'only used in namespace scope; use RbacScope.namespaces([...]) to restrict the operator');
  }

  // The leader election of the operator (controller-runtime 0.23) records its event through the
  // core/v1 Events API, which the chart's leader-election Role does not grant (it grants
  // events.k8s.io only): the library adds core events (create, patch) to that Role.
  // Only for the versions the library renders: another chart's default rules are unknown here.
  if (isRenderedVersion(version)) operator.leaderElectionRole = { rules: leaderElectionRules() };

  // Features
  const features: Record<string, boolean> = {};
  if (o.features?.experimental !== undefined) features.experimental = o.features.experimental;
  if (scope === 'namespace') {
    if (o.features?.storageVersionMigrator === true) {
      issues.add(p('features.storageVersionMigrator'), `cannot be on in namespace scope: ${MIGRATOR_SCOPE_REASON.replace(/; set operator\.features.*$/, '')}`);
    }
    features.storageVersionMigrator = false;
  } else if (o.features?.storageVersionMigrator !== undefined) {
    features.storageVersionMigrator = o.features.storageVersionMigrator;
  }
  if (Object.keys(features).length > 0) operator.features = features;

  // Replicas or autoscaling
  if (o.replicas !== undefined && o.autoscaling !== undefined) {
    issues.add(p('replicas'), 'set either replicas or autoscaling, not both');
  }
  if (o.replicas !== undefined) {
    if (!Number.isInteger(o.replicas) || o.replicas < 0) issues.add(p('replicas'), `expected a whole number of at least 0, got ${o.replicas}`);
    operator.replicaCount = o.replicas;
  }
  if (o.autoscaling) {
    const a = o.autoscaling;
    const min = a.minReplicas ?? 1;
    const max = a.maxReplicas ?? 100;
    const checkInt = (name: string, v: number | undefined, lo: number, hi?: number) => {
      if (v === undefined) return;
      if (!Number.isInteger(v) || v < lo || (hi !== undefined && v > hi)) {
        issues.add(p(`autoscaling.${name}`), `expected a whole number ${hi !== undefined ? `from ${lo} to ${hi}` : `of at least ${lo}`}, got ${v}`);
      }
    };
    checkInt('minReplicas', a.minReplicas, 1);
    checkInt('maxReplicas', a.maxReplicas, 1);
    checkInt('targetCpuUtilizationPercent', a.targetCpuUtilizationPercent, 1, 100);
    checkInt('targetMemoryUtilizationPercent', a.targetMemoryUtilizationPercent, 1, 100);
    if (min > max) issues.add(p('autoscaling.minReplicas'), `${min} is more than maxReplicas (${max})`);
    const autoscaling: Record<string, unknown> = { enabled: true };
    if (a.minReplicas !== undefined) autoscaling.minReplicas = a.minReplicas;
    if (a.maxReplicas !== undefined) autoscaling.maxReplicas = a.maxReplicas;
    if (a.targetCpuUtilizationPercent !== undefined) autoscaling.targetCPUUtilizationPercentage = a.targetCpuUtilizationPercent;
    if (a.targetMemoryUtilizationPercent !== undefined) autoscaling.targetMemoryUtilizationPercentage = a.targetMemoryUtilizationPercent;
    operator.autoscaling = autoscaling;
  }

  // Images
  const images = o.images ?? {};
  const knownRegistryApiImage = isRenderedVersion(version) ? 'ghcr.io/stacklok/thv-registry-api:v1.3.0' : undefined;
  const registryApiImage = images.registryApi ?? registryOverride(images.registry, knownRegistryApiImage);
  if (images.registry !== undefined) {
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/.test(images.registry)) {
      issues.add(p('images.registry'), `${JSON.stringify(images.registry)} is not a registry host; expected e.g. "registry.example.com" or "registry.example.com:5000/mirror" (no scheme, no trailing slash)`);
    }
    if (!images.registryApi && !isRenderedVersion(version)) {
      issues.add(p('images.registryApi'), `needed with images.registry for version ${version}: the Registry API image default is only known for ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}`);
    }
  }
  const image = (given: string | undefined, name: string) => given ?? registryOverride(images.registry, `ghcr.io/stacklok/toolhive/${name}:v${version}`);
  const imgs: [string, string | undefined][] = [
    ['image', image(images.operator, 'operator')],
    ['toolhiveRunnerImage', image(images.proxyRunner, 'proxyrunner')],
    ['vmcpImage', image(images.vmcp, 'vmcp')],
  ];
  for (const [key, value] of imgs) if (value !== undefined) operator[key] = value;
  const explicit = { operator: images.operator, proxyRunner: images.proxyRunner, vmcp: images.vmcp, registryApi: images.registryApi };
  for (const [field, value] of Object.entries(explicit)) {
    if (value !== undefined && (value.trim() === '' || /\s/.test(value))) issues.add(p(`images.${field}`), `${JSON.stringify(value)} is not an image reference`);
  }
  if (images.pullPolicy !== undefined) {
    if (!['Always', 'IfNotPresent', 'Never'].includes(images.pullPolicy)) {
      issues.add(p('images.pullPolicy'), `${JSON.stringify(images.pullPolicy)} is not valid; expected "Always", "IfNotPresent" or "Never"`);
    }
    operator.imagePullPolicy = images.pullPolicy;
  }
  if (o.imageDiscovery !== undefined) operator.imageDiscovery = { enabled: o.imageDiscovery };

  // Redis: the password only ever by Secret reference.
  if (o.defaultRedis) {
    const r = o.defaultRedis;
    if (!/^[^\s:/]+:\d{1,5}$/.test(r.address ?? '')) {
      issues.add(p('defaultRedis.address'), `${JSON.stringify(r.address)} is not host:port, e.g. "redis.cache.svc:6379"`);
    }
    const redis: Record<string, string> = { addr: r.address };
    if (r.passwordSecret) {
      const problem = dnsSubdomainOrUndefined(r.passwordSecret.name);
      if (problem) issues.add(p('defaultRedis.passwordSecret.name'), `${JSON.stringify(r.passwordSecret.name)} is not a valid Secret name`);
      redis.existingSecret = r.passwordSecret.name;
      if (r.passwordSecret.key !== undefined) {
        if (!/^[-._a-zA-Z0-9]+$/.test(r.passwordSecret.key)) issues.add(p('defaultRedis.passwordSecret.key'), `${JSON.stringify(r.passwordSecret.key)} is not a valid Secret key`);
        redis.existingSecretKey = r.passwordSecret.key;
      }
    }
    operator.defaultRedis = redis;
  }

  // Pull secrets
  const secretNames = (field: string, names: readonly string[] | undefined) => {
    (names ?? []).forEach((n, i) => {
      if (dnsSubdomainOrUndefined(n)) issues.add(p(`${field}[${i}]`), `${JSON.stringify(n)} is not a valid Secret name`);
    });
  };
  secretNames('imagePullSecrets', o.imagePullSecrets);
  secretNames('workloadImagePullSecrets', o.workloadImagePullSecrets);
  if (o.imagePullSecrets?.length) operator.imagePullSecrets = o.imagePullSecrets.map((name) => ({ name }));
  if (o.workloadImagePullSecrets?.length) operator.defaultImagePullSecrets = [...o.workloadImagePullSecrets];

  // Pod shaping
  if (o.resources) operator.resources = deepClone(o.resources);
  if (o.scheduling?.nodeSelector) operator.nodeSelector = { ...o.scheduling.nodeSelector };
  if (o.scheduling?.tolerations) operator.tolerations = deepClone([...o.scheduling.tolerations]);
  if (o.scheduling?.affinity) operator.affinity = deepClone(o.scheduling.affinity);
  if (o.podAnnotations) operator.podAnnotations = { ...o.podAnnotations };
  if (o.podLabels) operator.podLabels = { ...o.podLabels };
  if (o.env) {
    o.env.forEach((e, i) => {
      if (!e || typeof e.name !== 'string' || e.name === '') issues.add(p(`env[${i}].name`), 'an env var needs a name');
      const inline = e?.value !== undefined;
      const ref = e?.valueFrom !== undefined;
      if (inline === ref) issues.add(p(`env[${i}]`), 'set exactly one of value and valueFrom');
      if (inline && looksSecret(e.name)) {
        issues.add(p(`env[${i}].value`), `${e.name} looks like a secret: reference it with valueFrom.secretKeyRef instead of inlining it`);
      }
    });
    operator.env = deepClone([...o.env]);
  }

  const fromOptions: OperatorChartValues = Object.keys(operator).length > 0 ? { operator } : {};
  if (registryApiImage !== undefined) (fromOptions as any).registryAPI = { image: registryApiImage };
  if (o.values !== undefined && !isPlainObject(o.values)) {
    issues.add(p('values'), 'expected a map of chart values');
    return fromOptions;
  }
  return o.values ? mergeOverrides(deepClone(fromOptions), o.values) : fromOptions;
}

/** The chart's leader-election rules plus core/v1 events (create, patch), which the operator needs. */
export function leaderElectionRules(): PolicyRule[] {
  const rules = operatorChartDefaults().operator!.leaderElectionRole!.rules!;
  return [...rules, { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }];
}

function registryOverride(registry: string | undefined, image: string | undefined): string | undefined {
  if (registry === undefined || image === undefined) return undefined;
  const slash = image.indexOf('/');
  return `${registry}${image.slice(slash)}`;
}

function dnsSubdomainOrUndefined(name: string): string | undefined {
  return typeof name === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) && name.length <= 253
    ? undefined : 'invalid';
}

function looksSecret(name: string): boolean {
  return /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIAL)/i.test(name ?? '');
}

/**
 * Plans the operator install on one cluster: the namespace, then the CRDs, then the
 * operator (depending on the CRDs), each as a Helm release or as rendered manifests.
 * Throws one validation error listing every problem, before anything is rendered.
 */
export function planOperatorInstall(options: ToolhiveOperatorOptions = {}, plan: PlanOperatorOptions = {}): ClusterPlan {
  const path = plan.path ?? 'operator';
  const p = (rest: string) => (path ? `${path}.${rest}` : rest);
  const delivery = plan.delivery ?? Delivery.MANIFESTS;
  const version = options.version ?? TOOLHIVE_VERSION;
  const namespace = options.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  const releaseName = options.releaseName ?? DEFAULT_OPERATOR_RELEASE;
  const crdsReleaseName = options.crds?.releaseName ?? DEFAULT_CRDS_RELEASE;
  const installCrds = options.crds?.install ?? true;
  const keep = options.crds?.keep ?? true;

  const issues = new IssueCollector();
  checkForbiddenKeys(options, path, issues);
  if (delivery !== 'manifests' && delivery !== 'helm') {
    issues.add('delivery', `${JSON.stringify(delivery)} is not valid; expected "manifests" or "helm"`);
  }
  const values = compile(options, issues, path);
  if (delivery === 'manifests' && !isRenderedVersion(version)) {
    issues.add(p('version'), `ToolHive ${version} cannot be rendered as raw manifests; the library renders ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}. Use delivery "helm" for other versions`);
  }
  const nsProblem = dns1123LabelProblem(namespace);
  if (nsProblem) issues.add(p('namespace'), `${JSON.stringify(namespace)} is not a valid namespace name (${nsProblem})`);
  if (crdsReleaseName === releaseName) issues.add(p('crds.releaseName'), `must differ from the operator's release name (${JSON.stringify(releaseName)})`);

  let operatorObjects: KubeObject[] | undefined;
  let crdObjects: KubeObject[] | undefined;
  if (issues.empty && isRenderedVersion(version)) {
    // Chart-level checks: with valid options, anything left comes from the `values` escape hatch.
    const release = { releaseName, namespace };
    collectFrom(issues, p('values'), () => resolveOperatorValues(values, release));
    if (issues.empty && delivery === 'manifests') {
      // As installed by Helm: objects whose template sets no namespace land in the release namespace.
      operatorObjects = collectFrom(issues, p('values'), () => renderOperatorChart(values, release).map((o) => inReleaseNamespace(o, namespace)));
      if (installCrds) {
        const source = options.crds?.source ?? CrdSource.fromRelease(version);
        crdObjects = collectFrom(issues, p('crds'), () => renderCrdsChart({ crds: { install: true, keep } }, { releaseName: crdsReleaseName, namespace }, source));
      }
    }
  } else if (!isPlainObject(options.values ?? {})) {
    issues.add(p('values'), 'expected a map of chart values');
  }
  const customResources = sortCustomResources(options.customResources ?? []);
  if (customResources.length > 0 && issues.empty) {
    if (!isRenderedVersion(version)) {
      issues.add(p('customResources'), `custom resources are checked against the CRDs of ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}; deliver them separately for ToolHive ${version}`);
    } else {
      const source = options.crds?.source ?? CrdSource.fromRelease(version);
      const crds = collectFrom(issues, p('crds'), () => source.load());
      if (crds) {
        const watched = options.rbac?.scope === 'namespace' ? [...(options.rbac.allowedNamespaces ?? [])] : undefined;
        // Checked in the order given, so paths name the user's indices.
        checkCustomResources(options.customResources ?? [], { crds, watchedNamespaces: watched, external: options.externalResources }, p('customResources'), issues);
      }
    }
  }
  issues.throwIfAny('ToolHive operator install');

  const deliverables: Deliverable[] = [];
  if (options.createNamespace ?? true) {
    deliverables.push({
      type: 'manifests',
      id: OPERATOR_DELIVERABLES.namespace,
      description: `Namespace ${namespace}, enforcing the Pod Security "restricted" profile`,
      dependsOn: [],
      retainOnDelete: false,
      objects: [restrictedNamespace(namespace)],
    });
  }
  const nsDeps = deliverables.length > 0 ? [OPERATOR_DELIVERABLES.namespace] : [];
  if (installCrds) {
    const base = {
      id: OPERATOR_DELIVERABLES.crds,
      description: `ToolHive CRDs ${version}`,
      dependsOn: nsDeps,
      retainOnDelete: keep,
    };
    deliverables.push(delivery === 'helm'
      ? {
        ...base,
        type: 'helm-release',
        release: {
          chart: OPERATOR_CRDS_CHART.name,
          repository: OPERATOR_CRDS_CHART.repository,
          version,
          releaseName: crdsReleaseName,
          namespace,
          values: { crds: { install: true, keep } },
          skipCrds: false,
        },
      }
      : { ...base, type: 'manifests', objects: crdObjects! });
  }
  const opBase = {
    id: OPERATOR_DELIVERABLES.operator,
    description: `ToolHive operator ${version} (${options.rbac?.scope === 'namespace' ? `namespace scope: ${(options.rbac.allowedNamespaces ?? []).join(', ')}` : 'cluster scope'})`,
    dependsOn: [...nsDeps, ...(installCrds ? [OPERATOR_DELIVERABLES.crds] : [])],
    retainOnDelete: false,
  };
  deliverables.push(delivery === 'helm'
    ? {
      ...opBase,
      type: 'helm-release',
      release: {
        chart: OPERATOR_CHART.name,
        repository: OPERATOR_CHART.repository,
        version,
        releaseName,
        namespace,
        values: sortedKeys(values) as JsonObject,
        skipCrds: true,
      },
    }
    : { ...opBase, type: 'manifests', objects: operatorObjects! });

  if (customResources.length > 0) {
    deliverables.push({
      type: 'manifests',
      id: OPERATOR_DELIVERABLES.customResources,
      description: `ToolHive custom resources (${customResources.length})`,
      dependsOn: deliverables.map((d) => d.id),
      retainOnDelete: false,
      objects: customResources,
    });
  }

  // Every rendered object names its install, so objects a later plan drops can be pruned.
  const label = installLabelValue(namespace, releaseName);
  const labelled = deliverables.map((d) => (d.type === 'manifests' ? { ...d, objects: withInstallLabel(d.objects, label) } : d));

  const result: ClusterPlan = { cluster: plan.cluster ?? 'default', deliverables: labelled };
  checkPlanOrder(result);
  return result;
}

/** Kinds others refer to come first; then by namespace and name (independent of declaration order). */
const KIND_ORDER = [
  'MCPGroup', 'MCPToolConfig', 'MCPExternalAuthConfig', 'MCPOIDCConfig', 'MCPAuthzConfig', 'MCPTelemetryConfig', 'MCPWebhookConfig',
  'EmbeddingServer', 'VirtualMCPCompositeToolDefinition', 'MCPServer', 'MCPRemoteProxy', 'MCPServerEntry', 'VirtualMCPServer', 'MCPRegistry',
];

function sortCustomResources(objects: readonly ToolhiveCustomResource[]): ToolhiveCustomResource[] {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind)
    || cmp(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || cmp(String(a.metadata?.name), String(b.metadata?.name)));
}

