/*
 * What planning a platform produces: one plan per cluster, the ids of the platform's
 * deliverables, and the external URLs the clusters learn of each other.
 */
import { ClusterPlan } from '../plan';
import { ClusterRole, Edition } from './spec';

/** The enterprise umbrella chart. */
export const ENTERPRISE_CHART = {
  name: 'stacklok-enterprise-platform',
  /** `oci://oci.stacklok.com/stacklok-enterprise/<channel>/stacklok-enterprise-platform` */
  repository: (channel: string) => `oci://oci.stacklok.com/stacklok-enterprise/${channel}/stacklok-enterprise-platform`,
};

/** Ids of the platform's deliverables. */
export const PLATFORM_DELIVERABLES = {
  namespace: 'platform-namespace',
  umbrella: 'stacklok-enterprise-platform',
  registryServer: 'toolhive-registry-server',
  endpoints: 'platform-endpoints',
};

/** Name of the ConfigMap that tells a workload cluster where the control plane is. */
export const ENDPOINTS_CONFIGMAP = 'toolhive-platform-endpoints';

/** External URLs of the platform's shared services, as a workload cluster receives them. */
export interface PlatformEndpoints {
  /** The cluster running them. @default - none: no cluster provides one */
  readonly controlCluster?: string;
  /** The (aggregating) Registry Server. @default - none: not deployed */
  readonly registryServer?: string;
  /** The Enterprise Manager (enterprise edition). @default - none: not deployed */
  readonly enterpriseManager?: string;
  /** The Cloud UI (enterprise edition). @default - none: not deployed */
  readonly cloudUi?: string;
}

/** The shared endpoint a component provides. */
export interface PlatformComponentEndpoint {
  /** Which of the platform's endpoints it is (a key of {@link PlatformEndpoints}). */
  readonly name: string;
  /** Its external URL. */
  readonly url: string;
  /** The text of a diagram's link to it from a cluster given the endpoint. @default - not drawn */
  readonly link?: string;
}

/** A component one cluster runs, as readers of the plan (diagrams, reports) see it. */
export interface PlatformComponentFacts {
  /** Its key in the cluster's spec, e.g. "registryServer". */
  readonly name: string;
  /** Its node's id within its cluster in a diagram, e.g. "registry". */
  readonly node: string;
  /** What a diagram's node says of it, line by line (its name first). */
  readonly label: readonly string[];
  /** The shared endpoint it provides. @default - none */
  readonly endpoint?: PlatformComponentEndpoint;
}

/** One cluster's plan within a platform. */
export interface PlatformClusterPlan extends ClusterPlan {
  /** What the cluster is for. */
  readonly role: ClusterRole;
  /** The shared services' external URLs this cluster knows of. */
  readonly endpoints: PlatformEndpoints;
  /** The components it runs, in the order the platform registers them. */
  readonly components: readonly PlatformComponentFacts[];
}

/** One environment of the registry layering. */
export interface PlatformEnvironmentFacts {
  /** The environment's name (also its registry's). */
  readonly name: string;
  /** The cluster whose Registry Server serves it. */
  readonly cluster: string;
  /** The environment below it. @default - none (the lowest) */
  readonly promotesFrom?: string;
}

/** The registry layering of a platform: how entries travel from one environment to the next. */
export interface PlatformLayeringFacts {
  /** How entries travel from one environment to the next. */
  readonly promotion: 'api' | 'git';
  /** Sorted by name. */
  readonly environments: readonly PlatformEnvironmentFacts[];
  /** The Git catalog's repository and file (`git` promotion). @default - none */
  readonly catalog?: {
    /** Repository URL. */
    readonly repository: string;
    /** The registry file in the repository, as written. @default - none: the catalog's default, "registry.json" */
    readonly path?: string;
  };
}

/** Every cluster's plan, sorted by cluster name. */
export interface PlatformPlan {
  /** Which charts the platform is built from. */
  readonly edition: Edition;
  /** The shared services' external URLs, platform-wide (what every cluster is given: adapters publish these). */
  readonly endpoints: PlatformEndpoints;
  /** One plan per cluster, sorted by cluster name. */
  readonly clusters: readonly PlatformClusterPlan[];
  /** The registry layering, when the platform has one. @default - none */
  readonly registryLayering?: PlatformLayeringFacts;
}
