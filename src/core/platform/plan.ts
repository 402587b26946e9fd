import { AirGapOptions, airGapIssues, withChartMirror, withPlatformAirGap } from '../airgap';
import { ComponentPlan, releasesOf } from '../component';
import { IssueCollector } from '../errors';
import { checkPlanOrder } from '../plan';
import { CompiledCluster, compileCluster } from './cluster';
import { planComponents } from './component';
import { resolvePlatform } from './context';
import { PlatformClusterPlan, PlatformPlan } from './model';
import { PlatformSpec } from './spec';
import { omitUndefined } from './support';

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
  const issues = new IssueCollector();
  const ctx = resolvePlatform(withPlatformAirGap(spec), issues);
  airGapIssues(spec.airGap, 'airGap', issues);
  const compiled = [...ctx.clusters.keys()].map((name) => compileCluster(ctx, name, issues));
  issues.throwIfAny('ToolHive platform');

  const clusters = compiled.map((cluster) => clusterPlan(cluster, ctx.namespace, planComponents(ctx, cluster, issues), spec.airGap));
  issues.throwIfAny('ToolHive platform');
  for (const p of clusters) checkPlanOrder(p);
  // The platform's endpoints are its topology's, the same every cluster is given (compileCluster).
  const { control, aggregatorUrl, emUrl, uiUrl } = ctx.topology;
  const endpoints = omitUndefined({ controlCluster: control, registryServer: aggregatorUrl, enterpriseManager: emUrl, cloudUi: uiUrl });
  return { edition: ctx.edition, endpoints, clusters };
}

/** One cluster's plan, with the facts adapters publish. */
function clusterPlan(
  cluster: CompiledCluster, namespace: string, plans: readonly ComponentPlan[], airGap: AirGapOptions | undefined,
): PlatformClusterPlan {
  const releases = releasesOf(plans);
  return {
    cluster: cluster.name,
    role: cluster.spec.role,
    endpoints: cluster.endpoints,
    deliverables: withChartMirror(plans.flatMap((p) => p.deliverables), airGap),
    namespace,
    releaseNames: Object.values(releases),
    releases,
  };
}
