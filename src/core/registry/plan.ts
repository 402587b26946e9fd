import { collectFrom, IssueCollector } from '../errors';
import { checkForbiddenKeys } from '../rules/keys';
import { dns1123LabelProblem } from '../k8s/names';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { restrictedNamespace } from '../k8s/namespace';
import { inReleaseNamespace } from '../k8s/scope';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery } from '../plan';
import { JsonObject, sortedKeys } from '../util';
import { REGISTRY_SERVER_VERSION, renderRegistryServerChart } from './chart';
import { compileRegistryServer, RegistryServerOptions } from './options';

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
  values: JsonObject, namespace: string, delivery: Delivery, dependsOn: string[], issues: IssueCollector, path: string,
): Deliverable | undefined {
  const release = { releaseName: REGISTRY_SERVER_RELEASE, namespace };
  const base = { id: REGISTRY_SERVER_RELEASE, description: `ToolHive Registry Server ${REGISTRY_SERVER_VERSION}`, dependsOn, retainOnDelete: false };
  if (delivery === 'helm') {
    return {
      ...base,
      type: 'helm-release',
      release: {
        chart: REGISTRY_SERVER_CHART.name,
        repository: REGISTRY_SERVER_CHART.repository,
        version: REGISTRY_SERVER_CHART.version,
        ...release,
        values: sortedKeys(values),
        skipCrds: false,
      },
    };
  }
  const objects = collectFrom(issues, path, () => withInstallLabel(
    renderRegistryServerChart(values, release).map((o) => inReleaseNamespace(o, namespace)), installLabelValue(namespace, REGISTRY_SERVER_RELEASE)));
  return objects ? { ...base, type: 'manifests', objects } : undefined;
}

/** Options of {@link planRegistryServer}. */
export interface PlanRegistryServerOptions {
  /** @default "manifests" */
  readonly delivery?: Delivery;
  /** @default "toolhive-system" */
  readonly namespace?: string;
  /** Create the namespace (enforcing Pod Security "restricted"). @default true */
  readonly createNamespace?: boolean;
  /** @default "default" */
  readonly cluster?: string;
  /** Prefix of the paths in validation errors. @default "registryServer" */
  readonly path?: string;
}

/**
 * Plans one open source Registry Server on one cluster: its namespace, then the release.
 * Throws one validation error listing every problem.
 */
export function planRegistryServer(options: RegistryServerOptions, plan: PlanRegistryServerOptions = {}): ClusterPlan {
  const path = plan.path ?? 'registryServer';
  const namespace = plan.namespace ?? 'toolhive-system';
  const delivery = plan.delivery ?? 'manifests';
  const issues = new IssueCollector();
  checkForbiddenKeys(options, path, issues);
  const nsProblem = dns1123LabelProblem(namespace);
  if (nsProblem) issues.add('namespace', `${JSON.stringify(namespace)} is not a valid namespace name (${nsProblem})`);
  if (delivery !== 'helm' && delivery !== 'manifests') issues.add('delivery', `${JSON.stringify(delivery)} is not valid; expected "manifests" or "helm"`);
  const values = compileRegistryServer(options, path, issues);
  issues.throwIfAny('Registry Server');
  const deliverables: Deliverable[] = [];
  if (plan.createNamespace ?? true) {
    deliverables.push({
      type: 'manifests',
      id: 'registry-server-namespace',
      description: `Namespace ${namespace}`,
      dependsOn: [],
      retainOnDelete: false,
      objects: withInstallLabel([restrictedNamespace(namespace)], installLabelValue(namespace, REGISTRY_SERVER_RELEASE)),
    });
  }
  const d = registryServerDeliverable(values as JsonObject, namespace, delivery, deliverables.map((x) => x.id), issues, `${path}.values`);
  issues.throwIfAny('Registry Server');
  deliverables.push(d!);
  const result: ClusterPlan = { cluster: plan.cluster ?? 'default', deliverables };
  checkPlanOrder(result);
  return result;
}
