import { IssueCollector } from '../errors';
import { RegistryServerConfig } from './config';
import { checkRegistryConfigSafety } from './config-safety';
import { checkRegistryConfigShape } from './config-shape';
import { goToYaml, goYamlSha256 } from '../helm/go-yaml';
import { helmInstallOrder } from '../helm/install-order';
import { mergeHelmValues } from '../helm/merge';
import { chartNames, checkRelease, ReleaseContext } from '../helm/release';
import { KubeObject } from '../k8s/objects';
import { checkRbacScope } from '../k8s/rbac-scope';
import {
  EnvVar, KubeStructure, LocalObjectReference, PodSecurityContext, Probe, ResourceRequirements, SecurityContext, Toleration,
} from '../k8s/types';
import { checkNulls, deletableBelow } from '../rules/helm-values';
import { imageReferenceProblem } from '../rules/images';
import { ANNOTATIONS, checkEnvList, ENV_LIST, LABELS, RESOURCES, TOLERATION } from '../rules/kube';
import { nameOverrideProblem, namespaceProblem, secretNameProblem, unquotedObjectNameProblem } from '../rules/names';
import { INT32_MAX, portProblem } from '../rules/numbers';
import { assertOptionsMap, checkShape, S } from '../rules/shape';
import { deepClone, isPlainObject, sortedKeys, truthy } from '../util';

/** The Registry Server release the library renders. */
export const REGISTRY_SERVER_VERSION = '1.5.1';

/** Every field optional, at every depth (chart values merge over defaults). */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * Values of the open source `toolhive-registry-server` chart at 1.5.1, key for key.
 * Every key is optional: what you leave out keeps the chart default.
 * @see https://docs.stacklok.com/toolhive/guides-registry/deploy-helm
 */
export interface RegistryServerChartValues {
  /**
   * Number of replicas.
   * @default 1
   */
  readonly replicaCount?: number;
  /**
   * The Registry Server image.
   * @default {registryServerUrl: "ghcr.io/stacklok/thv-registry-api:v1.5.1", pullPolicy: "IfNotPresent"}
   */
  readonly image?: {
    /** Full image reference. @default "ghcr.io/stacklok/thv-registry-api:v1.5.1" */
    readonly registryServerUrl?: string;
    /**
     * Image pull policy.
     * @default "IfNotPresent"
     * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
     */
    readonly pullPolicy?: string;
  };
  /**
   * Pull secrets of the pod, for private registries.
   * @default []
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   */
  readonly imagePullSecrets?: LocalObjectReference[];
  /**
   * Replaces the chart name in object names and labels.
   * @default ""
   */
  readonly nameOverride?: string;
  /**
   * Replaces the full name of the objects.
   * @default "" (the name is `<release>-toolhive-registry-server`)
   */
  readonly fullnameOverride?: string;
  /**
   * The server's ServiceAccount.
   * @default {create: true, annotations: {}, name: "toolhive-registry-server"}
   * @see https://kubernetes.io/docs/concepts/security/service-accounts/
   */
  readonly serviceAccount?: {
    /**
     * Whether the chart creates the ServiceAccount.
     * @default true
     */
    readonly create?: boolean;
    /**
     * Annotations of the ServiceAccount (a cloud IAM role, for example).
     * @default {}
     */
    readonly annotations?: { readonly [key: string]: string };
    /** A fixed name, not derived from the release. @default "toolhive-registry-server" */
    readonly name?: string;
  };
  /**
   * Pod annotations.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
   */
  readonly podAnnotations?: { readonly [key: string]: string };
  /**
   * Extra pod labels.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
   */
  readonly podLabels?: { readonly [key: string]: string };
  /**
   * Pod security context.
   * @default {}
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
   */
  readonly podSecurityContext?: PodSecurityContext;
  /**
   * Container security context.
   * @default - restricted: no privilege escalation, all capabilities dropped, read-only root, uid 65535, RuntimeDefault seccomp
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  readonly securityContext?: SecurityContext;
  /**
   * The Service in front of the server.
   * @default {type: "ClusterIP", port: 8080, exposeInternalPort: true, internalPort: 8081, annotations: {}}
   * @see https://kubernetes.io/docs/concepts/services-networking/service/
   */
  readonly service?: {
    /**
     * Service type (`ClusterIP`, `NodePort`, `LoadBalancer`); any other than `ClusterIP` also
     * publishes the internal port outside the cluster, unless `exposeInternalPort` is false.
     * @default "ClusterIP"
     */
    readonly type?: string;
    /**
     * Service port of the API.
     * @default 8080
     */
    readonly port?: number;
    /** Publish the unauthenticated internal port (health, readiness, metrics). @default true */
    readonly exposeInternalPort?: boolean;
    /**
     * Service port of the internal listener (the container always listens on 8081).
     * @default 8081
     */
    readonly internalPort?: number;
    /**
     * Service annotations.
     * @default {}
     */
    readonly annotations?: { readonly [key: string]: string };
  };
  /**
   * Container resources.
   * @default - limits 500m/512Mi, requests 100m/128Mi
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  readonly resources?: ResourceRequirements;
  /**
   * Liveness probe.
   * @default - GET /health on internal-http
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  readonly livenessProbe?: Probe;
  /**
   * Readiness probe.
   * @default - GET /readiness on internal-http
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  readonly readinessProbe?: Probe;
  /**
   * Node labels the pod must match.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Tolerations of the pod.
   * @default []
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: Toleration[];
  /**
   * Affinity of the pod.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: KubeStructure;
  /**
   * Init containers run before the server (preparing a pgpass file, for example); they share `extraVolumes`.
   * @default []
   * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
   */
  readonly initContainers?: KubeStructure[];
  /**
   * The server's configuration file.
   * @default - the public ToolHive catalog over Git, anonymous, no database host
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration
   */
  readonly config?: DeepPartial<RegistryServerConfig>;
  /**
   * Extra env vars of the server container (database passwords from Secrets, `PGPASSFILE`, `THV_REGISTRY_INSECURE_URL`...).
   * @default []
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#configure-passwords-via-environment-variables
   */
  readonly extraEnv?: EnvVar[];
  /**
   * Env vars from whole ConfigMaps or Secrets (`configMapRef`, `secretRef`).
   * @default []
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
   */
  readonly extraEnvFrom?: KubeStructure[];
  /**
   * Extra pod volumes (a pgpass Secret, CA certificates...).
   * @default []
   * @see https://kubernetes.io/docs/concepts/storage/volumes/
   */
  readonly extraVolumes?: KubeStructure[];
  /**
   * Extra volume mounts of the server container.
   * @default []
   */
  readonly extraVolumeMounts?: KubeStructure[];
  /**
   * RBAC of the server, for `kubernetes` sources: a ClusterRole bound cluster-wide, or in each allowed namespace.
   * @default {scope: "cluster", allowedNamespaces: []}
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
   */
  readonly rbac?: {
    /** `cluster` or `namespace` (for `kubernetes` sources). @default "cluster" */
    readonly scope?: string;
    /**
     * Namespaces the server may watch with scope `namespace` (a RoleBinding in each).
     * @default []
     */
    readonly allowedNamespaces?: string[];
  };
  /**
   * Umbrella-chart values; the chart reads `global.postgres`.
   * @default - none
   */
  readonly global?: {
    /**
     * A database host shared by the umbrella's subcharts: when `config.database.host` is empty,
     * `host` fills it in, with `port` (default 5432) and `sslMode` (when set).
     * @default - none
     * @see https://docs.stacklok.com/toolhive/guides-registry/deploy-helm#share-a-database-host-across-subcharts
     */
    readonly postgres?: {
      /** The database host. @default - none: `config.database.host` is used */
      readonly host?: string;
      /** The database port. @default 5432 */
      readonly port?: number;
      /** The PostgreSQL `sslmode` (`require`, `verify-full`, ...). @default - the config's (or the server's: "require") */
      readonly sslMode?: string;
    };
    readonly [key: string]: unknown;
  };
}

const DEFAULTS: RegistryServerChartValues = {
  replicaCount: 1,
  image: { registryServerUrl: `ghcr.io/stacklok/thv-registry-api:v${REGISTRY_SERVER_VERSION}`, pullPolicy: 'IfNotPresent' },
  imagePullSecrets: [],
  nameOverride: '',
  fullnameOverride: '',
  serviceAccount: { create: true, annotations: {}, name: 'toolhive-registry-server' },
  podAnnotations: {},
  podLabels: {},
  podSecurityContext: {},
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 65535,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  service: { type: 'ClusterIP', port: 8080, exposeInternalPort: true, internalPort: 8081, annotations: {} },
  resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  livenessProbe: { httpGet: { path: '/health', port: 'internal-http' }, initialDelaySeconds: 30, periodSeconds: 10 },
  readinessProbe: { httpGet: { path: '/readiness', port: 'internal-http' }, initialDelaySeconds: 5, periodSeconds: 5 },
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  initContainers: [],
  config: {
    sources: [{
      name: 'toolhive',
      git: {
        repository: 'https://github.com/stacklok/toolhive-catalog.git',
        branch: 'main',
        path: 'pkg/catalog/toolhive/data/registry-upstream.json',
      },
      syncPolicy: { interval: '30m' },
    }],
    registries: [{ name: 'default', sources: ['toolhive'] }],
    auth: { mode: 'anonymous' },
    database: { host: '', port: 5432, user: 'thv_user', database: 'toolhive_registry', sslMode: 'require' },
  },
  extraEnv: [],
  extraEnvFrom: [],
  extraVolumes: [],
  extraVolumeMounts: [],
  rbac: { scope: 'cluster', allowedNamespaces: [] },
};

/** The Registry Server chart's default values at 1.5.1 (a fresh copy on every call). */
export function registryServerChartDefaults(): RegistryServerChartValues {
  return deepClone(DEFAULTS);
}

/** Where the chart renders a deleted default as helm does: the maps it prints whole. */
const REGISTRY_NULLS_DELETABLE = deletableBelow(['resources', 'podSecurityContext', 'securityContext']);

const port = S.number(portProblem);
const VALUES_SHAPE = S.object({
  replicaCount: S.integer(0, INT32_MAX),
  image: S.object({ registryServerUrl: S.ruled(imageReferenceProblem), pullPolicy: S.string(['Always', 'IfNotPresent', 'Never']) }),
  imagePullSecrets: S.list(S.object({ name: S.ruled(secretNameProblem) })),
  // Printed without quotes in object names and label values.
  nameOverride: S.ruled(nameOverrideProblem),
  fullnameOverride: S.ruled(nameOverrideProblem),
  // Printed without quotes as the ServiceAccount's name and in both bindings' subjects.
  serviceAccount: S.object({ create: S.boolean(), annotations: ANNOTATIONS, name: S.ruled(unquotedObjectNameProblem) }),
  podAnnotations: ANNOTATIONS,
  podLabels: LABELS,
  podSecurityContext: S.map(),
  securityContext: S.map(),
  service: S.object({
    type: S.string(['ClusterIP', 'NodePort', 'LoadBalancer']),
    port,
    exposeInternalPort: S.boolean(),
    internalPort: port,
    annotations: ANNOTATIONS,
  }),
  resources: RESOURCES,
  livenessProbe: S.map(),
  readinessProbe: S.map(),
  nodeSelector: LABELS,
  tolerations: S.list(TOLERATION),
  affinity: S.map(),
  initContainers: S.list(S.map()),
  // Helm values: null deletes a default, here as everywhere else in the values.
  config: S.custom((config, path, issues) => checkRegistryConfigShape(config, path, issues, { nulls: true })),
  extraEnv: ENV_LIST,
  extraEnvFrom: S.list(S.map()),
  extraVolumes: S.list(S.map()),
  extraVolumeMounts: S.list(S.map()),
  rbac: S.object({ scope: S.string(), allowedNamespaces: S.list(S.ruled(namespaceProblem)) }),
  global: S.map(),
}, 'Registry Server chart values');


const CHART = 'toolhive-registry-server';

/**
 * Records every problem of Registry Server chart values under `path`: their shape (the config's
 * down to every key), the env list, and no secret in the config (it becomes a ConfigMap).
 * @internal
 */
export function checkRegistryServerValues(values: unknown, path: string, issues: IssueCollector): void {
  checkShape(values ?? {}, VALUES_SHAPE, path, issues, { nulls: true });
  checkNulls(values ?? {}, path, issues, { defaults: DEFAULTS, deletable: REGISTRY_NULLS_DELETABLE });
  if (!isPlainObject(values)) return;
  checkEnvList(values.extraEnv as unknown[] | undefined, path ? `${path}.extraEnv` : 'extraEnv', issues);
  checkRegistryConfigSafety(values.config, path ? `${path}.config` : 'config', issues);
}

/** The chart's own three render failures, and what it cannot render without. */
function checkMergedValues(v: RegistryServerChartValues, issues: IssueCollector): void {
  checkRbacScope(v.rbac, (rest) => `rbac.${rest}`, 'Registry Server', (p, m) => issues.add(p, m), true);
  if (!isPlainObject(v.config?.database)) issues.add('config.database', 'required (the chart cannot render without it)');
}

/**
 * Validates Registry Server chart values and returns them merged over the defaults.
 * @internal
 */
export function resolveRegistryServerValues(values: RegistryServerChartValues | undefined, release: ReleaseContext): RegistryServerChartValues {
  const issues = new IssueCollector();
  checkRegistryServerValues(values, '', issues);
  checkRelease(release, issues);
  issues.throwIfAny('Registry Server chart values');
  const v = mergeHelmValues(registryServerChartDefaults(), values);
  checkMergedValues(v, issues);
  issues.throwIfAny('Registry Server chart values');
  return v;
}

/**
 * The config the chart writes into its ConfigMap: `config`, with `global.postgres` filling
 * in the database host (and port, sslMode) when the config leaves the host empty.
 */
export function effectiveRegistryConfig(v: RegistryServerChartValues): DeepPartial<RegistryServerConfig> {
  // Chart values are a map, or nothing (the defaults), as renderRegistryServerChart takes them.
  assertOptionsMap(v ?? undefined, '(root)', 'Registry Server chart values (a map)', 'Registry Server chart values');
  const cfg = deepClone(isPlainObject(v?.config) ? v.config : {}) as any;
  const global = isPlainObject(v?.global) ? v.global : {};
  const gp: Record<string, any> = (truthy(global) && isPlainObject(global.postgres) ? global.postgres : undefined) ?? {};
  if (isPlainObject(cfg.database) && !truthy(cfg.database.host) && truthy(gp.host)) {
    cfg.database.host = gp.host;
    cfg.database.port = truthy(gp.port) ? gp.port : 5432;
    if (truthy(gp.sslMode)) cfg.database.sslMode = gp.sslMode;
  }
  return cfg;
}

/** What every template of the chart derives from the values and the release. */
interface ChartContext {
  readonly v: RegistryServerChartValues;
  readonly release: ReleaseContext;
  readonly name: string;
  readonly fullname: string;
  readonly selector: Record<string, string>;
  readonly labels: () => Record<string, string>;
  readonly saName: string;
  readonly configMapName: string;
  readonly scope: string | undefined;
  readonly namespaces: string[];
}

/** The chart's helpers (`_helpers.tpl`): names, labels, selector. */
function chartContext(v: RegistryServerChartValues, release: ReleaseContext): ChartContext {
  const { name, fullname, chartLabel } = chartNames(CHART, REGISTRY_SERVER_VERSION, v, release);
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release.releaseName, 'app.kubernetes.io/component': 'registry-api' };
  const labels = () => ({
    'helm.sh/chart': chartLabel,
    ...selector,
    'app.kubernetes.io/version': REGISTRY_SERVER_VERSION,
    'app.kubernetes.io/managed-by': 'Helm',
  });
  return {
    v,
    release,
    name,
    fullname,
    selector,
    labels,
    saName: v.serviceAccount?.name ?? '',
    configMapName: `${fullname}-config`,
    scope: v.rbac?.scope,
    namespaces: v.rbac?.allowedNamespaces ?? [],
  };
}

const subjectOf = (c: ChartContext) => ({ kind: 'ServiceAccount', name: c.saName, namespace: c.release.namespace });

/** templates/serviceaccount.yaml */
function serviceAccountObjects(c: ChartContext): KubeObject[] {
  const sa = c.v.serviceAccount;
  return sa?.create ? [{
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: c.saName, labels: c.labels(), ...(truthy(sa.annotations) ? { annotations: sortedKeys(sa.annotations) } : {}) } as KubeObject['metadata'],
    automountServiceAccountToken: true,
  }] : [];
}

/** templates/configmap.yaml */
function configMapObject(c: ChartContext): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: c.configMapName, labels: c.labels() },
    data: { 'config.yaml': `${goToYaml(effectiveRegistryConfig(c.v))}\n` },
  };
}

const MANAGER_ROLE = 'toolhive-registry-server-manager-role';

/** templates/clusterrole/role.yaml */
function clusterRoleObject(c: ChartContext): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: MANAGER_ROLE, labels: c.labels() },
    rules: [
      { apiGroups: ['toolhive.stacklok.dev'], resources: ['mcpservers', 'mcpremoteproxies', 'virtualmcpservers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
    ],
  };
}

/** templates/clusterrole/rolebinding.yaml: one ClusterRoleBinding, or a RoleBinding per allowed namespace. */
function managerBindingObjects(c: ChartContext): KubeObject[] {
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: MANAGER_ROLE };
  if (c.scope === 'cluster') {
    return [{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'toolhive-registry-server-manager-rolebinding', labels: c.labels() },
      roleRef,
      subjects: [subjectOf(c)],
    }];
  }
  return c.namespaces.map((ns) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'toolhive-registry-server-manager-rolebinding', namespace: ns, labels: c.labels() },
    roleRef: { ...roleRef },
    subjects: [subjectOf(c)],
  }));
}

/** templates/leader-election-role.yaml */
function leaderElectionObjects(c: ChartContext): KubeObject[] {
  const leaderRole = `${c.fullname}-leader-election-role`;
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: leaderRole, namespace: c.release.namespace, labels: c.labels() },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${c.fullname}-leader-election-rolebinding`, namespace: c.release.namespace, labels: c.labels() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: leaderRole },
      subjects: [subjectOf(c)],
    },
  ];
}

/** templates/service.yaml */
function serviceObject(c: ChartContext): KubeObject {
  const svc = c.v.service ?? {};
  const ports: Record<string, unknown>[] = [{ port: svc.port, targetPort: 'http', protocol: 'TCP', name: 'http' }];
  if (truthy(svc.exposeInternalPort)) ports.push({ port: svc.internalPort, targetPort: 'internal-http', protocol: 'TCP', name: 'internal-http' });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: c.fullname, labels: c.labels(), ...(truthy(svc.annotations) ? { annotations: sortedKeys(svc.annotations) } : {}) } as KubeObject['metadata'],
    spec: { type: svc.type, ports, selector: { ...c.selector } },
  };
}

/** The registry-api container of templates/deployment.yaml, keys in the template's order. */
function containerOf(c: ChartContext): Record<string, unknown> {
  const v = c.v;
  const env: Record<string, unknown>[] = [{ name: 'THV_REGISTRY_LEADER_ELECTION_ID', value: `${c.fullname}-leader-election` }];
  if (c.scope === 'namespace') env.push({ name: 'THV_REGISTRY_WATCH_NAMESPACE', value: c.namespaces.join(',') });
  env.push(...(sortedKeys(v.extraEnv ?? []) as unknown as Record<string, unknown>[]));

  const container: Record<string, unknown> = { name: 'registry-api' };
  if (truthy(v.securityContext)) container.securityContext = sortedKeys(v.securityContext);
  container.image = v.image?.registryServerUrl ?? '';
  container.imagePullPolicy = v.image?.pullPolicy;
  container.args = ['serve', '--config', '/etc/registry-server/config.yaml'];
  container.ports = [
    { name: 'http', containerPort: 8080, protocol: 'TCP' },
    { name: 'internal-http', containerPort: 8081, protocol: 'TCP' },
  ];
  if (truthy(v.livenessProbe)) container.livenessProbe = sortedKeys(v.livenessProbe);
  if (truthy(v.readinessProbe)) container.readinessProbe = sortedKeys(v.readinessProbe);
  if (truthy(v.resources)) container.resources = sortedKeys(v.resources);
  container.env = env;
  if (truthy(v.extraEnvFrom)) container.envFrom = sortedKeys(v.extraEnvFrom);
  container.volumeMounts = [{ name: 'config', mountPath: '/etc/registry-server', readOnly: true }, ...sortedKeys(v.extraVolumeMounts ?? [])];
  return container;
}

/** The pod spec of templates/deployment.yaml, keys in the template's order. */
function podSpecOf(c: ChartContext): Record<string, unknown> {
  const v = c.v;
  const podSpec: Record<string, unknown> = {};
  if (truthy(v.imagePullSecrets)) podSpec.imagePullSecrets = sortedKeys(v.imagePullSecrets);
  podSpec.serviceAccountName = c.saName;
  if (truthy(v.podSecurityContext)) podSpec.securityContext = sortedKeys(v.podSecurityContext);
  if (truthy(v.initContainers)) podSpec.initContainers = sortedKeys(v.initContainers);
  podSpec.containers = [containerOf(c)];
  podSpec.volumes = [{ name: 'config', configMap: { name: c.configMapName } }, ...sortedKeys(v.extraVolumes ?? [])];
  if (truthy(v.nodeSelector)) podSpec.nodeSelector = sortedKeys(v.nodeSelector);
  if (truthy(v.affinity)) podSpec.affinity = sortedKeys(v.affinity);
  if (truthy(v.tolerations)) podSpec.tolerations = sortedKeys(v.tolerations);
  return podSpec;
}

/** templates/deployment.yaml, with the config-hash annotation (sha256 of the chart's toYaml of `config`). */
function deploymentObject(c: ChartContext): KubeObject {
  const v = c.v;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: c.fullname, labels: c.labels() },
    spec: {
      replicas: v.replicaCount,
      selector: { matchLabels: { ...c.selector } },
      template: {
        metadata: {
          annotations: { 'toolhive.stacklok.dev/config-hash': goYamlSha256(v.config ?? null).slice(0, 63), ...sortedKeys(v.podAnnotations ?? {}) },
          labels: { ...c.labels(), ...sortedKeys(v.podLabels ?? {}) },
        },
        spec: podSpecOf(c),
      },
    },
  };
}

/**
 * Renders the open source `toolhive-registry-server` chart (1.5.1) for `values`: the objects
 * `helm template` prints, in Helm's install order, including the config-hash pod annotation
 * (sha256 of the chart's `toYaml` of `config`, so config changes roll the pods).
 */
export function renderRegistryServerChart(values: RegistryServerChartValues | undefined, release: ReleaseContext): KubeObject[] {
  const c = chartContext(resolveRegistryServerValues(values, release), release);
  return helmInstallOrder([
    { template: 'templates/clusterrole/role.yaml', objects: [clusterRoleObject(c)] },
    { template: 'templates/clusterrole/rolebinding.yaml', objects: managerBindingObjects(c) },
    { template: 'templates/configmap.yaml', objects: [configMapObject(c)] },
    { template: 'templates/deployment.yaml', objects: [deploymentObject(c)] },
    { template: 'templates/leader-election-role.yaml', objects: leaderElectionObjects(c) },
    { template: 'templates/service.yaml', objects: [serviceObject(c)] },
    { template: 'templates/serviceaccount.yaml', objects: serviceAccountObjects(c) },
  ]);
}
