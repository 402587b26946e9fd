import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  ClusterPlan, Deliverable, installCollisions, isObjectsDeliverable, isPlainObject, KubeObject, ToolhiveValidationError, unknownDeliverable,
  ValidationIssue,
} from '../index';

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

/** The `helm.v3.Release` arguments the plan sets (chart, version, release, values, CRD handling). */
const PLANNED_RELEASE_ARGS = [
  'chart', 'version', 'namespace', 'name', 'values', 'valueYamlFiles', 'reuseValues', 'skipCrds', 'createNamespace', 'manifest', 'resourceNames',
] as const;
/** The `helm.v4.Chart` arguments the plan sets. */
const PLANNED_CHART_ARGS = ['chart', 'version', 'namespace', 'name', 'values', 'valueYamlFiles', 'skipCrds'] as const;

/** Where a Helm chart repository is and how to log in (Pulumi inputs; a password from a secret). */
export interface HelmRepositoryOptions {
  /** Repository URL (for a chart given by name). @default - none: the plan's chart is an OCI reference */
  readonly repo?: pulumi.Input<string>;
  /** User name for the repository. @default - none (`helm registry login` on this machine) */
  readonly username?: pulumi.Input<string>;
  /** Password for the repository: use `pulumi.secret(...)` or `config.requireSecret(...)`. @default - none */
  readonly password?: pulumi.Input<string>;
  /** Path of the repository's CA bundle. @default - the system's trust store */
  readonly caFile?: pulumi.Input<string>;
  /** Path of the client certificate (mutual TLS). @default - none */
  readonly certFile?: pulumi.Input<string>;
  /** Path of the client certificate's key (mutual TLS). @default - none */
  readonly keyFile?: pulumi.Input<string>;
}

/**
 * `helm.v3.Release` arguments beyond what the plan sets, for every Helm release of a component
 * (as the `helmOptions` of Pulumi's cert-manager component). The chart, version, release
 * name, namespace, values and CRD handling come from the plan.
 */
export interface HelmReleaseOptions {
  /** Roll back a failed upgrade (and uninstall a failed install). @default false */
  readonly atomic?: pulumi.Input<boolean>;
  /** Delete the resources a failed upgrade created. @default false */
  readonly cleanupOnFail?: pulumi.Input<boolean>;
  /** Update the chart's dependencies before installing. @default false */
  readonly dependencyUpdate?: pulumi.Input<boolean>;
  /** A description of the release, stored with it. @default - none */
  readonly description?: pulumi.Input<string>;
  /** Accept development chart versions (pre-releases). @default false */
  readonly devel?: pulumi.Input<boolean>;
  /** Skip the chart's `crd-install` hooks. @default false */
  readonly disableCRDHooks?: pulumi.Input<boolean>;
  /** Skip validating the rendered objects against the cluster's OpenAPI schema. @default false */
  readonly disableOpenapiValidation?: pulumi.Input<boolean>;
  /** Skip the chart's hooks. @default false */
  readonly disableWebhooks?: pulumi.Input<boolean>;
  /** Replace objects that cannot be patched (delete and recreate). @default false */
  readonly forceUpdate?: pulumi.Input<boolean>;
  /** Keyring of the public keys `verify` checks the chart against. @default - ~/.gnupg/pubring.gpg */
  readonly keyring?: pulumi.Input<string>;
  /** Lint the chart before installing. @default false */
  readonly lint?: pulumi.Input<boolean>;
  /** How many revisions Helm keeps per release. @default - unlimited */
  readonly maxHistory?: pulumi.Input<number>;
  /** A post-renderer executable (Helm's `--post-renderer`): changes the objects beyond the plan. @default - none */
  readonly postrender?: pulumi.Input<string>;
  /** Restart the pods on upgrade. @default false */
  readonly recreatePods?: pulumi.Input<boolean>;
  /** Render the subcharts' notes too. @default false */
  readonly renderSubchartNotes?: pulumi.Input<boolean>;
  /** Reuse the name of a deleted release still in the history. @default false */
  readonly replace?: pulumi.Input<boolean>;
  /** Where the chart repository is and how to log in. @default - none: the plan's OCI reference, with the credentials of `helm registry login` */
  readonly repositoryOpts?: HelmRepositoryOptions;
  /** Reset the values to the chart's defaults on upgrade (the plan's values are applied on top). @default false */
  readonly resetValues?: pulumi.Input<boolean>;
  /** Do not wait for the release's resources to become ready. @default false */
  readonly skipAwait?: pulumi.Input<boolean>;
  /** Adopt existing objects not yet owned by a Helm release. @default false */
  readonly takeOwnership?: pulumi.Input<boolean>;
  /** Seconds to wait for the release. @default 300 */
  readonly timeout?: pulumi.Input<number>;
  /** Verify the chart's signature before installing. @default false */
  readonly verify?: pulumi.Input<boolean>;
  /** Wait for the release's Jobs to complete (unless `skipAwait`). @default false */
  readonly waitForJobs?: pulumi.Input<boolean>;
}

/** Where a `helm.v4.Chart`'s repository is and how to log in. */
export interface HelmChartRepositoryOptions {
  /** Repository URL (for a chart given by name). @default - none: the plan's chart is an OCI reference */
  readonly repo?: pulumi.Input<string>;
  /** User name for the repository. @default - none (`helm registry login` on this machine) */
  readonly username?: pulumi.Input<string>;
  /** Password for the repository: use `pulumi.secret(...)` or `config.requireSecret(...)`. @default - none */
  readonly password?: pulumi.Input<string>;
}

/** A post-renderer of a `helm.v4.Chart`. */
export interface HelmPostRenderer {
  /** The executable, given the rendered objects on standard input. */
  readonly command: pulumi.Input<string>;
  /** Its arguments. @default [] */
  readonly args?: pulumi.Input<string>[];
}

/** `helm.v4.Chart` arguments beyond what the plan sets, for every chart of a component. */
export interface HelmChartOptions {
  /** Update the chart's dependencies before rendering. @default false */
  readonly dependencyUpdate?: pulumi.Input<boolean>;
  /** Accept development chart versions (pre-releases). @default false */
  readonly devel?: pulumi.Input<boolean>;
  /** Include the chart's hook objects. @default true */
  readonly includeHooks?: pulumi.Input<boolean>;
  /** Reach the chart registry over plain HTTP (set by the plan for an air gap's loopback mirror). @default false */
  readonly plainHttp?: pulumi.Input<boolean>;
  /** A post-renderer: changes the objects beyond the plan. @default - none */
  readonly postRenderer?: HelmPostRenderer;
  /** Where the chart repository is and how to log in. @default - none: the plan's OCI reference, with the credentials of `helm registry login` */
  readonly repositoryOpts?: HelmChartRepositoryOptions;
  /** Prefix of the chart's child resource names. @default - the chart resource's name */
  readonly resourcePrefix?: pulumi.Input<string>;
  /** Do not wait for the chart's resources to become ready. @default false */
  readonly skipAwait?: pulumi.Input<boolean>;
  /** Verify the chart's signature before rendering. @default false */
  readonly verify?: pulumi.Input<boolean>;
}

/** How a component's Helm deliverables become Pulumi resources (the args every component takes). */
export interface HelmDeliveryArgs {
  /** Pulumi resource for Helm deliverables: helm.v3.Release or helm.v4.Chart. @default "release" */
  readonly helmResource?: HelmResourceKind;
  /** More `helm.v3.Release` arguments, for every release (helmResource "release"). @default - none */
  readonly helmOptions?: HelmReleaseOptions;
  /** More `helm.v4.Chart` arguments, for every chart (helmResource "chart"). @default - none */
  readonly chartOptions?: HelmChartOptions;
}

/**
 * The validation error of a Pulumi component, as a `pulumi.ResourceError` on that component
 * (so the engine reports it against the component, without a stack trace). It is also a
 * {@link ToolhiveValidationError}: `instanceof ToolhiveValidationError` holds, and `issues`
 * lists every problem; `cause` is the error the core threw.
 */
export class ToolhiveResourceError extends pulumi.ResourceError {
  /** Every problem found, sorted by path. */
  public readonly issues: ValidationIssue[];
  /** The validation error the plan threw. */
  public readonly cause: ToolhiveValidationError;
  /** Marks it as a ToolhiveValidationError for `instanceof`. @internal */
  public readonly __toolhiveValidationError = true;

  constructor(error: ToolhiveValidationError, resource: pulumi.Resource) {
    super(error.message, resource, true);
    this.name = 'ToolhiveValidationError';
    this.issues = error.issues;
    this.cause = error;
  }
}

/**
 * Runs `fn` (a component's planning) with `extra` problems found by the adapter; every
 * problem, the adapter's and the plan's, is thrown once, as a {@link ToolhiveResourceError}
 * on `component`.
 * @internal
 */
export function planned<T>(component: pulumi.ComponentResource, subject: string, extra: readonly ValidationIssue[], fn: () => T): T {
  let result: T | undefined;
  let issues = [...extra];
  try {
    result = fn();
  } catch (e) {
    if (!(e instanceof ToolhiveValidationError)) throw e;
    issues = [...issues, ...e.issues];
  }
  if (issues.length > 0) throw new ToolhiveResourceError(new ToolhiveValidationError(issues, subject), component);
  return result!;
}

/**
 * Problems of the Helm delivery args: the resource kind, and options that would set what the
 * plan sets (a release's chart, version, values).
 * @internal
 */
export function helmArgsIssues(args: unknown): ValidationIssue[] {
  if (!isPlainObject(args)) return [];
  const issues: ValidationIssue[] = [];
  const kind = args.helmResource;
  if (kind !== undefined && kind !== HelmResourceKind.RELEASE && kind !== HelmResourceKind.CHART) {
    issues.push({ path: 'helmResource', message: `expected "release" (helm.v3.Release) or "chart" (helm.v4.Chart), got ${JSON.stringify(kind) ?? typeof kind}` });
  }
  const check = (key: 'helmOptions' | 'chartOptions', plannedArgs: readonly string[], resource: string) => {
    const value = args[key];
    if (value === undefined) return;
    if (!isPlainObject(value)) {
      issues.push({ path: key, message: `expected a map of ${resource} arguments, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}` });
      return;
    }
    for (const k of Object.keys(value).filter((name) => plannedArgs.includes(name))) {
      issues.push({ path: `${key}.${k}`, message: `set by the plan (${plannedArgs.join(', ')} come from the typed options and \`values\`); remove it` });
    }
  };
  check('helmOptions', PLANNED_RELEASE_ARGS, 'helm.v3.Release');
  check('chartOptions', PLANNED_CHART_ARGS, 'helm.v4.Chart');
  return issues;
}

/**
 * Throws unless `provider` is a `kubernetes.Provider`: a multi-cluster program must never fall
 * back to the ambient kubeconfig.
 * @internal
 */
export function providerIssues(provider: unknown, component: string, name: string): ValidationIssue[] {
  if (provider && kubernetes.Provider.isInstance(provider as any)) return [];
  return [{
    path: 'provider',
    message: `${component} "${name}" needs an explicit kubernetes.Provider (args.provider): without one its resources would go to whatever cluster the local kubeconfig points at`,
  }];
}

/**
 * A component that delivers a plan: one Pulumi resource per deliverable, reachable by id
 * (ToolhiveOperator, RegistryServer, and each cluster of a ToolhivePlatform).
 */
export interface DeliveringComponent {
  /** The ids of its deliverables, in apply order (e.g. `toolhive-operator-crds`, `toolhive-operator`). */
  deliverableIds(): string[];
  /**
   * The Pulumi resource of one deliverable (a `yaml.v2.ConfigGroup`, a `helm.v3.Release` or
   * `helm.v4.Chart`, or the custom resources' component), to depend on one part of the
   * install: `dependsOn: [operator.deliverable("toolhive-operator-crds")]`.
   */
  deliverable(id: string): pulumi.Resource;
}

/** The resources of each component's deliverables, by id, in apply order (behind {@link DeliveringComponent}). */
const DELIVERED = new WeakMap<pulumi.ComponentResource, Map<string, pulumi.Resource>>();

/** The deliverable ids of a component. @internal */
export function deliverableIdsOf(component: pulumi.ComponentResource): string[] {
  return [...(DELIVERED.get(component)?.keys() ?? [])];
}

/** The resource of a component's deliverable; an unknown id is a validation error naming the ids there are. @internal */
export function deliverableOf(component: pulumi.ComponentResource, id: string, what: string): pulumi.Resource {
  const resource = typeof id === 'string' ? DELIVERED.get(component)?.get(id) : undefined;
  if (!resource) throw unknownDeliverable(id, deliverableIdsOf(component), what);
  return resource;
}

/**
 * Creates one Pulumi resource per deliverable of `plan` as children of `parent`, with the
 * cluster's provider, in plan order, each depending on its deliverables' resources:
 * Helm releases as `helm.v3.Release` (or `helm.v4.Chart`), rendered manifests as a
 * `yaml.v2.ConfigGroup`, custom resources as a {@link ToolhiveCustomResources}. Deliverables
 * kept on delete (CRDs) get `retainOnDelete`, and the field manager the plan fixes for them.
 * @internal
 */
export function deliverPlan(
  parent: pulumi.ComponentResource,
  prefix: string,
  plan: ClusterPlan,
  provider: kubernetes.Provider,
  helm: HelmDeliveryArgs,
): void {
  // One provider is one cluster: two installs there would overwrite each other's objects.
  const installs = [...(INSTALLS.get(provider) ?? []), { name: prefix, plan }];
  const collisions = installCollisions(installs);
  if (collisions.length > 0) throw new ToolhiveResourceError(new ToolhiveValidationError(collisions, `ToolHive install ${prefix}`), parent);
  INSTALLS.set(provider, installs);
  if (helm.helmResource !== HelmResourceKind.CHART) {
    // pulumi-kubernetes' helm.v3.Release builds its OCI registry client from the registry login
    // file alone (pkg/provider/helm_release.go): no plain HTTP, no CA file.
    const releases = plan.deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release] : []));
    const issues: ValidationIssue[] = [];
    if (releases.some((r) => r.plainHttp)) {
      issues.push({ path: 'airGap.plainHttp', message: 'helm.v3.Release cannot pull a chart over plain HTTP: use helmResource: "chart" (helm.v4.Chart), or TLS to the mirror' });
    }
    if (releases.some((r) => r.caFile)) {
      issues.push({
        path: 'airGap.caFile',
        message: 'helm.v3.Release does not hand a CA file to its OCI registry client: trust the mirror\'s CA where Pulumi runs (the system trust store, '
          + 'or SSL_CERT_FILE) and leave caFile out, or use helmResource: "chart" (helm.v4.Chart), which takes it',
      });
    }
    if (issues.length > 0) throw new ToolhiveResourceError(new ToolhiveValidationError(issues, `ToolHive install ${prefix}`), parent);
  }
  const created = new Map<string, pulumi.Resource>();
  for (const d of plan.deliverables) {
    const dependsOn = d.dependsOn.map((id) => created.get(id)!);
    const opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions = { parent, provider, dependsOn, retainOnDelete: d.retainOnDelete };
    const resource = create(`${prefix}-${d.id}`, d, opts, helm);
    created.set(d.id, resource);
  }
  DELIVERED.set(parent, new Map([...(DELIVERED.get(parent) ?? []), ...created]));
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

/** The objects with the plan's field manager, as the Pulumi Kubernetes provider takes it (an annotation). */
function withFieldManager(objects: readonly KubeObject[], fieldManager: string | undefined): KubeObject[] {
  if (fieldManager === undefined) return [...objects];
  return objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), 'pulumi.com/patchFieldManager': fieldManager } },
  }));
}

function create(name: string, d: Deliverable, opts: pulumi.CustomResourceOptions, helm: HelmDeliveryArgs): pulumi.Resource {
  if (d.type === 'custom-resources') {
    return new ToolhiveCustomResources(name, { objects: d.objects as any[] }, opts);
  }
  if (isObjectsDeliverable(d)) {
    return new kubernetes.yaml.v2.ConfigGroup(name, { objs: withFieldManager(d.objects, d.fieldManager) as any[] }, opts);
  }
  const r = d.release;
  if (helm.helmResource === HelmResourceKind.CHART) {
    return new kubernetes.helm.v4.Chart(name, {
      ...helm.chartOptions,
      // An air gap's mirror: how the provider reaches it.
      ...(r.plainHttp ? { plainHttp: true } : {}),
      ...(r.caFile ? { repositoryOpts: { ...helm.chartOptions?.repositoryOpts, caFile: new pulumi.asset.FileAsset(r.caFile) } } : {}),
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
    ...helm.helmOptions,
    chart: r.repository,
    version: r.version,
    namespace: r.namespace,
    name: r.releaseName,
    values: r.values,
    skipCrds: r.skipCrds,
    createNamespace: false,
  }, opts);
}
