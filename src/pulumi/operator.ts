import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  AirGapOptions, CrdSource, DefaultRedisOptions, Delivery, EnvVar, ExternalResourceReference, isPlainObject, OPERATOR_DELIVERABLES,
  OperatorAutoscalingOptions, OperatorFeatureOptions, OperatorImagesOptions, planOperatorInstall, RbacMode, ResourceRequirements,
  SchedulingOptions, ToolhiveOperatorOptions,
} from '../index';
import { deliverableIdsOf, deliverableOf, DeliveringComponent, deliverPlan, HelmDeliveryArgs, helmArgsIssues, planned, providerIssues } from './deliver';

/** RBAC scope as plain data. */
export interface RbacScopeArgs {
  /** `cluster` or `namespace`. */
  readonly scope: RbacMode;
  /** Namespaces watched in namespace scope. */
  readonly allowedNamespaces?: string[];
}

/** The CRD release. */
export interface OperatorCrdsArgs {
  /** @default true */
  readonly install?: boolean;
  /** @default "toolhive-operator-crds" */
  readonly releaseName?: string;
  /** Keep the CRDs when the stack is deleted (retainOnDelete, and Helm's keep policy). @default true */
  readonly keep?: boolean;
  /** A folder with the CRD files, for raw manifests. @default - the release's files, downloaded into the cache */
  readonly directory?: string;
}

/** The operator options, as the cdk8s construct takes them (CRDs from a folder instead of a CrdSource). */
export interface OperatorSettingsArgs {
  /**
   * ToolHive release to install: any supported release, 0.44.0 to 0.66.0 (`RENDERED_TOOLHIVE_VERSIONS`).
   * @default - the newest supported release (`TOOLHIVE_VERSION`, 0.66.0)
   */
  readonly version?: string;
  /** @default "toolhive-system" */
  readonly namespace?: string;
  /** @default true */
  readonly createNamespace?: boolean;
  /** Allow `namespace: "default"` (refused otherwise). @default false */
  readonly allowDefaultNamespace?: boolean;
  /** @default "toolhive-operator" */
  readonly releaseName?: string;
  readonly crds?: OperatorCrdsArgs;
  /** @default - cluster scope */
  readonly rbac?: RbacScopeArgs;
  readonly replicas?: number;
  readonly autoscaling?: OperatorAutoscalingOptions;
  readonly images?: OperatorImagesOptions;
  /** Air-gapped install: charts from your chart mirror, images from your image registry. */
  readonly airGap?: AirGapOptions;
  readonly imageDiscovery?: boolean;
  readonly features?: OperatorFeatureOptions;
  readonly defaultRedis?: DefaultRedisOptions;
  readonly imagePullSecrets?: string[];
  readonly workloadImagePullSecrets?: string[];
  readonly resources?: ResourceRequirements;
  readonly scheduling?: SchedulingOptions;
  readonly podAnnotations?: { [key: string]: string };
  readonly podLabels?: { [key: string]: string };
  readonly env?: EnvVar[];
  /** ToolHive custom resources applied after the CRDs and the operator (`ToolhiveCustomResource`s, checked when planned). */
  readonly customResources?: { [key: string]: any }[];
  /** Resources that exist outside the plan, so references to them are fine. */
  readonly externalResources?: ExternalResourceReference[];
  /** Escape hatch: raw chart values, merged last. */
  readonly values?: { [key: string]: any };
}

/** Arguments of {@link ToolhiveOperator}: the same options as the cdk8s construct, plus the provider. */
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
  readonly operator: string;
  /** Absent when the CRDs are installed elsewhere. */
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
