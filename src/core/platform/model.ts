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
  /** The cluster running them. */
  readonly controlCluster?: string;
  /** The (aggregating) Registry Server. */
  readonly registryServer?: string;
  /** The Enterprise Manager (enterprise edition). */
  readonly enterpriseManager?: string;
  /** The Cloud UI (enterprise edition). */
  readonly cloudUi?: string;
}

/** One cluster's plan within a platform. */
export interface PlatformClusterPlan extends ClusterPlan {
  readonly role: ClusterRole;
  /** The shared services' external URLs this cluster knows of. */
  readonly endpoints: PlatformEndpoints;
}

/** Every cluster's plan, sorted by cluster name. */
export interface PlatformPlan {
  readonly edition: Edition;
  /** The shared services' external URLs, platform-wide (what every cluster is given: adapters publish these). */
  readonly endpoints: PlatformEndpoints;
  readonly clusters: readonly PlatformClusterPlan[];
}
