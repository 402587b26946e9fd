import { AirGapOptions } from '../airgap';
import { OperatorChartValues } from './chart-values';
import { ExternalResourceReference, ToolhiveCustomResource } from '../crds/resources';
import { CrdSource } from '../crds/source';
import { IRbacScope } from '../k8s/rbac-scope';
import { EnvVar, KubeStructure, ResourceRequirements, SecretKeyReference, Toleration } from '../k8s/types';

/**
 * The operator install as people think of it. Compiles to {@link OperatorChartValues}.
 * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator
 */
export interface ToolhiveOperatorOptions {
  /**
   * ToolHive release to install (its chart version): any supported release, `0.44.0` to
   * `0.66.0` (see `RENDERED_TOOLHIVE_VERSIONS`). Values, images, CRDs and custom resources are
   * those of this release: a key or field it does not have yet is refused, naming the release
   * that added it. Other versions are accepted for Helm delivery only; values pass through
   * unchanged.
   * @default - the newest supported release (`TOOLHIVE_VERSION`, 0.66.0)
   */
  readonly version?: string;
  /**
   * Namespace of the operator (and of the CRD release, as upstream recommends).
   * @default "toolhive-system"
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
   */
  readonly namespace?: string;
  /**
   * Create the namespace, labelled to enforce the Pod Security "restricted" profile.
   * @default true
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly createNamespace?: boolean;
  /**
   * Allow `namespace: 'default'`. The `default` namespace holds everything that names no
   * namespace, and the install labels it for Pod Security: refused unless asked for here.
   * (`kube-system`, `kube-public` and `kube-node-lease` are always refused.)
   * @default false
   */
  readonly allowDefaultNamespace?: boolean;
  /** Operator release name. @default "toolhive-operator" */
  readonly releaseName?: string;
  /**
   * The CRDs, installed before the operator.
   * @default - installed as release "toolhive-operator-crds", kept on delete, from the release's CRDs
   */
  readonly crds?: OperatorCrdsOptions;
  /**
   * RBAC scope.
   * @default - RbacScope.cluster()
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#operator-deployment-modes
   */
  readonly rbac?: IRbacScope;
  /** Fixed number of operator replicas (leader election picks one). Exclusive with `autoscaling`. @default 1 */
  readonly replicas?: number;
  /** Horizontal pod autoscaling of the operator instead of fixed replicas. @default - no autoscaling */
  readonly autoscaling?: OperatorAutoscalingOptions;
  /** Images, and one registry override for air-gapped clusters. @default - the release's images from ghcr.io */
  readonly images?: OperatorImagesOptions;
  /**
   * Air-gapped install: the charts from your chart mirror (Helm delivery), the images from your
   * image registry (unless `images` names them), pull Secrets for the operator and its workloads
   * (unless `imagePullSecrets` / `workloadImagePullSecrets` are set).
   * @default - the public registries
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#static-image-discovery-for-air-gapped-installs
   */
  readonly airGap?: AirGapOptions;
  /**
   * Render the zero-replica Deployment that lists the runtime images for air-gap scanners.
   * @default false
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#static-image-discovery-for-air-gapped-installs
   */
  readonly imageDiscovery?: boolean;
  /**
   * Feature flags.
   * @default - no experimental features; the storage-version migrator in cluster scope only
   */
  readonly features?: OperatorFeatureOptions;
  /**
   * Default Redis session storage for the workloads the operator creates.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#set-a-cluster-wide-default-redis
   */
  readonly defaultRedis?: DefaultRedisOptions;
  /**
   * Pull secrets (names) of the operator pod.
   * @default []
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   */
  readonly imagePullSecrets?: string[];
  /**
   * Pull secrets (names) the operator adds to every workload it creates.
   * @default []
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#pull-workload-images-from-a-private-registry
   */
  readonly workloadImagePullSecrets?: string[];
  /**
   * Resources of the operator container.
   * @default - limits 500m/128Mi, requests 10m/64Mi
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  readonly resources?: ResourceRequirements;
  /** Where the operator pod may run. @default - anywhere */
  readonly scheduling?: SchedulingOptions;
  /** Extra pod annotations. @default {} */
  readonly podAnnotations?: { readonly [key: string]: string };
  /** Extra pod labels. @default {} */
  readonly podLabels?: { readonly [key: string]: string };
  /** Extra env vars of the operator container (the chart's own vars win on a clash). @default [] */
  readonly env?: EnvVar[];
  /**
   * ToolHive custom resources (MCPServer, MCPGroup, VirtualMCPServer...) applied after the CRDs
   * and the operator, each checked against its CRD's schema and CEL rules, its references,
   * and the namespaces the operator watches. Build them with `customResource(MCP_SERVER_RESOURCE, props)`.
   * @default []
   * @see https://docs.stacklok.com/toolhive/reference/crds
   */
  readonly customResources?: ToolhiveCustomResource[];
  /** Resources that exist outside this plan, so references to them are fine. @default [] */
  readonly externalResources?: ExternalResourceReference[];
  /**
   * Escape hatch: raw chart values merged last, over what the options above produce,
   * with Helm's rules. Checked against the chart's keys for the versions the library renders.
   * @default {}
   */
  readonly values?: OperatorChartValues;
}

/** The CRD release. */
export interface OperatorCrdsOptions {
  /**
   * Install the CRDs as part of this install. Turn off when another release or tool owns
   * them (they are a cluster singleton).
   * @default true
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#install-the-crds
   */
  readonly install?: boolean;
  /** CRD release name. @default "toolhive-operator-crds" */
  readonly releaseName?: string;
  /**
   * Keep the CRDs (and so every custom resource) when the release or stack is deleted.
   * @default true
   */
  readonly keep?: boolean;
  /**
   * Where the CRD YAML comes from, for raw manifests.
   * @default - CrdSource.fromRelease(version)
   */
  readonly source?: CrdSource;
}

/**
 * Operator autoscaling (a HorizontalPodAutoscaler).
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#scale-the-operator-with-autoscaling
 */
export interface OperatorAutoscalingOptions {
  /** Minimum number of replicas. @default 1 */
  readonly minReplicas?: number;
  /** Maximum number of replicas. @default 100 */
  readonly maxReplicas?: number;
  /** CPU utilisation target, percent. @default 80 */
  readonly targetCpuUtilizationPercent?: number;
  /** Memory utilisation target, percent. @default - no memory metric */
  readonly targetMemoryUtilizationPercent?: number;
}

/** Image pull policies. */
export const ImagePullPolicy = {
  ALWAYS: 'Always',
  IF_NOT_PRESENT: 'IfNotPresent',
  NEVER: 'Never',
} as const;
/** @see ImagePullPolicy */
export type ImagePullPolicy = typeof ImagePullPolicy[keyof typeof ImagePullPolicy];

/** Operator images. */
export interface OperatorImagesOptions {
  /**
   * Registry host (optionally with a path prefix) replacing `ghcr.io` in every default image,
   * for clusters that pull from a mirror. Images given explicitly below are used as they are.
   * @default - the public registry
   */
  readonly registry?: string;
  /** Operator image. @default - ghcr.io/stacklok/toolhive/operator:v<version> */
  readonly operator?: string;
  /** Proxy-runner image for MCP server workloads. @default - ghcr.io/stacklok/toolhive/proxyrunner:v<version> */
  readonly proxyRunner?: string;
  /** Virtual MCP server image. @default - ghcr.io/stacklok/toolhive/vmcp:v<version> */
  readonly vmcp?: string;
  /** Registry API image (for MCPRegistry). @default - the release chart's (ghcr.io/stacklok/thv-registry-api:v1.5.3 from 0.55.1, v1.5.2 from 0.48.0, v1.3.0 before) */
  readonly registryApi?: string;
  /**
   * Pull policy.
   * @default "IfNotPresent"
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/** Operator feature flags. */
export interface OperatorFeatureOptions {
  /** Experimental features. @default false */
  readonly experimental?: boolean;
  /**
   * The storage-version migrator. It needs cluster scope.
   * @default - true in cluster scope, false in namespace scope
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#storage-version-migrator-namespace-mode-opt-out
   */
  readonly storageVersionMigrator?: boolean;
}

/** Default Redis for workloads. */
export interface DefaultRedisOptions {
  /** `host:port` of Redis or Valkey. */
  readonly address: string;
  /**
   * The Secret key holding the password. Only the reference is rendered, never the password.
   * @default - no password
   */
  readonly passwordSecret?: SecretKeyReference;
  /**
   * TLS to Redis (from ToolHive 0.59.0; refused for older releases).
   * @default - no TLS
   */
  readonly tls?: DefaultRedisTlsOptions;
}

/** TLS to the operator's default Redis. */
export interface DefaultRedisTlsOptions {
  /** Connect with TLS. @default true */
  readonly enabled?: boolean;
  /**
   * The Secret key holding the CA certificate that signs Redis's certificate (only the
   * reference is rendered).
   * @default - the system's CAs; key "ca.crt" when only the name is given
   */
  readonly caCertSecret?: SecretKeyReference;
}

/**
 * Pod scheduling.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 */
export interface SchedulingOptions {
  /**
   * Node labels the pod must match.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Tolerations of the pod, for tainted nodes.
   * @default []
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: Toleration[];
  /**
   * Node affinity, pod affinity and anti-affinity, as the Kubernetes structure.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: KubeStructure;
}
