/*
 * The enterprise umbrella release's values: the five enable flags, the shared settings, the
 * preflight checks, each enabled component's subchart values, and the air gap overrides.
 */
import { deepClone, JsonObject } from '../util';
import { CompiledCluster } from './cluster';
import { COMPONENTS } from './context';
import { EnterpriseReleaseOptions, GlobalOptions } from './spec';
import { omitUndefined } from './support';

/** The umbrella chart values of one cluster. @internal */
export function umbrellaValues(ent: EnterpriseReleaseOptions | undefined, cluster: CompiledCluster): JsonObject {
  const v: Record<string, any> = {};
  for (const k of COMPONENTS) v[k] = { enabled: !!cluster.spec[k] };
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
  return { ...v, ...subchartValues(ent, cluster) };
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

/** Each enabled component's subchart values, with the air gap's mirror and pull secret. */
function subchartValues(ent: EnterpriseReleaseOptions | undefined, cluster: CompiledCluster): Record<string, unknown> {
  const { spec: c, values } = cluster;
  const airGap = ent?.airGap;
  const version = ent?.version ?? '';
  const mirror = (image: string) => `${airGap!.registry}/${image}:${version}`;
  const pull = airGap ? [{ name: airGap.pullSecret }] : undefined;
  const v: Record<string, unknown> = {};
  if (c.toolhiveOperator) {
    const up = deepClone(values.toolhiveOperator ?? {}) as Record<string, any>;
    if (airGap) {
      up.operator = {
        image: mirror('operator'),
        toolhiveRunnerImage: mirror('proxyrunner'),
        vmcpImage: mirror('vmcp'),
        imagePullSecrets: pull,
        defaultImagePullSecrets: [airGap.pullSecret],
        ...(up.operator ?? {}),
      };
      up.registryAPI = { image: mirror('registry-api'), ...(up.registryAPI ?? {}) };
    }
    if (Object.keys(up).length > 0) v['toolhive-operator'] = { upstream: up };
  }
  if (c.enterpriseManager) {
    const em = deepClone(values.enterpriseManager ?? {}) as Record<string, any>;
    if (airGap) Object.assign(em, { image: { repository: `${airGap.registry}/toolhive-enterprise`, tag: version }, imagePullSecrets: em.imagePullSecrets ?? pull });
    v['enterprise-manager'] = em;
  }
  if (c.cloudUi) {
    const ui = deepClone(values.cloudUi ?? {}) as Record<string, any>;
    if (airGap) Object.assign(ui, { image: { repository: `${airGap.registry}/cloud-ui`, tag: version }, imagePullSecrets: ui.imagePullSecrets ?? pull });
    v['toolhive-cloud-ui'] = ui;
  }
  if (c.registryServer) {
    const rs = deepClone(values.registryServer ?? {}) as Record<string, any>;
    if (airGap) Object.assign(rs, { image: { registryServerUrl: mirror('registry-api'), ...(rs.image ?? {}) }, imagePullSecrets: rs.imagePullSecrets ?? pull });
    v['toolhive-registry-server'] = { upstream: rs };
  }
  if (c.aiGateway) {
    const ai = deepClone(values.aiGateway ?? {}) as Record<string, any>;
    if (airGap && !ai.global?.imagePullSecrets) ai.global = { ...(ai.global ?? {}), imagePullSecrets: pull };
    if (Object.keys(ai).length > 0) v['enterprise-ai-gateway-operator'] = { upstream: ai };
  }
  return v;
}
