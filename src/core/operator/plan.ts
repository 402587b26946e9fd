import { resolveAirGap, ResolvedAirGap } from '../airgap';
import { crdDefaultImages, withMirroredDefaultImages } from '../crds/default-images';
import { checkCustomResources, ToolhiveCustomResource } from '../crds/resources';
import { CrdSource } from '../crds/source';
import { collectFrom, IssueCollector, joinPath } from '../errors';
import { OperatorChartValues } from './chart-values';
import { compileOperatorValues, operatorImages } from './compile';
import { ToolhiveOperatorOptions } from './options';
import { OPERATOR_OPTIONS_SHAPE, PLAN_OPERATOR_OPTIONS_SHAPE } from './options-shape';
import { renderOperatorChart, resolveOperatorValues } from './render';
import { ComponentPlanner, releasesOf, runPlanners } from '../component';
import { renderCrdsChart } from '../crds/render';
import { imagesIn } from '../k8s/images';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { KubeObject } from '../k8s/objects';
import { inReleaseNamespace } from '../k8s/scope';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery, isObjectsDeliverable, namespaceDeliverable, RETAINED_FIELD_MANAGER } from '../plan';
import { installNamespaceProblem } from '../rules/names';
import { assertShape, checkShape, conforming, S } from '../rules/shape';
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
  // The prefix of every issue's path: a string (`''` for none), or the issues would name no path.
  assertShape(path, S.string(), 'path', 'operator options');
  const issues = new IssueCollector();
  const airGap = resolveAirGap(isPlainObject(options) ? options.airGap : undefined, joinPath(path, 'airGap'), issues);
  const values = collectFrom(issues, '', () => operatorValuesWith(options, path, airGap));
  issues.throwIfAny('operator options');
  return values!;
}

/**
 * {@link operatorValuesFor}, under an air gap the caller resolved (a platform's cluster): the
 * options' own `airGap` is not read again. @internal
 */
export function operatorValuesWith(options: ToolhiveOperatorOptions, path: string, airGap: ResolvedAirGap): OperatorChartValues {
  const issues = new IssueCollector();
  const values = compileOperatorValues(checkOperatorShapes(options, {}, path, issues), issues, path, airGap);
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

/** An operator install, resolved from (shape-checked) options: what every component planner reads. */
interface OperatorInstall {
  readonly options: ToolhiveOperatorOptions;
  /** Its air gap, resolved once. */
  readonly airGap: ResolvedAirGap;
  readonly path: string;
  readonly at: (rest: string) => string;
  readonly cluster: string;
  readonly delivery: Delivery;
  readonly version: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly crdsReleaseName: string;
  readonly installCrds: boolean;
  readonly keep: boolean;
  readonly values: OperatorChartValues;
  readonly customResources: ToolhiveCustomResource[];
}

/** What rendering an install produced (raw-manifest delivery). */
interface Rendered {
  readonly operator?: KubeObject[];
  readonly crds?: KubeObject[];
  /** The images the operator chart's pods pull (from its values merged over the release's defaults). */
  readonly images?: string[];
}

/** What the operator install's planners plan from. */
interface OperatorComponentInput {
  readonly install: OperatorInstall;
  readonly rendered: Rendered;
}

/**
 * A component of the operator install whose one deliverable comes after everything planned
 * before it (namespace, CRDs, operator, custom resources), as a planner of the shared interface.
 */
function component(
  runs: (i: OperatorInstall) => boolean,
  deliverable: (i: OperatorInstall, rendered: Rendered, dependsOn: string[]) => Deliverable,
  releaseName?: (i: OperatorInstall) => string,
): ComponentPlanner<OperatorComponentInput> {
  return {
    runsOn: ({ install }) => runs(install),
    plan: ({ install, rendered }, _issues, earlier) => {
      const d = deliverable(install, rendered, [...earlier]);
      return { deliverables: [d], facts: { namespace: install.namespace, ...(releaseName ? { releases: { [d.id]: releaseName(install) } } : {}) } };
    },
  };
}

/**
 * Plans the operator install on one cluster: the namespace, then the CRDs, then the
 * operator (depending on the CRDs), each as a Helm release or as rendered manifests.
 * Throws one validation error listing every problem, before anything is rendered.
 */
export function planOperatorInstall(given: ToolhiveOperatorOptions = {}, givenPlan: PlanOperatorOptions = {}): ClusterPlan {
  return planOperatorInstallWith(given, givenPlan);
}

/**
 * {@link planOperatorInstall}, with the air gap already resolved by the caller (a platform's
 * cluster resolves its own over the platform's): then the options' `airGap` is not read again.
 * @internal
 */
export function planOperatorInstallWith(given: ToolhiveOperatorOptions, givenPlan: PlanOperatorOptions, airGap?: ResolvedAirGap): ClusterPlan {
  const issues = new IssueCollector();
  const install = resolveInstall(given, givenPlan, issues, airGap);
  checkInstall(install, issues);
  const rendered = issues.empty ? renderInstall(install, issues) : {};
  if (issues.empty) checkInstallCustomResources(install, issues);
  issues.throwIfAny('ToolHive operator install');
  const plans = runPlanners(OPERATOR_COMPONENTS, { install, rendered }, issues);
  const deliverables = plans.flatMap((p) => p.deliverables);
  const releases = releasesOf(plans);
  // Every rendered object names its install, so objects a later plan drops can be pruned.
  const label = installLabelValue(install.namespace, install.releaseName);
  const labelled = deliverables.map((d) => (isObjectsDeliverable(d) ? { ...d, objects: withInstallLabel(d.objects, label) } : d));
  const result: ClusterPlan = {
    cluster: install.cluster, deliverables: labelled, namespace: install.namespace, releaseNames: Object.values(releases), releases,
  };
  checkPlanOrder(result);
  return result;
}

function resolveInstall(
  given: ToolhiveOperatorOptions, givenPlan: PlanOperatorOptions, issues: IssueCollector, resolved?: ResolvedAirGap,
): OperatorInstall {
  const path = typeof givenPlan?.path === 'string' ? givenPlan.path : 'operator';
  const options = checkOperatorShapes(given, givenPlan, path, issues);
  const airGap = resolved ?? resolveAirGap(isPlainObject(given) ? given.airGap : undefined, joinPath(path, 'airGap'), issues);
  const registry = operatorImages(options, airGap).registry;
  const plan = (conforming(givenPlan, PLAN_OPERATOR_OPTIONS_SHAPE) ?? {}) as PlanOperatorOptions;
  return {
    options,
    airGap,
    path,
    at: (rest: string) => (path ? `${path}.${rest}` : rest),
    cluster: plan.cluster ?? 'default',
    delivery: plan.delivery ?? Delivery.MANIFESTS,
    version: options.version ?? TOOLHIVE_VERSION,
    namespace: options.namespace ?? DEFAULT_OPERATOR_NAMESPACE,
    releaseName: options.releaseName ?? DEFAULT_OPERATOR_RELEASE,
    crdsReleaseName: options.crds?.releaseName ?? DEFAULT_CRDS_RELEASE,
    installCrds: options.crds?.install ?? true,
    keep: options.crds?.keep ?? true,
    values: compileOperatorValues(options, issues, path, airGap),
    // Under an image registry (an air gap), a field left to its CRD's default image gets the registry's copy.
    customResources: sortCustomResources(withMirroredDefaultImages(options.customResources ?? [], registry)),
  };
}

/** The rules of the install as a whole: a version the delivery can render, the namespace, distinct release names. */
function checkInstall(i: OperatorInstall, issues: IssueCollector): void {
  if (i.delivery === 'manifests' && !isRenderedVersion(i.version)) {
    issues.add(i.at('version'), `ToolHive ${i.version} is not a release the library supports, so it cannot be rendered as raw manifests; supported releases: ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}. Use delivery "helm" for other versions`);
  }
  const nsProblem = installNamespaceProblem(i.namespace, i.options.allowDefaultNamespace === true);
  if (nsProblem) issues.add(i.at('namespace'), nsProblem);
  if (i.crdsReleaseName === i.releaseName) issues.add(i.at('crds.releaseName'), `must differ from the operator's release name (${JSON.stringify(i.releaseName)})`);
  if (i.customResources.length > 0 && !isRenderedVersion(i.version)) {
    issues.add(i.at('customResources'), `custom resources are checked against the CRDs of ${RENDERED_TOOLHIVE_VERSIONS.join(', ')}; deliver them separately for ToolHive ${i.version}`);
  }
}

/** The chart-level checks (anything left comes from the `values` escape hatch) and, for raw manifests, the render. */
function renderInstall(i: OperatorInstall, issues: IssueCollector): Rendered {
  if (!isRenderedVersion(i.version)) return {};
  const release = { releaseName: i.releaseName, namespace: i.namespace };
  const resolved = collectFrom(issues, i.at('values'), () => resolveOperatorValues(i.values, release, i.version));
  if (!issues.empty || i.delivery !== 'manifests') return { images: imagesIn(resolved) };
  // As installed by Helm: objects whose template sets no namespace land in the release namespace.
  const operator = collectFrom(issues, i.at('values'), () => renderOperatorChart(i.values, release, i.version).map((o) => inReleaseNamespace(o, i.namespace)));
  if (!i.installCrds) return { operator };
  const crdsRelease = { releaseName: i.crdsReleaseName, namespace: i.namespace };
  const crds = collectFrom(issues, i.path, () => renderCrdsChart({ crds: { install: true, keep: i.keep } }, crdsRelease, crdSource(i)));
  return { operator, crds };
}

function checkInstallCustomResources(i: OperatorInstall, issues: IssueCollector): void {
  if (i.customResources.length === 0) return;
  const crds = collectFrom(issues, i.path, () => crdSource(i).load());
  if (!crds) return;
  const rbac = i.options.rbac;
  const watched = rbac?.scope === 'namespace' ? [...(rbac.allowedNamespaces ?? [])] : undefined;
  // Checked in the order given, so paths name the user's indices.
  checkCustomResources(i.options.customResources ?? [], {
    crds, watchedNamespaces: watched, external: i.options.externalResources, version: i.options.crds?.source ? undefined : i.version,
  }, i.at('customResources'), issues);
}

function crdSource(i: OperatorInstall): CrdSource {
  return i.options.crds?.source ?? CrdSource.fromRelease(i.version);
}

/** A Helm release deliverable of one of the operator's charts. */
function helmRelease(
  base: Omit<Deliverable, 'type'>, chart: { name: string; repository: string }, releaseName: string, i: OperatorInstall, values: JsonObject, skipCrds: boolean,
  images: readonly string[] = [],
): Deliverable {
  return {
    ...base,
    type: 'helm-release',
    release: i.airGap.release({
      chart: chart.name, repository: chart.repository, version: i.version, releaseName, namespace: i.namespace, values, skipCrds, images,
    }),
  };
}

/** The operator install's components, in apply order. */
const OPERATOR_COMPONENTS: readonly ComponentPlanner<OperatorComponentInput>[] = [
  component(
    (i) => i.options.createNamespace ?? true,
    (i) => namespaceDeliverable(OPERATOR_DELIVERABLES.namespace, i.namespace, 'enforce'),
  ),
  component(
    (i) => i.installCrds,
    (i, rendered, dependsOn) => {
      const base = {
        id: OPERATOR_DELIVERABLES.crds,
        description: `ToolHive CRDs ${i.version}`,
        dependsOn,
        retainOnDelete: i.keep,
        defaultImages: crdDefaultImages(operatorImages(i.options, i.airGap).registry),
      };
      return i.delivery === 'helm'
        ? helmRelease(base, OPERATOR_CRDS_CHART, i.crdsReleaseName, i, { crds: { install: true, keep: i.keep } }, false)
        : { ...base, type: 'manifests', objects: rendered.crds!, ...(i.keep ? { fieldManager: RETAINED_FIELD_MANAGER } : {}) };
    },
    (i) => i.crdsReleaseName,
  ),
  component(
    () => true,
    (i, rendered, dependsOn) => {
      const rbac = i.options.rbac;
      const scope = rbac?.scope === 'namespace' ? `namespace scope: ${[...(rbac.allowedNamespaces ?? [])].sort().join(', ')}` : 'cluster scope';
      const base = { id: OPERATOR_DELIVERABLES.operator, description: `ToolHive operator ${i.version} (${scope})`, dependsOn, retainOnDelete: false };
      return i.delivery === 'helm'
        ? helmRelease(base, OPERATOR_CHART, i.releaseName, i, sortedKeys(i.values) as JsonObject, true, rendered.images ?? imagesIn(i.values))
        : { ...base, type: 'manifests', objects: rendered.operator! };
    },
    (i) => i.releaseName,
  ),
  component(
    (i) => i.customResources.length > 0,
    (i, _r, dependsOn) => ({
      type: 'custom-resources',
      id: OPERATOR_DELIVERABLES.customResources,
      description: `ToolHive custom resources (${i.customResources.length})`,
      dependsOn,
      retainOnDelete: false,
      objects: i.customResources,
    }),
  ),
];

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

