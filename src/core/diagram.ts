/*
 * A platform's diagram from its spec: planned first (an invalid platform gets the usual
 * validation error, and the diagram shows what would be deployed), then drawn from the plan by
 * the output module, which only reads plans.
 */
import { assertDiagramFile, platformPlanDiagram, PlatformDiagramOptions, writePlatformPlanDiagram } from './output/mermaid';
import { planPlatform } from './platform/plan';
import { PlatformSpec } from './platform/spec';

/**
 * A Mermaid flowchart of `spec` ({@link platformPlanDiagram} of its plan): one subgraph per
 * cluster (sorted by name) with its components, dotted links for the external URLs a cluster is
 * given (the Registry Server, the Enterprise Manager), and the registry promotion flow between
 * environments. Above `maxTextSize`, alike workload clusters are drawn as one node with their
 * count. Deterministic. Throws the platform's validation error when `spec` is invalid.
 */
export function platformDiagram(spec: PlatformSpec, options: PlatformDiagramOptions = {}): string {
  return platformPlanDiagram(planPlatform(spec), options);
}

/**
 * Writes {@link platformDiagram} as a markdown file (a heading and a fenced `mermaid` block,
 * which GitHub and most markdown viewers draw). Nothing is written when `spec` is invalid.
 */
export function writePlatformDiagram(spec: PlatformSpec, file: string, title = 'ToolHive platform', options: PlatformDiagramOptions = {}): string {
  assertDiagramFile(file);
  return writePlatformPlanDiagram(planPlatform(spec), file, title, options);
}
