import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  ClusterRole, isPlainObject, planPlatform, PlatformClusterPlan, PlatformClusterSpec, PlatformEndpoints, PlatformSpec, ToolhiveValidationError,
  ValidationIssue,
} from '../index';
import { PlatformClusterSettingsArgs, PlatformSettingsArgs } from './core-args';
import { deliverableIdsOf, deliverableOf, DeliveringComponent, deliverPlan, HelmDeliveryArgs, helmArgsIssues, planned, providerIssues } from './deliver';
import { operatorOptionsFromArgs } from './operator';
import { registryOptionsFromArgs } from './registry-server';

/**
 * One cluster of the platform: its role, its provider, and the components it runs (the options
 * of the cdk8s cluster constructs, `PlatformClusterSettingsArgs`, generated from the core's
 * `PlatformClusterOptions`).
 */
export interface PlatformClusterArgs extends PlatformClusterSettingsArgs {
  /** `control`, `workload` or `registry`. */
  readonly role: ClusterRole;
  /**
   * The cluster's provider: required for every cluster the program deploys (never the local
   * kubeconfig); a program deploying one cluster (`onlyCluster`) needs only that cluster's.
   * @default - none: refused for a cluster the program deploys
   */
  readonly provider?: kubernetes.Provider;
}

/**
 * Arguments of {@link ToolhivePlatform}: the platform-wide options (`PlatformSettingsArgs`, generated
 * from the core's `ToolhivePlatformOptions`), the Helm delivery args, and the clusters.
 */
export interface ToolhivePlatformArgs extends PlatformSettingsArgs, HelmDeliveryArgs {
  /** The clusters, by name. */
  readonly clusters: { [name: string]: PlatformClusterArgs };
  /**
   * One stack per cluster: the name of the one cluster this program deploys. The whole platform is
   * still planned and validated from the same definition (every cluster's problems are reported,
   * and `endpoints` are the whole platform's, so no StackReference is needed); only this cluster's
   * component and resources are created, and only it needs a `provider`.
   * @default - every cluster
   */
  readonly onlyCluster?: string;
}

/** External URLs of the platform's shared services: the core's `PlatformEndpoints`, as the plan states them. */
export type PlatformEndpointsOutput = PlatformEndpoints;

/** The core platform spec for Pulumi args. @internal */
export function platformSpecFromArgs(args: ToolhivePlatformArgs): PlatformSpec {
  // What is not a map (plain JavaScript callers) goes to the core as it is, which says what is wrong.
  if (!isPlainObject(args) || !isPlainObject(args.clusters)) return args as unknown as PlatformSpec;
  const clusters: { [name: string]: PlatformClusterSpec } = {};
  for (const [name, c] of Object.entries(args.clusters)) {
    if (!isPlainObject(c)) {
      clusters[name] = c as unknown as PlatformClusterSpec;
      continue;
    }
    const { provider: _p, toolhiveOperator, registryServer, ...rest } = c;
    clusters[name] = {
      ...(rest as any),
      ...(toolhiveOperator ? { toolhiveOperator: operatorOptionsFromArgs(toolhiveOperator) } : {}),
      ...(registryServer ? { registryServer: registryOptionsFromArgs(registryServer) } : {}),
    };
  }
  const { helmResource: _h, helmOptions: _o, chartOptions: _co, clusters: _c, onlyCluster: _only, ...options } = args;
  return { ...(options as any), clusters };
}

/**
 * A ToolHive platform over several clusters, from the same plans as the cdk8s constructs: one
 * child component per cluster (ControlCluster, WorkloadCluster, RegistryCluster), each
 * deploying through its own provider. Every problem of every cluster is reported before any
 * resource is created.
 */
export class ToolhivePlatform extends pulumi.ComponentResource {
  /** Cluster names, sorted. */
  public readonly clusterNames: pulumi.Output<string[]>;
  /** The shared services' external URLs. */
  public readonly endpoints: pulumi.Output<PlatformEndpointsOutput>;

  constructor(name: string, args: ToolhivePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:ToolhivePlatform', name, {}, opts);
    // Validation first: every problem of the args and of every cluster's plan, at once.
    const plan = planned(this, `ToolhivePlatform "${name}"`, [...onlyClusterIssues(args), ...clusterProviderIssues(args), ...helmArgsIssues(args)],
      () => planPlatform(platformSpecFromArgs(args)));
    const helm: HelmDeliveryArgs = { helmResource: args.helmResource, helmOptions: args.helmOptions, chartOptions: args.chartOptions };
    for (const clusterPlan of plan.clusters.filter((c) => args.onlyCluster === undefined || c.cluster === args.onlyCluster)) {
      const childArgs = { provider: args.clusters[clusterPlan.cluster].provider!, plan: clusterPlan, ...helm };
      const childOpts = { parent: this };
      const childName = `${name}-${clusterPlan.cluster}`;
      const child = clusterPlan.role === 'control' ? new ControlCluster(childName, childArgs, childOpts)
        : clusterPlan.role === 'workload' ? new WorkloadCluster(childName, childArgs, childOpts)
          : new RegistryCluster(childName, childArgs, childOpts);
      clusterComponents(this).set(clusterPlan.cluster, child);
    }
    this.clusterNames = pulumi.output(plan.clusters.map((c) => c.cluster));
    this.endpoints = pulumi.output({ ...plan.endpoints });
    this.registerOutputs({ clusterNames: this.clusterNames, endpoints: this.endpoints });
  }

  /** The component of one cluster (by its name in `clusters`), e.g. to depend on its deliverables. */
  public cluster(clusterName: string): PlatformClusterComponent {
    const child = clusterComponents(this).get(clusterName);
    if (!child) {
      const names = [...clusterComponents(this).keys()].map((n) => JSON.stringify(n)).join(', ');
      throw new ToolhiveValidationError([{
        path: 'clusterName', message: `no cluster ${JSON.stringify(clusterName)} deployed by this program; the clusters it deploys are ${names}`,
      }], 'ToolhivePlatform.cluster()');
    }
    return child;
  }
}

/**
 * The cluster components of each platform, behind {@link ToolhivePlatform.cluster} (kept out of
 * the class's properties, which Pulumi's component analyzer reads as outputs).
 */
const CLUSTERS = new WeakMap<ToolhivePlatform, Map<string, PlatformClusterComponent>>();

function clusterComponents(platform: ToolhivePlatform): Map<string, PlatformClusterComponent> {
  let map = CLUSTERS.get(platform);
  if (!map) CLUSTERS.set(platform, (map = new Map()));
  return map;
}

/** `onlyCluster` names one of the clusters (checked before planning, reported with the plan's problems). */
function onlyClusterIssues(args: ToolhivePlatformArgs): ValidationIssue[] {
  if (!isPlainObject(args) || args.onlyCluster === undefined) return [];
  const names = isPlainObject(args.clusters) ? Object.keys(args.clusters).sort() : [];
  if (typeof args.onlyCluster === 'string' && names.includes(args.onlyCluster)) return [];
  return [{
    path: 'onlyCluster',
    message: `expected the name of one of the platform's clusters (${names.map((n) => JSON.stringify(n)).join(', ')}), got ${JSON.stringify(args.onlyCluster) ?? typeof args.onlyCluster}`,
  }];
}

/** A provider for every cluster the program deploys (checked before planning, reported with the plan's problems). */
function clusterProviderIssues(args: ToolhivePlatformArgs): ValidationIssue[] {
  if (!isPlainObject(args) || !isPlainObject(args.clusters)) return [];
  return Object.entries(args.clusters)
    .filter(([name, c]) => isPlainObject(c) && (args.onlyCluster === undefined || args.onlyCluster === name))
    .flatMap(([cluster, c]) => providerIssues(c.provider, 'Cluster', cluster).map((i) => ({ ...i, path: `clusters.${cluster}.${i.path}` })));
}

/** Arguments of a cluster component (made by {@link ToolhivePlatform} from its plan). */
export interface PlatformClusterComponentArgs extends HelmDeliveryArgs {
  /** The cluster's provider (required). */
  readonly provider: kubernetes.Provider;
  /** The cluster's plan. */
  readonly plan: PlatformClusterPlan;
}

/** One cluster of a {@link ToolhivePlatform}. */
export abstract class PlatformClusterComponent extends pulumi.ComponentResource implements DeliveringComponent {
  /** The cluster's name in the platform. */
  public readonly cluster: pulumi.Output<string>;
  /** The shared services' external URLs, as this cluster knows them. */
  public readonly endpoints: pulumi.Output<PlatformEndpointsOutput>;
  /** Helm release names deployed to this cluster (as raw manifests: the releases they mirror), in apply order. */
  public readonly releaseNames: pulumi.Output<string[]>;

  protected constructor(type: string, name: string, args: PlatformClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    planned(this, `Cluster "${name}"`, providerIssues(args?.provider, 'Cluster', name), () => undefined);
    deliverPlan(this, name, args.plan, args.provider, args);
    this.cluster = pulumi.output(args.plan.cluster);
    this.endpoints = pulumi.output({ ...args.plan.endpoints });
    this.releaseNames = pulumi.output([...(args.plan.releaseNames ?? [])]);
    this.registerOutputs({ cluster: this.cluster, endpoints: this.endpoints, releaseNames: this.releaseNames });
  }

  /** {@inheritDoc DeliveringComponent.deliverableIds} */
  public deliverableIds(): string[] {
    return deliverableIdsOf(this);
  }

  /** {@inheritDoc DeliveringComponent.deliverable} */
  public deliverable(id: string): pulumi.Resource {
    return deliverableOf(this, id, this.constructor.name);
  }
}

/** The control cluster (Enterprise Manager, Cloud UI, Registry Server). */
export class ControlCluster extends PlatformClusterComponent {
  constructor(name: string, args: PlatformClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:ControlCluster', name, args, opts);
  }
}

/** A workload cluster (the ToolHive operator). */
export class WorkloadCluster extends PlatformClusterComponent {
  constructor(name: string, args: PlatformClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:WorkloadCluster', name, args, opts);
  }
}

/** A registry-only environment cluster (a Registry Server). */
export class RegistryCluster extends PlatformClusterComponent {
  constructor(name: string, args: PlatformClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:RegistryCluster', name, args, opts);
  }
}
