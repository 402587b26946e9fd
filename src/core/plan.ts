import { IssueCollector, joinPath, ToolhiveValidationError, ValidationIssue } from './errors';
import { withInstallLabel } from './k8s/install-label';
import { podSecurityNamespace, PodSecurityMode } from './k8s/namespace';
import { KubeObject } from './k8s/objects';
import { describe } from './rules/describe';
import { assertShape, checkShape, S, Shape } from './rules/shape';
import { JsonObject } from './util';

/**
 * How a component reaches the cluster: the published Helm chart, or the objects the
 * library renders itself (identical to what the chart renders).
 */
export const Delivery = {
  /** Raw Kubernetes objects rendered by the library (no Helm needed). */
  MANIFESTS: 'manifests',
  /** The published Helm chart with typed values. */
  HELM: 'helm',
} as const;
/** @see Delivery */
export type Delivery = typeof Delivery[keyof typeof Delivery];

/** A Helm release to install: what `helm upgrade --install` is given. */
export interface HelmReleaseSpec {
  /** Chart name, e.g. `toolhive-operator`. */
  readonly chart: string;
  /** Full OCI reference of the chart, e.g. `oci://ghcr.io/stacklok/toolhive/toolhive-operator`. */
  readonly repository: string;
  /** Pinned chart version. */
  readonly version: string;
  /** Release name. */
  readonly releaseName: string;
  /** Release namespace. */
  readonly namespace: string;
  /** Values handed to the chart (only what differs from its defaults). */
  readonly values: JsonObject;
  /** Whether the chart's `crds/` folder should be skipped (the CRDs are their own release). */
  readonly skipCrds: boolean;
  /** Plain HTTP to the chart's registry (`helm --plain-http`): an air gap's loopback or trusted mirror. @default false */
  readonly plainHttp?: boolean;
  /** CA bundle (PEM file) verifying the chart registry's TLS certificate (`helm --ca-file`). @default - the system's */
  readonly caFile?: string;
  /** The chart's public reference, when `repository` is an air gap's mirror of it. @default - `repository` is the public one */
  readonly publicRepository?: string;
  /**
   * The images the release's pods pull, sorted, as the planner knows them: read from the values
   * merged over the chart's defaults (the open source charts of a supported release), or from the
   * values given (the enterprise umbrella, other releases). What a mirror must hold (the mirror list reads it).
   * @default - the images `values` names
   */
  readonly images?: readonly string[];
}

interface DeliverableBase {
  /** Identifier, unique in its plan (used for construct ids, resource names and dependencies). */
  readonly id: string;
  /** What this deliverable is, for people. */
  readonly description: string;
  /** Ids of the deliverables that must be applied first. */
  readonly dependsOn: readonly string[];
  /** Whether deleting the stack must leave these objects in the cluster (CRDs: yes). */
  readonly retainOnDelete: boolean;
  /**
   * The server-side apply field manager an adapter that applies the objects itself (Pulumi)
   * uses for them, when the plan fixes one: objects kept on delete get {@link RETAINED_FIELD_MANAGER},
   * so the next install re-owns their fields instead of adding a second manager beside the
   * destroyed stack's stale one (which would keep every field it owned, even one a later
   * version drops).
   * @default - the adapter's own (Pulumi: a random name per resource)
   */
  readonly fieldManager?: string;
  /**
   * Images a cluster pulls for what this deliverable installs beyond its own objects: the CRDs'
   * default images (a custom resource that leaves the field unset pulls the default), through
   * the air gap's image registry when the plan has one. What a mirror must hold.
   * @default - none (the CRDs deliverable lists them)
   */
  readonly defaultImages?: readonly string[];
}

/**
 * The field manager of objects kept on delete (the CRDs), the same for every install and
 * every stack: a stack destroyed and created again applies them under the same name.
 */
export const RETAINED_FIELD_MANAGER = 'toolhive-constructs';

/** A Helm release deliverable. */
export interface HelmReleaseDeliverable extends DeliverableBase {
  /** The kind of deliverable. */
  readonly type: 'helm-release';
  /** The release to install or upgrade. */
  readonly release: HelmReleaseSpec;
}

/** A set of rendered Kubernetes objects, in apply order. */
export interface ManifestsDeliverable extends DeliverableBase {
  /** The kind of deliverable. */
  readonly type: 'manifests';
  /** The objects, in apply order (Helm's install order for a chart's objects). */
  readonly objects: readonly KubeObject[];
}

/**
 * The user's own custom resources (ToolHive kinds, checked against the CRDs when planned), in
 * apply order: the same objects whatever the delivery, applied after the CRDs and the operator.
 */
export interface CustomResourcesDeliverable extends DeliverableBase {
  /** The kind of deliverable. */
  readonly type: 'custom-resources';
  /** The custom resources, in apply order. */
  readonly objects: readonly KubeObject[];
}

/** One thing to apply to a cluster. */
export type Deliverable = HelmReleaseDeliverable | ManifestsDeliverable | CustomResourcesDeliverable;

/** Whether a deliverable is a set of objects (rendered manifests or custom resources), not a Helm release. */
export function isObjectsDeliverable(d: Deliverable): d is ManifestsDeliverable | CustomResourcesDeliverable {
  const type = typeof d === 'object' && d !== null ? (d as { type?: unknown }).type : undefined;
  return type === 'manifests' || type === 'custom-resources';
}

/**
 * The one namespace planner (the operator's install, the Registry Server's, the platform's): a
 * deliverable of one Namespace, first in its plan, depending on nothing, labelled with its
 * install (`installLabel`, when the planner labels its objects itself).
 * @internal
 */
export function namespaceDeliverable(
  id: string, name: string, mode: PodSecurityMode, installLabel?: string,
): ManifestsDeliverable {
  const ns = podSecurityNamespace(name, mode);
  return {
    type: 'manifests',
    id,
    description: mode === 'enforce'
      ? `Namespace ${name}, enforcing the Pod Security "restricted" profile`
      : `Namespace ${name}, warning on and auditing the Pod Security "restricted" profile`,
    dependsOn: [],
    retainOnDelete: false,
    objects: installLabel === undefined ? [ns] : withInstallLabel([ns], installLabel),
  };
}

/**
 * Everything one cluster gets, in apply order: a deliverable comes after everything it
 * depends on (CRDs before what uses them). Plain data; adapters only translate it.
 */
export interface ClusterPlan {
  /** The cluster's name. */
  readonly cluster: string;
  /** Deliverables in apply order. */
  readonly deliverables: readonly Deliverable[];
  /**
   * The namespace the plan installs into, when it has one (what adapters publish).
   * @default - none (every planner of the library sets it)
   */
  readonly namespace?: string;
  /**
   * The Helm release names the plan installs (or, as raw manifests, mirrors), in apply order.
   * @default - none (every planner of the library sets it)
   */
  readonly releaseNames?: readonly string[];
  /**
   * The same release names, by the id of the deliverable that installs (or mirrors) each.
   * @default - none (every planner of the library sets it)
   */
  readonly releases?: { readonly [deliverableId: string]: string };
}

/**
 * The error for asking an adapter's component for a deliverable it does not have: names the
 * ids it has. @internal
 */
export function unknownDeliverable(id: unknown, ids: readonly string[], what: string): ToolhiveValidationError {
  const known = ids.map((i) => JSON.stringify(i)).join(', ') || 'none';
  return new ToolhiveValidationError([{ path: 'id', message: `no deliverable ${typeof id === 'string' ? JSON.stringify(id) : describe(id)} in ${what}; its deliverables are ${known}` }], `${what}.deliverable()`);
}

/**
 * Checks a plan's wiring: unique ids, dependencies that exist and come earlier.
 * @internal
 */
export function checkPlanOrder(plan: ClusterPlan): void {
  const issues = new IssueCollector();
  const seen = new Set<string>();
  plan.deliverables.forEach((d, i) => {
    if (seen.has(d.id)) issues.add(`deliverables[${i}].id`, `${JSON.stringify(d.id)} is used twice`);
    for (const dep of d.dependsOn) {
      if (!seen.has(dep)) issues.add(`deliverables[${i}].dependsOn`, `${JSON.stringify(dep)} is not an earlier deliverable`);
    }
    seen.add(d.id);
  });
  issues.throwIfAny(`plan of cluster ${plan.cluster}`);
}

/** What a deliverable takes in a cluster: its objects' names, its Helm release, its chart's fixed cluster-scoped names. */
function claims(d: Deliverable): string[] {
  if (isObjectsDeliverable(d)) {
    return d.objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
  }
  // A chart's cluster-scoped objects (ClusterRoles, CRDs) have names that do not depend on the release.
  return [`Helm release ${d.release.namespace}/${d.release.releaseName}`, `the cluster-scoped objects of chart ${d.release.chart}`];
}

/**
 * Problems of several installs planned into one cluster: two installs that render the same
 * object (the charts' ClusterRoles and CRDs have fixed names) or the same Helm release would
 * overwrite each other. One issue per pair, naming both.
 * @internal
 */
export function installCollisions(installs: readonly { readonly name: string; readonly plan: ClusterPlan }[]): ValidationIssue[] {
  const owner = new Map<string, string>();
  const clashes = new Map<string, { first: string; second: string; what: string[] }>();
  for (const { name, plan } of installs) {
    for (const claim of new Set(plan.deliverables.flatMap(claims))) {
      const first = owner.get(claim);
      if (first === undefined) {
        owner.set(claim, name);
      } else if (first !== name) {
        const key = `${first}\u0000${name}`;
        const clash = clashes.get(key) ?? { first, second: name, what: [] };
        clash.what.push(claim);
        clashes.set(key, clash);
      }
    }
  }
  return [...clashes.values()].map(({ first, second, what }) => ({
    path: second,
    message: `collides with ${first} in the same cluster: both would install ${what.slice(0, 3).join(', ')}${what.length > 3 ? ` and ${what.length - 3} more` : ''}`
      + ' (the charts\' cluster-scoped names are fixed, so a cluster holds one install of each); keep one, or put the other in another cluster',
  }));
}

const DELIVERABLE_SHAPE: Shape = S.custom((v, path, issues) => {
  const base = {
    id: S.string(),
    description: S.string(),
    dependsOn: S.list(S.string()),
    retainOnDelete: S.boolean(),
    fieldManager: S.string(),
    defaultImages: S.list(S.string()),
  };
  const type = (v as { type?: unknown } | null)?.type;
  if (type === 'manifests' || type === 'custom-resources') {
    checkShape(v, S.object({ ...base, type: S.string(), objects: S.list(S.map()) }, `a ${type} deliverable`, ['id', 'dependsOn', 'objects']), path, issues);
  } else if (type === 'helm-release') {
    checkShape(v, S.object({ ...base, type: S.string(), release: S.map() }, 'a Helm release deliverable', ['id', 'dependsOn', 'release']), path, issues);
  } else {
    issues.add(joinPath(path, 'type'), `expected "manifests", "custom-resources" or "helm-release" (a deliverable of a plan), got ${describe(type)}`);
  }
});

/** The shape of a {@link ClusterPlan} (plans of platforms carry more facts: other keys are allowed). @internal */
export const CLUSTER_PLAN_SHAPE: Shape = S.custom((v, path, issues) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    issues.add(path || '(root)', `expected a ClusterPlan (from planOperatorInstall, planRegistryServer or planPlatform), got ${describe(v)}`);
    return;
  }
  const plan = v as Record<string, unknown>;
  checkShape(plan.cluster, S.string(), joinPath(path, 'cluster'), issues);
  if (plan.cluster === undefined) issues.add(joinPath(path, 'cluster'), 'required (a string)');
  if (!Array.isArray(plan.deliverables)) issues.add(joinPath(path, 'deliverables'), `expected a list of deliverables, got ${describe(plan.deliverables)}`);
  else checkShape(plan.deliverables, S.list(DELIVERABLE_SHAPE), joinPath(path, 'deliverables'), issues);
  checkShape(plan.namespace, S.string(), joinPath(path, 'namespace'), issues);
  checkShape(plan.releaseNames, S.list(S.string()), joinPath(path, 'releaseNames'), issues);
  checkShape(plan.releases, S.map(S.string()), joinPath(path, 'releases'), issues);
});

/** Throws the validation error unless `plan` is a well-formed plan (shape and order). @internal */
export function assertClusterPlan(plan: unknown): void {
  assertShape(plan, CLUSTER_PLAN_SHAPE, 'plan', 'cluster plan');
  checkPlanOrder(plan as ClusterPlan);
}
