import { resolveAirGap, ResolvedAirGap } from '../airgap';
import { collectFrom, IssueCollector, joinPath } from '../errors';
import { imagesIn } from '../k8s/images';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { inReleaseNamespace } from '../k8s/scope';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery, namespaceDeliverable } from '../plan';
import { installNamespaceProblem } from '../rules/names';
import { checkShape } from '../rules/shape';
import { isPlainObject, JsonObject, sortedKeys } from '../util';
import { REGISTRY_SERVER_VERSION, renderRegistryServerChart, resolveRegistryServerValues } from './chart';
import { compileRegistryServer, RegistryServerOptions } from './options';
import { PLAN_REGISTRY_SERVER_SHAPE } from './options-shape';

/** The open source Registry Server chart. */
export const REGISTRY_SERVER_CHART = {
  name: 'toolhive-registry-server',
  repository: 'oci://ghcr.io/stacklok/toolhive-registry-server',
  version: REGISTRY_SERVER_VERSION,
};

/** Release name of the Registry Server. */
export const REGISTRY_SERVER_RELEASE = 'toolhive-registry-server';

/**
 * The Registry Server deliverable for compiled chart values: a Helm release of the open source
 * chart, or its objects rendered by the library (in the release namespace, as Helm installs them).
 * @internal
 */
export function registryServerDeliverable(
  values: JsonObject, namespace: string, delivery: Delivery, dependsOn: string[], issues: IssueCollector, path: string, airGap: ResolvedAirGap,
): Deliverable | undefined {
  const release = { releaseName: REGISTRY_SERVER_RELEASE, namespace };
  const base = { id: REGISTRY_SERVER_RELEASE, description: `ToolHive Registry Server ${REGISTRY_SERVER_VERSION}`, dependsOn, retainOnDelete: false };
  if (delivery === 'helm') {
    return {
      ...base,
      type: 'helm-release',
      release: airGap.release({
        chart: REGISTRY_SERVER_CHART.name,
        repository: REGISTRY_SERVER_CHART.repository,
        version: REGISTRY_SERVER_CHART.version,
        ...release,
        values: sortedKeys(values),
        skipCrds: false,
        images: collectFrom(issues, path, () => imagesIn(resolveRegistryServerValues(values, release))) ?? [],
      }),
    };
  }
  const objects = collectFrom(issues, path, () => withInstallLabel(
    renderRegistryServerChart(values, release).map((o) => inReleaseNamespace(o, namespace)), installLabelValue(namespace, REGISTRY_SERVER_RELEASE)));
  return objects ? { ...base, type: 'manifests', objects } : undefined;
}

/** Options of {@link planRegistryServer}. */
export interface PlanRegistryServerOptions {
  /** How the server reaches the cluster: rendered objects, or the published Helm chart. @default "manifests" */
  readonly delivery?: Delivery;
  /**
   * Not a Kubernetes system namespace; `default` only with `allowDefaultNamespace`.
   * @default "toolhive-system"
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
   */
  readonly namespace?: string;
  /** Allow the `default` namespace. @default false */
  readonly allowDefaultNamespace?: boolean;
  /**
   * Create the namespace (enforcing Pod Security "restricted").
   * @default true
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly createNamespace?: boolean;
  /** The cluster's name in the plan. @default "default" */
  readonly cluster?: string;
  /** Prefix of the paths in validation errors. @default "registryServer" */
  readonly path?: string;
}


/**
 * Plans one open source Registry Server on one cluster: its namespace, then the release.
 * Checks the shapes of both arguments first; throws one validation error listing every problem.
 */
export function planRegistryServer(options: RegistryServerOptions, plan: PlanRegistryServerOptions = {}): ClusterPlan {
  const issues = new IssueCollector();
  // At the root, as the operator's plan options: the Pulumi component's args carry them by these names.
  checkShape(plan, PLAN_REGISTRY_SERVER_SHAPE, '', issues);
  issues.throwIfAny('Registry Server');
  const path = plan.path ?? 'registryServer';
  const namespace = plan.namespace ?? 'toolhive-system';
  const delivery = plan.delivery ?? 'manifests';
  const nsProblem = installNamespaceProblem(namespace, plan.allowDefaultNamespace === true);
  if (nsProblem) issues.add('namespace', nsProblem);
  // No options are no configuration: refused as `{}` is, never a Registry Server without one.
  const airGap = resolveAirGap(isPlainObject(options) ? options.airGap : undefined, joinPath(path, 'airGap'), issues);
  const values = compileRegistryServer(options === undefined ? ({} as RegistryServerOptions) : options, path, issues, { airGap });
  issues.throwIfAny('Registry Server');
  const deliverables: Deliverable[] = (plan.createNamespace ?? true) ? [namespaceDeliverable('registry-server-namespace', namespace, 'enforce', installLabelValue(namespace, REGISTRY_SERVER_RELEASE))] : [];
  const d = registryServerDeliverable(values as JsonObject, namespace, delivery, deliverables.map((x) => x.id), issues, joinPath(path, 'values'), airGap);
  issues.throwIfAny('Registry Server');
  deliverables.push(d!);
  const releases = { [d!.id]: REGISTRY_SERVER_RELEASE };
  const result: ClusterPlan = { cluster: plan.cluster ?? 'default', deliverables, namespace, releaseNames: [REGISTRY_SERVER_RELEASE], releases };
  checkPlanOrder(result);
  return result;
}
