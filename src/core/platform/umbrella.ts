/*
 * The enterprise umbrella release's values: the five enable flags, the shared settings, the
 * preflight checks, each enabled component's subchart values, and the air gap overrides.
 */
import { ComponentPlanner, runPlanners } from '../component';
import { IssueCollector } from '../errors';
import { deepClone, JsonObject } from '../util';
import { CompiledCluster } from './cluster';
import { ComponentName, COMPONENTS } from './context';
import { EnterpriseReleaseOptions, GlobalOptions } from './spec';
import { omitUndefined } from './support';

/** The umbrella chart values of one cluster. @internal */
export function umbrellaValues(ent: EnterpriseReleaseOptions | undefined, cluster: CompiledCluster, issues: IssueCollector): JsonObject {
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
  return { ...v, ...subchartValues(ent, cluster, issues) };
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

/** What a component of the umbrella release plans from. */
interface UmbrellaPartInput {
  readonly ent: EnterpriseReleaseOptions | undefined;
  readonly cluster: CompiledCluster;
}

/** A component delivered as a subchart of the umbrella release: its planner contributes that subchart's values. */
type UmbrellaPart = ComponentPlanner<UmbrellaPartInput>;

/** The air gap's image mirror (`<registry>/<image>:<version>`) and pull secret, when there is one. */
function airGapOf(ent: EnterpriseReleaseOptions | undefined) {
  const airGap = ent?.airGap;
  if (!airGap) return undefined;
  return { registry: airGap.registry, version: ent?.version ?? '', pullSecret: airGap.pullSecret, mirror: (image: string) => `${airGap.registry}/${image}:${ent?.version ?? ''}`, pull: [{ name: airGap.pullSecret }] };
}

/** A part whose subchart values are `values` (nothing when they are undefined). */
/** The subchart values of one part, from the part's own compiled values (a copy). */
type PartValues = (i: UmbrellaPartInput, own: Record<string, any>) => Record<string, unknown> | undefined;

function part(component: ComponentName, values: PartValues): UmbrellaPart {
  return {
    runsOn: ({ cluster }) => !!cluster.spec[component],
    plan: (i) => {
      const v = values(i, deepClone(i.cluster.values[component] ?? {}) as Record<string, any>);
      return { deliverables: [], facts: {}, ...(v ? { values: v as { [subchart: string]: JsonObject } } : {}) };
    },
  };
}

const operatorPart = part('toolhiveOperator', ({ ent }, up) => {
  const a = airGapOf(ent);
  if (a) {
    up.operator = {
      image: a.mirror('operator'),
      toolhiveRunnerImage: a.mirror('proxyrunner'),
      vmcpImage: a.mirror('vmcp'),
      imagePullSecrets: a.pull,
      defaultImagePullSecrets: [a.pullSecret],
      ...(up.operator ?? {}),
    };
    up.registryAPI = { image: a.mirror('registry-api'), ...(up.registryAPI ?? {}) };
  }
  return Object.keys(up).length > 0 ? { 'toolhive-operator': { upstream: up } } : undefined;
});

const enterpriseManagerPart = part('enterpriseManager', ({ ent }, em) => {
  const a = airGapOf(ent);
  if (a) Object.assign(em, { image: { repository: `${a.registry}/toolhive-enterprise`, tag: a.version }, imagePullSecrets: em.imagePullSecrets ?? a.pull });
  return { 'enterprise-manager': em };
});

const cloudUiPart = part('cloudUi', ({ ent }, ui) => {
  const a = airGapOf(ent);
  if (a) Object.assign(ui, { image: { repository: `${a.registry}/cloud-ui`, tag: a.version }, imagePullSecrets: ui.imagePullSecrets ?? a.pull });
  return { 'toolhive-cloud-ui': ui };
});

const registryServerPart = part('registryServer', ({ ent }, rs) => {
  const a = airGapOf(ent);
  if (a) Object.assign(rs, { image: { registryServerUrl: a.mirror('registry-api'), ...(rs.image ?? {}) }, imagePullSecrets: rs.imagePullSecrets ?? a.pull });
  return { 'toolhive-registry-server': { upstream: rs } };
});

const aiGatewayPart = part('aiGateway', ({ ent }, ai) => {
  const a = airGapOf(ent);
  if (a && !ai.global?.imagePullSecrets) ai.global = { ...(ai.global ?? {}), imagePullSecrets: a.pull };
  return Object.keys(ai).length > 0 ? { 'enterprise-ai-gateway-operator': { upstream: ai } } : undefined;
});

/** The umbrella's components, each with its subchart. */
const UMBRELLA_PARTS: readonly UmbrellaPart[] = [operatorPart, enterpriseManagerPart, cloudUiPart, registryServerPart, aiGatewayPart];

/** Each enabled component's subchart values, with the air gap's mirror and pull secret. */
function subchartValues(ent: EnterpriseReleaseOptions | undefined, cluster: CompiledCluster, issues: IssueCollector): Record<string, unknown> {
  const plans = runPlanners(UMBRELLA_PARTS, { ent, cluster }, issues);
  return Object.assign({}, ...plans.map((p) => p.values ?? {}));
}
