import { AirGapOptions } from '../airgap';
import { ToolhiveOperatorOptions } from '../operator/options';
import { Delivery } from '../plan';
import { AiGatewayOptions, CloudUiOptions, EnterpriseManagerOptions } from './enterprise-components';
import { RegistryLayeringOptions } from './layering';
import { RegistryServerOptions } from '../registry/options';

/** Which charts a platform is built from. */
export const Edition = {
  /** The Stacklok Enterprise Platform umbrella chart (Helm releases). */
  ENTERPRISE: 'enterprise',
  /** The open source operator, CRD and Registry Server charts. */
  OPEN_SOURCE: 'open-source',
} as const;
/** @see Edition */
export type Edition = typeof Edition[keyof typeof Edition];

/** What a cluster is for. */
export const ClusterRole = {
  /** Shared services: Enterprise Manager, Cloud UI, Registry Server. */
  CONTROL: 'control',
  /** MCP workloads: the ToolHive operator. */
  WORKLOAD: 'workload',
  /** One environment's Registry Server. */
  REGISTRY: 'registry',
} as const;
/** @see ClusterRole */
export type ClusterRole = typeof ClusterRole[keyof typeof ClusterRole];

/** Shared Redis (or Valkey) for the components that use one. */
export interface GlobalRedisOptions {
  /** Redis host name or address. */
  readonly host: string;
  /** Redis port. @default 6379 */
  readonly port?: number;
  /** Redis Cluster protocol. @default false */
  readonly clusterMode?: boolean;
  /**
   * The Secret key holding the password.
   * @default - passwordless
   * @see https://kubernetes.io/docs/concepts/configuration/secret/
   */
  readonly passwordSecret?: {
    /** Name of the Secret. */
    readonly name: string;
    /** Key of the password in the Secret. @default "redis-password" */
    readonly key?: string;
  };
  /** TLS to Redis. @default false */
  readonly tls?: boolean;
}

/** Shared PostgreSQL host the Registry Server inherits when its config leaves the host empty. */
export interface GlobalPostgresOptions {
  /** PostgreSQL host name or address. */
  readonly host: string;
  /** PostgreSQL port. @default 5432 */
  readonly port?: number;
  /**
   * TLS mode of the connection (libpq's `sslmode`).
   * @default "require"
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#ssltls-configuration
   */
  readonly sslMode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
}

/** Settings shared by a cluster's components (`global.*` of the charts). */
export interface GlobalOptions {
  /** Shared Redis (or Valkey) for the components that use one. @default - none */
  readonly redis?: GlobalRedisOptions;
  /** Shared PostgreSQL host the Registry Server inherits when its config leaves the host empty. @default - none */
  readonly postgres?: GlobalPostgresOptions;
}

/** The enterprise umbrella release. */
export interface EnterpriseReleaseOptions {
  /** Platform (chart) version, from the install portal, e.g. `1.4.0`. */
  readonly version: string;
  /** Release channel slug, from the install portal, e.g. `stable`. */
  readonly channel: string;
  /** Umbrella release name. @default "stacklok-enterprise" */
  readonly releaseName?: string;
  /** The Replicated SDK that provisions the pull secret from the license. @default - true, false with airGap */
  readonly replicated?: boolean;
  /** Preflight checks run as a hook Job. @default - the chart's preflight settings */
  readonly preflight?: {
    /** The chart's `preflight.enforce`: whether the checks are enforced. @default - the chart's */
    readonly enforce?: boolean;
    /** The chart's `preflight.checkEgress`: whether the egress check runs. @default - the chart's */
    readonly checkEgress?: boolean;
    /** Image repository of the preflight Job (the chart's `preflight.image.repository`), e.g. in your mirror. @default - the chart's */
    readonly imageRepository?: string;
  };
  /**
   * Air-gapped install: every component's image from your mirror (`<registry>/<image>:<version>`),
   * with your pull secret, and the Replicated SDK off.
   * @default - none: the chart's images, pulled with the license's credentials
   * @see https://docs.stacklok.com/platform/enterprise-platform/airgap-install
   */
  readonly airGap?: {
    /** Registry host and path prefix of your mirror, e.g. `123456789.dkr.ecr.eu-west-1.amazonaws.com/stacklok`. */
    readonly registry: string;
    /** Name of the Secret with your registry's pull credentials. */
    readonly pullSecret: string;
  };
}

/**
 * What one cluster runs. The presence of a component's options enables it. Shared by the
 * control, workload and registry cluster constructs.
 */
export interface PlatformClusterOptions {
  /**
   * The ToolHive operator (and its CRDs).
   * @default - not installed
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator
   */
  readonly toolhiveOperator?: ToolhiveOperatorOptions;
  /** The Enterprise Manager (enterprise edition). @default - not installed */
  readonly enterpriseManager?: EnterpriseManagerOptions;
  /**
   * The Enterprise Cloud UI (enterprise edition).
   * @default - not installed
   * @see https://docs.stacklok.com/toolhive/guides-cloud-ui/configuration
   */
  readonly cloudUi?: CloudUiOptions;
  /**
   * The Registry Server.
   * @default - not installed
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration
   */
  readonly registryServer?: RegistryServerOptions;
  /** The AI Gateway operator (enterprise edition). @default - not installed */
  readonly aiGateway?: AiGatewayOptions;
  /** Overrides of the platform's shared settings for this cluster. @default - the platform's */
  readonly global?: GlobalOptions;
  /**
   * The ToolHive release this cluster's operator runs (open source edition): pins one cluster
   * of a fleet to its own release, e.g. during an upgrade in waves. `toolhiveOperator.version`
   * says the same; set one of the two.
   * @default - the platform's `version`
   */
  readonly version?: string;
}

/** A cluster of the platform: its role and what it runs. */
export interface PlatformClusterSpec extends PlatformClusterOptions {
  /** What the cluster is for: `control`, `workload` or `registry`. */
  readonly role: ClusterRole;
}

/** Platform-wide options. */
export interface ToolhivePlatformOptions {
  /** Which charts the platform is built from: `enterprise` or `open-source`. @default "open-source" */
  readonly edition?: Edition;
  /**
   * The ToolHive release every cluster's operator runs (open source edition; a cluster's own
   * `version` wins): any supported release, `0.44.0` to `0.66.0`. The enterprise edition pins
   * it with `enterprise.version`.
   * @default - the newest supported release (`TOOLHIVE_VERSION`, 0.66.0)
   */
  readonly version?: string;
  /** The umbrella release (required for the enterprise edition). @default - none */
  readonly enterprise?: EnterpriseReleaseOptions;
  /** Namespace of the platform's components. @default - "stacklok-system" (enterprise), "toolhive-system" (open source) */
  readonly namespace?: string;
  /**
   * Allow `namespace: 'default'`. The `default` namespace holds everything that names no
   * namespace, and the platform labels its namespace for Pod Security: refused unless asked for
   * here. (`kube-system`, `kube-public` and `kube-node-lease` are always refused.)
   * @default false
   */
  readonly allowDefaultNamespace?: boolean;
  /**
   * Delivery of open source components (the enterprise umbrella is always a Helm release).
   * @default - "helm" (enterprise), "manifests" (open source)
   */
  readonly delivery?: Delivery;
  /** Shared settings for every cluster. @default - none */
  readonly global?: GlobalOptions;
  /**
   * Air-gapped platform: every chart from your chart mirror, every open source component's
   * images from your image registry, for every cluster (a component's own `airGap` fields win).
   * Enterprise images: `enterprise.airGap`.
   * @default - the public registries
   */
  readonly airGap?: AirGapOptions;
  /** Registry Servers per environment, with promotion. @default - none: each cluster's Registry Server stands alone */
  readonly registryLayering?: RegistryLayeringOptions;
}

/** A whole platform: options and named clusters. */
export interface PlatformSpec extends ToolhivePlatformOptions {
  /** The platform's clusters, by name. */
  readonly clusters: { readonly [name: string]: PlatformClusterSpec };
}
