/*
 * The platform as the cluster planners see it: its shape checked, its platform-wide options
 * checked once (each problem at the path the user wrote), its clusters sorted by name, and the
 * topology that wires them (which cluster aggregates the registries, runs the Enterprise
 * Manager, serves the Cloud UI).
 */
import { ImageMirror, resolveAirGap, ResolvedAirGap } from '../airgap';
import { IssueCollector, ToolhiveValidationError } from '../errors';
import { Delivery } from '../plan';
import { FORBIDDEN_KEYS } from '../rules/keys';
import { installNamespaceProblem } from '../rules/names';
import { checkShape } from '../rules/shape';
import { isPlainObject } from '../util';
import { LayeringPlan, planLayering } from './layering';
import { ComponentBasics, platformShape } from './roster';
import { Edition, EnterpriseReleaseOptions, GlobalOptions, PlatformClusterSpec, PlatformSpec } from './spec';
import { checkSecretRef, clusterPath, listOrEmpty, mapOrUndefined, stringOrUndefined } from './support';

/**
 * The enterprise umbrella's air gap (`enterprise.airGap`), resolved once: its images through the
 * same image mapper as the open source ones, at the platform's version, with its pull Secret.
 * @internal
 */
export interface EnterpriseAirGap {
  readonly images: ImageMirror;
  /** The images' tag: the platform (chart) version. */
  readonly tag: string;
  readonly pullSecret: string;
}

/** How the clusters reach each other. @internal */
export interface Topology {
  readonly control?: string;
  readonly emCluster?: string;
  /** Clusters that run a Registry Server, with its external URL (if any). */
  readonly registryClusters: Map<string, { externalUrl?: string }>;
  readonly layering?: LayeringPlan;
  /** Clusters named by the layering (their catalogs are generated); undefined when the layering is too broken to tell. */
  readonly layeringClusters?: ReadonlySet<string>;
  /** The cluster whose Registry Server the Cloud UI and the clients use. */
  readonly aggregator?: string;
  readonly aggregatorUrl?: string;
  /**
   * The external URL of each shared endpoint a component provides (the first cluster running it
   * in name order), by endpoint; the Registry Server's is the aggregator's (`aggregatorUrl`).
   */
  readonly urls: { readonly [endpoint: string]: string };
  /** The platform's namespaces (to recognise `svc.ns` Service DNS). */
  readonly platformNamespaces: readonly string[];
  /** In-cluster URLs of the shared services. */
  readonly serviceUrl: { readonly registry: string; readonly em: string };
}

/** The platform, checked and resolved. @internal */
export interface PlatformContext {
  readonly spec: PlatformSpec;
  readonly edition: Edition;
  readonly namespace: string;
  readonly delivery: Delivery;
  /** The umbrella release options, when their shape is right. */
  readonly ent?: EnterpriseReleaseOptions;
  /** The umbrella's version, when valid. */
  readonly version?: string;
  /** The platform's air gap, resolved once (each cluster's components resolve theirs over it). */
  readonly airGap: ResolvedAirGap;
  /** The umbrella's air gap, when it has one. */
  readonly enterpriseAirGap?: EnterpriseAirGap;
  readonly releaseName: string;
  /** The platform's shared settings, when their shape is right. */
  readonly global?: GlobalOptions;
  /** Every cluster name, sorted. */
  readonly clusterNames: readonly string[];
  /** The clusters with a valid role, by name, sorted. */
  readonly clusters: ReadonlyMap<string, PlatformClusterSpec>;
  readonly topology: Topology;
  /** Whether cluster `name` sets `field` (a component, or `global`) with the right shape (so its planner may read it). */
  usable(name: string, field: string): boolean;
}

/**
 * Checks the platform's shape and its platform-wide options, and resolves its clusters and
 * topology, recording every problem in `issues`. Throws when the spec is not a map or names no
 * valid edition (nothing else can be judged then).
 * @internal
 */
export function resolvePlatform(spec: PlatformSpec, issues: IssueCollector, components: readonly ComponentBasics[]): PlatformContext {
  const broken = checkPlatformShape(spec, issues, components);
  const edition: Edition = spec.edition ?? 'open-source';
  const options = checkPlatformOptions(spec, edition, broken, issues);
  const global = broken('global') ? undefined : spec.global;
  checkGlobal(spec.global, 'global', broken, issues);
  const airGap = resolveAirGap(spec.airGap, 'airGap', issues);
  const { clusterNames, clusters } = resolveClusters(spec, edition, broken, issues, components);
  const usable = (name: string, field: string) => {
    const value = (clusters.get(name) as any)?.[field];
    return value !== undefined && value !== null && !broken(clusterPath(name, field));
  };
  const ctx = { spec, edition, ...options, airGap, global, clusterNames, clusters, usable };
  return { ...ctx, topology: resolveTopology(ctx, broken, issues, components) };
}

/** Whether a path holds a problem (itself or below it). */
type Broken = (path: string) => boolean;

function checkPlatformShape(spec: PlatformSpec, issues: IssueCollector, components: readonly ComponentBasics[]): Broken {
  const found = new IssueCollector();
  if (spec === undefined) found.add('(root)', 'expected a platform { edition, enterprise, namespace, delivery, global, registryLayering, clusters }, got nothing');
  checkShape(spec, platformShape(components), '', found);
  issues.addAll(found.issues);
  if (!isPlainObject(spec) || found.issues.some((i) => i.path === 'edition')) throw new ToolhiveValidationError(issues.issues, 'ToolHive platform');
  return (path) => found.issues.some((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}

function checkPlatformOptions(spec: PlatformSpec, edition: Edition, broken: Broken, issues: IssueCollector) {
  const byDefault = edition === 'enterprise' ? { namespace: 'stacklok-system', delivery: 'helm' as Delivery } : { namespace: 'toolhive-system', delivery: 'manifests' as Delivery };
  const namespace = broken('namespace') ? byDefault.namespace : spec.namespace ?? byDefault.namespace;
  const nsProblem = broken('namespace') ? undefined : installNamespaceProblem(namespace, spec.allowDefaultNamespace === true);
  if (nsProblem) issues.add('namespace', nsProblem);
  const delivery = broken('delivery') ? byDefault.delivery : spec.delivery ?? byDefault.delivery;
  if (edition === 'enterprise' && delivery === 'manifests') {
    issues.add('delivery', 'the enterprise edition is one umbrella Helm release per cluster: its charts have no public templates, so the library cannot render them as raw manifests; use "helm" (or the open source edition)');
  }
  const ent = broken('enterprise') ? undefined : spec.enterprise;
  if (edition === 'enterprise' && spec.version !== undefined) {
    issues.add('version', 'not used in the enterprise edition: the umbrella release pins the ToolHive operator (set enterprise.version)');
  }
  checkEnterpriseRelease(spec.enterprise, edition, broken('enterprise'), issues);
  const enterpriseAirGap: EnterpriseAirGap | undefined = ent?.airGap
    ? { images: new ImageMirror(ent.airGap.registry), tag: ent.version ?? '', pullSecret: ent.airGap.pullSecret }
    : undefined;
  return { namespace, delivery, ent, version: ent?.version, releaseName: ent?.releaseName ?? 'stacklok-enterprise', enterpriseAirGap };
}

function checkEnterpriseRelease(ent: EnterpriseReleaseOptions | undefined, edition: Edition, broken: boolean, issues: IssueCollector): void {
  if (edition !== 'enterprise') {
    if (ent !== undefined) issues.add('enterprise', 'only for the enterprise edition; set edition: "enterprise"');
    return;
  }
  if (ent === undefined) {
    issues.add('enterprise', 'required for the enterprise edition: version and channel from the install portal');
    return;
  }
  if (broken) return;
  if (ent.version === undefined) issues.add('enterprise.version', 'required: the platform (chart) version from the install portal, e.g. "1.4.0"');
  if (ent.channel === undefined) issues.add('enterprise.channel', 'required: the release channel slug from the install portal, e.g. "stable"');
  if (ent.airGap) {
    if (ent.airGap.registry === undefined) issues.add('enterprise.airGap.registry', 'required: your registry host and prefix, e.g. "123456789.dkr.ecr.eu-west-1.amazonaws.com/stacklok"');
    if (ent.airGap.pullSecret === undefined) issues.add('enterprise.airGap.pullSecret', 'required: the Secret with your registry\'s pull credentials');
    if (ent.replicated === true) issues.add('enterprise.replicated', 'must be off in an air-gapped install (it would try to reach Replicated)');
  }
}

/** Records what the shape cannot see in shared settings: hosts and Secret names are required. @internal */
function checkGlobal(g: GlobalOptions | undefined, path: string, broken: Broken, issues: IssueCollector): void {
  const redis = mapOrUndefined(g?.redis);
  if (redis) {
    if (redis.host === undefined || redis.host === '') issues.add(`${path}.redis.host`, 'required');
    if (!broken(`${path}.redis.passwordSecret`)) checkSecretRef(redis.passwordSecret, `${path}.redis.passwordSecret`, issues, false);
  }
  const postgres = mapOrUndefined(g?.postgres);
  if (postgres && (postgres.host === undefined || postgres.host === '')) issues.add(`${path}.postgres.host`, 'required');
}

function resolveClusters(spec: PlatformSpec, edition: Edition, broken: Broken, issues: IssueCollector, components: readonly ComponentBasics[]) {
  const all: Record<string, unknown> = mapOrUndefined(spec.clusters) ?? {};
  // A prototype key is refused by the shape check; it is no cluster.
  const clusterNames = Object.keys(all).filter((k) => !FORBIDDEN_KEYS.has(k)).sort();
  if (clusterNames.length === 0 && !broken('clusters')) issues.add('clusters', 'at least one cluster is required');
  const clusters = new Map<string, PlatformClusterSpec>();
  for (const name of clusterNames) {
    const c = all[name];
    if (!isPlainObject(c) || broken(clusterPath(name, 'role'))) continue;
    if (c.role === undefined) {
      issues.add(clusterPath(name, 'role'), 'required: "control", "workload" or "registry"');
      continue;
    }
    const cluster = c as unknown as PlatformClusterSpec;
    checkComponents(name, cluster, edition, issues, components);
    checkGlobal(cluster.global, clusterPath(name, 'global'), broken, issues);
    clusters.set(name, cluster);
  }
  return { clusterNames, clusters };
}

/** Which components a cluster runs: what its role allows, what its edition has, what its role needs. */
function checkComponents(
  name: string, c: PlatformClusterSpec, edition: Edition, issues: IssueCollector, components: readonly ComponentBasics[],
): void {
  const cp = (rest: string) => clusterPath(name, rest);
  // Set, even to a wrong type (its shape problem is reported at the same path).
  const has = (comp: string) => (c as unknown as Record<string, unknown>)[comp] !== undefined;
  const allowed = components.filter((d) => d.roles.includes(c.role)).map((d) => d.name);
  for (const comp of components) {
    if (!has(comp.name)) continue;
    if (!comp.roles.includes(c.role)) issues.add(cp(comp.name), `a ${c.role} cluster does not run the ${comp.name} (it runs ${allowed.join(', ')})`);
    else if (edition === 'open-source' && comp.enterpriseOnly) issues.add(cp(comp.name), `${comp.name} is an enterprise component: the open source edition has no chart for it (set edition: "enterprise")`);
  }
  if (c.role === 'workload' && !has('toolhiveOperator')) issues.add(cp('toolhiveOperator'), 'a workload cluster runs the ToolHive operator');
  if (c.role === 'registry' && !has('registryServer')) issues.add(cp('registryServer'), 'a registry cluster runs a Registry Server');
  if (c.role === 'control' && !has('enterpriseManager') && !has('cloudUi') && !has('registryServer')) issues.add(cp(''), 'a control cluster runs at least one of enterpriseManager, cloudUi, registryServer');
}

type ContextBase = Omit<PlatformContext, 'topology'>;

function resolveTopology(ctx: ContextBase, broken: Broken, issues: IssueCollector, components: readonly ComponentBasics[]): Topology {
  const { clusterNames: names, clusters } = ctx;
  const all = (mapOrUndefined(ctx.spec.clusters) ?? {}) as Record<string, any>;
  const field = (name: string, key: string) => mapOrUndefined(all[name])?.[key];
  const controls = names.filter((n) => clusters.get(n)?.role === 'control');
  if (controls.length > 1) issues.add('clusters', `one control cluster at most, found ${controls.join(', ')}`);
  const emClusters = names.filter((n) => field(n, 'enterpriseManager'));
  if (emClusters.length > 1) issues.add('clusters', `one Enterprise Manager per platform, found it in ${emClusters.join(', ')}`);
  const control = controls[0];
  const emCluster = emClusters[0];

  const registryClusters = new Map<string, { externalUrl?: string }>();
  for (const n of names) if (field(n, 'registryServer')) registryClusters.set(n, { externalUrl: stringOrUndefined(mapOrUndefined(field(n, 'registryServer'))?.externalUrl) });
  const { layering, layeringClusters } = resolveLayering(ctx, registryClusters, broken, issues);
  const soleRegistry = registryClusters.size === 1 ? [...registryClusters.keys()][0] : undefined;
  const aggregator = layering?.aggregatorCluster ?? (control && clusters.get(control)?.registryServer ? control : soleRegistry);
  const { namespace, releaseName } = ctx;
  return {
    control,
    emCluster,
    registryClusters,
    layering,
    layeringClusters,
    aggregator,
    aggregatorUrl: aggregator ? registryClusters.get(aggregator)?.externalUrl : undefined,
    urls: endpointUrls(components, names, field),
    platformNamespaces: [namespace, ...names.map((n) => stringOrUndefined(mapOrUndefined(field(n, 'toolhiveOperator'))?.namespace)).filter((x): x is string => !!x)],
    serviceUrl: {
      registry: ctx.edition === 'enterprise' ? `http://registry-api.${namespace}.svc.cluster.local:8080` : `http://toolhive-registry-server.${namespace}.svc.cluster.local:8080`,
      em: `http://${releaseName}-enterprise-manager.${namespace}.svc.cluster.local`,
    },
  };
}

/** Each endpoint's external URL (but the Registry Server's): the first cluster running its component, in name order. */
function endpointUrls(components: readonly ComponentBasics[], names: readonly string[], field: (name: string, key: string) => unknown) {
  const urls: { [endpoint: string]: string } = {};
  for (const { name, endpoint } of components) {
    if (!endpoint || endpoint.name === 'registryServer') continue;
    const cluster = names.find((n) => field(n, name));
    const url = cluster ? stringOrUndefined(mapOrUndefined(field(cluster, name))?.[endpoint.field]) : undefined;
    if (url !== undefined) urls[endpoint.name] = url;
  }
  return urls;
}

function resolveLayering(ctx: ContextBase, registryClusters: Map<string, { externalUrl?: string }>, broken: Broken, issues: IssueCollector) {
  const o = ctx.spec.registryLayering;
  const layering = o !== undefined && !broken('registryLayering')
    ? planLayering(o, { edition: ctx.edition, registryClusters, clusterNames: [...ctx.clusterNames] }, 'registryLayering', issues)
    : undefined;
  const layered = mapOrUndefined(o);
  const environments = layered?.environments;
  const named = listOrEmpty(environments).map((e) => mapOrUndefined(e)?.cluster);
  if (o !== undefined && (!Array.isArray(environments) || named.some((x) => typeof x !== 'string'))) return { layering, layeringClusters: undefined };
  const aggregator = mapOrUndefined(layered?.aggregator)?.cluster;
  return { layering, layeringClusters: new Set([...named, ...(typeof aggregator === 'string' ? [aggregator] : [])]) };
}
