import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  AirGapOptions, Delivery, EnvVar, isPlainObject, planRegistryServer, RegistryServerOptions, ResourceRequirements, SecretKeyReference, Toleration,
} from '../index';
import { deliverableIdsOf, deliverableOf, DeliveringComponent, deliverPlan, HelmDeliveryArgs, helmArgsIssues, planned, providerIssues } from './deliver';
import { RbacScopeArgs } from './operator';

/**
 * The Registry Server options, as the cdk8s constructs take them. `config` has the shape of the
 * core's `RegistryServerConfig` (sources, registries, database, auth, telemetry, audit) and is
 * validated when planned.
 */
export interface RegistryServerSettingsArgs {
  /** The configuration file, without passwords (`RegistryServerConfig`). */
  readonly config: { [key: string]: any };
  /** External (ingress) URL. */
  readonly externalUrl?: string;
  readonly passwordSecret?: SecretKeyReference;
  readonly migrationPasswordSecret?: SecretKeyReference;
  readonly pgpassSecret?: SecretKeyReference;
  readonly allowInsecureIssuerUrls?: boolean;
  readonly rbac?: RbacScopeArgs;
  readonly replicas?: number;
  readonly image?: string;
  /** Air-gapped install: the chart from your chart mirror, images from your image registry. */
  readonly airGap?: AirGapOptions;
  readonly imagePullSecrets?: string[];
  readonly resources?: ResourceRequirements;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: Toleration[];
  readonly affinity?: { [key: string]: any };
  readonly exposeInternalPort?: boolean;
  readonly env?: EnvVar[];
  /** Escape hatch: raw chart values, merged last. */
  readonly values?: { [key: string]: any };
}

/** Arguments of {@link RegistryServer}. */
export interface RegistryServerArgs extends RegistryServerSettingsArgs, HelmDeliveryArgs {
  /** The cluster's provider (required). */
  readonly provider: kubernetes.Provider;
  /** @default "toolhive-system" */
  readonly namespace?: string;
  /** @default true */
  readonly createNamespace?: boolean;
  /** Allow `namespace: "default"` (refused otherwise). @default false */
  readonly allowDefaultNamespace?: boolean;
  /** @default "manifests" */
  readonly delivery?: Delivery;
}

/** The core options for Pulumi args. @internal */
export function registryOptionsFromArgs(args: RegistryServerSettingsArgs): RegistryServerOptions {
  if (!isPlainObject(args as unknown)) return args as unknown as RegistryServerOptions;
  const {
    provider: _p, namespace: _n, createNamespace: _c, allowDefaultNamespace: _a, delivery: _d,
    helmResource: _h, helmOptions: _o, chartOptions: _co, ...options
  } = args as RegistryServerArgs;
  return options as unknown as RegistryServerOptions;
}

/** A ToolHive Registry Server (open source chart) on one cluster. */
export class RegistryServer extends pulumi.ComponentResource implements DeliveringComponent {
  /** Its namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** Its Helm release name. */
  public readonly releaseName: pulumi.Output<string>;
  /** Its external URL, when given. */
  public readonly externalUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: RegistryServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:RegistryServer', name, {}, opts);
    const adapterIssues = [...providerIssues(args?.provider, 'RegistryServer', name), ...helmArgsIssues(args)];
    const plan = planned(this, `RegistryServer "${name}"`, adapterIssues, () => planRegistryServer(registryOptionsFromArgs(args), {
      delivery: args?.delivery,
      namespace: args?.namespace,
      createNamespace: args?.createNamespace,
      allowDefaultNamespace: args?.allowDefaultNamespace,
      cluster: name,
    }));
    deliverPlan(this, name, plan, args.provider, args);
    this.namespace = pulumi.output(plan.namespace!);
    this.releaseName = pulumi.output(plan.releaseNames![0]);
    this.externalUrl = pulumi.output(args.externalUrl);
    this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName, externalUrl: this.externalUrl });
  }

  /** {@inheritDoc DeliveringComponent.deliverableIds} */
  public deliverableIds(): string[] {
    return deliverableIdsOf(this);
  }

  /** {@inheritDoc DeliveringComponent.deliverable} */
  public deliverable(id: string): pulumi.Resource {
    return deliverableOf(this, id, 'RegistryServer');
  }
}
