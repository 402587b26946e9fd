/*
 * One descriptor per umbrella component (the ToolHive operator, the Registry Server, the
 * Enterprise Manager, the Cloud UI, the AI Gateway): its name, the roles that may run it, its
 * shape, how its options compile, its open source planner, its part of the umbrella release,
 * its diagram node and the shared endpoint it provides. The platform's planners read the
 * registered descriptors (registered.ts); a new component is one file and one line there.
 */
import { ResolvedAirGap } from '../airgap';
import { ComponentPlanner } from '../component';
import { IssueCollector } from '../errors';
import { JsonObject } from '../util';
import { EnterpriseAirGap, PlatformContext } from './context';
import { PlatformEndpoints } from './model';
import { ComponentBasics } from './roster';
import { GlobalOptions, PlatformClusterSpec } from './spec';

/** What compiling a component's options on one cluster gives (phase one). @internal */
export interface CompiledComponent {
  /** Its compiled values, when the next phase reads them. */
  readonly values?: JsonObject;
  /** Its air gap, resolved once. */
  readonly airGap?: ResolvedAirGap;
}

/** One cluster, checked and compiled. @internal */
export interface CompiledCluster {
  readonly name: string;
  readonly spec: PlatformClusterSpec;
  readonly endpoints: PlatformEndpoints;
  /** The platform's shared settings with this cluster's overrides. */
  readonly global: GlobalOptions;
  /** Each component's compilation, by component name. */
  readonly compiled: { readonly [component: string]: CompiledComponent };
}

/** What a platform component plans from: the platform and one compiled cluster. @internal */
export interface PlatformComponentInput {
  readonly ctx: PlatformContext;
  readonly cluster: CompiledCluster;
}

/** The planner of one platform component. @internal */
export type PlatformComponent = ComponentPlanner<PlatformComponentInput>;

/** A component's part of the umbrella release: its subchart's key and values. @internal */
export interface UmbrellaPart {
  /** The subchart's key in the umbrella's values, e.g. "toolhive-cloud-ui". */
  readonly key: string;
  /** Its values sit under the subchart's `upstream` key. @default false */
  readonly upstream?: boolean;
  /** The subchart's values, from the component's own compiled values (a copy); undefined for none. */
  readonly values: (i: PlatformComponentInput, own: Record<string, any>) => Record<string, unknown> | undefined;
}

/** How a diagram draws a component. @internal */
export interface DiagramNode {
  /** The node's id within its cluster, e.g. "registry". */
  readonly node: string;
  /** The node's lines (undefined ones are left out), its title first. */
  readonly label: (i: PlatformComponentInput) => (string | undefined)[];
}

/** Everything the platform knows of one umbrella component. @internal */
export interface ComponentDescriptor extends ComponentBasics {
  /** Checks and compiles its options (whose shape was checked) on cluster `name`, whose shared settings are `global`. */
  readonly compile: (ctx: PlatformContext, name: string, issues: IssueCollector, global: GlobalOptions) => CompiledComponent | undefined;
  /** Its own deliverables in the open source edition. @default - none */
  readonly plan?: PlatformComponent;
  /** Its part of the umbrella release (enterprise edition). */
  readonly umbrella: UmbrellaPart;
  /** Its node in a diagram. */
  readonly diagram: DiagramNode;
}

/** The descriptors of the components cluster `c` runs, in registration order. @internal */
export function componentsOf(components: readonly ComponentDescriptor[], c: PlatformClusterSpec): ComponentDescriptor[] {
  return components.filter((d) => !!(c as unknown as Record<string, unknown>)[d.name]);
}

/** An enterprise image (`<registry>/<name>:<platform version>`), through the one image mapper. @internal */
export function enterpriseImage(a: EnterpriseAirGap, name: string): string {
  return a.images.image(`${name}:${a.tag}`);
}

/** The enterprise air gap's pull Secret, as a pod's `imagePullSecrets`. @internal */
export function enterprisePullSecrets(a: EnterpriseAirGap): { name: string }[] {
  return [{ name: a.pullSecret }];
}

/**
 * A subchart's values with its image (`{ repository, tag }`) and pull Secrets from the enterprise
 * air gap, when the platform has one (pull Secrets the component names stay). @internal
 */
export function withEnterpriseImage(ctx: PlatformContext, values: Record<string, any>, image: string): Record<string, any> {
  const a = ctx.enterpriseAirGap;
  if (a) {
    values.image = { repository: a.images.image(image), tag: a.tag };
    values.imagePullSecrets = values.imagePullSecrets ?? enterprisePullSecrets(a);
  }
  return values;
}
