/*
 * Argo CD from the same plans: one `ApplicationSet` per component (deliverable), whose cluster
 * generator selects the clusters labelled for it, so a thousand clusters take a handful of
 * objects. Raw manifests are read from the manifest writer's folders in git; Helm releases from
 * their chart registry, with the values file the writer wrote for each cluster. Sync waves
 * follow the plans' apply order (the CRDs first); every Application applies server-side.
 */
import { createHash } from 'crypto';
import { IssueCollector } from '../errors';
import { controlClusterOf, gitopsClusters, joinRepoPath } from './gitops';
import { KubeObject } from '../k8s/objects';
import { ClusterPlan, Deliverable, isObjectsDeliverable } from '../plan';
import { ARGO_CD_APPLICATION_SET_RESOURCE, ArgoCdApplicationSetSpec } from './gitops-types';
import { ManifestsInput, SHARED_MANIFESTS_DIR, WrittenDeliverable } from './manifests';
import { describe } from '../rules/describe';
import { dns1123LabelProblem, dns1123SubdomainProblem, namespaceProblem } from '../rules/names';
import { urlCredentials } from '../rules/secrets';
import { checkShape, S } from '../rules/shape';

/** Options of {@link planArgoCd}. */
export interface ArgoCdOptions {
  /**
   * The cluster Argo CD runs in (its ApplicationSets are planned for it).
   * @default - the platform's control cluster (required for cluster plans)
   */
  readonly cluster?: string;
  /**
   * Argo CD's namespace.
   * @default "argocd"
   */
  readonly namespace?: string;
  /**
   * The Argo CD project of the Applications.
   * @default "default"
   */
  readonly project?: string;
  /** The git repository holding the manifest writer's output (`https://...` or `git@host:path`), without credentials. */
  readonly repoURL: string;
  /**
   * The revision of that repository.
   * @default "HEAD"
   */
  readonly targetRevision?: string;
  /**
   * The folder of the writer's output in the repository.
   * @default "."
   */
  readonly path?: string;
  /**
   * The platform's name, in the label that selects its clusters (`toolhive.stacklok.dev/platform`).
   * @default "toolhive"
   */
  readonly platform?: string;
}

/** What {@link planArgoCd} returns: the plan of Argo CD's cluster, and the labels each cluster's Argo CD cluster Secret needs. */
export interface ArgoCdPlan extends ClusterPlan {
  /**
   * For each cluster, the labels its Argo CD cluster Secret must carry (the Secret's `name`
   * must be the cluster's name): the ApplicationSets' cluster generators select by them.
   */
  readonly clusterLabels: { readonly [cluster: string]: { readonly [label: string]: string } };
}

/** The label key selecting a platform's clusters. */
export const ARGOCD_PLATFORM_LABEL = 'toolhive.stacklok.dev/platform';
/** The id of {@link planArgoCd}'s deliverable. */
export const ARGOCD_DELIVERABLE = 'argocd-application-sets';

const NO_CREDENTIALS = (url: string): string | undefined => {
  if (url.trim() !== url || url === '' || /\s/.test(url)) return `${JSON.stringify(url)} is not a repository URL`;
  // The one URL-credentials rule (a token as the user counts: https://x-access-token@host/...).
  if (urlCredentials(url)) return 'holds credentials: give them to Argo CD as a repository Secret, never in the URL';
  if (!/^(https?|ssh|git):\/\/[^/]+\/.+|^[\w.-]+@[\w.-]+:.+/.test(url)) return `${JSON.stringify(url)} is not a repository URL (https://host/path, ssh://host/path or git@host:path)`;
  return undefined;
};

const OPTIONS_SHAPE = S.object({
  cluster: S.ruled(dns1123LabelProblem),
  namespace: S.ruled(namespaceProblem),
  project: S.ruled(dns1123SubdomainProblem),
  repoURL: S.ruled(NO_CREDENTIALS),
  targetRevision: S.ruled((r: string) => (r.trim() === '' ? 'must not be empty' : undefined)),
  path: S.ruled((p: string) => (p.split('/').includes('..') ? `${JSON.stringify(p)} must stay inside the repository (no "..")` : undefined)),
  platform: S.ruled((p: string) => dns1123LabelProblem(p)),
}, 'Argo CD options', ['repoURL']);

/** What makes two clusters' Applications of one deliverable the same template. */
interface Variant {
  readonly key: string;
  readonly label: string;
  readonly deliverable: Deliverable;
  readonly placed: WrittenDeliverable;
  readonly wave: number;
  readonly clusters: string[];
}

function variantKey(d: Deliverable, placed: WrittenDeliverable): string {
  const folder = placed.directory.startsWith(`${SHARED_MANIFESTS_DIR}/`) ? placed.directory : '<cluster>';
  if (isObjectsDeliverable(d)) return JSON.stringify(['objects', folder, placed.file, d.retainOnDelete]);
  const r = d.release;
  return JSON.stringify(['helm', r.repository, r.version, r.releaseName, r.namespace, r.skipCrds, placed.file, d.retainOnDelete]);
}

/**
 * The Argo CD ApplicationSets that deliver `input` (a platform's plan, or cluster plans), as
 * the plan of the cluster Argo CD runs in, with the labels each cluster needs. The manifest
 * writer's output (`writeManifests`) must be in `repoURL` at `path`. Throws one validation
 * error listing every problem.
 */
export function planArgoCd(input: ManifestsInput, options: ArgoCdOptions): ArgoCdPlan {
  const issues = new IssueCollector();
  if (typeof options !== 'object' || options === null || Array.isArray(options)) issues.add('(options)', `expected Argo CD options { repoURL, ... }, got ${describe(options)}`);
  else checkShape(options, OPTIONS_SHAPE, '', issues);
  issues.throwIfAny('Argo CD options');
  const clusters = gitopsClusters(input);
  const home = options.cluster ?? controlClusterOf(input);
  if (home === undefined) issues.add('cluster', 'required: the cluster Argo CD runs in (the plans have no control cluster)');
  issues.throwIfAny('Argo CD objects');
  const platform = options.platform ?? 'toolhive';
  const variants = new Map<string, Variant>();
  const labels: Record<string, Record<string, string>> = {};
  for (const cluster of clusters) {
    labels[cluster.name] = { [ARGOCD_PLATFORM_LABEL]: platform };
    cluster.deliverables.forEach((d, i) => {
      const placed = cluster.placed[i];
      const key = `${d.id}\u0000${variantKey(d, placed)}`;
      let v = variants.get(key);
      if (!v) variants.set(key, (v = { key, label: createHash('sha256').update(key).digest('hex').slice(0, 10), deliverable: d, placed, wave: i, clusters: [] }));
      v.clusters.push(cluster.name);
      labels[cluster.name][`toolhive.stacklok.dev/${d.id}`] = v.label;
    });
  }
  const byId = new Map<string, Variant[]>();
  for (const v of variants.values()) byId.set(v.deliverable.id, [...(byId.get(v.deliverable.id) ?? []), v]);
  const sets: KubeObject[] = [];
  for (const id of [...byId.keys()].sort()) {
    const list = byId.get(id)!.sort((a, b) => (a.label < b.label ? -1 : 1));
    for (const v of list) {
      // Always named by its variant: a name that changed when a second variant appears (a fleet
      // upgrading in waves) would delete and recreate the ApplicationSet of clusters that do not move.
      const name = `${platform}-${id}-${v.label}`;
      if (name.length > 63) issues.add(`deliverables.${id}`, `the ApplicationSet name ${JSON.stringify(name)} is longer than 63 characters: use a shorter platform name`);
      sets.push({ ...ARGO_CD_APPLICATION_SET_RESOURCE, metadata: { name, namespace: options.namespace ?? 'argocd' }, spec: applicationSet(v, platform, options) } as KubeObject);
    }
  }
  issues.throwIfAny('Argo CD objects');
  return {
    cluster: home!,
    namespace: options.namespace ?? 'argocd',
    deliverables: [{
      id: ARGOCD_DELIVERABLE, type: 'manifests', description: 'Argo CD ApplicationSets, one per component', dependsOn: [], retainOnDelete: false, objects: sets,
    }],
    clusterLabels: labels,
  };
}

function applicationSet(v: Variant, platform: string, options: ArgoCdOptions): ArgoCdApplicationSetSpec {
  const d = v.deliverable;
  const retain = d.retainOnDelete;
  const root = options.path ?? '.';
  const revision = options.targetRevision ?? 'HEAD';
  const folder = v.placed.directory.startsWith(`${SHARED_MANIFESTS_DIR}/`) ? joinRepoPath(root, v.placed.directory) : joinRepoPath(root, '{{.name}}');
  const source = isObjectsDeliverable(d)
    ? { source: { repoURL: options.repoURL, targetRevision: revision, path: folder, directory: { include: v.placed.file } } }
    : {
      sources: [
        {
          repoURL: d.release.repository.replace(/^oci:\/\//, '').replace(/\/[^/]+$/, ''),
          chart: d.release.repository.split('/').pop()!, // an OCI chart reference ends with the chart's name
          targetRevision: d.release.version,
          helm: { releaseName: d.release.releaseName, valueFiles: [`$values/${joinRepoPath(folder, v.placed.file)}`], skipCrds: d.release.skipCrds },
        },
        { repoURL: options.repoURL, targetRevision: revision, ref: 'values' },
      ],
    };
  return {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [{ clusters: { selector: { matchLabels: { [ARGOCD_PLATFORM_LABEL]: platform, [`toolhive.stacklok.dev/${d.id}`]: v.label } } } }],
    ...(retain ? { syncPolicy: { preserveResourcesOnDeletion: true } } : {}),
    template: {
      metadata: {
        name: `{{.name}}-${d.id}`,
        labels: { [ARGOCD_PLATFORM_LABEL]: platform, 'toolhive.stacklok.dev/deliverable': d.id },
        annotations: { 'argocd.argoproj.io/sync-wave': String(v.wave) },
        // Deleting an Application deletes its objects, except those kept on delete (the CRDs).
        ...(retain ? {} : { finalizers: ['resources-finalizer.argocd.argoproj.io'] }),
      },
      spec: {
        project: options.project ?? 'default',
        destination: { server: '{{.server}}', ...(isObjectsDeliverable(d) ? {} : { namespace: d.release.namespace }) },
        ...source,
        syncPolicy: {
          automated: { prune: !retain, selfHeal: true },
          syncOptions: ['ServerSideApply=true', ...(isObjectsDeliverable(d) ? [] : ['CreateNamespace=true'])],
        },
      },
    },
  };
}
