/*
 * What the Flux and Argo CD emitters share: reading their input (a platform's plan or cluster
 * plans, the same input the manifest writer takes) and where the writer puts each deliverable.
 */
import { ClusterPlan, Deliverable } from '../plan';
import { ManifestsInput, renderManifestFiles, WrittenDeliverable } from './manifests';

/** One cluster as a GitOps emitter sees it: its deliverables and where the writer puts each. */
export interface GitopsCluster {
  /** The cluster's name. */
  readonly name: string;
  /** Its deliverables, in apply order (of every plan given for it). */
  readonly deliverables: readonly Deliverable[];
  /** Where the manifest writer puts each deliverable. */
  readonly placed: readonly WrittenDeliverable[];
}

/** The clusters of `input`, sorted by name, with the writer's placement of every deliverable. */
export function gitopsClusters(input: ManifestsInput): GitopsCluster[] {
  const files = renderManifestFiles(input); // validates the input, every problem at once
  const plans = Array.isArray(input) ? (input as ClusterPlan[]) : 'clusters' in (input as object) ? (input as { clusters: ClusterPlan[] }).clusters : [input as ClusterPlan];
  return [...files.clusters].map(([name, placed]) => ({
    name,
    deliverables: plans.filter((p) => p.cluster === name).flatMap((p) => p.deliverables),
    placed,
  }));
}

/** The control cluster of a platform's plan, when it has one. */
export function controlClusterOf(input: ManifestsInput): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !('clusters' in input)) return undefined;
  return (input.clusters as readonly { cluster: string; role?: unknown }[]).find((c) => c.role === 'control')?.cluster;
}

/** `a/b` joined as POSIX path segments, without `./` or doubled slashes. */
export function joinRepoPath(...parts: string[]): string {
  return parts.join('/').split('/').filter((p) => p !== '' && p !== '.').join('/');
}
