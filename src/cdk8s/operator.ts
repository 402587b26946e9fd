import { Construct } from 'constructs';
import { ClusterPlan, Delivery, planOperatorInstall, ToolhiveOperatorOptions } from '../index';
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

function isProps(props: unknown): props is ToolhiveOperatorProps {
  return typeof props === 'object' && props !== null && !Array.isArray(props);
}

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

  constructor(scope: Construct, id: string, props: ToolhiveOperatorProps = {}) {
    super(scope, id);
    const { delivery, helmExecutable, ...options } = isProps(props) ? props : { delivery: undefined, helmExecutable: undefined };
    // Props that are not a map (plain JavaScript callers) go to the core as they are, which says what is wrong.
    this.plan = planOperatorInstall(isProps(props) ? options : props, { delivery, path: 'operator' });
    this.namespace = this.plan.namespace!;
    addPlan(this, this.plan, { helmExecutable });
  }
}
