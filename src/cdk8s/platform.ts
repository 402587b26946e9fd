import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  assertOptionsMap, ClusterRole, isPlainObject, PlatformClusterOptions, platformDiagram, PlatformDiagramOptions, PlatformPlan, PlatformSpec,
  planPlatform, ToolhivePlatformOptions, ToolhiveValidationError, unknownDeliverable,
} from '../index';
import { addPlan } from './plan';
import { synthChartAlone } from './synth';

/** Props of {@link ToolhivePlatform}. */
export interface ToolhivePlatformProps extends ToolhivePlatformOptions {
  /**
   * The `helm` program for Helm deliverables (the enterprise umbrella, or `delivery: "helm"`).
   * @default - $TOOLHIVE_HELM, else "helm" on the PATH
   */
  readonly helmExecutable?: string;
}

/** Options of a control cluster: Enterprise Manager, Cloud UI, Registry Server (and optionally the operator, AI Gateway). */
export interface ControlClusterOptions extends PlatformClusterOptions {}
/** Options of a workload cluster: the ToolHive operator (and optionally the AI Gateway). */
export interface WorkloadClusterOptions extends PlatformClusterOptions {}
/** Options of a registry-only environment cluster: a Registry Server (and optionally the operator). */
export interface RegistryClusterOptions extends PlatformClusterOptions {}

/** Props of a cluster construct: its options plus the platform it belongs to. */
export interface PlatformClusterProps extends PlatformClusterOptions {
  /** The platform this cluster belongs to. */
  readonly platform: ToolhivePlatform;
}
/** Props of {@link ControlCluster}. */
export interface ControlClusterProps extends ControlClusterOptions, PlatformClusterProps {}
/** Props of {@link WorkloadCluster}. */
export interface WorkloadClusterProps extends WorkloadClusterOptions, PlatformClusterProps {}
/** Props of {@link RegistryCluster}. */
export interface RegistryClusterProps extends RegistryClusterOptions, PlatformClusterProps {}

/**
 * A ToolHive platform of several clusters: one control cluster and any number of workload
 * and registry clusters, composed in one program and wired to each other through external
 * URLs. Each cluster is its own cdk8s Chart, so `cdk8s synth` writes one file per cluster.
 *
 * Clusters may be added in any order; their content is planned for the whole platform at
 * synthesis, before any file is written, and every problem of every cluster is reported in
 * one `ToolhiveValidationError`.
 */
export class ToolhivePlatform extends Construct {
  private readonly clusters = new Map<string, PlatformCluster>();
  private readonly deliverables = new Map<string, Map<string, Construct>>();
  private materialized?: PlatformPlan;

  constructor(scope: Construct, id: string, private readonly props: ToolhivePlatformProps = {}) {
    super(scope, id);
    assertOptionsMap(props, '(props)', 'platform options (a map)', `ToolHive platform ${id}`);
    this.node.addValidation({
      validate: () => {
        this.materialize();
        return [];
      },
    });
  }

  /** Adds the control cluster (a Chart named `name`, next to this platform). */
  public addControlCluster(name: string, options: ControlClusterOptions): ControlCluster {
    assertOptionsMap(options, name, 'control cluster options (a map)', `ToolHive platform ${this.node.id}`);
    return new ControlCluster(this.node.scope!, name, { ...options, platform: this });
  }

  /** Adds a workload cluster. */
  public addWorkloadCluster(name: string, options: WorkloadClusterOptions): WorkloadCluster {
    assertOptionsMap(options, name, 'workload cluster options (a map)', `ToolHive platform ${this.node.id}`);
    return new WorkloadCluster(this.node.scope!, name, { ...options, platform: this });
  }

  /** Adds a registry-only environment cluster. */
  public addRegistryCluster(name: string, options: RegistryClusterOptions): RegistryCluster {
    assertOptionsMap(options, name, 'registry cluster options (a map)', `ToolHive platform ${this.node.id}`);
    return new RegistryCluster(this.node.scope!, name, { ...options, platform: this });
  }

  /**
   * The platform's plan: every cluster's deliverables (validates the whole platform).
   */
  public plan(): PlatformPlan {
    return planPlatform(this.spec());
  }

  /**
   * A Mermaid flowchart of the platform (clusters, components, the URLs linking them, registry
   * promotion): see `platformDiagram`. Validates the platform.
   */
  public diagram(options: PlatformDiagramOptions = {}): string {
    return platformDiagram(this.spec(), options);
  }

  /** The platform as the core's model: every cluster added so far. */
  private spec(): PlatformSpec {
    const clusters: { [name: string]: any } = {};
    for (const [name, c] of this.clusters) clusters[name] = { ...c.options, role: c.role };
    const { helmExecutable: _, ...options } = this.props ?? {};
    return { ...options, clusters };
  }

  /**
   * Throws unless a cluster named `name` can join now: before the platform is planned, under a
   * name no other cluster has (checked before the cluster's Chart is made).
   * @internal
   */
  public _checkRegistration(name: string): void {
    const path = `clusters.${name}`;
    if (this.materialized) {
      throw new ToolhiveValidationError([{
        path,
        message: 'cannot join: the platform is already planned (by synthesis, deliverable() or deliverableIds()); add every cluster before any of those',
      }], `ToolHive platform ${this.node.id}`);
    }
    if (this.clusters.has(name)) {
      const names = [...this.clusters.keys()].sort().map((n) => JSON.stringify(n)).join(', ');
      throw new ToolhiveValidationError([{
        path,
        message: `the platform already has a cluster named ${JSON.stringify(name)} (its clusters: ${names}); each cluster needs its own name`,
      }], `ToolHive platform ${this.node.id}`);
    }
  }

  /** @internal */
  public _register(cluster: PlatformCluster): void {
    this._checkRegistration(cluster.node.id);
    this.clusters.set(cluster.node.id, cluster);
  }

  /** @internal */
  public _deliverables(cluster: PlatformCluster): Map<string, Construct> {
    this.materialize();
    return this.deliverables.get(cluster.node.id) ?? new Map();
  }

  private materialize(): void {
    if (this.materialized) return;
    const plan = this.plan();
    for (const clusterPlan of plan.clusters) {
      const scope = this.clusters.get(clusterPlan.cluster)!;
      this.deliverables.set(clusterPlan.cluster, addPlan(scope, clusterPlan, { helmExecutable: this.props.helmExecutable }));
    }
    this.materialized = plan;
  }
}

/** One cluster of a {@link ToolhivePlatform}: a cdk8s Chart holding that cluster's objects. */
export abstract class PlatformCluster extends Chart {
  /** What the cluster is for. */
  public readonly role: ClusterRole;
  /** What it runs. */
  public readonly options: PlatformClusterOptions;
  private readonly platform: ToolhivePlatform;

  protected constructor(scope: Construct, id: string, role: ClusterRole, props: PlatformClusterProps) {
    super(scope, joinable(props, id));
    assertOptionsMap(props, '(props)', 'cluster options (a map)', `cluster ${id}`);
    const { platform, ...options } = props;
    if (!(platform instanceof ToolhivePlatform)) {
      throw new ToolhiveValidationError([{ path: 'platform', message: 'required: the ToolhivePlatform this cluster belongs to' }], `cluster ${id}`);
    }
    this.role = role;
    this.options = options;
    this.platform = platform;
    platform._register(this);
  }

  /**
   * This cluster's objects, in apply order: what `cdk8s synth` writes for it. cdk8s's own
   * `Chart.toJson()` resolves and validates the whole app again for every chart, so synthesizing
   * N clusters took time in N²; this resolves and validates the chart alone, with the same output
   * (`synthChartAlone`, in synth.ts, says why and how that is kept true).
   * (`app.synth()` has validated and resolved the whole app once before it asks each chart.)
   */
  public toJson(): any[] {
    this.platform._deliverables(this); // plans (and validates) the platform, when synth has not yet
    return synthChartAlone(this);
  }

  /**
   * The ids of this cluster's deliverables, in apply order. Plans the whole platform (then
   * validated), so call it after every cluster is added.
   */
  public deliverableIds(): string[] {
    return [...this.platform._deliverables(this).keys()];
  }

  /**
   * The construct of one of this cluster's deliverables, to order your own constructs after it:
   * `myResource.node.addDependency(cluster.deliverable("toolhive-operator-crds"))`. Plans the whole
   * platform (then validated), so call it after every cluster is added.
   */
  public deliverable(id: string): Construct {
    const construct = typeof id === 'string' ? this.platform._deliverables(this).get(id) : undefined;
    if (!construct) throw unknownDeliverable(id, this.deliverableIds(), `cluster ${this.node.id}`);
    return construct;
  }
}

/** `id`, once the platform in `props` has checked that a cluster of that name can join it (before its Chart exists). */
function joinable(props: unknown, id: string): string {
  const platform = isPlainObject(props) ? props.platform : undefined;
  if (platform instanceof ToolhivePlatform) platform._checkRegistration(id);
  return id;
}

/** The control cluster: Enterprise Manager, Cloud UI and the Registry Server clients use. */
export class ControlCluster extends PlatformCluster {
  constructor(scope: Construct, id: string, props: ControlClusterProps) {
    super(scope, id, 'control', props);
  }
}

/** A workload cluster: the ToolHive operator running MCP servers near the teams that use them. */
export class WorkloadCluster extends PlatformCluster {
  constructor(scope: Construct, id: string, props: WorkloadClusterProps) {
    super(scope, id, 'workload', props);
  }
}

/** A registry-only environment cluster (e.g. development, staging): a Registry Server. */
export class RegistryCluster extends PlatformCluster {
  constructor(scope: Construct, id: string, props: RegistryClusterProps) {
    super(scope, id, 'registry', props);
  }
}
