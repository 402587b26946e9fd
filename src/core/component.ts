/*
 * The one interface of a component's planner (the operator, its CRDs, the Registry Server, the
 * enterprise umbrella, the namespace, the endpoints ConfigMap, custom resources): given what it
 * plans from, whether it runs, and its plan: its deliverables, in apply order, and the facts
 * adapters publish. A problem found while planning is recorded in `issues`, at the user's path.
 * planOperatorInstall and planPlatform only orchestrate planners.
 */
import { IssueCollector } from './errors';
import { Deliverable } from './plan';
import { JsonObject } from './util';

/** The facts about a component that adapters publish (outputs, construct properties). @internal */
export interface ComponentFacts {
  /** The namespace it lives in. */
  readonly namespace?: string;
  /** The Helm release name of each deliverable that installs a chart (as raw manifests: mirrors one), by deliverable id. */
  readonly releases?: { readonly [deliverableId: string]: string };
  /** The external URLs it makes known. */
  readonly endpoints?: object;
}

/** What one component contributes to one cluster's plan. @internal */
export interface ComponentPlan {
  /** In apply order. */
  readonly deliverables: readonly Deliverable[];
  readonly facts: ComponentFacts;
  /**
   * For a component delivered inside another's release (a subchart of the enterprise umbrella):
   * the values it contributes to that release, by subchart key.
   */
  readonly values?: { readonly [subchart: string]: JsonObject };
}

/** A component's planner, over what it plans from (`C`). @internal */
export interface ComponentPlanner<C> {
  /** Whether the cluster has this component. */
  readonly runsOn: (c: C) => boolean;
  /** Its plan; `earlier` holds the ids of the deliverables planned before it, in apply order. */
  readonly plan: (c: C, issues: IssueCollector, earlier: readonly string[]) => ComponentPlan;
}

/** The release names of `plans`, by deliverable id, in apply order. @internal */
export function releasesOf(plans: readonly ComponentPlan[]): { [deliverableId: string]: string } {
  return Object.assign({}, ...plans.map((p) => p.facts.releases ?? {}));
}

/** A component that plans nothing. @internal */
export const NOTHING: ComponentPlan = { deliverables: [], facts: {} };

/** Runs `planners` in order over `c`: the plans of those that run, each told what came before it. @internal */
export function runPlanners<C>(planners: readonly ComponentPlanner<C>[], c: C, issues: IssueCollector): ComponentPlan[] {
  const plans: ComponentPlan[] = [];
  const earlier: string[] = [];
  for (const planner of planners) {
    if (!planner.runsOn(c)) continue;
    const plan = planner.plan(c, issues, [...earlier]);
    plans.push(plan);
    earlier.push(...plan.deliverables.map((d) => d.id));
  }
  return plans;
}
