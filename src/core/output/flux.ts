/*
 * Flux from the same plans: the cluster running Flux (the control cluster) gets an
 * `OCIRepository` per chart version and a `HelmRelease` per Helm deliverable of every cluster
 * (the operator's depending on the CRDs'), and a `Kustomization` per cluster for its raw
 * manifests, pointing at the manifest writer's folder. Workload clusters are reached through
 * `kubeConfig.secretRef`: Secrets the user provides, only referenced.
 */
import { IssueCollector } from '../errors';
import { KubeObject } from '../k8s/objects';
import { SecretKeyReference } from '../k8s/types';
import { ClusterPlan, HelmReleaseDeliverable, isObjectsDeliverable } from '../plan';
import { controlClusterOf, gitopsClusters, GitopsCluster, joinRepoPath } from './gitops';
import {
  FLUX_HELM_RELEASE_RESOURCE, FLUX_KUSTOMIZATION_RESOURCE, FLUX_OCI_REPOSITORY_RESOURCE,
  FluxHelmReleaseSpec, FluxKustomizationSpec, FluxOCIRepositorySpec,
} from './gitops-types';
import { ManifestsInput } from './manifests';
import { fluxIntervalProblem } from '../rules/durations';
import {
  dns1123LabelProblem, dns1123SubdomainProblem, namespaceProblem, secretKeyProblem, secretNameProblem,
} from '../rules/names';
import { checkShape, S } from '../rules/shape';

/** The Flux source holding the manifest writer's output. */
export interface FluxSourceReference {
  /** `GitRepository`, `OCIRepository` or `Bucket`. */
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket';
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the Flux objects' namespace
   */
  readonly namespace?: string;
}

/** Options of {@link planFlux}. */
export interface FluxOptions {
  /**
   * The cluster Flux runs in: its objects are planned for it, and it is reached without a kubeconfig.
   * @default - the platform's control cluster (required for cluster plans)
   */
  readonly cluster?: string;
  /**
   * Namespace of the Flux objects (Flux's own).
   * @default "flux-system"
   */
  readonly namespace?: string;
  /**
   * The source holding the manifest writer's output: required when a cluster has raw manifests.
   * @default - none: every cluster must be delivered by Helm releases only
   */
  readonly source?: FluxSourceReference;
  /**
   * The folder of the writer's output in that source.
   * @default "."
   */
  readonly path?: string;
  /**
   * How often Flux reconciles.
   * @default "10m"
   */
  readonly interval?: string;
  /**
   * The kubeconfig Secret (in the Flux namespace) of each cluster other than Flux's own.
   * @default - `<cluster>-kubeconfig`, key `value`
   */
  readonly kubeConfigSecrets?: { readonly [cluster: string]: SecretKeyReference };
  /**
   * Secrets (in the Flux namespace) with the credentials of chart registries, by host
   * (`oci.stacklok.com`): referenced by the `OCIRepository`s of charts there.
   * @default - none (public registries)
   */
  readonly chartRegistrySecrets?: { readonly [host: string]: string };
}

/** Ids of the deliverables of {@link planFlux}'s plan. */
export const FLUX_DELIVERABLES = {
  sources: 'flux-chart-sources',
  releases: 'flux-helm-releases',
  kustomizations: 'flux-kustomizations',
};

const OPTIONS_SHAPE = S.object({
  cluster: S.ruled(dns1123LabelProblem),
  namespace: S.ruled(namespaceProblem),
  source: S.object({
    kind: S.string(['GitRepository', 'OCIRepository', 'Bucket']), name: S.ruled(dns1123SubdomainProblem), namespace: S.ruled(namespaceProblem),
  }, 'a Flux source reference { kind, name, namespace }', ['kind', 'name']),
  path: S.ruled((p: string) => (p.split('/').includes('..') ? `${JSON.stringify(p)} must stay inside the source (no "..")` : undefined)),
  interval: S.ruled(fluxIntervalProblem),
  kubeConfigSecrets: S.map(S.object({ name: S.ruled(secretNameProblem), key: S.ruled(secretKeyProblem) }, 'a Secret reference { name, key }', ['name'])),
  chartRegistrySecrets: S.map(S.ruled(secretNameProblem)),
}, 'Flux options', []);

/** A Kubernetes name from parts: `a-b`, at most 63 characters (a hash-free cut would collide, so it is refused instead). */
function objectName(issues: IssueCollector, path: string, ...parts: string[]): string {
  const name = parts.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (name.length > 63) issues.add(path, `the Flux object name ${JSON.stringify(name)} is longer than 63 characters: use shorter cluster names`);
  return name;
}

function chartSourceName(r: HelmReleaseDeliverable['release']): string {
  return `${r.chart}-${r.version}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/**
 * The Flux objects that deliver `input` (a platform's plan, or cluster plans), as the plan of
 * the cluster Flux runs in: write it with the platform's plans (`writeManifests`), or hand it
 * to an adapter. Helm deliverables become `HelmRelease`s; each cluster's raw manifests, one
 * `Kustomization` of the writer's folder for it (CRDs never pruned). Throws one validation
 * error listing every problem.
 */
export function planFlux(input: ManifestsInput, options: FluxOptions = {}): ClusterPlan {
  const issues = new IssueCollector();
  checkShape(options, OPTIONS_SHAPE, '', issues);
  issues.throwIfAny('Flux options');
  const clusters = gitopsClusters(input);
  const home = options.cluster ?? controlClusterOf(input);
  if (home === undefined) issues.add('cluster', 'required: the cluster Flux runs in (the plans have no control cluster)');
  const namespace = options.namespace ?? 'flux-system';
  const interval = options.interval ?? '10m';
  for (const name of Object.keys(options.kubeConfigSecrets ?? {})) {
    if (!clusters.some((c) => c.name === name)) issues.add(`kubeConfigSecrets.${name}`, `no cluster ${JSON.stringify(name)} in the plans`);
    else if (name === home) issues.add(`kubeConfigSecrets.${name}`, 'Flux runs in this cluster: it needs no kubeconfig');
  }
  const kubeConfig = (cluster: string) => (cluster === home ? {} : {
    kubeConfig: { secretRef: { name: options.kubeConfigSecrets?.[cluster]?.name ?? `${cluster}-kubeconfig`, key: options.kubeConfigSecrets?.[cluster]?.key ?? 'value' } },
  });

  const sources = new Map<string, KubeObject>();
  const releases: KubeObject[] = [];
  const kustomizations: KubeObject[] = [];
  for (const cluster of clusters) {
    releases.push(...helmReleases(cluster, { namespace, interval, issues, sources, kubeConfig, options }));
    const k = kustomization(cluster, { namespace, interval, issues, kubeConfig, options });
    if (k) kustomizations.push(k);
  }
  issues.throwIfAny('Flux objects');
  const deliverables = [
    { id: FLUX_DELIVERABLES.sources, description: 'Flux OCIRepositories of the charts', objects: [...sources.values()], dependsOn: [] as string[] },
    { id: FLUX_DELIVERABLES.releases, description: 'Flux HelmReleases of every cluster', objects: releases, dependsOn: [FLUX_DELIVERABLES.sources] },
    { id: FLUX_DELIVERABLES.kustomizations, description: 'Flux Kustomizations of the clusters\' manifest folders', objects: kustomizations, dependsOn: [] as string[] },
  ].filter((d) => d.objects.length > 0);
  const ids = new Set(deliverables.map((d) => d.id));
  return {
    cluster: home!,
    namespace,
    deliverables: deliverables.map((d) => ({ ...d, type: 'manifests' as const, retainOnDelete: false, dependsOn: d.dependsOn.filter((x) => ids.has(x)) })),
  };
}

interface Context {
  readonly namespace: string;
  readonly interval: string;
  readonly issues: IssueCollector;
  readonly kubeConfig: (cluster: string) => object;
  readonly options: FluxOptions;
}

function helmReleases(cluster: GitopsCluster, ctx: Context & { sources: Map<string, KubeObject> }): KubeObject[] {
  const out: KubeObject[] = [];
  const helmIds = new Set(cluster.deliverables.filter((d) => !isObjectsDeliverable(d)).map((d) => d.id));
  for (const d of cluster.deliverables) {
    if (isObjectsDeliverable(d)) continue;
    const r = d.release;
    const sourceName = chartSourceName(r);
    if (!ctx.sources.has(sourceName)) {
      const host = r.repository.replace(/^oci:\/\//, '').split('/')[0];
      const secret = ctx.options.chartRegistrySecrets?.[host];
      const spec: FluxOCIRepositorySpec = {
        interval: ctx.interval,
        url: r.repository,
        ref: { tag: r.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
        ...(secret ? { secretRef: { name: secret } } : {}),
        // An air gap's plain-HTTP mirror (loopback or trusted): what helm's --plain-http is to helm.
        ...(r.plainHttp ? { insecure: true } : {}),
      };
      ctx.sources.set(sourceName, { ...FLUX_OCI_REPOSITORY_RESOURCE, metadata: { name: sourceName, namespace: ctx.namespace }, spec } as KubeObject);
    }
    const crds = r.skipCrds ? 'Skip' : 'CreateReplace';
    const spec: FluxHelmReleaseSpec = {
      interval: ctx.interval,
      releaseName: r.releaseName,
      targetNamespace: r.namespace,
      storageNamespace: r.namespace,
      chartRef: { kind: 'OCIRepository', name: sourceName, namespace: ctx.namespace },
      install: { crds, createNamespace: true },
      upgrade: { crds },
      ...(d.dependsOn.some((x) => helmIds.has(x)) ? { dependsOn: d.dependsOn.filter((x) => helmIds.has(x)).map((x) => ({ name: `${cluster.name}-${x}` })) } : {}),
      ...ctx.kubeConfig(cluster.name),
      ...(Object.keys(r.values).length > 0 ? { values: r.values } : {}),
    };
    const name = objectName(ctx.issues, `clusters.${cluster.name}.${d.id}`, cluster.name, d.id);
    out.push({ ...FLUX_HELM_RELEASE_RESOURCE, metadata: { name, namespace: ctx.namespace }, spec } as KubeObject);
  }
  return out;
}

function kustomization(cluster: GitopsCluster, ctx: Context): KubeObject | undefined {
  const objects = cluster.deliverables.filter(isObjectsDeliverable);
  if (objects.length === 0) return undefined;
  if (!ctx.options.source) {
    ctx.issues.add('source', `required: cluster ${cluster.name} has raw manifests, which Flux applies from the manifest writer's output in a Flux source`);
    return undefined;
  }
  // Objects kept on delete (the CRDs) are never pruned by Flux either.
  const kept = objects.filter((d) => d.retainOnDelete).flatMap((d) => d.objects);
  const kinds = [...new Set(kept.map((o) => o.kind))].sort();
  const patches = kinds.map((kind) => ({
    patch: [
      `apiVersion: ${kept.find((o) => o.kind === kind)!.apiVersion}`,
      `kind: ${kind}`,
      'metadata:',
      '  name: kept-on-delete',
      '  annotations:',
      '    kustomize.toolkit.fluxcd.io/prune: disabled',
      '',
    ].join('\n'),
    target: { kind, name: `^(${[...new Set(kept.filter((o) => o.kind === kind).map((o) => o.metadata.name.replace(/\./g, '\\.')))].sort().join('|')})$` },
  }));
  const spec: FluxKustomizationSpec = {
    interval: ctx.interval,
    retryInterval: '1m',
    path: `./${joinRepoPath(ctx.options.path ?? '.', cluster.name)}`,
    prune: true,
    sourceRef: { kind: ctx.options.source.kind, name: ctx.options.source.name, namespace: ctx.options.source.namespace ?? ctx.namespace },
    ...ctx.kubeConfig(cluster.name),
    ...(patches.length > 0 ? { patches } : {}),
  };
  const name = objectName(ctx.issues, `clusters.${cluster.name}`, cluster.name, 'manifests');
  return { ...FLUX_KUSTOMIZATION_RESOURCE, metadata: { name, namespace: ctx.namespace }, spec } as KubeObject;
}
