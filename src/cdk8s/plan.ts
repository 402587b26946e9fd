import { ApiObject, Helm, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  assertClusterPlan, assertOptionsMap, ClusterPlan, Deliverable, inReleaseNamespace, isClusterScopedKind, isObjectsDeliverable, KubeObject,
  ToolhiveValidationError,
} from '../index';

/** Options for translating a plan into constructs. */
export interface PlanConstructsOptions {
  /**
   * The `helm` program run by cdk8s's Helm construct for Helm deliverables.
   * @default - $TOOLHIVE_HELM, else "helm" on the PATH
   */
  readonly helmExecutable?: string;
}

/**
 * Translates a {@link ClusterPlan} into constructs under `scope`: one child per deliverable
 * (its id), holding `ApiObject`s or a cdk8s `Helm` construct, created in the plan's order.
 * The plan's order is its apply order and cdk8s writes a chart's objects in creation order, so
 * `cdk8s synth` writes everything in apply order without construct dependencies (which cdk8s
 * expands to every pair of objects and resolves again for every chart: quadratic in clusters).
 * Returns the child construct of each deliverable, by id, for users' own dependencies.
 */
export function addPlan(scope: Construct, plan: ClusterPlan, options: PlanConstructsOptions = {}): Map<string, Construct> {
  assertClusterPlan(plan);
  assertOptionsMap(options, 'options', 'plan constructs options { helmExecutable }', 'addPlan');
  if (!Construct.isConstruct(scope)) throw new ToolhiveValidationError([{ path: 'scope', message: 'expected a construct (a cdk8s Chart or a construct in one)' }], 'addPlan');
  const groups = new Map<string, Construct>();
  for (const d of plan.deliverables) groups.set(d.id, addDeliverable(scope, d, options));
  return groups;
}

function addDeliverable(scope: Construct, d: Deliverable, options: PlanConstructsOptions): Construct {
  if (isObjectsDeliverable(d)) {
    const group = new Construct(scope, d.id);
    d.objects.forEach((obj) => new ApiObject(group, objectId(obj), obj as any));
    return group;
  }
  const r = d.release;
  const helm = new Helm(scope, d.id, {
    chart: r.repository,
    version: r.version,
    releaseName: r.releaseName,
    namespace: r.namespace,
    values: r.values,
    helmExecutable: options.helmExecutable ?? process.env.TOOLHIVE_HELM ?? 'helm',
    // An air gap's mirror: how helm reaches it (credentials: `helm registry login` on this machine).
    helmFlags: [...(r.plainHttp ? ['--plain-http'] : []), ...(r.caFile ? ['--ca-file', r.caFile] : [])],
  });
  // As `helm install -n` would: namespaced objects without a namespace go to the release namespace.
  for (const obj of helm.apiObjects) {
    if (!obj.metadata.namespace && !isClusterScopedKind(obj.kind)) {
      const placed = inReleaseNamespace({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.name } }, r.namespace);
      obj.addJsonPatch(JsonPatch.add('/metadata/namespace', placed.metadata.namespace));
    }
  }
  return helm;
}

function objectId(obj: KubeObject): string {
  const parts = [obj.kind, obj.metadata.namespace, obj.metadata.name].filter((p) => !!p);
  return parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_');
}
