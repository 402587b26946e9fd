/*
 * A Mermaid flowchart of a platform: its clusters, the components each runs, the external
 * URLs linking them, and the registry promotion flow. Planned first, so an invalid platform
 * gets the usual validation error and the diagram only shows what would be deployed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ToolhiveValidationError } from '../errors';
import { RbacScope } from '../operator/rbac-scope';
import { operatorVersionOf } from '../platform/cluster';
import { planPlatform } from '../platform/plan';
import { PlatformClusterSpec, PlatformSpec } from '../platform/spec';
import { TOOLHIVE_VERSION } from '../versions';

/** Options of {@link platformDiagram}. */
export interface PlatformDiagramOptions {
  /**
   * Flow direction: `LR` (left to right) or `TB` (top to bottom).
   * @default "LR"
   */
  readonly direction?: 'LR' | 'TB';
}

/** Mermaid text must not break out of a quoted label. */
function label(...lines: (string | undefined)[]): string {
  return `"${lines.filter((l): l is string => !!l).map((l) => l.replace(/[&<>"#]/g, (c) => `#${c.charCodeAt(0)};`)).join('<br/>')}"`;
}

function nodeId(cluster: string, component: string): string {
  return `${cluster.replace(/[^A-Za-z0-9]/g, '_')}__${component}`;
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
 * the Enterprise Manager), and the registry promotion flow between environments.
 * Deterministic. Throws the platform's validation error when `spec` is invalid.
 */
export function platformDiagram(spec: PlatformSpec, options: PlatformDiagramOptions = {}): string {
  const plan = planPlatform(spec);
  if (options.direction !== undefined && options.direction !== 'LR' && options.direction !== 'TB') {
    throw new ToolhiveValidationError([{ path: 'direction', message: `expected "LR" or "TB", got ${JSON.stringify(options.direction)}` }], 'platform diagram options');
  }
  const layering = spec.registryLayering;
  const envs = layering?.environments ?? [];
  const envOf = new Map(envs.map((e) => [e.cluster, e.name]));
  // The instance that serves every environment's registry: the dedicated aggregator, else the highest environment's.
  const promotedFrom = new Set(envs.map((e) => e.promotesFrom));
  const aggregator = layering?.aggregator?.cluster ?? envs.find((e) => !promotedFrom.has(e.name))?.cluster;
  const lines = [`flowchart ${options.direction ?? 'LR'}`];
  const urlOwner = new Map<string, string>();
  for (const cluster of plan.clusters) {
    const c = spec.clusters[cluster.cluster];
    lines.push(`  subgraph ${cluster.cluster.replace(/[^A-Za-z0-9]/g, '_')}[${label(cluster.cluster, `${cluster.role} cluster`)}]`);
    // Each cluster's release (open source edition; the umbrella pins the enterprise edition's).
    const release = plan.edition === 'open-source' ? operatorVersionOf({ spec, clusters: new Map(Object.entries(spec.clusters)) }, cluster.cluster) ?? TOOLHIVE_VERSION : undefined;
    const aggregated = cluster.cluster === aggregator ? envs.map((e) => e.name) : undefined;
    for (const [id, text] of components(cluster.cluster, c, release, envOf.get(cluster.cluster), aggregated)) lines.push(`    ${id}[${text}]`);
    lines.push('  end');
    if (c.registryServer?.externalUrl) urlOwner.set(c.registryServer.externalUrl, nodeId(cluster.cluster, 'registry'));
    if (c.enterpriseManager?.resourceUrl) urlOwner.set(c.enterpriseManager.resourceUrl, nodeId(cluster.cluster, 'manager'));
  }
  // What each cluster is told of the shared services, through their external URLs.
  for (const cluster of plan.clusters) {
    const from = spec.clusters[cluster.cluster].toolhiveOperator ? nodeId(cluster.cluster, 'operator') : undefined;
    if (!from) continue;
    for (const [what, url] of [['registry', cluster.endpoints.registryServer], ['Enterprise Manager', cluster.endpoints.enterpriseManager]] as const) {
      const to = url ? urlOwner.get(url) : undefined;
      if (url && to) lines.push(`  ${from} -. ${label(`${what}: ${url}`)} .-> ${to}`);
    }
  }
  // Promotion: lower environments up to the one that aggregates.
  if (layering) {
    const promotion = layering.promotion ?? (spec.edition === 'enterprise' ? 'api' : 'git');
    const byName = new Map(layering.environments.map((e) => [e.name, e]));
    if (promotion === 'git' && layering.catalog) {
      lines.push(`  catalog[(${label('catalog', layering.catalog.repository, layering.catalog.path)})]`);
      for (const e of [...layering.environments].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        lines.push(`  catalog -- ${label(`entries tagged env:${e.name}`)} --> ${nodeId(e.cluster, 'registry')}`);
      }
    }
    for (const e of [...layering.environments].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const lower = e.promotesFrom ? byName.get(e.promotesFrom) : undefined;
      if (lower) lines.push(`  ${nodeId(lower.cluster, 'registry')} == ${label(`promotes to ${e.name} (${promotion})`)} ==> ${nodeId(e.cluster, 'registry')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

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
