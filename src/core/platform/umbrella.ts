/*
 * The enterprise umbrella release's values: each registered component's enable flag, the shared settings, the
 * preflight checks, each enabled component's subchart values, and the air gap overrides.
 */
import { deepClone, JsonObject } from '../util';
import { PlatformContext } from './context';
import { CompiledCluster, ComponentDescriptor, componentsOf } from './descriptor';
import { GlobalOptions } from './spec';
import { omitUndefined } from './support';

/** The umbrella chart values of one cluster. @internal */
export function umbrellaValues(ctx: PlatformContext, cluster: CompiledCluster, components: readonly ComponentDescriptor[]): JsonObject {
  const ent = ctx.ent;
  const v: Record<string, any> = {};
  for (const d of components) v[d.name] = { enabled: !!(cluster.spec as unknown as Record<string, unknown>)[d.name] };
  v.replicated = { enabled: ent?.replicated ?? !ent?.airGap };
  const g = globalValues(cluster.global);
  if (Object.keys(g).length > 0) v.global = g;
  if (ent?.preflight) {
    v.preflight = omitUndefined({
      enforce: ent.preflight.enforce,
      checkEgress: ent.preflight.checkEgress,
      image: ent.preflight.imageRepository ? { repository: ent.preflight.imageRepository } : undefined,
    });
  }
  return { ...v, ...subchartValues(ctx, cluster, components) };
}

function globalValues(global: GlobalOptions): Record<string, unknown> {
  const g: Record<string, unknown> = {};
  if (global.redis) {
    const r = global.redis;
    g.redis = omitUndefined({
      host: r.host,
      port: r.port,
      clusterMode: r.clusterMode,
      existingSecret: r.passwordSecret?.name,
      existingSecretKey: r.passwordSecret ? r.passwordSecret.key ?? 'redis-password' : undefined,
      tls: r.tls !== undefined ? { enabled: r.tls } : undefined,
    });
  }
  if (global.postgres) {
    const { host, port, sslMode } = global.postgres;
    g.postgres = omitUndefined({ host, port, sslMode });
  }
  return g;
}

/** Each enabled component's subchart values, from its descriptor's umbrella part (air gap included). */
function subchartValues(ctx: PlatformContext, cluster: CompiledCluster, components: readonly ComponentDescriptor[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of componentsOf(components, cluster.spec)) {
    const values = d.umbrella.values({ ctx, cluster }, deepClone(cluster.compiled[d.name]?.values ?? {}) as Record<string, any>);
    if (values) out[d.umbrella.key] = d.umbrella.upstream ? { upstream: values } : values;
  }
  return out;
}
