/*
 * A Mermaid flowchart of a platform's plan: its clusters, the components each runs, the external
 * URLs linking them, and the registry promotion flow. It only reads the plan (a valid platform's),
 * so the diagram shows what would be deployed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { joinPath, ToolhiveValidationError } from '../errors';
import { PlatformClusterPlan, PlatformComponentFacts, PlatformPlan } from '../platform/model';
import { describe } from '../rules/describe';
import { assertShape, checkShape, S, Shape } from '../rules/shape';
import { isPlainObject } from '../util';

/** Options of {@link platformPlanDiagram} and `platformDiagram`. */
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

const CLUSTER_FACTS: Shape = S.object({
  cluster: S.string(),
  role: S.string(),
  endpoints: S.map(S.string()),
  components: S.list(S.object({
    name: S.string(),
    node: S.string(),
    label: S.list(S.string()),
    endpoint: S.object({ name: S.string(), url: S.string(), link: S.string() }, 'an endpoint { name, url, link }', ['name', 'url']),
  }, 'a component { name, node, label, endpoint }', ['name', 'node', 'label'])),
}, 'a cluster\'s plan { cluster, role, endpoints, components, ... }', ['cluster', 'role', 'endpoints', 'components']);

const LAYERING_FACTS: Shape = S.object({
  promotion: S.string(['api', 'git']),
  environments: S.list(S.object({ name: S.string(), cluster: S.string(), promotesFrom: S.string() }, 'an environment { name, cluster, promotesFrom }', ['name', 'cluster'])),
  catalog: S.object({ repository: S.string(), path: S.string() }, 'a catalog { repository, path }', ['repository']),
}, 'the registry layering { promotion, environments, catalog }', ['promotion', 'environments']);

/** What the diagram reads of a {@link PlatformPlan} (its other facts are not read, so not checked). */
const PLATFORM_PLAN_FACTS: Shape = S.custom((v, at, issues) => {
  if (!isPlainObject(v)) {
    issues.add(at || '(root)', `expected a PlatformPlan (from planPlatform), got ${describe(v)}`);
    return;
  }
  if (!Array.isArray(v.clusters)) {
    issues.add(joinPath(at, 'clusters'), `expected a list of cluster plans, got ${describe(v.clusters)}`);
  } else {
    v.clusters.forEach((c: unknown, i: number) => {
      const read = isPlainObject(c) ? { cluster: c.cluster, role: c.role, endpoints: c.endpoints, components: c.components } : c;
      checkShape(read, CLUSTER_FACTS, joinPath(at, `clusters[${i}]`), issues);
    });
  }
  checkShape(v.registryLayering, LAYERING_FACTS, joinPath(at, 'registryLayering'), issues);
});

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

/** Each component's node id and label, from the plan. */
function components(cluster: string, facts: readonly PlatformComponentFacts[]): [string, string][] {
  return facts.map((c) => [nodeId(cluster, c.node), label(...c.label)]);
}

/**
 * A Mermaid flowchart of a platform's `plan`: one subgraph per cluster (sorted by name) with its
 * components, dotted links for the external URLs a cluster is given (the Registry Server, the
 * Enterprise Manager), and the registry promotion flow between environments. Above
 * `maxTextSize`, alike workload clusters are drawn as one node with their count. Deterministic.
 */
export function platformPlanDiagram(plan: PlatformPlan, options: PlatformDiagramOptions = {}): string {
  assertShape(plan, PLATFORM_PLAN_FACTS, '', 'platform plan');
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
  const full = drawPlatform(plan, options.direction ?? 'LR', false);
  return full.length <= (options.maxTextSize ?? MERMAID_MAX_TEXT_SIZE) ? full : drawPlatform(plan, options.direction ?? 'LR', true);
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

function drawPlatform(plan: PlatformPlan, direction: 'LR' | 'TB', collapse: boolean): string {
  const units: Unit[] = [];
  const groups = new Map<string, { names: string[]; cluster: PlatformClusterPlan; operator: PlatformComponentFacts }>();
  // Who provides each external URL, and the text of a link to it.
  const urlOwner = new Map<string, { endpoint: string; node: string; link: string }>();
  for (const cluster of plan.clusters) {
    const operator = cluster.components.find((c) => c.name === OPERATOR);
    const onlyOperator = cluster.role === 'workload' && !!operator && cluster.components.length === 1;
    if (collapse && onlyOperator) {
      // Alike: what the node shows and links to.
      const key = JSON.stringify([operator.label, cluster.endpoints.registryServer ?? '', cluster.endpoints.enterpriseManager ?? '']);
      const group = groups.get(key);
      if (group) group.names.push(cluster.cluster);
      else groups.set(key, { names: [cluster.cluster], cluster, operator });
      continue;
    }
    units.push({
      id: clusterId(cluster.cluster),
      title: cluster.cluster,
      subtitle: `${cluster.role} cluster`,
      nodes: components(cluster.cluster, cluster.components),
      operator: operator ? nodeId(cluster.cluster, operator.node) : undefined,
      endpoints: cluster.endpoints,
    });
    for (const c of cluster.components) {
      if (c.endpoint?.link) urlOwner.set(c.endpoint.url, { endpoint: c.endpoint.name, node: nodeId(cluster.cluster, c.node), link: c.endpoint.link });
    }
  }
  // Collapsed groups, numbered in the order of their first cluster's name (the clusters are sorted).
  [...groups.values()].forEach((g, i) => {
    if (g.names.length === 1) {
      const name = g.names[0];
      units.push({
        id: clusterId(name),
        title: name,
        subtitle: 'workload cluster',
        operator: nodeId(name, g.operator.node),
        endpoints: g.cluster.endpoints,
        nodes: components(name, g.cluster.components),
      });
      return;
    }
    const id = `grp_${i + 1}`;
    const shown = g.names.length <= 3 ? g.names.join(', ') : `${g.names.slice(0, 2).join(', ')}, ..., ${g.names[g.names.length - 1]}`;
    units.push({
      id,
      title: `${g.names.length} workload clusters`,
      subtitle: shown,
      operator: `${id}__${g.operator.node}`,
      endpoints: g.cluster.endpoints,
      nodes: [[`${id}__${g.operator.node}`, label(...g.operator.label, `x${g.names.length}`)]],
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
    for (const [endpoint, url] of Object.entries(u.endpoints)) {
      const to = typeof url === 'string' ? urlOwner.get(url) : undefined;
      if (to && to.endpoint === endpoint) lines.push(`  ${u.operator} -. ${label(`${to.link}: ${url}`)} .-> ${to.node}`);
    }
  }
  // Promotion: lower environments up to the one that aggregates.
  const layering = plan.registryLayering;
  if (layering) {
    const promotion = layering.promotion;
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

/** The component whose node links to the shared services a cluster is given (its endpoints). */
const OPERATOR = 'toolhiveOperator';

/** Why `file` cannot be the diagram's markdown file: one validation error. @internal */
export function assertDiagramFile(file: unknown): void {
  if (typeof file !== 'string' || file.trim() === '') throw new ToolhiveValidationError([{ path: 'file', message: 'expected the path of the markdown file' }], 'platform diagram');
}

/**
 * Writes {@link platformPlanDiagram} as a markdown file (a heading and a fenced `mermaid` block,
 * which GitHub and most markdown viewers draw).
 */
export function writePlatformPlanDiagram(plan: PlatformPlan, file: string, title = 'ToolHive platform', options: PlatformDiagramOptions = {}): string {
  assertDiagramFile(file);
  const markdown = `# ${title}\n\n\`\`\`mermaid\n${platformPlanDiagram(plan, options)}\`\`\`\n`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, markdown);
  return markdown;
}
