import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ClusterPlan, Deliverable, installCollisions, ToolhiveValidationError } from '../index';

/** The installs delivered through each provider (one cluster), to refuse colliding ones. */
const INSTALLS = new WeakMap<kubernetes.Provider, { name: string; plan: ClusterPlan }[]>();

/** Which Pulumi resource carries a Helm deliverable. */
export const HelmResourceKind = {
  /** `kubernetes.helm.v3.Release`: what `helm upgrade --install` does (release stored in the cluster). */
  RELEASE: 'release',
  /** `kubernetes.helm.v4.Chart`: the chart rendered into individual Pulumi resources. */
  CHART: 'chart',
} as const;
/** @see HelmResourceKind */
export type HelmResourceKind = typeof HelmResourceKind[keyof typeof HelmResourceKind];

/** What was created for one deliverable, and with which options (for outputs and tests). */
export interface DeliveredResource {
  /** The deliverable's id. */
  readonly id: string;
  /** The Pulumi resource. */
  readonly resource: pulumi.Resource;
  /** Ids of the deliverables it depends on. */
  readonly dependsOn: string[];
  /** Whether deleting the stack leaves it in the cluster. */
  readonly retainOnDelete: boolean;
}

const DELIVERED = new WeakMap<pulumi.ComponentResource, DeliveredResource[]>();

/** The resources a component created for each deliverable of its plan, in apply order. */
export function deliveredResources(component: pulumi.ComponentResource): DeliveredResource[] {
  return [...(DELIVERED.get(component) ?? [])];
}

/**
 * Throws unless `provider` is a `kubernetes.Provider`: a multi-cluster program must never fall
 * back to the ambient kubeconfig.
 * @internal
 */
export function requireProvider(provider: unknown, component: string, name: string): kubernetes.Provider {
  if (!provider || !kubernetes.Provider.isInstance(provider as any)) {
    throw new ToolhiveValidationError([{
      path: 'provider',
      message: `${component} "${name}" needs an explicit kubernetes.Provider (args.provider): without one its resources would go to whatever cluster the local kubeconfig points at`,
    }], `${component} "${name}"`);
  }
  return provider as kubernetes.Provider;
}

/**
 * Creates one Pulumi resource per deliverable of `plan` as children of `parent`, with the
 * cluster's provider, in plan order, each depending on its deliverables' resources:
 * Helm releases as `helm.v3.Release` (or `helm.v4.Chart`), manifests as a `yaml.v2.ConfigGroup`.
 * Deliverables to keep on delete (CRDs) get `retainOnDelete`.
 * @internal
 */
export function deliverPlan(
  parent: pulumi.ComponentResource,
  prefix: string,
  plan: ClusterPlan,
  provider: kubernetes.Provider,
  helm: HelmResourceKind = HelmResourceKind.RELEASE,
): Map<string, DeliveredResource> {
  // One provider is one cluster: two installs there would overwrite each other's objects.
  const installs = [...(INSTALLS.get(provider) ?? []), { name: prefix, plan }];
  const collisions = installCollisions(installs);
  if (collisions.length > 0) throw new ToolhiveValidationError(collisions, `ToolHive install ${prefix}`);
  INSTALLS.set(provider, installs);
  const created = new Map<string, DeliveredResource>();
  for (const d of plan.deliverables) {
    const dependsOn = d.dependsOn.map((id) => created.get(id)!.resource);
    const opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions = { parent, provider, dependsOn, retainOnDelete: d.retainOnDelete };
    const resource = create(`${prefix}-${d.id}`, d, opts, helm);
    created.set(d.id, { id: d.id, resource, dependsOn: [...d.dependsOn], retainOnDelete: d.retainOnDelete });
  }
  DELIVERED.set(parent, [...(DELIVERED.get(parent) ?? []), ...created.values()]);
  return created;
}

/** Custom resources, each a `kubernetes.apiextensions.CustomResource`, grouped in one component. */
export class ToolhiveCustomResources extends pulumi.ComponentResource {
  /** `Kind/namespace/name` of each resource, in apply order. */
  public readonly resourceKeys: pulumi.Output<string[]>;

  constructor(name: string, args: ToolhiveCustomResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('toolhive-constructs:index:ToolhiveCustomResources', name, {}, opts);
    const keys: string[] = [];
    for (const obj of args.objects) {
      const key = `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
      keys.push(key);
      const { apiVersion, kind, metadata, ...rest } = obj;
      new kubernetes.apiextensions.CustomResource(`${name}-${kind.toLowerCase()}-${metadata.namespace}-${metadata.name}`, {
        apiVersion, kind, metadata: metadata as any, ...rest,
      }, { parent: this });
    }
    this.resourceKeys = pulumi.output(keys);
    this.registerOutputs({ resourceKeys: this.resourceKeys });
  }
}

/** Arguments of {@link ToolhiveCustomResources}. */
export interface ToolhiveCustomResourcesArgs {
  /** Validated ToolHive custom resources (from a plan). */
  readonly objects: { [key: string]: any }[];
}

function create(name: string, d: Deliverable, opts: pulumi.CustomResourceOptions, helm: HelmResourceKind): pulumi.Resource {
  if (d.type === 'manifests' && d.id === 'toolhive-custom-resources') {
    return new ToolhiveCustomResources(name, { objects: d.objects as any[] }, opts);
  }
  if (d.type === 'manifests') {
    return new kubernetes.yaml.v2.ConfigGroup(name, { objs: d.objects as any[] }, opts);
  }
  const r = d.release;
  if (helm === HelmResourceKind.CHART) {
    return new kubernetes.helm.v4.Chart(name, {
      chart: r.repository,
      version: r.version,
      namespace: r.namespace,
      name: r.releaseName,
      values: r.values,
      skipCrds: r.skipCrds,
    }, opts);
  }
  // What `helm upgrade --install` does.
  return new kubernetes.helm.v3.Release(name, {
    chart: r.repository,
    version: r.version,
    namespace: r.namespace,
    name: r.releaseName,
    values: r.values,
    skipCrds: r.skipCrds,
    createNamespace: false,
  }, opts);
}
