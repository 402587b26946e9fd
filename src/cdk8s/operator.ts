import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterPlan, Delivery, installCollisions, isPlainObject, planOperatorInstall, ToolhiveOperatorOptions, ToolhiveValidationError, unknownDeliverable,
} from '../index';
import { addPlan } from './plan';

/**
 * Props of {@link ToolhiveOperator}: the operator options plus how they are delivered.
 */
export interface ToolhiveOperatorProps extends ToolhiveOperatorOptions {
  /**
   * `manifests`: objects rendered by the library, identical to the charts' output.
   * `helm`: the published OCI charts through cdk8s's Helm construct (needs `helm` at synth).
   * @default "manifests"
   */
  readonly delivery?: Delivery;
  /**
   * The `helm` program for `helm` delivery.
   * @default - $TOOLHIVE_HELM, else "helm" on the PATH
   */
  readonly helmExecutable?: string;
}

/** The operator installs of each chart (one cluster's output), to refuse colliding ones. */
const INSTALLS = new WeakMap<Chart, { name: string; plan: ClusterPlan }[]>();

/**
 * The ToolHive operator and its CRDs on one cluster: the namespace, the CRDs, then the
 * operator, in that order in the synthesized output. Bad props throw one validation error
 * listing every problem, before anything is synthesized.
 *
 * @example
 * new ToolhiveOperator(chart, 'toolhive', { rbac: RbacScope.namespaces(['team-a', 'team-b']) });
 */
export class ToolhiveOperator extends Construct {
  /** The plan this construct translates. */
  public readonly plan: ClusterPlan;
  /** The operator's namespace. */
  public readonly namespace: string;
  private readonly deliverables: Map<string, Construct>;

  constructor(scope: Construct, id: string, props: ToolhiveOperatorProps = {}) {
    super(scope, id);
    const isMap = isPlainObject(props as unknown);
    const { delivery, helmExecutable, ...options } = isMap ? props : { delivery: undefined, helmExecutable: undefined };
    // Props that are not a map (plain JavaScript callers) go to the core as they are, which says what is wrong.
    this.plan = planOperatorInstall(isMap ? options : props, { delivery, path: 'operator' });
    this.namespace = this.plan.namespace!;
    // A chart is one cluster's output: two installs there would overwrite each other's objects.
    const chart = Chart.of(this);
    const installs = [...(INSTALLS.get(chart) ?? []), { name: this.node.path, plan: this.plan }];
    const collisions = installCollisions(installs);
    if (collisions.length > 0) throw new ToolhiveValidationError(collisions, `ToolHive operator install ${this.node.path}`);
    INSTALLS.set(chart, installs);
    this.deliverables = addPlan(this, this.plan, { helmExecutable });
  }

  /** The ids of the plan's deliverables, in apply order. */
  public deliverableIds(): string[] {
    return [...this.deliverables.keys()];
  }

  /**
   * The construct of one deliverable (its objects, or its `Helm` construct), to order your own
   * constructs after part of the install: `myResource.node.addDependency(operator.deliverable("toolhive-operator-crds"))`.
   */
  public deliverable(id: string): Construct {
    const construct = typeof id === 'string' ? this.deliverables.get(id) : undefined;
    if (!construct) throw unknownDeliverable(id, this.deliverableIds(), 'ToolhiveOperator');
    return construct;
  }
}
