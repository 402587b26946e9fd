import { ComponentPlan, releasesOf } from '../component';
import { IssueCollector } from '../errors';
import { checkPlanOrder } from '../plan';
import { compileCluster, platformEndpoints } from './cluster';
import { planComponents } from './component';
import { PlatformContext, resolvePlatform } from './context';
import { CompiledCluster, ComponentDescriptor, componentsOf } from './descriptor';
import { PlatformClusterPlan, PlatformComponentFacts, PlatformLayeringFacts, PlatformPlan } from './model';
import { PLATFORM_COMPONENT_REGISTRY } from './registered';
import { PlatformSpec } from './spec';
import { mapOrUndefined, omitUndefined } from './support';

export { ENDPOINTS_CONFIGMAP, ENTERPRISE_CHART, PLATFORM_DELIVERABLES, PlatformClusterPlan, PlatformEndpoints, PlatformPlan } from './model';

/**
 * Plans a whole platform: validates everything at once (every problem of every cluster,
 * each with its path, in one {@link ToolhiveValidationError}), wires clusters to each other
 * through external URLs, and returns each cluster's deliverables. The result does not depend
 * on the order clusters or environments were declared in.
 *
 * The spec's shape is checked first, so plain JavaScript and JSON get issues at their own
 * paths, never a TypeError. Every cluster is checked and compiled before any is rendered.
 */
export function planPlatform(spec: PlatformSpec): PlatformPlan {
  return planPlatformWith(spec, PLATFORM_COMPONENT_REGISTRY);
}

/** {@link planPlatform} over the given components (the registered ones, or a test's). @internal */
export function planPlatformWith(spec: PlatformSpec, components: readonly ComponentDescriptor[]): PlatformPlan {
  const issues = new IssueCollector();
  const ctx = resolvePlatform(spec, issues, components);
  const compiled = [...ctx.clusters.keys()].map((name) => compileCluster(ctx, name, issues, components));
  issues.throwIfAny('ToolHive platform');

  const clusters = compiled.map((cluster) => clusterPlan(ctx, cluster, planComponents(ctx, cluster, issues, components), components));
  issues.throwIfAny('ToolHive platform');
  for (const p of clusters) checkPlanOrder(p);
  const registryLayering = layeringFacts(ctx);
  return { edition: ctx.edition, endpoints: platformEndpoints(ctx), clusters, ...(registryLayering ? { registryLayering } : {}) };
}

/** One cluster's plan, with the facts adapters and readers publish. */
function clusterPlan(
  ctx: PlatformContext, cluster: CompiledCluster, plans: readonly ComponentPlan[], components: readonly ComponentDescriptor[],
): PlatformClusterPlan {
  const releases = releasesOf(plans);
  return {
    cluster: cluster.name,
    role: cluster.spec.role,
    endpoints: cluster.endpoints,
    components: componentsOf(components, cluster.spec).map((d) => componentFacts(ctx, cluster, d)),
    deliverables: plans.flatMap((p) => p.deliverables),
    namespace: ctx.namespace,
    releaseNames: Object.values(releases),
    releases,
  };
}

/** What a reader of the plan (a diagram) knows of a component: its node, its label, its endpoint. */
function componentFacts(ctx: PlatformContext, cluster: CompiledCluster, d: ComponentDescriptor): PlatformComponentFacts {
  const label = d.diagram.label({ ctx, cluster }).filter((l): l is string => typeof l === 'string' && l !== '');
  const url = d.endpoint ? mapOrUndefined((cluster.spec as unknown as Record<string, unknown>)[d.name])?.[d.endpoint.field] : undefined;
  const endpoint = d.endpoint && typeof url === 'string' ? omitUndefined({ name: d.endpoint.name, url, link: d.endpoint.link }) : undefined;
  return { name: d.name, node: d.diagram.node, label, ...(endpoint ? { endpoint } : {}) };
}

/** The registry layering (valid: the plan is), its environments sorted by name. */
function layeringFacts(ctx: PlatformContext): PlatformLayeringFacts | undefined {
  const layering = ctx.spec.registryLayering;
  if (!layering) return undefined;
  const catalog = layering.catalog ? omitUndefined({ repository: layering.catalog.repository, path: layering.catalog.path }) : undefined;
  return {
    promotion: layering.promotion ?? (ctx.edition === 'enterprise' ? 'api' : 'git'),
    environments: layering.environments.map((e) => omitUndefined({ name: e.name, cluster: e.cluster, promotesFrom: e.promotesFrom }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(catalog ? { catalog } : {}),
  };
}
