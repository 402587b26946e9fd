import { ToolhiveValidationError } from '../errors';
import {
  ContainerPort, EnvVar, KubeStructure, LocalObjectReference, PodSecurityContext, PolicyRule, Probe,
  ResourceRequirements, SecurityContext, Toleration,
} from '../k8s/types';
import { describe } from '../rules/describe';
import { imageReferenceProblem } from '../rules/images';
import { nameOverrideProblem, unquotedObjectNameProblem } from '../rules/names';
import { checkShape, S, Shape } from '../rules/shape';
import { unescapedQuotedProblem } from '../rules/yaml';
import { deepClone } from '../util';
import { isAtLeast, renderedVersionProblem, sinceProblem, TOOLHIVE_VERSION } from '../versions';

/**
 * Values of the `toolhive-operator` chart, key for key, for every supported release (a key that
 * a release does not have says from which release it exists, and is refused for older ones).
 * Every key is optional: what you leave out keeps the release's chart default
 * ({@link operatorChartDefaults}).
 * Merged over the defaults with Helm's rules (maps merge, lists replace, `null` deletes).
 * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#customize-the-operator
 */
export interface OperatorChartValues {
  /** Replaces the chart name in labels and selectors. @default "" */
  readonly nameOverride?: string;
  /** Base name of the namespaced objects. @default "toolhive-operator" */
  readonly fullnameOverride?: string;
  /**
   * The operator Deployment and its RBAC.
   * @default - the release's chart defaults ({@link operatorChartDefaults})
   */
  readonly operator?: OperatorSectionValues;
  /**
   * The Registry API image the operator deploys for MCPRegistry resources.
   * @default - the release's chart default
   */
  readonly registryAPI?: {
    /**
     * Container image of the Registry API (env `TOOLHIVE_REGISTRY_API_IMAGE` of the operator).
     * @default - the release's: "ghcr.io/stacklok/thv-registry-api:v1.3.0" in ToolHive 0.44.0
     */
    readonly image?: string;
  };
  /**
   * Values shared with an umbrella chart; the operator chart reads `global.redis`.
   * @default - none
   */
  readonly global?: {
    /**
     * The umbrella chart's Redis, a fallback for `operator.defaultRedis`.
     * @default - none
     */
    readonly redis?: GlobalRedisValues;
    readonly [key: string]: unknown;
  };
}

/** `global.redis.*`: the umbrella chart's Redis, a fallback for `operator.defaultRedis`. */
export interface GlobalRedisValues {
  /** Redis host. @default - none */
  readonly host?: string;
  /** Redis port. @default 6379 */
  readonly port?: number;
  /** Secret holding the password. @default - none (no password) */
  readonly existingSecret?: string;
  /** Key of the password in that Secret. @default "redis-password" */
  readonly existingSecretKey?: string;
}

/** `operator.defaultRedis.tls.*` (from ToolHive 0.59.0). */
export interface DefaultRedisTlsValues {
  /** Env `TOOLHIVE_DEFAULT_REDIS_TLS_ENABLED`; needs an address (`addr` or `global.redis.host`). @default false */
  readonly enabled?: boolean;
  /**
   * The Secret holding the CA certificate that signs Redis's certificate (needs `enabled`).
   * @default {name: "", key: "ca.crt"}
   */
  readonly caCertSecretRef?: {
    /** Secret name. @default "" (the system's CAs) */
    readonly name?: string;
    /** Key of the certificate in that Secret. @default "ca.crt" */
    readonly key?: string;
  };
}

/** The chart's `operator.*` values. */
export interface OperatorSectionValues {
  /**
   * Feature flags.
   * @default {experimental: false, storageVersionMigrator: true}
   */
  readonly features?: {
    /** Env `ENABLE_EXPERIMENTAL_FEATURES`. @default false */
    readonly experimental?: boolean;
    /** The StorageVersionMigrator controller; needs `rbac.scope: cluster`. @default true */
    readonly storageVersionMigrator?: boolean;
  };
  /** Operator replicas (ignored when autoscaling is enabled). @default 1 */
  readonly replicaCount?: number;
  /**
   * Pull secrets of the operator pod.
   * @default []
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   */
  readonly imagePullSecrets?: LocalObjectReference[];
  /**
   * Pull secrets the operator adds to every workload it creates: names or `{name}`.
   * @default []
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#pull-workload-images-from-a-private-registry
   */
  readonly defaultImagePullSecrets?: (string | LocalObjectReference)[];
  /**
   * Default Redis for workloads without `spec.sessionStorage`.
   * @default - none: `{addr: "", existingSecret: "", existingSecretKey: ""}`
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#set-a-cluster-wide-default-redis
   */
  readonly defaultRedis?: {
    /** `host:port`. @default "" */
    readonly addr?: string;
    /** Secret holding the password. @default "" */
    readonly existingSecret?: string;
    /** Key of the password in that Secret. @default "" (then "redis-password") */
    readonly existingSecretKey?: string;
    /**
     * TLS to the default Redis (from ToolHive 0.59.0).
     * @default - off (from 0.59.0: `{enabled: false, caCertSecretRef: {name: "", key: "ca.crt"}}`)
     */
    readonly tls?: DefaultRedisTlsValues;
  };
  /** Operator image. @default "ghcr.io/stacklok/toolhive/operator:v<version>" */
  readonly image?: string;
  /**
   * Pull policy of the operator (and image-discovery) containers.
   * @default "IfNotPresent"
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
   */
  readonly imagePullPolicy?: string;
  /** Proxy-runner image for MCPServer workloads. @default "ghcr.io/stacklok/toolhive/proxyrunner:v<version>" */
  readonly toolhiveRunnerImage?: string;
  /** Virtual MCP server image. @default "ghcr.io/stacklok/toolhive/vmcp:v<version>" */
  readonly vmcpImage?: string;
  /**
   * The zero-replica Deployment listing the runtime images for air-gap scanners.
   * @default {enabled: false, resources: {}}
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#static-image-discovery-for-air-gapped-installs
   */
  readonly imageDiscovery?: {
    /** Render it. @default false */
    readonly enabled?: boolean;
    /**
     * Resources of its containers.
     * @default {}
     * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
     */
    readonly resources?: ResourceRequirements;
  };
  /** Bind host of the proxies the operator creates. @default "0.0.0.0" */
  readonly proxyHost?: string;
  /**
   * Extra env vars of the manager container, rendered before the chart's own.
   * @default []
   * @see https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
   */
  readonly env?: EnvVar[];
  /** Manager container ports. @default - metrics 8080 and health 8081 */
  readonly ports?: ContainerPort[];
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
   * @default {runAsNonRoot: true}
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
   */
  readonly podSecurityContext?: PodSecurityContext;
  /**
   * Container security context.
   * @default - restricted: no privilege escalation, read-only root, non-root uid 1000, all capabilities dropped, RuntimeDefault seccomp
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  readonly containerSecurityContext?: SecurityContext;
  /**
   * Liveness probe.
   * @default - GET /healthz on port "health"
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  readonly livenessProbe?: Probe;
  /**
   * Readiness probe.
   * @default - GET /readyz on port "health"
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  readonly readinessProbe?: Probe;
  /**
   * Horizontal pod autoscaling.
   * @default - off: `{enabled: false, minReplicas: 1, maxReplicas: 100, targetCPUUtilizationPercentage: 80}`
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
   */
  readonly autoscaling?: {
    /** Render the HPA and drop `spec.replicas`. @default false */
    readonly enabled?: boolean;
    /** Minimum number of replicas. @default 1 */
    readonly minReplicas?: number;
    /** Maximum number of replicas. @default 100 */
    readonly maxReplicas?: number;
    /** CPU target; 0 or null leaves the CPU metric out. @default 80 */
    readonly targetCPUUtilizationPercentage?: number;
    /** Memory target. @default - none (no memory metric) */
    readonly targetMemoryUtilizationPercentage?: number;
  };
  /** Manager container resources. @default - limits 500m/128Mi, requests 10m/64Mi */
  readonly resources?: ResourceRequirements;
  /**
   * Go runtime tuning.
   * @default {gomemlimit: "110MiB", gogc: 75}
   */
  readonly gc?: {
    /** Env `GOMEMLIMIT`. @default "110MiB" */
    readonly gomemlimit?: string;
    /**
     * Env `GOGC`: a percentage, or `"off"`. Numbers of a million or more are refused: helm
     * prints them as `1e+06`, which the Go runtime does not read (give those as a string).
     * @default 75
     */
    readonly gogc?: number | string;
  };
  /**
   * RBAC scope of the operator.
   * @default {scope: "cluster", allowedNamespaces: []}
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#operator-deployment-modes
   */
  readonly rbac?: {
    /** `cluster` or `namespace`. @default "cluster" */
    readonly scope?: string;
    /** Namespaces watched and bound in `namespace` scope. @default [] */
    readonly allowedNamespaces?: string[];
  };
  /**
   * The operator's ServiceAccount.
   * @default - created, named "toolhive-operator", token mounted
   * @see https://kubernetes.io/docs/concepts/security/service-accounts/
   */
  readonly serviceAccount?: {
    /** Whether the chart creates the ServiceAccount. @default true */
    readonly create?: boolean;
    /** Whether its API credentials are mounted automatically. @default true */
    readonly automountServiceAccountToken?: boolean;
    /** Annotations of the ServiceAccount. @default {} */
    readonly annotations?: { readonly [key: string]: string };
    /** Labels of the ServiceAccount. @default {} */
    readonly labels?: { readonly [key: string]: string };
    /** Its name (the one used when `create` is false). @default "toolhive-operator" */
    readonly name?: string;
  };
  /**
   * The leader-election Role and RoleBinding.
   * @default - the names below, and the rules below
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
   */
  readonly leaderElectionRole?: {
    /** Name of the Role. @default "toolhive-operator-leader-election-role" */
    readonly name?: string;
    /**
     * The RoleBinding.
     * @default {name: "toolhive-operator-leader-election-rolebinding"}
     */
    readonly binding?: {
      /** Name of the RoleBinding. @default "toolhive-operator-leader-election-rolebinding" */
      readonly name?: string;
    };
    /** Rules of the Role. @default - configmaps and leases (full), events.k8s.io events (create, patch) */
    readonly rules?: PolicyRule[];
  };
  /**
   * Pod volumes.
   * @default []
   * @see https://kubernetes.io/docs/concepts/storage/volumes/
   */
  readonly volumes?: KubeStructure[];
  /** Manager volume mounts. @default [] */
  readonly volumeMounts?: KubeStructure[];
  /**
   * Node labels the operator pod must match.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Tolerations of the operator pod.
   * @default []
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: Toleration[];
  /**
   * Affinity of the operator pod (node affinity, pod affinity and anti-affinity).
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: KubeStructure;
}

const FULL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

const DEFAULTS: OperatorChartValues = {
  nameOverride: '',
  fullnameOverride: 'toolhive-operator',
  operator: {
    features: { experimental: false, storageVersionMigrator: true },
    replicaCount: 1,
    imagePullSecrets: [],
    defaultImagePullSecrets: [],
    defaultRedis: { addr: '', existingSecret: '', existingSecretKey: '' },
    image: 'ghcr.io/stacklok/toolhive/operator:v<version>',
    imagePullPolicy: 'IfNotPresent',
    toolhiveRunnerImage: 'ghcr.io/stacklok/toolhive/proxyrunner:v<version>',
    vmcpImage: 'ghcr.io/stacklok/toolhive/vmcp:v<version>',
    imageDiscovery: { enabled: false, resources: {} },
    proxyHost: '0.0.0.0',
    env: [],
    ports: [
      { containerPort: 8080, name: 'metrics', protocol: 'TCP' },
      { containerPort: 8081, name: 'health', protocol: 'TCP' },
    ],
    podAnnotations: {},
    podLabels: {},
    podSecurityContext: { runAsNonRoot: true },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 15, periodSeconds: 20 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10 },
    autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 100, targetCPUUtilizationPercentage: 80 },
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
    gc: { gomemlimit: '110MiB', gogc: 75 },
    rbac: { scope: 'cluster', allowedNamespaces: [] },
    serviceAccount: {
      create: true,
      automountServiceAccountToken: true,
      annotations: {},
      labels: {},
      name: 'toolhive-operator',
    },
    leaderElectionRole: {
      name: 'toolhive-operator-leader-election-role',
      binding: { name: 'toolhive-operator-leader-election-rolebinding' },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: FULL },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: FULL },
        { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    },
    volumes: [],
    volumeMounts: [],
    nodeSelector: {},
    tolerations: [],
    affinity: {},
  },
  registryAPI: { image: '<registry-api>' },
};

/**
 * The chart's history: values keys that exist from a release on (the chart ignores them before).
 * `npm run upstream:add` reports keys a new release adds; each is added here with its release.
 * @internal
 */
export const OPERATOR_VALUE_HISTORY: readonly { readonly path: readonly string[]; readonly since: string }[] = [
  { path: ['operator', 'defaultRedis', 'tls'], since: '0.59.0' },
];

/** The Registry API image each release's chart defaults to (`registryAPI.image`), from the release on. */
const REGISTRY_API_IMAGES: readonly [since: string, image: string][] = [
  ['0.44.0', 'ghcr.io/stacklok/thv-registry-api:v1.3.0'],
  ['0.48.0', 'ghcr.io/stacklok/thv-registry-api:v1.5.2'],
  ['0.55.1', 'ghcr.io/stacklok/thv-registry-api:v1.5.3'],
];

/** The Registry API image `version`'s chart defaults to. @internal */
export function registryApiImageOf(version: string): string {
  return [...REGISTRY_API_IMAGES].reverse().find(([since]) => isAtLeast(version, since))![1];
}

/**
 * The operator chart's default values of a release (a fresh copy on every call).
 * @param version a supported ToolHive release @default - the newest supported release
 */
export function operatorChartDefaults(version: string = TOOLHIVE_VERSION): OperatorChartValues {
  const problem = renderedVersionProblem(version);
  if (problem) throw new ToolhiveValidationError([{ path: 'version', message: problem }], 'operator chart defaults');
  const v = deepClone(DEFAULTS) as any;
  for (const key of ['image', 'toolhiveRunnerImage', 'vmcpImage']) v.operator[key] = v.operator[key].replace('<version>', version);
  v.registryAPI.image = registryApiImageOf(version);
  if (isAtLeast(version, '0.59.0')) v.operator.defaultRedis.tls = { enabled: false, caCertSecretRef: { name: '', key: 'ca.crt' } };
  return v;
}

/**
 * Records keys of `values` that `version`'s chart does not have yet (`not in ToolHive 0.44.0;
 * added in 0.59.0`) and returns the values without them, for the remaining checks. @internal
 */
export function withoutLaterKeys(values: unknown, version: string, report: (path: string, message: string) => void): unknown {
  let out = values;
  for (const { path, since } of OPERATOR_VALUE_HISTORY) {
    const problem = sinceProblem(version, since);
    if (!problem || !hasKeyPath(out, path)) continue;
    report(path.join('.'), problem);
    out = withoutKeyPath(out, path);
  }
  return out;
}

function hasKeyPath(obj: unknown, path: readonly string[]): boolean {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}

function withoutKeyPath(obj: unknown, path: readonly string[]): unknown {
  const [key, ...rest] = path;
  const copy = { ...(obj as Record<string, unknown>) };
  if (rest.length === 0) delete copy[key];
  else copy[key] = withoutKeyPath(copy[key], rest);
  return copy;
}

const stringMap = S.map(S.string());

/**
 * `GOGC`, printed by the chart with `quote`: Go's `%v` of helm's float64, which writes a million
 * or more (and below 0.0001) in exponent form (`1e+06`) that the Go runtime refuses.
 */
const GOGC: Shape = S.custom((v, path, issues) => {
  if (typeof v === 'string') {
    if (v !== 'off' && !/^-?\d+$/.test(v)) issues.add(path, `${JSON.stringify(v)} is not a GOGC setting; expected a whole percentage (like 75) or "off"`);
  } else if (typeof v !== 'number' || !Number.isInteger(v)) {
    issues.add(path, `expected a whole percentage (like 75) or "off", got ${describe(v)}`);
  } else if (Math.abs(v) >= 1e6) {
    issues.add(path, `${v} would be printed by helm as ${JSON.stringify(goFloatText(v))} (Go formats large numbers in exponent form), which the Go runtime does not read as GOGC; give it as a string, "${v}"`);
  }
});

/** Go's `%v` of a float64 for a whole number (what helm prints for numbers from values files). */
function goFloatText(n: number): string {
  if (Math.abs(n) < 1e6) return String(n);
  const [mantissa, exp] = n.toExponential().split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** An image the chart prints between double quotes without escaping. */
const QUOTED_IMAGE: Shape = S.ruled((v) => imageReferenceProblem(v) ?? unescapedQuotedProblem(v as string));

/** The shape of {@link OperatorChartValues}, for unknown-key and type checks. @internal */
export const OPERATOR_VALUES_SHAPE: Shape = S.object({
  // Printed without quotes in object names and label values.
  nameOverride: S.ruled(nameOverrideProblem),
  fullnameOverride: S.ruled(nameOverrideProblem),
  operator: S.object({
    features: S.object({ experimental: S.boolean(), storageVersionMigrator: S.boolean() }),
    replicaCount: S.integer(0),
    imagePullSecrets: S.list(S.object({ name: S.string() })),
    // Entries are checked by the renderer, with the chart's own messages.
    defaultImagePullSecrets: S.list(S.any()),
    defaultRedis: S.object({
      addr: S.string(),
      existingSecret: S.string(),
      existingSecretKey: S.string(),
      // From 0.59.0 (OPERATOR_VALUE_HISTORY); the cross-field rules are the renderer's.
      tls: S.object({ enabled: S.boolean(), caCertSecretRef: S.object({ name: S.string(), key: S.string() }) }),
    }),
    image: QUOTED_IMAGE,
    imagePullPolicy: S.string(['Always', 'IfNotPresent', 'Never']),
    toolhiveRunnerImage: QUOTED_IMAGE,
    vmcpImage: QUOTED_IMAGE,
    imageDiscovery: S.object({ enabled: S.boolean(), resources: S.map() }),
    proxyHost: S.ruled((v) => unescapedQuotedProblem(v as string)),
    env: S.list(S.map()),
    ports: S.list(S.map()),
    podAnnotations: stringMap,
    podLabels: stringMap,
    podSecurityContext: S.map(),
    containerSecurityContext: S.map(),
    livenessProbe: S.map(),
    readinessProbe: S.map(),
    autoscaling: S.object({
      enabled: S.boolean(),
      minReplicas: S.integer(1),
      maxReplicas: S.integer(1),
      targetCPUUtilizationPercentage: S.integer(0),
      targetMemoryUtilizationPercentage: S.integer(0),
    }),
    resources: S.map(),
    gc: S.object({ gomemlimit: S.string(), gogc: GOGC }),
    rbac: S.object({ scope: S.string(), allowedNamespaces: S.list(S.string()) }),
    serviceAccount: S.object({
      create: S.boolean(),
      automountServiceAccountToken: S.boolean(),
      annotations: stringMap,
      labels: stringMap,
      // Printed without quotes; empty is the chart's default name.
      name: S.ruled(nameOverrideProblem),
    }),
    // Both names are printed without quotes.
    leaderElectionRole: S.object({
      name: S.ruled(unquotedObjectNameProblem),
      binding: S.object({ name: S.ruled(unquotedObjectNameProblem) }),
      rules: S.list(S.map()),
    }),
    volumes: S.list(S.map()),
    volumeMounts: S.list(S.map()),
    nodeSelector: stringMap,
    tolerations: S.list(S.map()),
    affinity: S.map(),
  }),
  registryAPI: S.object({ image: QUOTED_IMAGE }),
  global: S.map(),
});

/** The shape of `global.redis`, checked separately because `global` is open. @internal */
export const GLOBAL_REDIS_SHAPE: Shape = S.object({
  host: S.string(),
  // The chart's `default 6379` takes 0 for unset: 0 is refused rather than read as 6379.
  port: S.custom((v, path, issues) => {
    if (v === 0) issues.add(path, 'expected a port from 1 to 65535, got 0 (the chart would treat 0 as unset and use 6379: leave the key out for that)');
    else checkShape(v, S.integer(1, 65535), path, issues);
  }),
  existingSecret: S.string(),
  existingSecretKey: S.string(),
});
