/*
 * A Mermaid flowchart of a platform: its clusters, the components each runs, the external
 * URLs linking them, and the registry promotion flow. Planned first, so an invalid platform
 * gets the usual validation error and the diagram only shows what would be deployed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ToolhiveValidationError } from '../errors';
import { RbacScope } from '../k8s/rbac-scope';
import { operatorVersionOf } from '../platform/cluster';
import { planPlatform, PlatformPlan } from '../platform/plan';
import { PlatformClusterSpec, PlatformSpec } from '../platform/spec';
import { TOOLHIVE_VERSION } from '../versions';

/** Options of {@link platformDiagram}. */
export interface PlatformDiagramOptions {
  /**
   * Flow direction: `LR` (left to right) or `TB` (top to bottom).
   * @default "LR"
   */
  readonly direction?: 'LR' | 'TB';
  /**
   * The largest text to emit, in characters: above it, workload clusters that run only the
   * operator, with the same release, RBAC scope and endpoints, are drawn as one node with their
   * count. Mermaid refuses to render a diagram longer than its `maxTextSize`.
   * @default 50000 (Mermaid's default maxTextSize)
   */
  readonly maxTextSize?: number;
}

/** Mermaid's default `maxTextSize`: it renders no longer diagram. */
export const MERMAID_MAX_TEXT_SIZE = 50_000;

/** Mermaid text must not break out of a quoted label. */
function label(...lines: (string | undefined)[]): string {
  return `"${lines.filter((l): l is string => !!l).map((l) => l.replace(/[&<>"#]/g, (c) => `#${c.charCodeAt(0)};`)).join('<br/>')}"`;
}

/**
 * A cluster's Mermaid id: `cl_` and its name with `-` as `_`. Cluster names are DNS labels
 * (`a-z`, `0-9`, `-`), so this is one-to-one, never a Mermaid keyword (`default`, `end`,
 * `interpolate`, ...), and never a fixed node's id (`promotion_catalog`, the `grp_` groups).
 */
function clusterId(cluster: string): string {
  return `cl_${cluster.replace(/-/g, '_')}`;
}

function nodeId(cluster: string, component: string): string {
  return `${clusterId(cluster)}__${component}`;
}

function rbacText(rbac: unknown): string {
  if (rbac instanceof RbacScope && rbac.scope === 'namespace') return `namespaces: ${rbac.allowedNamespaces.join(', ')}`;
  return 'cluster-wide';
}

/** Each component a cluster runs: its node id and label lines. */
function components(name: string, c: PlatformClusterSpec, release: string | undefined, env?: string, aggregates?: string[]): [string, string][] {
  const out: [string, string][] = [];
  if (c.toolhiveOperator) out.push([nodeId(name, 'operator'), label(`ToolHive operator${release ? ` ${release}` : ''}`, rbacText(c.toolhiveOperator.rbac))]);
  if (c.registryServer) {
    out.push([nodeId(name, 'registry'), label('Registry Server', env ? `environment: ${env}` : undefined,
      aggregates ? `aggregates: ${aggregates.join(', ')}` : undefined, c.registryServer.externalUrl)]);
  }
  if (c.enterpriseManager) out.push([nodeId(name, 'manager'), label('Enterprise Manager', c.enterpriseManager.resourceUrl)]);
  if (c.cloudUi) out.push([nodeId(name, 'ui'), label('Cloud UI', c.cloudUi.url)]);
  if (c.aiGateway) out.push([nodeId(name, 'gateway'), label('AI Gateway')]);
  return out;
}

/**
 * A Mermaid flowchart of `spec`: one subgraph per cluster (sorted by name) with its
 * components, dotted links for the external URLs a cluster is given (the Registry Server,
 * the Enterprise Manager), and the registry promotion flow between environments. Above
 * `maxTextSize`, alike workload clusters are drawn as one node with their count.
 * Deterministic. Throws the platform's validation error when `spec` is invalid.
 */
export function platformDiagram(spec: PlatformSpec, options: PlatformDiagramOptions = {}): string {
  const plan = planPlatform(spec);
  const issues: { path: string; message: string }[] = [];
  if (options === null || typeof options !== 'object') {
    throw new ToolhiveValidationError([{ path: 'options', message: 'expected { direction, maxTextSize }' }], 'platform diagram options');
  }
  if (options.direction !== undefined && options.direction !== 'LR' && options.direction !== 'TB') {
    issues.push({ path: 'direction', message: `expected "LR" or "TB", got ${JSON.stringify(options.direction)}` });
  }
  if (options.maxTextSize !== undefined && !(Number.isInteger(options.maxTextSize) && options.maxTextSize > 0)) {
    issues.push({ path: 'maxTextSize', message: `expected a positive whole number of characters, got ${JSON.stringify(options.maxTextSize)}` });
  }
  if (issues.length > 0) throw new ToolhiveValidationError(issues, 'platform diagram options');
  const full = drawPlatform(spec, plan, options.direction ?? 'LR', false);
  return full.length <= (options.maxTextSize ?? MERMAID_MAX_TEXT_SIZE) ? full : drawPlatform(spec, plan, options.direction ?? 'LR', true);
}

/** One subgraph: a cluster, or (collapsed) alike workload clusters. */
interface Unit {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly nodes: [string, string][];
  /** The operator's node, and the endpoints its cluster is given. */
  readonly operator?: string;
  readonly endpoints: PlatformPlan['clusters'][number]['endpoints'];
}

function drawPlatform(spec: PlatformSpec, plan: PlatformPlan, direction: 'LR' | 'TB', collapse: boolean): string {
  const layering = spec.registryLayering;
  const envs = layering?.environments ?? [];
  const envOf = new Map(envs.map((e) => [e.cluster, e.name]));
  // The instance that serves every environment's registry: the dedicated aggregator, else the highest environment's.
  const promotedFrom = new Set(envs.map((e) => e.promotesFrom));
  const aggregator = layering?.aggregator?.cluster ?? envs.find((e) => !promotedFrom.has(e.name))?.cluster;
  const releaseOf = (cluster: string) => (plan.edition === 'open-source'
    ? operatorVersionOf({ spec, clusters: new Map(Object.entries(spec.clusters)) }, cluster) ?? TOOLHIVE_VERSION : undefined);
  const units: Unit[] = [];
  const groups = new Map<string, { names: string[]; cluster: PlatformPlan['clusters'][number] }>();
  const urlOwner = new Map<string, string>();
  for (const cluster of plan.clusters) {
    const c = spec.clusters[cluster.cluster];
    const release = releaseOf(cluster.cluster);
    const onlyOperator = cluster.role === 'workload' && !!c.toolhiveOperator && !c.registryServer && !c.enterpriseManager && !c.cloudUi && !c.aiGateway;
    if (collapse && onlyOperator) {
      // Alike: what the node shows and links to.
      const key = JSON.stringify([release, rbacText(c.toolhiveOperator!.rbac), cluster.endpoints.registryServer ?? '', cluster.endpoints.enterpriseManager ?? '']);
      const group = groups.get(key);
      if (group) group.names.push(cluster.cluster);
      else groups.set(key, { names: [cluster.cluster], cluster });
      continue;
    }
    const aggregated = cluster.cluster === aggregator ? envs.map((e) => e.name) : undefined;
    const nodes = components(cluster.cluster, c, release, envOf.get(cluster.cluster), aggregated);
    units.push({
      id: clusterId(cluster.cluster),
      title: cluster.cluster,
      subtitle: `${cluster.role} cluster`,
      nodes,
      operator: c.toolhiveOperator ? nodeId(cluster.cluster, 'operator') : undefined,
      endpoints: cluster.endpoints,
    });
    if (c.registryServer?.externalUrl) urlOwner.set(c.registryServer.externalUrl, nodeId(cluster.cluster, 'registry'));
    if (c.enterpriseManager?.resourceUrl) urlOwner.set(c.enterpriseManager.resourceUrl, nodeId(cluster.cluster, 'manager'));
  }
  // Collapsed groups, numbered in the order of their first cluster's name (the clusters are sorted).
  [...groups.values()].forEach((g, i) => {
    if (g.names.length === 1) {
      const name = g.names[0];
      units.push({
        id: clusterId(name),
        title: name,
        subtitle: 'workload cluster',
        operator: nodeId(name, 'operator'),
        endpoints: g.cluster.endpoints,
        nodes: components(name, spec.clusters[name], releaseOf(name)),
      });
      return;
    }
    const id = `grp_${i + 1}`;
    const c = spec.clusters[g.names[0]];
    const shown = g.names.length <= 3 ? g.names.join(', ') : `${g.names.slice(0, 2).join(', ')}, ..., ${g.names[g.names.length - 1]}`;
    units.push({
      id,
      title: `${g.names.length} workload clusters`,
      subtitle: shown,
      operator: `${id}__operator`,
      endpoints: g.cluster.endpoints,
      nodes: [[`${id}__operator`, label(`ToolHive operator ${releaseOf(g.names[0])}`, rbacText(c.toolhiveOperator!.rbac), `x${g.names.length}`)]],
    });
  });
  units.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const lines = [`flowchart ${direction}`];
  for (const u of units) {
    lines.push(`  subgraph ${u.id}[${label(u.title, u.subtitle)}]`);
    for (const [id, text] of u.nodes) lines.push(`    ${id}[${text}]`);
    lines.push('  end');
  }
  // What each cluster is told of the shared services, through their external URLs.
  for (const u of units) {
    if (!u.operator) continue;
    for (const [what, url] of [['registry', u.endpoints.registryServer], ['Enterprise Manager', u.endpoints.enterpriseManager]] as const) {
      const to = url ? urlOwner.get(url) : undefined;
      if (url && to) lines.push(`  ${u.operator} -. ${label(`${what}: ${url}`)} .-> ${to}`);
    }
  }
  // Promotion: lower environments up to the one that aggregates.
  if (layering) {
    const promotion = layering.promotion ?? (spec.edition === 'enterprise' ? 'api' : 'git');
    const byName = new Map(layering.environments.map((e) => [e.name, e]));
    if (promotion === 'git' && layering.catalog) {
      lines.push(`  ${CATALOG_ID}[(${label('catalog', layering.catalog.repository, layering.catalog.path)})]`);
      for (const e of [...layering.environments].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        lines.push(`  ${CATALOG_ID} -- ${label(`entries tagged env:${e.name}`)} --> ${nodeId(e.cluster, 'registry')}`);
      }
    }
    for (const e of [...layering.environments].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const lower = e.promotesFrom ? byName.get(e.promotesFrom) : undefined;
      if (lower) lines.push(`  ${nodeId(lower.cluster, 'registry')} == ${label(`promotes to ${e.name} (${promotion})`)} ==> ${nodeId(e.cluster, 'registry')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The promotion catalog's node (no cluster id starts with `promotion_`). */
const CATALOG_ID = 'promotion_catalog';

/**
 * Writes {@link platformDiagram} as a markdown file (a heading and a fenced `mermaid` block,
 * which GitHub and most markdown viewers draw). Nothing is written when `spec` is invalid.
 */
export function writePlatformDiagram(spec: PlatformSpec, file: string, title = 'ToolHive platform', options: PlatformDiagramOptions = {}): string {
  if (typeof file !== 'string' || file.trim() === '') throw new ToolhiveValidationError([{ path: 'file', message: 'expected the path of the markdown file' }], 'platform diagram');
  const markdown = `# ${title}\n\n\`\`\`mermaid\n${platformDiagram(spec, options)}\`\`\`\n`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, markdown);
  return markdown;
}
