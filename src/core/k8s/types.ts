/*
 * Minimal typings for the Kubernetes structures that chart values carry verbatim.
 * They cover the fields people set; anything else is still accepted where the chart
 * passes the structure through (the rendered object is schema-checked as a whole).
 */

/**
 * A container environment variable.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
 */
export interface EnvVar {
  /** Variable name. */
  readonly name: string;
  /** Literal value. @default - none (empty, unless `valueFrom` is set) */
  readonly value?: string;
  /** Value taken from a Secret, ConfigMap or field. @default - none */
  readonly valueFrom?: EnvVarSource;
}

/**
 * Where an environment variable's value comes from: set exactly one field.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/
 */
export interface EnvVarSource {
  /**
   * A key of a Secret in the pod's namespace.
   * @default - none
   */
  readonly secretKeyRef?: KeySelector;
  /**
   * A key of a ConfigMap in the pod's namespace.
   * @default - none
   */
  readonly configMapKeyRef?: KeySelector;
  /**
   * A field of the pod (`metadata.name`, `metadata.namespace`, `status.podIP`...).
   * @default - none
   * @see https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/
   */
  readonly fieldRef?: ObjectFieldSelector;
  /**
   * A resource limit or request of a container (`limits.memory`...).
   * @default - none
   */
  readonly resourceFieldRef?: ResourceFieldSelector;
}

/** A key of a Secret or ConfigMap. */
export interface KeySelector {
  /** The Secret's or ConfigMap's name, in the pod's namespace. */
  readonly name: string;
  /** The key in its data. */
  readonly key: string;
  /**
   * Whether the pod starts when the Secret, ConfigMap or key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** A field of the pod. */
export interface ObjectFieldSelector {
  /** The field's path, for example `metadata.namespace`. */
  readonly fieldPath: string;
  /**
   * The API version `fieldPath` is written in.
   * @default "v1"
   */
  readonly apiVersion?: string;
}

/** A resource of a container. */
export interface ResourceFieldSelector {
  /** The resource: `limits.cpu`, `limits.memory`, `requests.cpu`, `requests.memory`, `limits.ephemeral-storage`... */
  readonly resource: string;
  /**
   * The container whose resource is read.
   * @default - the container the variable is set on
   */
  readonly containerName?: string;
  /**
   * The unit the value is given in (a quantity such as `1m` or `1Mi`).
   * @default "1"
   */
  readonly divisor?: string;
}

/**
 * A container port.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
 */
export interface ContainerPort {
  /** Port number. */
  readonly containerPort: number;
  /** Port name, referenced by probes. @default - none */
  readonly name?: string;
  /** Protocol. @default "TCP" */
  readonly protocol?: string;
}

/**
 * A reference to a Secret by name (as `imagePullSecrets` entries are).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
 */
export interface LocalObjectReference {
  /** The Secret's name. */
  readonly name: string;
}

/** Pull secret references for Secret names, each once, in the order first given. @internal */
export function pullSecretRefs(names: readonly string[]): LocalObjectReference[] {
  return [...new Set(names)].map((name) => ({ name }));
}

/**
 * CPU and memory amounts, as Kubernetes quantities.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export interface ResourceList {
  /**
   * CPU, for example `500m` (half a core).
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Memory, for example `128Mi`.
   * @default - none
   */
  readonly memory?: string;
  /** Other resources (ephemeral-storage, extended resources). */
  readonly [resource: string]: string | undefined;
}

/**
 * Container resource requests and limits.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ResourceRequirements {
  /** Upper bounds. @default - none */
  readonly limits?: ResourceList;
  /** Guaranteed amounts. @default - none */
  readonly requests?: ResourceList;
}

/**
 * Container security context (the fields the Pod Security profiles look at, and more). The
 * defaults below are Kubernetes' for a field left out; each chart sets its own (see its values).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export interface SecurityContext {
  /**
   * Whether a process can gain more privileges than its parent (`no_new_privs` unset). The
   * "restricted" Pod Security profile requires `false`.
   * @default - true, unless the container is privileged or has CAP_SYS_ADMIN (always true then)
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Whether the container's root filesystem is read-only.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Whether the kubelet refuses to start the container as UID 0. The "restricted" Pod Security
   * profile requires `true` (here or on the pod).
   * @default - the pod's `runAsNonRoot`; not checked when neither sets it
   */
  readonly runAsNonRoot?: boolean;
  /**
   * The UID the container's process runs as.
   * @default - the pod's `runAsUser`, else the image's user
   */
  readonly runAsUser?: number;
  /**
   * The GID the container's process runs as.
   * @default - the pod's `runAsGroup`, else the container runtime's default
   */
  readonly runAsGroup?: number;
  /**
   * Whether the container runs privileged (as root on the host). Refused by the "baseline" and
   * "restricted" Pod Security profiles.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Linux capabilities to add to and drop from the container runtime's default set. The
   * "restricted" profile requires dropping `ALL`.
   * @default - the container runtime's default set
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
   */
  readonly capabilities?: Capabilities;
  /**
   * The seccomp profile of the container; the "restricted" profile requires `RuntimeDefault` or
   * `Localhost` (here or on the pod).
   * @default - the pod's `seccompProfile`
   * @see https://kubernetes.io/docs/tutorials/security/seccomp/
   */
  readonly seccompProfile?: SeccompProfile;
}

/** Linux capabilities to add and drop. */
export interface Capabilities {
  /**
   * Capabilities added (`NET_BIND_SERVICE`...).
   * @default - none
   */
  readonly add?: string[];
  /**
   * Capabilities dropped (`ALL` drops every one).
   * @default - none
   */
  readonly drop?: string[];
}

/**
 * A seccomp profile.
 * @see https://kubernetes.io/docs/tutorials/security/seccomp/
 */
export interface SeccompProfile {
  /** `RuntimeDefault` (the container runtime's profile), `Localhost` (a file on the node) or `Unconfined`. */
  readonly type: string;
  /**
   * The profile's file, relative to the kubelet's seccomp directory: required with `Localhost`, refused otherwise.
   * @default - none
   */
  readonly localhostProfile?: string;
}

/**
 * Pod security context: applies to every container of the pod, which can override it.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export interface PodSecurityContext {
  /**
   * Whether the kubelet refuses to start the pod's containers as UID 0.
   * @default - not checked
   */
  readonly runAsNonRoot?: boolean;
  /**
   * The UID the containers' processes run as.
   * @default - each image's user
   */
  readonly runAsUser?: number;
  /**
   * The GID the containers' processes run as.
   * @default - the container runtime's default
   */
  readonly runAsGroup?: number;
  /**
   * A supplementary group of every container; volumes that support ownership management are
   * made writable by it.
   * @default - none
   */
  readonly fsGroup?: number;
  /**
   * The seccomp profile of every container that sets none.
   * @default - the kubelet's default (`Unconfined` unless the kubelet runs with `--seccomp-default`)
   * @see https://kubernetes.io/docs/tutorials/security/seccomp/
   */
  readonly seccompProfile?: SeccompProfile;
}

/**
 * A container probe (liveness or readiness).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface Probe {
  /**
   * An HTTP GET the probe sends; a status from 200 to 399 is success.
   * @default - none
   */
  readonly httpGet?: HttpGetAction;
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures after which the probe has failed.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes after a failure for the probe to succeed again (must be 1 for liveness).
   * @default 1
   */
  readonly successThreshold?: number;
}

/** An HTTP GET probe action. */
export interface HttpGetAction {
  /**
   * The path requested.
   * @default - none (the kubelet requests `/`)
   */
  readonly path?: string;
  /** Port number or name. */
  readonly port: number | string;
  /**
   * `HTTP` or `HTTPS` (certificates are not verified).
   * @default "HTTP"
   */
  readonly scheme?: string;
}

/**
 * A pod toleration: lets the pod be scheduled on (and stay on) nodes with a matching taint.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export interface Toleration {
  /**
   * The taint key matched; empty with operator `Exists` matches every taint.
   * @default - none
   */
  readonly key?: string;
  /**
   * `Equal` (key and value match) or `Exists` (the key matches, whatever its value).
   * @default "Equal"
   */
  readonly operator?: string;
  /**
   * The taint value matched with operator `Equal`.
   * @default - none (an empty value)
   */
  readonly value?: string;
  /**
   * The taint effect matched: `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
   * @default - every effect
   */
  readonly effect?: string;
  /**
   * With effect `NoExecute`, seconds the pod stays on a node after the taint is added.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/**
 * An RBAC policy rule: verbs allowed on resources (or on non-resource URLs).
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export interface PolicyRule {
  /**
   * API groups of the resources (`""` is the core group, `*` every group).
   * @default - none (then the rule can only name nonResourceURLs)
   */
  readonly apiGroups?: string[];
  /**
   * Resources (`pods`, `pods/log`, `*`...).
   * @default - none
   */
  readonly resources?: string[];
  /** Verbs allowed (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `*`...). */
  readonly verbs: string[];
  /**
   * Names of the objects the rule is limited to.
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
  /**
   * Non-resource URLs (`/healthz`...): only in ClusterRoles.
   * @default - none
   */
  readonly nonResourceURLs?: string[];
}

/**
 * Any Kubernetes structure passed through verbatim (volumes, affinity...). Its fields are `any`
 * (not `unknown`) so that a typed structure, such as a `@pulumi/kubernetes` input type, is one.
 */
export interface KubeStructure {
  readonly [field: string]: any;
}

/**
 * A key of an existing Secret: only the reference is rendered, never the value.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/
 */
export interface SecretKeyReference {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. @default - depends on the field */
  readonly key?: string;
}
