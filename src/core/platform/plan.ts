import { collectFrom, IssueCollector } from '../errors';
import { checkForbiddenKeys } from '../rules/keys';
import { dns1123LabelProblem } from '../k8s/names';
import { KubeObject } from '../k8s/objects';
import { operatorValuesFor, planOperatorInstall } from '../operator/plan';
import { checkPlanOrder, ClusterPlan, Deliverable, Delivery } from '../plan';
import { RegistryServerConfig } from '../registry/config';
import { compileRegistryServer, RegistryServerOptions } from '../registry/options';
import { registryServerDeliverable } from '../registry/plan';
import { restrictedNamespace } from '../k8s/namespace';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { deepClone, JsonObject, sortedKeys } from '../util';
import { compileAiGateway, compileCloudUi, compileEnterpriseManager, RegistryPolicyValue } from './enterprise-components';
import { LayeringPlan, planLayering } from './layering';
import { ClusterRole, Edition, GlobalOptions, PlatformClusterSpec, PlatformSpec } from './spec';
import { isServiceDnsUrl, trimSlash } from './urls';

/** The enterprise umbrella chart. */
export const ENTERPRISE_CHART = {
  name: 'stacklok-enterprise-platform',
  /** `oci://oci.stacklok.com/stacklok-enterprise/<channel>/stacklok-enterprise-platform` */
  repository: (channel: string) => `oci://oci.stacklok.com/stacklok-enterprise/${channel}/stacklok-enterprise-platform`,
};

/** Ids of the platform's deliverables. */
export const PLATFORM_DELIVERABLES = {
  namespace: 'platform-namespace',
  umbrella: 'stacklok-enterprise-platform',
  registryServer: 'toolhive-registry-server',
  endpoints: 'platform-endpoints',
};

/** Name of the ConfigMap that tells a workload cluster where the control plane is. */
export const ENDPOINTS_CONFIGMAP = 'toolhive-platform-endpoints';

/** External URLs of the platform's shared services, as a workload cluster receives them. */
export interface PlatformEndpoints {
  /** The cluster running them. */
  readonly controlCluster?: string;
  /** The (aggregating) Registry Server. */
  readonly registryServer?: string;
  readonly enterpriseManager?: string;
  readonly cloudUi?: string;
}

/** One cluster's plan within a platform. */
export interface PlatformClusterPlan extends ClusterPlan {
  readonly role: ClusterRole;
  /** The shared services' external URLs this cluster knows of. */
  readonly endpoints: PlatformEndpoints;
}

/** Every cluster's plan, sorted by cluster name. */
export interface PlatformPlan {
  readonly edition: Edition;
  readonly clusters: readonly PlatformClusterPlan[];
}

const ALLOWED: Record<ClusterRole, readonly string[]> = {
  control: ['toolhiveOperator', 'enterpriseManager', 'cloudUi', 'registryServer', 'aiGateway'],
  workload: ['toolhiveOperator', 'aiGateway'],
  registry: ['registryServer', 'toolhiveOperator'],
};
const COMPONENTS = ['toolhiveOperator', 'enterpriseManager', 'cloudUi', 'registryServer', 'aiGateway'] as const;
const ENTERPRISE_ONLY = ['enterpriseManager', 'cloudUi', 'aiGateway'];

/**
 * Plans a whole platform: validates everything at once (every problem of every cluster,
 * each with its path, in one {@link ToolhiveValidationError}), wires clusters to each other
 * through external URLs, and returns each cluster's deliverables. The result does not depend
 * on the order clusters or environments were declared in.
 */
export function planPlatform(spec: PlatformSpec): PlatformPlan {
  const issues = new IssueCollector();
  checkForbiddenKeys(spec, '', issues);
  const edition: Edition = spec.edition ?? 'open-source';
  if (edition !== 'enterprise' && edition !== 'open-source') issues.add('edition', `${JSON.stringify(edition)} is not valid; expected "enterprise" or "open-source"`);
  const namespace = spec.namespace ?? (edition === 'enterprise' ? 'stacklok-system' : 'toolhive-system');
  const nsProblem = dns1123LabelProblem(namespace);
  if (nsProblem) issues.add('namespace', `${JSON.stringify(namespace)} is not a valid namespace name (${nsProblem})`);
  const delivery: Delivery = spec.delivery ?? (edition === 'enterprise' ? 'helm' : 'manifests');
  if (delivery !== 'helm' && delivery !== 'manifests') issues.add('delivery', `${JSON.stringify(delivery)} is not valid; expected "manifests" or "helm"`);
  if (edition === 'enterprise' && delivery === 'manifests') {
    issues.add('delivery', 'the enterprise edition is one umbrella Helm release per cluster: its charts have no public templates, so the library cannot render them as raw manifests; use "helm" (or the open source edition)');
  }
  const ent = spec.enterprise;
  if (edition === 'enterprise') {
    if (!ent) {issues.add('enterprise', 'required for the enterprise edition: version and channel from the install portal');} else {
      if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(ent.version ?? '')) issues.add('enterprise.version', `${JSON.stringify(ent.version)} is not a chart version (X.Y.Z)`);
      if (dns1123LabelProblem(ent.channel)) issues.add('enterprise.channel', `${JSON.stringify(ent.channel)} is not a channel slug (lower-case letters, digits, '-')`);
      if (ent.releaseName !== undefined && (dns1123LabelProblem(ent.releaseName) || ent.releaseName.length > 53)) issues.add('enterprise.releaseName', `${JSON.stringify(ent.releaseName)} is not a valid Helm release name`);
      if (ent.airGap) {
        if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/.test(ent.airGap.registry ?? '')) issues.add('enterprise.airGap.registry', `${JSON.stringify(ent.airGap.registry)} is not a registry host and prefix, e.g. "123456789.dkr.ecr.eu-west-1.amazonaws.com/stacklok"`);
        if (dns1123LabelProblem(ent.airGap.pullSecret)) issues.add('enterprise.airGap.pullSecret', `${JSON.stringify(ent.airGap.pullSecret)} is not a valid Secret name`);
        if (ent.replicated === true) issues.add('enterprise.replicated', 'must be off in an air-gapped install (it would try to reach Replicated)');
      }
    }
  } else if (ent) {
    issues.add('enterprise', 'only for the enterprise edition; set edition: "enterprise"');
  }

  // Clusters, by name.
  const clusterNames = Object.keys(spec.clusters ?? {}).sort();
  if (clusterNames.length === 0) issues.add('clusters', 'at least one cluster is required');
  const clusters = new Map<string, PlatformClusterSpec>(clusterNames.map((n) => [n, spec.clusters[n]]));
  for (const [name, c] of clusters) {
    const cp = (rest: string) => `clusters.${name}${rest ? `.${rest}` : ''}`;
    const problem = dns1123LabelProblem(name);
    if (problem) issues.add(cp(''), `${JSON.stringify(name)} is not a valid cluster name (${problem})`);
    if (!['control', 'workload', 'registry'].includes(c?.role)) {
      issues.add(cp('role'), `${JSON.stringify(c?.role)} is not valid; expected "control", "workload" or "registry"`);
      continue;
    }
    for (const comp of COMPONENTS) {
      if ((c as any)[comp] === undefined) continue;
      if (!ALLOWED[c.role].includes(comp)) issues.add(cp(comp), `a ${c.role} cluster does not run the ${comp} (it runs ${ALLOWED[c.role].join(', ')})`);
      else if (edition === 'open-source' && ENTERPRISE_ONLY.includes(comp)) issues.add(cp(comp), `${comp} is an enterprise component: the open source edition has no chart for it (set edition: "enterprise")`);
    }
    if (c.role === 'workload' && !c.toolhiveOperator) issues.add(cp('toolhiveOperator'), 'a workload cluster runs the ToolHive operator');
    if (c.role === 'registry' && !c.registryServer) issues.add(cp('registryServer'), 'a registry cluster runs a Registry Server');
    if (c.role === 'control' && !c.enterpriseManager && !c.cloudUi && !c.registryServer) issues.add(cp(''), 'a control cluster runs at least one of enterpriseManager, cloudUi, registryServer');
  }
  const controls = clusterNames.filter((n) => clusters.get(n)?.role === 'control');
  if (controls.length > 1) issues.add('clusters', `one control cluster at most, found ${controls.join(', ')}`);
  const emClusters = clusterNames.filter((n) => clusters.get(n)?.enterpriseManager);
  if (emClusters.length > 1) issues.add('clusters', `one Enterprise Manager per platform, found it in ${emClusters.join(', ')}`);
  const control = controls[0];
  const emCluster = emClusters[0];

  // Registry topology.
  const registryClusters = new Map<string, { externalUrl?: string }>();
  for (const [name, c] of clusters) if (c?.registryServer) registryClusters.set(name, { externalUrl: c.registryServer.externalUrl });
  let layering: LayeringPlan | undefined;
  if (spec.registryLayering) {
    layering = planLayering(spec.registryLayering, { edition, registryClusters, clusterNames }, 'registryLayering', issues);
  }
  const layeringClusters = new Set([
    ...(spec.registryLayering?.environments ?? []).map((e) => e?.cluster),
    ...(spec.registryLayering?.aggregator ? [spec.registryLayering.aggregator.cluster] : []),
  ]);
  const soleRegistry = registryClusters.size === 1 ? [...registryClusters.keys()][0] : undefined;
  const aggregator = layering?.aggregatorCluster ?? (control && clusters.get(control)?.registryServer ? control : soleRegistry);
  const aggregatorUrl = aggregator ? registryClusters.get(aggregator)?.externalUrl : undefined;
  const emUrl = emCluster ? clusters.get(emCluster)?.enterpriseManager?.resourceUrl : undefined;
  const uiCluster = clusterNames.find((n) => clusters.get(n)?.cloudUi);
  const uiUrl = uiCluster ? clusters.get(uiCluster)?.cloudUi?.url : undefined;
  const releaseName = ent?.releaseName ?? 'stacklok-enterprise';
  const platformNamespaces = [namespace, ...clusterNames.map((n) => clusters.get(n)?.toolhiveOperator?.namespace).filter((x): x is string => !!x)];
  const serviceUrl = {
    registry: edition === 'enterprise' ? `http://registry-api.${namespace}.svc.cluster.local:8080` : `http://toolhive-registry-server.${namespace}.svc.cluster.local:8080`,
    em: `http://${releaseName}-enterprise-manager.${namespace}.svc.cluster.local`,
  };

  // A URL one component uses to reach another: Service DNS only within the same cluster.
  const checkReference = (url: string | undefined, path: string, from: string, target: string | undefined, what: string) => {
    if (url === undefined || !isServiceDnsUrl(url, platformNamespaces)) return;
    if (target === undefined || target !== from) {
      issues.add(path, `${JSON.stringify(url)} is in-cluster Service DNS, but cluster ${JSON.stringify(from)} reaches the ${what}`
        + `${target ? ` in cluster ${JSON.stringify(target)}` : ' in another cluster'}: use its external (ingress) URL`);
    }
  };

  const compiled: {
    name: string;
    c: PlatformClusterSpec;
    endpoints: PlatformEndpoints;
    global: GlobalOptions;
    operatorValues?: JsonObject;
    registryValues?: JsonObject;
    emValues?: JsonObject;
    cloudUiValues?: JsonObject;
    aiValues?: JsonObject;
  }[] = [];
  for (const [name, c] of clusters) {
    if (!c || !['control', 'workload', 'registry'].includes(c.role)) continue;
    const cp = (rest: string) => `clusters.${name}.${rest}`;
    const global = mergeGlobal(spec.global, c.global);
    checkGlobal(global, `clusters.${name}.global`, issues);

    // Registry Server: the user's config plus what layering generates.
    let registryValues: JsonObject | undefined;
    if (c.registryServer) {
      const rs = withLayering(c.registryServer, layering?.byCluster.get(name), cp('registryServer'), issues);
      for (const [i, s] of (rs.config.sources ?? []).entries()) {
        const endpoint = s?.api?.endpoint;
        if (!endpoint) continue;
        const own = c.registryServer.externalUrl;
        if (own && hostAndPort(own) === hostAndPort(endpoint)) {
          issues.add(cp(`registryServer.config.sources[${i}].api.endpoint`), `points at this Registry Server itself (${own}); an api source reads another instance`);
        }
        if (isServiceDnsUrl(endpoint, platformNamespaces)) {
          const others = [...registryClusters.keys()].filter((n) => n !== name);
          issues.add(cp(`registryServer.config.sources[${i}].api.endpoint`), `${JSON.stringify(endpoint)} is in-cluster Service DNS: from cluster ${JSON.stringify(name)} another Registry Server`
            + `${others.length ? ` (clusters ${others.map((o) => JSON.stringify(o)).join(', ')})` : ''} is reached through its external (ingress) URL`);
        }
      }
      registryValues = collectFrom(issues, '', () => {
        const local = new IssueCollector();
        // When the layering itself is invalid, its clusters' catalogs are not generated: that problem is reported once, there.
        const catalogGenerated = !!spec.registryLayering && !layering && layeringClusters.has(name);
        const v = compileRegistryServer(rs, cp('registryServer'), local, { databaseHostFromGlobal: !!global.postgres?.host, catalogGenerated });
        local.throwIfAny();
        return v;
      });
    }

    // Cloud UI: pointed at the aggregating Registry Server.
    let cloudUiValues: JsonObject | undefined;
    if (c.cloudUi) {
      const target = aggregator ?? (c.registryServer ? name : undefined);
      const wiredApi = target === name ? serviceUrl.registry : aggregatorUrl;
      if (c.cloudUi.apiBaseUrl === undefined && wiredApi === undefined) {
        issues.add(aggregator ? `clusters.${aggregator}.registryServer.externalUrl` : cp('cloudUi.apiBaseUrl'),
          aggregator ? `required: the Cloud UI in cluster ${JSON.stringify(name)} reaches this Registry Server across clusters` : 'required: no Registry Server runs in the platform to point the Cloud UI at');
      }
      checkReference(c.cloudUi.apiBaseUrl, cp('cloudUi.apiBaseUrl'), name, target, 'aggregating Registry Server');
      const wiredEm = emCluster === name ? serviceUrl.em : emUrl;
      checkReference(c.cloudUi.enterpriseManagerUrl, cp('cloudUi.enterpriseManagerUrl'), name, emCluster, 'Enterprise Manager');
      cloudUiValues = compileCloudUi(c.cloudUi, cp('cloudUi'), issues, { apiBaseUrl: wiredApi, enterpriseManagerUrl: wiredEm });
    }

    // Enterprise Manager: clients (outside every cluster) get the registry's external URL.
    let emValues: JsonObject | undefined;
    if (c.enterpriseManager) {
      const reg = c.enterpriseManager.policies?.registry?.value;
      for (const [field, url] of Object.entries({ apiUrl: reg?.apiUrl, serverApiUrl: reg?.serverApiUrl })) {
        if (url !== undefined && isServiceDnsUrl(url, platformNamespaces)) {
          issues.add(cp(`enterpriseManager.policies.registry.value.${field}`), `${JSON.stringify(url)} is in-cluster Service DNS, but the Stacklok clients read this policy outside every cluster${aggregator ? ` and reach the Registry Server of cluster ${JSON.stringify(aggregator)}` : ''}: use its external (ingress) URL`);
        }
      }
      const registryDefault: RegistryPolicyValue | undefined = aggregatorUrl
        ? { apiUrl: layering ? `${trimSlash(aggregatorUrl)}/registry/${layering.top}` : trimSlash(aggregatorUrl), serverApiUrl: trimSlash(aggregatorUrl) }
        : undefined;
      emValues = compileEnterpriseManager(c.enterpriseManager, cp('enterpriseManager'), issues, registryDefault);
    }

    const aiValues = c.aiGateway ? compileAiGateway(c.aiGateway, cp('aiGateway'), issues) : undefined;

    const endpoints: PlatformEndpoints = omitUndefined({
      controlCluster: control,
      registryServer: aggregatorUrl,
      enterpriseManager: emUrl,
      cloudUi: uiUrl,
    });

    // Operator options are validated now; rendering waits until the whole platform is valid.
    let operatorValues: JsonObject | undefined;
    if (c.toolhiveOperator) {
      if (edition === 'enterprise') {
        for (const field of ['version', 'namespace', 'releaseName', 'crds', 'createNamespace', 'customResources', 'externalResources'] as const) {
          if (c.toolhiveOperator[field] !== undefined) issues.add(cp(`toolhiveOperator.${field}`), 'not used in the enterprise edition: the umbrella release pins and places the operator and its CRDs (set enterprise.version)');
        }
        operatorValues = collectFrom(issues, '', () => operatorValuesFor({ ...c.toolhiveOperator, version: ent?.version ?? '0.0.0' }, cp('toolhiveOperator')) as JsonObject);
        if (operatorValues && !spec.enterprise?.airGap && !c.toolhiveOperator.images) {
          // The umbrella's own (enterprise) operator images stay in charge.
          const op = (operatorValues as any).operator;
          if (op) for (const k of ['image', 'toolhiveRunnerImage', 'vmcpImage']) delete op[k];
          delete (operatorValues as any).registryAPI;
        }
      } else {
        collectFrom(issues, '', () => operatorValuesFor(c.toolhiveOperator!, cp('toolhiveOperator')));
      }
    }
    compiled.push({ name, c, endpoints, global, operatorValues, registryValues, emValues, cloudUiValues, aiValues });
  }
  issues.throwIfAny('ToolHive platform');

  const plans: PlatformClusterPlan[] = [];
  for (const { name, c, endpoints, global, operatorValues, registryValues, emValues, cloudUiValues, aiValues } of compiled) {
    const cp = (rest: string) => `clusters.${name}.${rest}`;
    const deliverables: Deliverable[] = [];
    deliverables.push({
      type: 'manifests',
      id: PLATFORM_DELIVERABLES.namespace,
      description: `Namespace ${namespace}`,
      dependsOn: [],
      retainOnDelete: false,
      objects: withInstallLabel([platformNamespace(namespace, edition)], installLabelValue(namespace, 'platform')),
    });

    if (edition === 'enterprise') {
      const values = umbrellaValues({
        ent,
        global,
        operatorValues,
        emValues,
        cloudUiValues,
        registryValues,
        aiValues,
        enabled: Object.fromEntries(COMPONENTS.map((k) => [k, !!(c as any)[k]])),
      });
      deliverables.push({
        type: 'helm-release',
        id: PLATFORM_DELIVERABLES.umbrella,
        description: `Stacklok Enterprise Platform ${ent?.version ?? ''} (${COMPONENTS.filter((k) => (c as any)[k]).join(', ')})`,
        dependsOn: [PLATFORM_DELIVERABLES.namespace],
        retainOnDelete: false,
        release: {
          chart: ENTERPRISE_CHART.name,
          repository: ENTERPRISE_CHART.repository(ent?.channel ?? ''),
          version: ent?.version ?? '',
          releaseName,
          namespace,
          values: sortedKeys(values),
          skipCrds: false,
        },
      });
    } else {
      if (c.toolhiveOperator) {
        const opNamespace = c.toolhiveOperator.namespace ?? namespace;
        const operatorPlan = collectFrom(issues, '', () => planOperatorInstall(
          { ...c.toolhiveOperator, namespace: opNamespace, createNamespace: c.toolhiveOperator!.createNamespace ?? (opNamespace !== namespace) },
          { delivery, cluster: name, path: cp('toolhiveOperator') },
        ));
        for (const d of operatorPlan?.deliverables ?? []) {
          deliverables.push({ ...d, dependsOn: [PLATFORM_DELIVERABLES.namespace, ...d.dependsOn] } as Deliverable);
        }
      }
      if (c.registryServer && registryValues) {
        const d = registryServerDeliverable(withGlobalPostgres(registryValues, global), namespace, delivery, [PLATFORM_DELIVERABLES.namespace], issues, cp('registryServer.values'));
        if (d) deliverables.push(d);
      }
    }

    if (c.role === 'workload' && Object.keys(endpoints).length > 0) {
      deliverables.push({
        type: 'manifests',
        id: PLATFORM_DELIVERABLES.endpoints,
        description: 'Where the control plane is (external URLs)',
        dependsOn: [PLATFORM_DELIVERABLES.namespace],
        retainOnDelete: false,
        objects: withInstallLabel([endpointsConfigMap(namespace, endpoints)], installLabelValue(namespace, 'platform')),
      });
    }
    plans.push({ cluster: name, role: c.role, endpoints, deliverables });
  }

  issues.throwIfAny('ToolHive platform');
  for (const p of plans) checkPlanOrder(p);
  return { edition, clusters: plans };
}

/** `host:port` of a URL (two servers may share a host on different ports). */
function hostAndPort(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function omitUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function mergeGlobal(a: GlobalOptions | undefined, b: GlobalOptions | undefined): GlobalOptions {
  return { redis: b?.redis ?? a?.redis, postgres: b?.postgres ?? a?.postgres };
}

function checkGlobal(g: GlobalOptions, path: string, issues: IssueCollector): void {
  if (g.redis) {
    if (!g.redis.host) issues.add(`${path}.redis.host`, 'required');
    if (g.redis.port !== undefined && !(Number.isInteger(g.redis.port) && g.redis.port > 0 && g.redis.port < 65536)) issues.add(`${path}.redis.port`, `${g.redis.port} is not a port number`);
  }
  if (g.postgres) {
    if (!g.postgres.host) issues.add(`${path}.postgres.host`, 'required');
    if (g.postgres.port !== undefined && !(Number.isInteger(g.postgres.port) && g.postgres.port > 0 && g.postgres.port < 65536)) issues.add(`${path}.postgres.port`, `${g.postgres.port} is not a port number`);
  }
}

/** The Registry Server options with the layering's sources, registries and public paths added. */
function withLayering(
  o: RegistryServerOptions, add: { sources: any[]; registries: any[]; publicRegistries: string[] } | undefined, path: string, issues: IssueCollector,
): RegistryServerOptions {
  if (!add) return o;
  const config = deepClone(o.config ?? {}) as any as { sources?: any[]; registries?: any[]; auth?: any };
  const userSources = new Set((config.sources ?? []).map((s) => s?.name));
  const userRegistries = new Set((config.registries ?? []).map((r) => r?.name));
  for (const s of add.sources) if (userSources.has(s.name)) issues.add(`${path}.config.sources`, `source ${JSON.stringify(s.name)} is also generated by registryLayering; rename yours`);
  for (const r of add.registries) if (userRegistries.has(r.name)) issues.add(`${path}.config.registries`, `registry ${JSON.stringify(r.name)} is also generated by registryLayering; rename yours`);
  config.sources = [...add.sources, ...(config.sources ?? [])];
  config.registries = [...add.registries, ...(config.registries ?? [])];
  if (add.publicRegistries.length > 0 && config.auth?.mode === 'oauth') {
    // `api` sources send no credentials: the promoted registries' consumer paths must be readable without them.
    const paths = add.publicRegistries.map((n) => `/registry/${n}`);
    config.auth = { ...config.auth, publicPaths: [...new Set([...(config.auth.publicPaths ?? []), ...paths])] };
  }
  return { ...o, config: config as RegistryServerConfig };
}

function withGlobalPostgres(values: JsonObject, global: GlobalOptions): JsonObject {
  if (!global.postgres) return values;
  const { host, port, sslMode } = global.postgres;
  return { ...values, global: { postgres: omitUndefined({ host, port, sslMode }) } };
}

function umbrellaValues(a: {
  ent: PlatformSpec['enterprise'];
  global: GlobalOptions;
  operatorValues?: JsonObject;
  emValues?: JsonObject;
  cloudUiValues?: JsonObject;
  registryValues?: JsonObject;
  aiValues?: JsonObject;
  enabled: { [flag: string]: boolean };
}): JsonObject {
  const v: Record<string, any> = {};
  for (const [flag, on] of Object.entries(a.enabled)) v[flag] = { enabled: on };
  const airGap = a.ent?.airGap;
  v.replicated = { enabled: a.ent?.replicated ?? !airGap };
  const g: Record<string, unknown> = {};
  if (a.global.redis) {
    const r = a.global.redis;
    g.redis = omitUndefined({
      host: r.host,
      port: r.port,
      clusterMode: r.clusterMode,
      existingSecret: r.passwordSecret?.name,
      existingSecretKey: r.passwordSecret ? r.passwordSecret.key ?? 'redis-password' : undefined,
      tls: r.tls !== undefined ? { enabled: r.tls } : undefined,
    });
  }
  if (a.global.postgres) {
    const { host, port, sslMode } = a.global.postgres;
    g.postgres = omitUndefined({ host, port, sslMode });
  }
  if (Object.keys(g).length > 0) v.global = g;
  if (a.ent?.preflight) {
    v.preflight = omitUndefined({
      enforce: a.ent.preflight.enforce,
      checkEgress: a.ent.preflight.checkEgress,
      image: a.ent.preflight.imageRepository ? { repository: a.ent.preflight.imageRepository } : undefined,
    });
  }
  const version = a.ent?.version ?? '';
  const mirror = (image: string) => `${airGap!.registry}/${image}:${version}`;
  const pull = airGap ? [{ name: airGap.pullSecret }] : undefined;
  if (a.enabled.toolhiveOperator) {
    const up = deepClone(a.operatorValues ?? {}) as Record<string, any>;
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
  if (a.enabled.enterpriseManager) {
    const em = deepClone(a.emValues ?? {}) as Record<string, any>;
    if (airGap) Object.assign(em, { image: { repository: `${airGap.registry}/toolhive-enterprise`, tag: version }, imagePullSecrets: em.imagePullSecrets ?? pull });
    v['enterprise-manager'] = em;
  }
  if (a.enabled.cloudUi) {
    const ui = deepClone(a.cloudUiValues ?? {}) as Record<string, any>;
    if (airGap) Object.assign(ui, { image: { repository: `${airGap.registry}/cloud-ui`, tag: version }, imagePullSecrets: ui.imagePullSecrets ?? pull });
    v['toolhive-cloud-ui'] = ui;
  }
  if (a.enabled.registryServer) {
    const rs = deepClone(a.registryValues ?? {}) as Record<string, any>;
    if (airGap) Object.assign(rs, { image: { registryServerUrl: mirror('registry-api'), ...(rs.image ?? {}) }, imagePullSecrets: rs.imagePullSecrets ?? pull });
    v['toolhive-registry-server'] = { upstream: rs };
  }
  if (a.enabled.aiGateway) {
    const ai = deepClone(a.aiValues ?? {}) as Record<string, any>;
    if (airGap && !ai.global?.imagePullSecrets) ai.global = { ...(ai.global ?? {}), imagePullSecrets: pull };
    if (Object.keys(ai).length > 0) v['enterprise-ai-gateway-operator'] = { upstream: ai };
  }
  return v;
}

function platformNamespace(name: string, edition: Edition): KubeObject {
  // Open source pods are known to meet "restricted", so it is enforced; the enterprise charts'
  // pods cannot be checked here, so violations are only warned about and audited.
  if (edition === 'open-source') return restrictedNamespace(name);
  const labels = { 'kubernetes.io/metadata.name': name, 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' };
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function endpointsConfigMap(namespace: string, e: PlatformEndpoints): KubeObject {
  const data: Record<string, string> = {};
  if (e.controlCluster) data.controlCluster = e.controlCluster;
  if (e.registryServer) data.registryServerUrl = e.registryServer;
  if (e.enterpriseManager) data.enterpriseManagerUrl = e.enterpriseManager;
  if (e.cloudUi) data.cloudUiUrl = e.cloudUi;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ENDPOINTS_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/part-of': 'toolhive-platform' } },
    data,
  };
}
