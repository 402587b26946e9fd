/*
 * Minimal typings for the Kubernetes structures that chart values carry verbatim.
 * They cover the fields people set; anything else is still accepted where the chart
 * passes the structure through (the rendered object is schema-checked as a whole).
 */

/** A container environment variable. */
export interface EnvVar {
  /** Variable name. */
  readonly name: string;
  /** Literal value. @default - none */
  readonly value?: string;
  /** Value taken from a Secret, ConfigMap or field. @default - none */
  readonly valueFrom?: EnvVarSource;
}

/** Where an environment variable's value comes from. */
export interface EnvVarSource {
  /** A key of a Secret. */
  readonly secretKeyRef?: KeySelector;
  /** A key of a ConfigMap. */
  readonly configMapKeyRef?: KeySelector;
  /** A field of the pod. */
  readonly fieldRef?: ObjectFieldSelector;
  /** A resource of the container. */
  readonly resourceFieldRef?: ResourceFieldSelector;
}

/** A key of a Secret or ConfigMap. */
export interface KeySelector {
  readonly name: string;
  readonly key: string;
  readonly optional?: boolean;
}

/** A field of the pod. */
export interface ObjectFieldSelector {
  readonly fieldPath: string;
  readonly apiVersion?: string;
}

/** A resource of a container. */
export interface ResourceFieldSelector {
  readonly resource: string;
  readonly containerName?: string;
  readonly divisor?: string;
}

/** A container port. */
export interface ContainerPort {
  /** Port number. */
  readonly containerPort: number;
  /** Port name, referenced by probes. @default - none */
  readonly name?: string;
  /** Protocol. @default "TCP" */
  readonly protocol?: string;
}

/** A reference to a Secret by name (as `imagePullSecrets` entries are). */
export interface LocalObjectReference {
  /** The Secret's name. */
  readonly name: string;
}

/** Pull secret references for Secret names, each once, in the order first given. @internal */
export function pullSecretRefs(names: readonly string[]): LocalObjectReference[] {
  return [...new Set(names)].map((name) => ({ name }));
}

/** CPU and memory amounts. */
export interface ResourceList {
  /** CPU, for example `500m`. */
  readonly cpu?: string;
  /** Memory, for example `128Mi`. */
  readonly memory?: string;
  /** Other resources (ephemeral-storage, extended resources). */
  readonly [resource: string]: string | undefined;
}

/** Container resource requests and limits. */
export interface ResourceRequirements {
  /** Upper bounds. @default - none */
  readonly limits?: ResourceList;
  /** Guaranteed amounts. @default - none */
  readonly requests?: ResourceList;
}

/** Container security context (the fields the Pod Security profiles look at, and more). */
export interface SecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly privileged?: boolean;
  readonly capabilities?: Capabilities;
  readonly seccompProfile?: SeccompProfile;
}

/** Linux capabilities to add and drop. */
export interface Capabilities {
  readonly add?: string[];
  readonly drop?: string[];
}

/** A seccomp profile. */
export interface SeccompProfile {
  readonly type: string;
  readonly localhostProfile?: string;
}

/** Pod security context. */
export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly seccompProfile?: SeccompProfile;
}

/** A container probe. */
export interface Probe {
  readonly httpGet?: HttpGetAction;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

/** An HTTP GET probe action. */
export interface HttpGetAction {
  readonly path?: string;
  /** Port number or name. */
  readonly port: number | string;
  readonly scheme?: string;
}

/** A pod toleration. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** An RBAC policy rule. */
export interface PolicyRule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
}

/** Any Kubernetes structure passed through verbatim (volumes, affinity...). */
export interface KubeStructure {
  readonly [field: string]: unknown;
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
