import { renderCrdsChart } from '../crds/render';
import { checkCustomResources, ToolhiveCustomResource } from '../crds/resources';
import { CrdSource } from '../crds/source';
import { collectFrom, IssueCollector } from '../errors';
import { OperatorChartValues } from './chart-values';
import { compileOperatorValues } from './compile';
import { ToolhiveOperatorOptions } from './options';
import { OPERATOR_OPTIONS_SHAPE, PLAN_OPERATOR_OPTIONS_SHAPE } from './options-shape';
import { renderOperatorChart, resolveOperatorValues } from './render';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { restrictedNamespace } from '../k8s/namespace';
import { KubeObject } from '../k8s/objects';
import { inReleaseNamespace } from '../k8s/scope';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery } from '../plan';
import { installNamespaceProblem } from '../rules/names';
import { checkShape, conforming } from '../rules/shape';
import { isPlainObject, JsonObject, sortedKeys } from '../util';
import {
  DEFAULT_CRDS_RELEASE, DEFAULT_OPERATOR_NAMESPACE, DEFAULT_OPERATOR_RELEASE, isRenderedVersion,
  OPERATOR_CHART, OPERATOR_CRDS_CHART, RENDERED_TOOLHIVE_VERSIONS, TOOLHIVE_VERSION,
} from '../versions';

/** Ids of the operator install's deliverables. */
export const OPERATOR_DELIVERABLES = {
  namespace: 'toolhive-operator-namespace',
  crds: 'toolhive-operator-crds',
  operator: 'toolhive-operator',
  customResources: 'toolhive-custom-resources',
};

/** Options of {@link planOperatorInstall}. */
export interface PlanOperatorOptions {
  /** How the CRDs and the operator are delivered. @default "manifests" */
  readonly delivery?: Delivery;
  /** Name of the cluster the plan is for. @default "default" */
  readonly cluster?: string;
  /** Prefix of the paths in validation errors. @default "operator" */
  readonly path?: string;
}

/**
 * Compiles operator options to the chart values that differ from the chart defaults
 * (what a hand-written values.yaml would hold). Throws one validation error listing
 * every problem, with paths under `path`.
 */
export function operatorValuesFor(options: ToolhiveOperatorOptions, path = 'operator'): OperatorChartValues {
  const issues = new IssueCollector();
  const values = compileOperatorValues(checkOperatorShapes(options, {}, path, issues), issues, path);
  issues.throwIfAny('operator options');
  return values;
}

/**
 * The shapes of the options, checked before anything reads them: a wrong type is an issue at
 * the caller's path, never a TypeError further on. Returns the part of the options that
 * conforms, for the rules that span fields (they run, and report, too).
 */
function checkOperatorShapes(options: unknown, plan: unknown, path: string, issues: IssueCollector): ToolhiveOperatorOptions {
  checkShape(plan, PLAN_OPERATOR_OPTIONS_SHAPE, '', issues);
  checkShape(options, OPERATOR_OPTIONS_SHAPE, path, issues);
  return issues.empty ? options as ToolhiveOperatorOptions ?? {} : (conforming(options, OPERATOR_OPTIONS_SHAPE) ?? {}) as ToolhiveOperatorOptions;
}

/**
 * Plans the operator install on one cluster: the namespace, then the CRDs, then the
 * operator (depending on the CRDs), each as a Helm release or as rendered manifests.
 * Throws one validation error listing every problem, before anything is rendered.
 */
export function planOperatorInstall(given: ToolhiveOperatorOptions = {}, givenPlan: PlanOperatorOptions = {}): ClusterPlan {
  const issues = new IssueCollector();
  const path = typeof givenPlan?.path === 'string' ? givenPlan.path : 'operator';
  const options = checkOperatorShapes(given, givenPlan, path, issues);
  const plan = (conforming(givenPlan, PLAN_OPERATOR_OPTIONS_SHAPE) ?? {}) as PlanOperatorOptions;
  const p = (rest: string) => (path ? `${path}.${rest}` : rest);
  const delivery = plan.delivery ?? Delivery.MANIFESTS;
  const version = options.version ?? TOOLHIVE_VERSION;
  const namespace = options.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  const releaseName = options.releaseName ?? DEFAULT_OPERATOR_RELEASE;
  const crdsReleaseName = options.crds?.releaseName ?? DEFAULT_CRDS_RELEASE;
  const installCrds = options.crds?.install ?? true;
  const keep = options.crds?.keep ?? true;

  const values = compileOperatorValues(options, issues, path);
  if (delivery === 'manifests' && !isRenderedVersion(version)) {
    issues.add(p('version'), `ToolHive ${version} cannot be rendered as raw manifests; the library renders ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}. Use delivery "helm" for other versions`);
  }
  const nsProblem = installNamespaceProblem(namespace, options.allowDefaultNamespace === true);
  if (nsProblem) issues.add(p('namespace'), nsProblem);
  if (crdsReleaseName === releaseName) issues.add(p('crds.releaseName'), `must differ from the operator's release name (${JSON.stringify(releaseName)})`);

  let operatorObjects: KubeObject[] | undefined;
  let crdObjects: KubeObject[] | undefined;
  if (issues.empty && isRenderedVersion(version)) {
    // Chart-level checks: with valid options, anything left comes from the `values` escape hatch.
    const release = { releaseName, namespace };
    collectFrom(issues, p('values'), () => resolveOperatorValues(values, release));
    if (issues.empty && delivery === 'manifests') {
      // As installed by Helm: objects whose template sets no namespace land in the release namespace.
      operatorObjects = collectFrom(issues, p('values'), () => renderOperatorChart(values, release).map((o) => inReleaseNamespace(o, namespace)));
      if (installCrds) {
        const source = options.crds?.source ?? CrdSource.fromRelease(version);
        const crdsRelease = { releaseName: crdsReleaseName, namespace };
        crdObjects = collectFrom(issues, path, () => renderCrdsChart({ crds: { install: true, keep } }, crdsRelease, source));
      }
    }
  } else if (!isPlainObject(options.values ?? {})) {
    issues.add(p('values'), 'expected a map of chart values');
  }
  const customResources = sortCustomResources(options.customResources ?? []);
  if (customResources.length > 0 && issues.empty) {
    if (!isRenderedVersion(version)) {
      issues.add(p('customResources'), `custom resources are checked against the CRDs of ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}; deliver them separately for ToolHive ${version}`);
    } else {
      const source = options.crds?.source ?? CrdSource.fromRelease(version);
      const crds = collectFrom(issues, path, () => source.load());
      if (crds) {
        const watched = options.rbac?.scope === 'namespace' ? [...(options.rbac.allowedNamespaces ?? [])] : undefined;
        // Checked in the order given, so paths name the user's indices.
        checkCustomResources(options.customResources ?? [], { crds, watchedNamespaces: watched, external: options.externalResources }, p('customResources'), issues);
      }
    }
  }
  issues.throwIfAny('ToolHive operator install');

  const deliverables: Deliverable[] = [];
  if (options.createNamespace ?? true) {
    deliverables.push({
      type: 'manifests',
      id: OPERATOR_DELIVERABLES.namespace,
      description: `Namespace ${namespace}, enforcing the Pod Security "restricted" profile`,
      dependsOn: [],
      retainOnDelete: false,
      objects: [restrictedNamespace(namespace)],
    });
  }
  const nsDeps = deliverables.length > 0 ? [OPERATOR_DELIVERABLES.namespace] : [];
  if (installCrds) {
    const base = {
      id: OPERATOR_DELIVERABLES.crds,
      description: `ToolHive CRDs ${version}`,
      dependsOn: nsDeps,
      retainOnDelete: keep,
    };
    deliverables.push(delivery === 'helm'
      ? {
        ...base,
        type: 'helm-release',
        release: {
          chart: OPERATOR_CRDS_CHART.name,
          repository: OPERATOR_CRDS_CHART.repository,
          version,
          releaseName: crdsReleaseName,
          namespace,
          values: { crds: { install: true, keep } },
          skipCrds: false,
        },
      }
      : { ...base, type: 'manifests', objects: crdObjects! });
  }
  const opBase = {
    id: OPERATOR_DELIVERABLES.operator,
    description: `ToolHive operator ${version} (${options.rbac?.scope === 'namespace' ? `namespace scope: ${[...(options.rbac.allowedNamespaces ?? [])].sort().join(', ')}` : 'cluster scope'})`,
    dependsOn: [...nsDeps, ...(installCrds ? [OPERATOR_DELIVERABLES.crds] : [])],
    retainOnDelete: false,
  };
  deliverables.push(delivery === 'helm'
    ? {
      ...opBase,
      type: 'helm-release',
      release: {
        chart: OPERATOR_CHART.name,
        repository: OPERATOR_CHART.repository,
        version,
        releaseName,
        namespace,
        values: sortedKeys(values) as JsonObject,
        skipCrds: true,
      },
    }
    : { ...opBase, type: 'manifests', objects: operatorObjects! });

  if (customResources.length > 0) {
    deliverables.push({
      type: 'manifests',
      id: OPERATOR_DELIVERABLES.customResources,
      description: `ToolHive custom resources (${customResources.length})`,
      dependsOn: deliverables.map((d) => d.id),
      retainOnDelete: false,
      objects: customResources,
    });
  }

  // Every rendered object names its install, so objects a later plan drops can be pruned.
  const label = installLabelValue(namespace, releaseName);
  const labelled = deliverables.map((d) => (d.type === 'manifests' ? { ...d, objects: withInstallLabel(d.objects, label) } : d));

  const result: ClusterPlan = { cluster: plan.cluster ?? 'default', deliverables: labelled, namespace };
  checkPlanOrder(result);
  return result;
}

/** Kinds others refer to come first; then by namespace and name (independent of declaration order). */
const KIND_ORDER = [
  'MCPGroup', 'MCPToolConfig', 'MCPExternalAuthConfig', 'MCPOIDCConfig', 'MCPAuthzConfig', 'MCPTelemetryConfig', 'MCPWebhookConfig',
  'EmbeddingServer', 'VirtualMCPCompositeToolDefinition', 'MCPServer', 'MCPRemoteProxy', 'MCPServerEntry', 'VirtualMCPServer', 'MCPRegistry',
];

function sortCustomResources(objects: readonly ToolhiveCustomResource[]): ToolhiveCustomResource[] {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind)
    || cmp(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || cmp(String(a.metadata?.name), String(b.metadata?.name)));
}

