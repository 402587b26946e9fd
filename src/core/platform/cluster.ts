/*
 * Phase one of planning a cluster: every component's options checked and compiled to values
 * (nothing rendered yet), with the wiring between clusters. Rendering waits until the whole
 * platform is valid (component.ts).
 */
import { IssueCollector } from '../errors';
import { PlatformContext } from './context';
import { CompiledCluster, CompiledComponent, ComponentDescriptor } from './descriptor';
import { PlatformEndpoints } from './model';
import { GlobalOptions } from './spec';
import { clusterPath, mapOrUndefined, omitUndefined } from './support';
import { isServiceDnsUrl } from '../rules/urls';

/** Checks and compiles one cluster's components, recording every problem. @internal */
export function compileCluster(
  ctx: PlatformContext, name: string, issues: IssueCollector, components: readonly ComponentDescriptor[],
): CompiledCluster {
  const c = ctx.clusters.get(name)!;
  const global = mergeGlobal(ctx.global, ctx.usable(name, 'global') ? c.global : undefined);
  const compiled: { [component: string]: CompiledComponent } = {};
  for (const d of components) {
    const result = d.compile(ctx, name, issues, global);
    if (result) compiled[d.name] = result;
  }
  checkExternalUrls(ctx, name, issues, components);
  return { name, spec: c, endpoints: platformEndpoints(ctx), global, compiled };
}

/** The platform's shared endpoints (its topology's external URLs): the same for the platform and every cluster. @internal */
export function platformEndpoints(ctx: PlatformContext): PlatformEndpoints {
  const { control, aggregatorUrl, urls } = ctx.topology;
  return omitUndefined({ controlCluster: control, registryServer: aggregatorUrl, ...urls });
}

function mergeGlobal(a: GlobalOptions | undefined, b: GlobalOptions | undefined): GlobalOptions {
  return { redis: b?.redis ?? a?.redis, postgres: b?.postgres ?? a?.postgres };
}

/**
 * The external URLs of a cluster's components (each component's endpoint): how other clusters
 * and clients outside every cluster reach them, so never in-cluster Service DNS (which only
 * resolves inside that cluster).
 */
function checkExternalUrls(ctx: PlatformContext, name: string, issues: IssueCollector, components: readonly ComponentDescriptor[]): void {
  const c = ctx.clusters.get(name)! as unknown as Record<string, unknown>;
  const { aggregator, layering, platformNamespaces } = ctx.topology;
  const others = ctx.clusterNames.filter((n) => n !== name);
  const registryReaders = aggregator === name ? others : layering && aggregator ? [aggregator] : others;
  for (const d of components) {
    const endpoint = d.endpoint;
    if (!endpoint || !ctx.usable(name, d.name)) continue;
    const url = mapOrUndefined(c[d.name])?.[endpoint.field];
    if (typeof url !== 'string' || !isServiceDnsUrl(url, platformNamespaces)) continue;
    const readers = endpoint.name === 'registryServer' ? registryReaders : others;
    const shown = readers.slice(0, 3).map((r) => JSON.stringify(r)).join(', ') + (readers.length > 3 ? ` and ${readers.length - 3} more` : '');
    issues.add(clusterPath(name, `${d.name}.${endpoint.field}`), `${JSON.stringify(url)} is in-cluster Service DNS, which resolves only inside cluster ${JSON.stringify(name)}; `
      + `the ${d.title}'s external URL is how ${readers.length ? `cluster${readers.length > 1 ? 's' : ''} ${shown} and ` : ''}clients outside every cluster reach it: `
      + 'use its ingress URL, like "https://registry.example.com"');
  }
}
