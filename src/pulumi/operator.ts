import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CrdSource, Delivery, isPlainObject, OPERATOR_DELIVERABLES, planOperatorInstall, ToolhiveOperatorOptions } from '../index';
import { OperatorSettingsArgs } from './core-args';
import { deliverableIdsOf, deliverableOf, DeliveringComponent, deliverPlan, HelmDeliveryArgs, helmArgsIssues, planned, providerIssues } from './deliver';

/**
 * Arguments of {@link ToolhiveOperator}: the options of the cdk8s construct (`OperatorSettingsArgs`,
 * generated from the core's `ToolhiveOperatorOptions`), plus the provider and the delivery.
 */
export interface ToolhiveOperatorArgs extends OperatorSettingsArgs, HelmDeliveryArgs {
  /** The cluster's provider (required: no fallback to the local kubeconfig). */
  readonly provider: kubernetes.Provider;
  /** `manifests` (rendered by the library) or `helm`. @default "manifests" */
  readonly delivery?: Delivery;
}

/** The core options for Pulumi args (what is not a map goes to the core as it is, which says what is wrong). @internal */
export function operatorOptionsFromArgs(args: OperatorSettingsArgs): ToolhiveOperatorOptions {
  if (!isPlainObject(args as unknown)) return args as unknown as ToolhiveOperatorOptions;
  const { crds, ...rest } = args as ToolhiveOperatorArgs;
  const { provider: _p, delivery: _d, helmResource: _h, helmOptions: _o, chartOptions: _c, ...options } = rest;
  if (crds === undefined) return options as ToolhiveOperatorOptions;
  if (!isPlainObject(crds as unknown)) return { ...options, crds } as unknown as ToolhiveOperatorOptions;
  const { directory, ...crdOptions } = crds;
  // A folder is the one CRD source plain data can name (the release's own files are the default).
  return { ...options, crds: { ...crdOptions, ...(directory ? { source: CrdSource.fromDirectory(directory) } : {}) } } as ToolhiveOperatorOptions;
}

/** Release names of an operator install. */
export interface OperatorReleaseNames {
  /** The operator's release. */
  readonly operator: string;
  /** The CRDs' release. @default - absent when the CRDs are installed elsewhere (`crds.install: false`) */
  readonly crds?: string;
}

/**
 * The ToolHive operator and its CRDs on one cluster, from the same plan as the cdk8s construct:
 * the namespace, the CRDs (kept on delete), then the operator depending on them.
 */
export class ToolhiveOperator extends pulumi.ComponentResource implements DeliveringComponent {
  /** The operator's namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** Helm release names (operator, CRDs). */
  public readonly releaseNames: pulumi.Output<OperatorReleaseNames>;

  constructor(name: string, args: ToolhiveOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:ToolhiveOperator', name, {}, opts);
    const adapterIssues = [...providerIssues(args?.provider, 'ToolhiveOperator', name), ...helmArgsIssues(args)];
    const plan = planned(this, `ToolhiveOperator "${name}"`, adapterIssues,
      () => planOperatorInstall(operatorOptionsFromArgs(args), { delivery: args?.delivery, cluster: name }));
    deliverPlan(this, name, plan, args.provider, args);
    this.namespace = pulumi.output(plan.namespace!);
    const releases = plan.releases ?? {};
    const crds = releases[OPERATOR_DELIVERABLES.crds];
    this.releaseNames = pulumi.output({ operator: releases[OPERATOR_DELIVERABLES.operator], ...(crds ? { crds } : {}) });
    this.registerOutputs({ namespace: this.namespace, releaseNames: this.releaseNames });
  }

  /** {@inheritDoc DeliveringComponent.deliverableIds} */
  public deliverableIds(): string[] {
    return deliverableIdsOf(this);
  }

  /** {@inheritDoc DeliveringComponent.deliverable} */
  public deliverable(id: string): pulumi.Resource {
    return deliverableOf(this, id, 'ToolhiveOperator');
  }
}
