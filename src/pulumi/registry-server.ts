import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Delivery, isPlainObject, planRegistryServer, RegistryServerOptions } from '../index';
import { RegistryServerSettingsArgs } from './core-args';
import { deliverableIdsOf, deliverableOf, DeliveringComponent, deliverPlan, HelmDeliveryArgs, helmArgsIssues, planned, providerIssues } from './deliver';

/**
 * Arguments of {@link RegistryServer}: the Registry Server options (`RegistryServerSettingsArgs`, generated
 * from the core's `RegistryServerOptions`), plus the provider and where and how it is installed.
 */
export interface RegistryServerArgs extends RegistryServerSettingsArgs, HelmDeliveryArgs {
  /** The cluster's provider (required). */
  readonly provider: kubernetes.Provider;
  /** Namespace of the Registry Server. @default "toolhive-system" */
  readonly namespace?: string;
  /** Create the namespace, labelled to enforce the Pod Security "restricted" profile. @default true */
  readonly createNamespace?: boolean;
  /** Allow `namespace: "default"` (refused otherwise). @default false */
  readonly allowDefaultNamespace?: boolean;
  /** `manifests` (rendered by the library) or `helm` (the published chart). @default "manifests" */
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
