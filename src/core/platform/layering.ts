import { IssueCollector } from '../errors';
import { clusterPath } from './support';
import { Claims, RegistryConfig, RegistrySourceConfig } from '../registry/config';
import { dns1123LabelProblem } from '../rules/names';
import { hostAndPortOf } from '../rules/urls';

/**
 * How entries travel from one environment's catalog to the next.
 * - `api`: the aggregating Registry Server mirrors each lower environment's registry through an
 *   `api` source at that environment's external URL (the topology Stacklok documents; the
 *   upstream registries are made readable without credentials, since `api` sources send none).
 * - `git`: one catalog file on one branch of a Git repository; each entry is tagged with the
 *   environments it is promoted to (`env:<environment>`), every instance reads the catalog
 *   with a tag filter per environment it serves, and promotion is adding a tag in a commit.
 */
export type PromotionPath = 'api' | 'git';

/** One environment of a layered registry topology. */
export interface RegistryEnvironmentOptions {
  /** Environment name, also the name of its registry (`/registry/<name>`), a DNS label. */
  readonly name: string;
  /** The cluster whose Registry Server serves this environment. */
  readonly cluster: string;
  /** The environment entries are promoted from (the one below). @default - none (the lowest) */
  readonly promotesFrom?: string;
  /** Who may read this environment's registry (JWT claims). */
  readonly claims: Claims;
  /** Who may publish into this environment's managed source (`api` promotion). @default - the readers' claims */
  readonly publishers?: Claims;

}

/** Registry Servers per environment, with promotion from one to the next. */
export interface RegistryLayeringOptions {
  /** The environments, e.g. development, staging, production. */
  readonly environments: RegistryEnvironmentOptions[];
  /** How entries travel from one environment to the next. @default - "api" in the enterprise edition, "git" in the open source edition */
  readonly promotion?: PromotionPath;
  /**
   * A dedicated aggregating instance (the cluster running it). The Cloud UI points at the
   * aggregator.
   * @default - the highest environment's instance aggregates
   */
  readonly aggregator?: {
    /** The cluster running the aggregating instance. */
    readonly cluster: string;
  };
  /** Sync interval of the generated `api`/`git` sources (Go duration). @default "10m" */
  readonly syncInterval?: string;
  /** The catalog (required for `git` promotion). @default - none */
  readonly catalog?: GitCatalogOptions;
}

/** The Git catalog of `git` promotion: one file, one branch, entries tagged per environment. */
export interface GitCatalogOptions {
  /** Repository URL. */
  readonly repository: string;
  /** The registry file in the repository. @default "registry.json" */
  readonly path?: string;
  /** The branch holding the catalog. @default "main" */
  readonly branch?: string;
  /** Prefix of the environment tags on entries (`<prefix><environment>`). @default "env:" */
  readonly tagPrefix?: string;
}

/** What layering adds to one cluster's Registry Server config. @internal */
export interface LayeringContribution {
  readonly sources: RegistrySourceConfig[];
  readonly registries: RegistryConfig[];
  /** Registries whose consumer paths must be readable without credentials. */
  readonly publicRegistries: string[];
}

/** The resolved topology. @internal */
export interface LayeringPlan {
  readonly promotion: PromotionPath;
  readonly aggregatorCluster: string;
  /** The highest environment. */
  readonly top: string;
  /** Per cluster, what its Registry Server config gains. */
  readonly byCluster: Map<string, LayeringContribution>;
}

/** Facts about the platform the layering needs. @internal */
export interface LayeringContext {
  readonly edition: 'enterprise' | 'open-source';
  /** Clusters that run a Registry Server, with its external URL (if any). */
  readonly registryClusters: Map<string, { externalUrl?: string }>;
  readonly clusterNames: string[];
}

/**
 * Resolves the layered topology into per-cluster config additions, recording every problem
 * under `path`. Returns undefined when the topology is invalid. The options' shape
 * (platform/shape.ts) was checked.
 * @internal
 */
export function planLayering(o: RegistryLayeringOptions, ctx: LayeringContext, path: string, issues: IssueCollector): LayeringPlan | undefined {
  const start = issues.issues.length;
  const p = (rest: string) => `${path}.${rest}`;
  const envs = Array.isArray(o?.environments) ? o.environments : [];
  if (envs.length === 0) issues.add(p('environments'), 'at least one environment is required');
  const promotion: PromotionPath = o?.promotion ?? (ctx.edition === 'enterprise' ? 'api' : 'git');
  if (promotion === 'api' && ctx.edition === 'open-source') {
    issues.add(p('promotion'), '"api" promotion does not work with the open source Registry Server 1.5.1: an api source first '
      + 'probes <endpoint>/openapi.yaml, which a Registry Server does not serve (it publishes /openapi.json), so every sync '
      + 'from another Registry Server fails; use promotion "git" (one catalog file, entries tagged per environment)');
  }
  const byName = checkEnvironments(envs, ctx, p, issues);
  const tops = checkPromotionChain(envs, byName, p, issues, issues.issues.length === start);
  const aggregatorCluster = o?.aggregator?.cluster ?? tops[0]?.cluster;
  if (o?.aggregator) {
    if (!ctx.clusterNames.includes(o.aggregator.cluster)) issues.add(p('aggregator.cluster'), `no cluster is named ${JSON.stringify(o.aggregator.cluster)}`);
    else if (!ctx.registryClusters.has(o.aggregator.cluster)) issues.add(p('aggregator.cluster'), `cluster ${JSON.stringify(o.aggregator.cluster)} runs no Registry Server`);
  }
  if (promotion === 'git' && !o?.catalog?.repository) {
    issues.add(p('catalog.repository'), 'required for "git" promotion: the repository of the catalog file whose entries are tagged per environment');
  }
  if (issues.issues.length > start || !aggregatorCluster) return undefined;

  const ranked = rankEnvironments(tops[0], byName);
  const byCluster = contributions(o, ctx, { promotion, aggregatorCluster, ranked, interval: o?.syncInterval ?? '10m' }, issues);
  if (issues.issues.length > start) return undefined;
  return { promotion, aggregatorCluster, top: tops[0].name, byCluster };
}

/** Each environment's own problems; the valid ones by name. */
function checkEnvironments(
  envs: readonly RegistryEnvironmentOptions[], ctx: LayeringContext, p: (rest: string) => string, issues: IssueCollector,
): Map<string, RegistryEnvironmentOptions> {
  const byName = new Map<string, RegistryEnvironmentOptions>();
  envs.forEach((e, i) => {
    const ep = (rest: string) => p(`environments[${i}].${rest}`);
    const problem = e?.name === undefined ? undefined : dns1123LabelProblem(e.name);
    if (e?.name === undefined) issues.add(ep('name'), 'required: the environment\'s name, a DNS label (also the name of its registry)');
    else if (problem) issues.add(ep('name'), `${JSON.stringify(e.name)} is not a valid environment name (${problem})`);
    else if (byName.has(e.name)) issues.add(ep('name'), `${JSON.stringify(e.name)} is used by another environment`);
    else byName.set(e.name, e);
    if (e?.cluster === undefined) {
      issues.add(ep('cluster'), `required: the cluster whose Registry Server serves this environment; clusters: ${ctx.clusterNames.join(', ') || 'none'}`);
    } else if (!ctx.clusterNames.includes(e.cluster)) {
      issues.add(ep('cluster'), `no cluster is named ${JSON.stringify(e.cluster)}; clusters: ${ctx.clusterNames.join(', ') || 'none'}`);
    } else if (!ctx.registryClusters.has(e.cluster)) {
      issues.add(ep('cluster'), `cluster ${JSON.stringify(e.cluster)} runs no Registry Server; give it a registryServer`);
    }
    if (!e || !e.claims || Object.keys(e.claims).length === 0) {
      issues.add(ep('claims'), 'required: the claims of the users who may read this environment\'s registry (an unclaimed registry is visible to super-admins only)');
    }
    if ((e as any)?.gitRef !== undefined) {
      issues.add(ep('gitRef'), 'a Git ref per environment does not work with Registry Server 1.5.1: its sync coordinator examines one source per '
        + 'poll, the one that has waited longest, and keeps examining it while it is unchanged, so an instance serving several environments '
        + 'never syncs the promotions to the other refs; keep all environments in one catalog file and tag each entry (catalog.tagPrefix)');
    }
  });
  envs.forEach((e, i) => {
    if (e?.promotesFrom !== undefined && !byName.has(e.promotesFrom)) {
      issues.add(p(`environments[${i}].promotesFrom`), `no environment is named ${JSON.stringify(e.promotesFrom)}`);
    }
    if (e?.promotesFrom === e?.name) issues.add(p(`environments[${i}].promotesFrom`), 'an environment cannot promote from itself');
  });
  return byName;
}

/** Promotion cycles, and the highest environment (exactly one, when nothing else is wrong). */
function checkPromotionChain(
  envs: readonly RegistryEnvironmentOptions[], byName: Map<string, RegistryEnvironmentOptions>,
  p: (rest: string) => string, issues: IssueCollector, clean: boolean,
): RegistryEnvironmentOptions[] {
  const start = issues.issues.length;
  for (const e of byName.values()) {
    const seen = new Set<string>([e.name]);
    let cur = e.promotesFrom ? byName.get(e.promotesFrom) : undefined;
    while (cur) {
      if (seen.has(cur.name)) {
        if (cur.name === e.name) issues.add(p(`environments[${envs.indexOf(e)}].promotesFrom`), `promotion cycle: ${[...seen, e.name].join(' <- ')}`);
        break;
      }
      seen.add(cur.name);
      cur = cur.promotesFrom ? byName.get(cur.promotesFrom) : undefined;
    }
  }
  const promotedInto = new Set([...byName.values()].map((e) => e.promotesFrom).filter((x): x is string => !!x));
  const tops = [...byName.values()].filter((e) => !promotedInto.has(e.name));
  if (byName.size > 0 && tops.length !== 1 && clean && issues.issues.length === start) {
    issues.add(p('environments'), `expected exactly one highest environment (one that no other promotes from), found ${tops.length === 0 ? 'none' : tops.map((t) => t.name).join(', ')}`);
  }
  return tops;
}

/** Environments ordered from the highest down (the aggregator lists the highest first), then any others by name. */
function rankEnvironments(top: RegistryEnvironmentOptions, byName: Map<string, RegistryEnvironmentOptions>): RegistryEnvironmentOptions[] {
  const ranked: RegistryEnvironmentOptions[] = [];
  for (let cur: RegistryEnvironmentOptions | undefined = top; cur; cur = cur.promotesFrom ? byName.get(cur.promotesFrom) : undefined) {
    ranked.push(cur);
  }
  for (const e of [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) if (!ranked.includes(e)) ranked.push(e);
  return ranked;
}

interface Resolved {
  readonly promotion: PromotionPath;
  readonly aggregatorCluster: string;
  readonly ranked: readonly RegistryEnvironmentOptions[];
  readonly interval: string;
}

/** What each cluster's Registry Server config gains. */
function contributions(o: RegistryLayeringOptions, ctx: LayeringContext, r: Resolved, issues: IssueCollector): Map<string, LayeringContribution> {
  const { promotion, aggregatorCluster, ranked, interval } = r;
  const byCluster = new Map<string, LayeringContribution>();
  const contribution = (cluster: string) => {
    if (!byCluster.has(cluster)) byCluster.set(cluster, { sources: [], registries: [], publicRegistries: [] });
    return byCluster.get(cluster)!;
  };
  // Every source reads the same file of the same branch, so any commit changes every source's
  // data and each is synced again; a tag filter keeps each environment's entries.
  const gitSource = (e: RegistryEnvironmentOptions): RegistrySourceConfig => ({
    name: `${e.name}-catalog`,
    git: {
      repository: o.catalog!.repository,
      branch: o.catalog!.branch ?? 'main',
      path: o.catalog!.path ?? 'registry.json',
    },
    syncPolicy: { interval },
    filter: { tags: { include: [`${o.catalog!.tagPrefix ?? 'env:'}${e.name}`] } },
    claims: e.claims,
  });

  for (const e of ranked) {
    const c = contribution(e.cluster);
    c.sources.push(promotion === 'api' ? { name: `${e.name}-catalog`, managed: {}, claims: e.publishers ?? e.claims } : gitSource(e));
    c.registries.push({ name: e.name, sources: [`${e.name}-catalog`], claims: e.claims });
  }
  const agg = contribution(aggregatorCluster);
  for (const e of ranked) {
    if (e.cluster === aggregatorCluster) continue;
    if (promotion === 'git') {
      agg.sources.push(gitSource(e));
      agg.registries.push({ name: e.name, sources: [`${e.name}-catalog`], claims: e.claims });
      continue;
    }
    const url = ctx.registryClusters.get(e.cluster)?.externalUrl;
    if (!url) {
      issues.add(clusterPath(e.cluster, 'registryServer.externalUrl'), `required: the aggregating Registry Server in cluster ${JSON.stringify(aggregatorCluster)} reads environment ${JSON.stringify(e.name)} across clusters, through its external (ingress) URL`);
      continue;
    }
    // An external URL that is not a URL is reported by the Registry Server's own checks.
    const host = hostAndPortOf(url);
    if (host === undefined) continue;
    if (host === hostAndPortOf(ctx.registryClusters.get(aggregatorCluster)?.externalUrl)) {
      issues.add(clusterPath(e.cluster, 'registryServer.externalUrl'), `the api source for environment ${JSON.stringify(e.name)} would point at the aggregating instance itself (${url})`);
      continue;
    }
    agg.sources.push({ name: `${e.name}-upstream`, api: { endpoint: `${url.replace(/\/+$/, '')}/registry/${e.name}` }, syncPolicy: { interval }, claims: e.claims });
    agg.registries.push({ name: e.name, sources: [`${e.name}-upstream`], claims: e.claims });
    contribution(e.cluster).publicRegistries.push(e.name);
  }
  // The aggregator lists registries highest first (the Cloud UI selects the first by default).
  const rank = (name: string) => ranked.findIndex((e) => e.name === name);
  agg.registries.sort((a, b) => rank(a.name) - rank(b.name));
  agg.sources.sort((a, b) => rank(a.name.replace(/-(catalog|upstream)$/, '')) - rank(b.name.replace(/-(catalog|upstream)$/, '')));
  return byCluster;
}
