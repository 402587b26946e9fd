/*
 * Phase one of planning a cluster: every component's options checked and compiled to values
 * (nothing rendered yet), with the wiring between clusters. Rendering waits until the whole
 * platform is valid (component.ts).
 */
import { collectFrom, IssueCollector } from '../errors';
import { operatorValuesFor } from '../operator/plan';
import { RegistryServerConfig } from '../registry/config';
import { compileRegistryServer, RegistryServerOptions } from '../registry/options';
import { deepClone, JsonObject } from '../util';
import { ComponentName, PlatformContext } from './context';
import { compileAiGateway, compileCloudUi, compileEnterpriseManager, RegistryPolicyValue } from './enterprise-components';
import { LayeringContribution } from './layering';
import { PlatformEndpoints } from './model';
import { GlobalOptions, PlatformClusterSpec } from './spec';
import { clusterPath, listOrEmpty, mapOrUndefined, omitUndefined, stringOrUndefined } from './support';
import { hostAndPortOf, isServiceDnsUrl, trimSlash } from '../rules/urls';
import { isRenderedVersion, supportedVersionsText } from '../versions';

/** One cluster, checked and compiled. @internal */
export interface CompiledCluster {
  readonly name: string;
  readonly spec: PlatformClusterSpec;
  readonly endpoints: PlatformEndpoints;
  /** The platform's shared settings with this cluster's overrides. */
  readonly global: GlobalOptions;
  /** Compiled values, per component that has them. */
  readonly values: { readonly [C in ComponentName]?: JsonObject };
}

/** Checks and compiles one cluster's components, recording every problem. @internal */
export function compileCluster(ctx: PlatformContext, name: string, issues: IssueCollector): CompiledCluster {
  const c = ctx.clusters.get(name)!;
  const global = mergeGlobal(ctx.global, ctx.usable(name, 'global') ? c.global : undefined);
  const { control, aggregatorUrl, emUrl, uiUrl } = ctx.topology;
  const values: { [C in ComponentName]?: JsonObject } = {
    registryServer: compileRegistryFor(ctx, name, global, issues),
    cloudUi: compileCloudUiFor(ctx, name, issues),
    enterpriseManager: compileEnterpriseManagerFor(ctx, name, issues),
    aiGateway: ctx.usable(name, 'aiGateway') ? compileAiGateway(c.aiGateway!) : undefined,
    toolhiveOperator: compileOperatorFor(ctx, name, issues),
  };
  checkExternalUrls(ctx, name, issues);
  const endpoints: PlatformEndpoints = omitUndefined({
    controlCluster: control, registryServer: aggregatorUrl, enterpriseManager: emUrl, cloudUi: uiUrl,
  });
  return { name, spec: c, endpoints, global, values };
}

function mergeGlobal(a: GlobalOptions | undefined, b: GlobalOptions | undefined): GlobalOptions {
  return { redis: b?.redis ?? a?.redis, postgres: b?.postgres ?? a?.postgres };
}

/** The Registry Server: the user's config plus what layering generates. */
function compileRegistryFor(ctx: PlatformContext, name: string, global: GlobalOptions, issues: IssueCollector): JsonObject | undefined {
  if (!ctx.usable(name, 'registryServer')) return undefined;
  const own = ctx.clusters.get(name)!.registryServer!;
  const path = clusterPath(name, 'registryServer');
  const { layering, layeringClusters } = ctx.topology;
  const rs = withLayering(own, layering?.byCluster.get(name), path, issues);
  checkApiSources(ctx, name, own, issues);
  return collectFrom(issues, '', () => {
    const local = new IssueCollector();
    // When the layering itself is invalid, its clusters' catalogs are not generated: that problem is reported once, there
    // (for every cluster, when the layering is too broken to tell which clusters it names).
    const catalogGenerated = ctx.spec.registryLayering !== undefined && !layering && (layeringClusters?.has(name) ?? true);
    const v = compileRegistryServer(rs, path, local, { databaseHostFromGlobal: !!global.postgres?.host, catalogGenerated });
    local.throwIfAny();
    return v;
  });
}

/** The user's `api` sources read another Registry Server: neither this one, nor one by Service DNS. */
function checkApiSources(ctx: PlatformContext, name: string, own: RegistryServerOptions, issues: IssueCollector): void {
  const ownHost = hostAndPortOf(own.externalUrl);
  listOrEmpty(mapOrUndefined(own.config)?.sources).forEach((s, i) => {
    const endpoint = stringOrUndefined(mapOrUndefined(mapOrUndefined(s)?.api)?.endpoint);
    if (!endpoint) return;
    const at = clusterPath(name, `registryServer.config.sources[${i}].api.endpoint`);
    if (ownHost !== undefined && ownHost === hostAndPortOf(endpoint)) {
      issues.add(at, `points at this Registry Server itself (${own.externalUrl}); an api source reads another instance`);
    }
    if (isServiceDnsUrl(endpoint, ctx.topology.platformNamespaces)) {
      const others = [...ctx.topology.registryClusters.keys()].filter((n) => n !== name);
      issues.add(at, `${JSON.stringify(endpoint)} is in-cluster Service DNS: from cluster ${JSON.stringify(name)} another Registry Server`
        + `${others.length ? ` (clusters ${others.map((o) => JSON.stringify(o)).join(', ')})` : ''} is reached through its external (ingress) URL`);
    }
  });
}

/**
 * The Registry Server options with the layering's sources, registries and public paths added.
 * A config whose lists are not lists is left to the Registry Server's checks.
 */
function withLayering(o: RegistryServerOptions, add: LayeringContribution | undefined, path: string, issues: IssueCollector): RegistryServerOptions {
  const config = mapOrUndefined(o.config);
  if (!add || !config || !isListOrUnset(config.sources) || !isListOrUnset(config.registries)) return o;
  const copy = deepClone(config) as { sources?: any[]; registries?: any[]; auth?: any };
  const userSources = new Set((copy.sources ?? []).map((s) => s?.name));
  const userRegistries = new Set((copy.registries ?? []).map((r) => r?.name));
  for (const s of add.sources) if (userSources.has(s.name)) issues.add(`${path}.config.sources`, `source ${JSON.stringify(s.name)} is also generated by registryLayering; rename yours`);
  for (const r of add.registries) if (userRegistries.has(r.name)) issues.add(`${path}.config.registries`, `registry ${JSON.stringify(r.name)} is also generated by registryLayering; rename yours`);
  copy.sources = [...add.sources, ...(copy.sources ?? [])];
  copy.registries = [...add.registries, ...(copy.registries ?? [])];
  if (add.publicRegistries.length > 0 && copy.auth?.mode === 'oauth' && isListOrUnset(copy.auth.publicPaths)) {
    // `api` sources send no credentials: the promoted registries' consumer paths must be readable without them.
    const paths = add.publicRegistries.map((n) => `/registry/${n}`);
    copy.auth = { ...copy.auth, publicPaths: [...new Set([...(copy.auth.publicPaths ?? []), ...paths])] };
  }
  return { ...o, config: copy as RegistryServerConfig };
}

const isListOrUnset = (v: unknown) => v === undefined || Array.isArray(v);

/** A URL one component uses to reach another: Service DNS only within the same cluster. */
function checkReference(
  ctx: PlatformContext, url: string | undefined, path: string, from: string, target: string | undefined, what: string, issues: IssueCollector,
): void {
  if (url === undefined || !isServiceDnsUrl(url, ctx.topology.platformNamespaces)) return;
  if (target === undefined || target !== from) {
    issues.add(path, `${JSON.stringify(url)} is in-cluster Service DNS, but cluster ${JSON.stringify(from)} reaches the ${what}`
      + `${target ? ` in cluster ${JSON.stringify(target)}` : ' in another cluster'}: use its external (ingress) URL`);
  }
}

/**
 * The external URLs of a cluster's components: how other clusters and clients outside every
 * cluster reach them, so never in-cluster Service DNS (which only resolves inside that cluster).
 */
function checkExternalUrls(ctx: PlatformContext, name: string, issues: IssueCollector): void {
  const c = ctx.clusters.get(name)!;
  const { aggregator, layering, platformNamespaces } = ctx.topology;
  const others = ctx.clusterNames.filter((n) => n !== name);
  const registryReaders = aggregator === name ? others : layering && aggregator ? [aggregator] : others;
  const urls: [ComponentName, string, unknown, string, readonly string[]][] = [
    ['registryServer', 'externalUrl', c.registryServer?.externalUrl, 'Registry Server', registryReaders],
    ['enterpriseManager', 'resourceUrl', c.enterpriseManager?.resourceUrl, 'Enterprise Manager', others],
    ['cloudUi', 'url', c.cloudUi?.url, 'Cloud UI', others],
  ];
  for (const [component, field, url, what, readers] of urls) {
    if (!ctx.usable(name, component) || typeof url !== 'string' || !isServiceDnsUrl(url, platformNamespaces)) continue;
    const shown = readers.slice(0, 3).map((r) => JSON.stringify(r)).join(', ') + (readers.length > 3 ? ` and ${readers.length - 3} more` : '');
    issues.add(clusterPath(name, `${component}.${field}`), `${JSON.stringify(url)} is in-cluster Service DNS, which resolves only inside cluster ${JSON.stringify(name)}; `
      + `the ${what}'s external URL is how ${readers.length ? `cluster${readers.length > 1 ? 's' : ''} ${shown} and ` : ''}clients outside every cluster reach it: `
      + 'use its ingress URL, like "https://registry.example.com"');
  }
}

/** The Cloud UI: pointed at the aggregating Registry Server and at the Enterprise Manager. */
function compileCloudUiFor(ctx: PlatformContext, name: string, issues: IssueCollector): JsonObject | undefined {
  if (!ctx.usable(name, 'cloudUi')) return undefined;
  const c = ctx.clusters.get(name)!;
  const ui = c.cloudUi!;
  const { aggregator, aggregatorUrl, emCluster, emUrl, serviceUrl } = ctx.topology;
  const target = aggregator ?? (c.registryServer ? name : undefined);
  const wiredApi = target === name ? serviceUrl.registry : aggregatorUrl;
  if (ui.apiBaseUrl === undefined && wiredApi === undefined) {
    if (aggregator) issues.add(clusterPath(aggregator, 'registryServer.externalUrl'), `required: the Cloud UI in cluster ${JSON.stringify(name)} reaches this Registry Server across clusters`);
    else issues.add(clusterPath(name, 'cloudUi.apiBaseUrl'), 'required: no Registry Server runs in the platform to point the Cloud UI at');
  }
  checkReference(ctx, ui.apiBaseUrl, clusterPath(name, 'cloudUi.apiBaseUrl'), name, target, 'aggregating Registry Server', issues);
  checkReference(ctx, ui.enterpriseManagerUrl, clusterPath(name, 'cloudUi.enterpriseManagerUrl'), name, emCluster, 'Enterprise Manager', issues);
  const wiredEm = emCluster === name ? serviceUrl.em : emUrl;
  return compileCloudUi(ui, clusterPath(name, 'cloudUi'), issues, { apiBaseUrl: wiredApi, enterpriseManagerUrl: wiredEm });
}

/** The Enterprise Manager: clients (outside every cluster) get the registry's external URL. */
function compileEnterpriseManagerFor(ctx: PlatformContext, name: string, issues: IssueCollector): JsonObject | undefined {
  if (!ctx.usable(name, 'enterpriseManager')) return undefined;
  const em = ctx.clusters.get(name)!.enterpriseManager!;
  const { aggregator, aggregatorUrl, layering, platformNamespaces } = ctx.topology;
  const reg = em.policies?.registry?.value;
  for (const [field, url] of Object.entries({ apiUrl: reg?.apiUrl, serverApiUrl: reg?.serverApiUrl })) {
    if (url !== undefined && isServiceDnsUrl(url, platformNamespaces)) {
      issues.add(clusterPath(name, `enterpriseManager.policies.registry.value.${field}`), `${JSON.stringify(url)} is in-cluster Service DNS, but the Stacklok clients read this policy outside every cluster${aggregator ? ` and reach the Registry Server of cluster ${JSON.stringify(aggregator)}` : ''}: use its external (ingress) URL`);
    }
  }
  const registryDefault: RegistryPolicyValue | undefined = aggregatorUrl
    ? { apiUrl: layering ? `${trimSlash(aggregatorUrl)}/registry/${layering.top}` : trimSlash(aggregatorUrl), serverApiUrl: trimSlash(aggregatorUrl) }
    : undefined;
  return compileEnterpriseManager(em, clusterPath(name, 'enterpriseManager'), issues, registryDefault);
}

/** Fields of the operator options the umbrella release decides in the enterprise edition. */
const UMBRELLA_OPERATOR_FIELDS = ['version', 'namespace', 'releaseName', 'crds', 'createNamespace', 'customResources', 'externalResources', 'allowDefaultNamespace'] as const;

/**
 * The ToolHive release a cluster's operator runs (open source edition): the operator's own
 * `version`, else the cluster's, else the platform's; undefined for the library's default.
 */
export function operatorVersionOf(ctx: Pick<PlatformContext, 'spec' | 'clusters'>, name: string): string | undefined {
  const cluster = ctx.clusters.get(name);
  return stringOrUndefined(cluster?.toolhiveOperator?.version) ?? stringOrUndefined(cluster?.version) ?? stringOrUndefined(ctx.spec.version);
}

/** Operator options are validated now; rendering waits until the whole platform is valid. */
function compileOperatorFor(ctx: PlatformContext, name: string, issues: IssueCollector): JsonObject | undefined {
  const cluster = ctx.clusters.get(name);
  if (ctx.edition === 'enterprise' && cluster?.version !== undefined) {
    issues.add(clusterPath(name, 'version'), 'not used in the enterprise edition: the umbrella release pins the ToolHive operator (set enterprise.version)');
  }
  if (!ctx.usable(name, 'toolhiveOperator')) return undefined;
  const op = cluster!.toolhiveOperator!;
  const path = clusterPath(name, 'toolhiveOperator');
  if (ctx.edition !== 'enterprise') {
    const own = stringOrUndefined(op.version);
    if (own !== undefined && cluster!.version !== undefined && own !== cluster!.version) {
      issues.add(`${path}.version`, `${JSON.stringify(own)} differs from the cluster's version ${JSON.stringify(cluster!.version)}: pin the cluster's release in one place`);
    }
    const version = operatorVersionOf(ctx, name);
    if (own === undefined && version !== undefined && ctx.delivery === 'manifests' && !isRenderedVersion(version)) {
      // Reported where it was set (the cluster, else the platform), once.
      const at = cluster!.version !== undefined ? clusterPath(name, 'version') : 'version';
      if (!issues.issues.some((i) => i.path === at)) issues.add(at, `ToolHive ${version} is not a release the library supports, so it cannot be rendered as raw manifests; supported releases: ${supportedVersionsText()}. Use delivery "helm" for other versions`);
      return undefined;
    }
    collectFrom(issues, '', () => operatorValuesFor(version === undefined ? op : { ...op, version }, path));
    return undefined;
  }
  for (const field of UMBRELLA_OPERATOR_FIELDS) {
    if ((op as any)[field] !== undefined) issues.add(`${path}.${field}`, 'not used in the enterprise edition: the umbrella release pins and places the operator and its CRDs (set enterprise.version)');
  }
  const values = collectFrom(issues, '', () => operatorValuesFor({ ...op, version: ctx.version ?? '0.0.0' }, path) as JsonObject);
  if (values && !ctx.ent?.airGap && !op.images) {
    // The umbrella's own (enterprise) operator images stay in charge.
    const upstream = (values as any).operator;
    if (upstream) for (const k of ['image', 'toolhiveRunnerImage', 'vmcpImage']) delete upstream[k];
    delete (values as any).registryAPI;
  }
  return values;
}
