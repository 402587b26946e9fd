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
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** Redis Cluster protocol. @default false */
  readonly clusterMode?: boolean;
  /** The Secret key holding the password. @default - passwordless */
  readonly passwordSecret?: { readonly name: string; readonly key?: string };
  /** @default false */
  readonly tls?: boolean;
}

/** Shared PostgreSQL host the Registry Server inherits when its config leaves the host empty. */
export interface GlobalPostgresOptions {
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default "require" */
  readonly sslMode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
}

/** Settings shared by a cluster's components (`global.*` of the charts). */
export interface GlobalOptions {
  readonly redis?: GlobalRedisOptions;
  readonly postgres?: GlobalPostgresOptions;
}

/** The enterprise umbrella release. */
export interface EnterpriseReleaseOptions {
  /** Platform (chart) version, from the install portal, e.g. `1.4.0`. */
  readonly version: string;
  /** Release channel slug, from the install portal, e.g. `stable`. */
  readonly channel: string;
  /** @default "stacklok-enterprise" */
  readonly releaseName?: string;
  /** The Replicated SDK that provisions the pull secret from the license. @default - true, false with airGap */
  readonly replicated?: boolean;
  /** Preflight checks run as a hook Job. */
  readonly preflight?: { readonly enforce?: boolean; readonly checkEgress?: boolean; readonly imageRepository?: string };
  /**
   * Air-gapped install: every component's image from your mirror (`<registry>/<image>:<version>`),
   * with your pull secret, and the Replicated SDK off.
   */
  readonly airGap?: { readonly registry: string; readonly pullSecret: string };
}

/**
 * What one cluster runs. The presence of a component's options enables it. Shared by the
 * control, workload and registry cluster constructs.
 */
export interface PlatformClusterOptions {
  /** The ToolHive operator (and its CRDs). */
  readonly toolhiveOperator?: ToolhiveOperatorOptions;
  /** The Enterprise Manager (enterprise edition). */
  readonly enterpriseManager?: EnterpriseManagerOptions;
  /** The Enterprise Cloud UI (enterprise edition). */
  readonly cloudUi?: CloudUiOptions;
  /** The Registry Server. */
  readonly registryServer?: RegistryServerOptions;
  /** The AI Gateway operator (enterprise edition). */
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
  readonly role: ClusterRole;
}

/** Platform-wide options. */
export interface ToolhivePlatformOptions {
  /** @default "open-source" */
  readonly edition?: Edition;
  /**
   * The ToolHive release every cluster's operator runs (open source edition; a cluster's own
   * `version` wins): any supported release, `0.44.0` to `0.66.0`. The enterprise edition pins
   * it with `enterprise.version`.
   * @default - the newest supported release (`TOOLHIVE_VERSION`, 0.66.0)
   */
  readonly version?: string;
  /** The umbrella release (required for the enterprise edition). */
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
  /** Shared settings for every cluster. */
  readonly global?: GlobalOptions;
  /**
   * Air-gapped platform: every chart from your chart mirror, every open source component's
   * images from your image registry, for every cluster (a component's own `airGap` fields win).
   * Enterprise images: `enterprise.airGap`.
   * @default - the public registries
   */
  readonly airGap?: AirGapOptions;
  /** Registry Servers per environment, with promotion. */
  readonly registryLayering?: RegistryLayeringOptions;
}

/** A whole platform: options and named clusters. */
export interface PlatformSpec extends ToolhivePlatformOptions {
  readonly clusters: { readonly [name: string]: PlatformClusterSpec };
}
