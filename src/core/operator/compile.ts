import { ImageMirror, ResolvedAirGap } from '../airgap';
/*
 * The operator's intent layer: typed options compiled to the chart values that differ from the
 * chart's defaults (what a hand-written values.yaml would hold). The options' shapes are checked
 * before (options-shape.ts); here are the rules that span fields.
 */
import { IssueCollector } from '../errors';
import { mergeOverrides } from '../helm/merge';
import { checkEnvList } from '../rules/kube';
import { deepClone, isPlainObject } from '../util';
import { isRenderedVersion, RENDERED_TOOLHIVE_VERSIONS, sinceProblem, TOOLHIVE_VERSION } from '../versions';
import { OperatorChartValues, operatorChartDefaults, registryApiImageOf } from './chart-values';
import { ToolhiveOperatorOptions } from './options';
import { CHART_MANAGED_ENV, MIGRATOR_SCOPE_REASON } from './render';
import { checkRbacScope } from '../k8s/rbac-scope';
import { PolicyRule, pullSecretRefs } from '../k8s/types';

type Values = Record<string, any>;
type Add = (rest: string, message: string) => void;

/** The chart's selector labels: a pod label with one of these keys would break the Deployment's selector. */
export const SELECTOR_LABEL_KEYS: readonly string[] = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of'];

/**
 * The typed options and the chart values each one sets: `values` setting the same values as a
 * typed option is a conflict, never a silent winner.
 */
const OPTION_VALUES: readonly [option: string, isSet: (o: ToolhiveOperatorOptions, a: ResolvedAirGap) => boolean, valuePaths: readonly string[]][] = [
  ['rbac', (o) => o.rbac !== undefined, ['operator.rbac']],
  ['replicas', (o) => o.replicas !== undefined, ['operator.replicaCount']],
  ['autoscaling', (o) => o.autoscaling !== undefined, ['operator.autoscaling']],
  ['features.experimental', (o) => o.features?.experimental !== undefined, ['operator.features.experimental']],
  ['features.storageVersionMigrator', (o) => o.features?.storageVersionMigrator !== undefined || o.rbac?.scope === 'namespace', ['operator.features.storageVersionMigrator']],
  ['images', (o, a) => o.images !== undefined || a.options.imageRegistry !== undefined, ['operator.image', 'operator.toolhiveRunnerImage', 'operator.vmcpImage', 'operator.imagePullPolicy', 'registryAPI.image']],
  ['imageDiscovery', (o) => o.imageDiscovery !== undefined, ['operator.imageDiscovery.enabled']],
  ['defaultRedis', (o) => o.defaultRedis !== undefined, ['operator.defaultRedis']],
  ['imagePullSecrets', (o, a) => o.imagePullSecrets !== undefined || a.imagePullSecrets !== undefined, ['operator.imagePullSecrets']],
  ['workloadImagePullSecrets', (o, a) => o.workloadImagePullSecrets !== undefined || a.imagePullSecrets !== undefined, ['operator.defaultImagePullSecrets']],
  ['resources', (o) => o.resources !== undefined, ['operator.resources']],
  ['scheduling.nodeSelector', (o) => o.scheduling?.nodeSelector !== undefined, ['operator.nodeSelector']],
  ['scheduling.tolerations', (o) => o.scheduling?.tolerations !== undefined, ['operator.tolerations']],
  ['scheduling.affinity', (o) => o.scheduling?.affinity !== undefined, ['operator.affinity']],
  ['podAnnotations', (o) => o.podAnnotations !== undefined, ['operator.podAnnotations']],
  ['podLabels', (o) => o.podLabels !== undefined, ['operator.podLabels']],
  ['env', (o) => o.env !== undefined, ['operator.env']],
];

/**
 * The operator's image mapper: its own `images.registry`, else the air gap's image registry.
 * @internal
 */
export function operatorImages(o: ToolhiveOperatorOptions, airGap: ResolvedAirGap): ImageMirror {
  return o.images?.registry !== undefined ? new ImageMirror(o.images.registry) : airGap.images;
}

/**
 * Compiles operator options (whose shapes are valid) under their resolved air gap to chart
 * values, recording every problem under `path`.
 * @internal
 */
export function compileOperatorValues(
  o: ToolhiveOperatorOptions, issues: IssueCollector, path: string, airGap: ResolvedAirGap = ResolvedAirGap.NONE,
): OperatorChartValues {
  const add: Add = (rest, message) => issues.add(path ? `${path}.${rest}` : rest, message);
  const version = o.version ?? TOOLHIVE_VERSION;
  const operator: Values = {};
  compileRbac(o, operator, add);
  // The leader election of the operator (controller-runtime 0.23) records its event through the
  // core/v1 Events API, which the chart's leader-election Role does not grant (it grants
  // events.k8s.io only): the library adds core events (create, patch) to that Role.
  // Only for the versions the library renders: another chart's default rules are unknown here.
  if (isRenderedVersion(version)) operator.leaderElectionRole = { rules: leaderElectionRules() };
  compileFeatures(o, operator, add);
  compileReplicas(o, operator, add);
  const registryApiImage = compileImages(o, version, operatorImages(o, airGap), operator, add);
  compilePod(o, airGap, version, operator, add, (rest) => (path ? `${path}.${rest}` : rest), issues);
  const fromOptions: Values = Object.keys(operator).length > 0 ? { operator } : {};
  if (registryApiImage !== undefined) fromOptions.registryAPI = { image: registryApiImage };
  if (o.values === undefined) return fromOptions;
  checkValueConflicts(o, airGap, add);
  return mergeOverrides(deepClone(fromOptions), o.values);
}

function compileRbac(o: ToolhiveOperatorOptions, operator: Values, add: Add): void {
  checkRbacScope(o.rbac, (rest) => `rbac.${rest}`, 'operator', add, false);
  if (o.rbac?.scope === 'namespace') {
    // A set of namespaces: sorted, so the output does not depend on the order they were listed in.
    operator.rbac = { scope: 'namespace', allowedNamespaces: [...new Set(o.rbac.allowedNamespaces ?? [])].sort() };
  }
}

function compileFeatures(o: ToolhiveOperatorOptions, operator: Values, add: Add): void {
  const features: Record<string, boolean> = {};
  if (o.features?.experimental !== undefined) features.experimental = o.features.experimental;
  if (o.rbac?.scope === 'namespace') {
    if (o.features?.storageVersionMigrator === true) {
      add('features.storageVersionMigrator', `cannot be on in namespace scope: ${MIGRATOR_SCOPE_REASON.replace(/; set operator\.features.*$/, '')}`);
    }
    features.storageVersionMigrator = false;
  } else if (o.features?.storageVersionMigrator !== undefined) {
    features.storageVersionMigrator = o.features.storageVersionMigrator;
  }
  if (Object.keys(features).length > 0) operator.features = features;
}

function compileReplicas(o: ToolhiveOperatorOptions, operator: Values, add: Add): void {
  if (o.replicas !== undefined && o.autoscaling !== undefined) add('replicas', 'set either replicas or autoscaling, not both');
  if (o.replicas !== undefined) operator.replicaCount = o.replicas;
  const a = o.autoscaling;
  if (!a) return;
  const min = a.minReplicas ?? 1;
  const max = a.maxReplicas ?? 100;
  if (min > max) add('autoscaling.minReplicas', `${min} is more than maxReplicas (${a.maxReplicas === undefined ? 'default ' : ''}${max})`);
  const autoscaling: Values = { enabled: true };
  if (a.minReplicas !== undefined) autoscaling.minReplicas = a.minReplicas;
  if (a.maxReplicas !== undefined) autoscaling.maxReplicas = a.maxReplicas;
  if (a.targetCpuUtilizationPercent !== undefined) autoscaling.targetCPUUtilizationPercentage = a.targetCpuUtilizationPercent;
  if (a.targetMemoryUtilizationPercent !== undefined) autoscaling.targetMemoryUtilizationPercentage = a.targetMemoryUtilizationPercent;
  operator.autoscaling = autoscaling;
}

/** Sets the images; returns the Registry API image (a top-level chart value) when set. */
function compileImages(o: ToolhiveOperatorOptions, version: string, mirror: ImageMirror, operator: Values, add: Add): string | undefined {
  const images = o.images ?? {};
  const knownRegistryApiImage = isRenderedVersion(version) ? registryApiImageOf(version) : undefined;
  if (mirror.registry !== undefined && !images.registryApi && !isRenderedVersion(version)) {
    add('images.registryApi', `needed with images.registry for version ${version}: the Registry API image default is only known for ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}`);
  }
  const image = (given: string | undefined, name: string) => given ?? registryOverride(mirror, `ghcr.io/stacklok/toolhive/${name}:v${version}`);
  const set: [string, string | undefined][] = [
    ['image', image(images.operator, 'operator')],
    ['toolhiveRunnerImage', image(images.proxyRunner, 'proxyrunner')],
    ['vmcpImage', image(images.vmcp, 'vmcp')],
  ];
  for (const [key, value] of set) if (value !== undefined) operator[key] = value;
  if (images.pullPolicy !== undefined) operator.imagePullPolicy = images.pullPolicy;
  if (o.imageDiscovery !== undefined) operator.imageDiscovery = { enabled: o.imageDiscovery };
  return images.registryApi ?? registryOverride(mirror, knownRegistryApiImage);
}

/** Redis, pull secrets, resources, scheduling, pod metadata and env. */
function compilePod(
  o: ToolhiveOperatorOptions, airGap: ResolvedAirGap, version: string, operator: Values, add: Add,
  at: (rest: string) => string, issues: IssueCollector,
): void {
  if (o.defaultRedis) {
    // The password only ever by Secret reference.
    const r = o.defaultRedis;
    const redis: Record<string, unknown> = { addr: r.address };
    if (r.passwordSecret) {
      redis.existingSecret = r.passwordSecret.name;
      if (r.passwordSecret.key !== undefined) redis.existingSecretKey = r.passwordSecret.key;
    }
    if (r.tls) {
      const problem = isRenderedVersion(version) ? sinceProblem(version, '0.59.0') : undefined;
      if (problem) add('defaultRedis.tls', problem);
      const tls: Record<string, unknown> = { enabled: r.tls.enabled ?? true };
      if (r.tls.caCertSecret) {
        if (!tls.enabled) add('defaultRedis.tls.caCertSecret', 'a CA certificate is only used with TLS on (enabled: true)');
        tls.caCertSecretRef = { name: r.tls.caCertSecret.name, key: r.tls.caCertSecret.key ?? 'ca.crt' };
      }
      redis.tls = tls;
    }
    operator.defaultRedis = redis;
  }
  const pullSecrets = o.imagePullSecrets ?? airGap.imagePullSecrets;
  const workloadPullSecrets = o.workloadImagePullSecrets ?? airGap.imagePullSecrets;
  if (pullSecrets?.length) operator.imagePullSecrets = pullSecretRefs(pullSecrets);
  if (workloadPullSecrets?.length) operator.defaultImagePullSecrets = [...new Set(workloadPullSecrets)];
  if (o.resources) operator.resources = deepClone(o.resources);
  if (o.scheduling?.nodeSelector) operator.nodeSelector = { ...o.scheduling.nodeSelector };
  if (o.scheduling?.tolerations) operator.tolerations = deepClone([...o.scheduling.tolerations]);
  if (o.scheduling?.affinity) operator.affinity = deepClone(o.scheduling.affinity);
  if (o.podAnnotations) operator.podAnnotations = { ...o.podAnnotations };
  if (o.podLabels) {
    for (const key of Object.keys(o.podLabels)) {
      if (SELECTOR_LABEL_KEYS.includes(key)) add(`podLabels["${key}"]`, `${key} is one of the Deployment's selector labels: overriding it would detach the pods from their Deployment`);
    }
    operator.podLabels = { ...o.podLabels };
  }
  if (o.env) {
    checkEnvList(o.env, at('env'), issues, CHART_MANAGED_ENV);
    operator.env = deepClone([...o.env]);
  }
}

/** A `values` entry that sets what a typed option sets is a conflict, reported at both. */
function checkValueConflicts(o: ToolhiveOperatorOptions, airGap: ResolvedAirGap, add: Add): void {
  if (!isPlainObject(o.values)) return;
  for (const [option, isSet, valuePaths] of OPTION_VALUES) {
    if (!isSet(o, airGap)) continue;
    for (const valuePath of valuePaths) {
      if (hasPath(o.values, valuePath)) {
        add(`values.${valuePath}`, `conflicts with the typed option ${option}, which sets it: set it in one place only (remove one of them)`);
      }
    }
  }
}

function hasPath(obj: unknown, dotted: string): boolean {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return false;
    cur = cur[part];
  }
  return cur !== undefined;
}

/** The chart's leader-election rules plus core/v1 events (create, patch), which the operator needs. */
export function leaderElectionRules(): PolicyRule[] {
  const rules = operatorChartDefaults().operator!.leaderElectionRole!.rules!;
  return [...rules, { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }];
}

/** A default image through the image mapper, or nothing when it has no registry. */
function registryOverride(mirror: ImageMirror, image: string | undefined): string | undefined {
  if (mirror.registry === undefined || image === undefined) return undefined;
  return mirror.image(image);
}
