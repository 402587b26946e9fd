/*
 * The manifest writer: plans as files, one directory per cluster, for Flux, Argo CD or
 * `kubectl apply -k` to read. Deterministic (same plans, same bytes, whatever order the
 * clusters were declared in), and fast at a thousand clusters: each distinct CRD set is
 * written once, under `_shared/`, and every cluster's kustomization refers to it.
 */
import { createHash } from 'crypto';
import { IssueCollector, ToolhiveValidationError } from '../errors';
import { KubeObject } from '../k8s/objects';
import { assertClusterPlan, ClusterPlan, Deliverable, HelmReleaseDeliverable, isObjectsDeliverable } from '../plan';
import { KubeYamlEmitter } from './kube-yaml';
import { describe } from '../rules/describe';
import { dns1123LabelProblem } from '../rules/names';

/** The file marking a directory as the writer's own: only such a directory is replaced. */
export const MANIFESTS_MARKER = '.toolhive-constructs';
/** The folder, beside the clusters' folders, holding what several clusters share (the CRDs). */
export const SHARED_MANIFESTS_DIR = '_shared';

/** What the writer takes: a platform's plan, one cluster's plan, or several (plans of one cluster are merged, in order). */
export type ManifestsInput = {
  /** The plan of each cluster (a platform's plan). */
  readonly clusters: readonly ClusterPlan[];
} | ClusterPlan | readonly ClusterPlan[];

/** Where each deliverable of a cluster went, for GitOps emitters pointing at the files. */
export interface WrittenDeliverable {
  /** The deliverable's id. */
  readonly id: string;
  /** The folder the objects are in, relative to the output root (the cluster's, or a shared one). */
  readonly directory: string;
  /** The file, relative to `directory`. */
  readonly file: string;
  /** What the file holds: objects to apply, or a Helm release's values. */
  readonly kind: 'objects' | 'helm-values';
}

/** The files of a manifest tree, by path relative to the output root, in sorted path order. */
export interface ManifestFiles {
  /** File contents by relative path (POSIX separators). */
  readonly files: ReadonlyMap<string, string>;
  /** For each cluster, where each deliverable went, in apply order. */
  readonly clusters: ReadonlyMap<string, readonly WrittenDeliverable[]>;
}

const FILE_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isCrd(o: KubeObject): boolean {
  return o?.kind === 'CustomResourceDefinition';
}

/** The plans of `input`, merged by cluster and sorted by cluster name; every problem at once. */
export function manifestClusters(input: ManifestsInput, subject: string): Map<string, Deliverable[]> {
  const issues = new IssueCollector();
  let plans: readonly unknown[];
  let prefix: string;
  if (Array.isArray(input)) [plans, prefix] = [input, 'plans'];
  else if (typeof input === 'object' && input !== null && Array.isArray((input as { clusters?: unknown }).clusters)) [plans, prefix] = [(input as { clusters: ClusterPlan[] }).clusters, 'plan.clusters'];
  else if (typeof input === 'object' && input !== null && 'deliverables' in input) [plans, prefix] = [[input], 'plan'];
  else throw new ToolhiveValidationError([{ path: 'plan', message: `expected a platform plan (planPlatform), a cluster plan or a list of cluster plans, got ${describe(input)}` }], subject);
  const merged = new Map<string, Deliverable[]>();
  plans.forEach((plan, i) => {
    const path = plans.length === 1 && prefix === 'plan' ? 'plan' : `${prefix}[${i}]`;
    try {
      assertClusterPlan(plan);
    } catch (e) {
      if (!(e instanceof ToolhiveValidationError)) throw e;
      issues.addAll(e.issues.map((x) => ({ ...x, path: x.path === 'plan' ? path : x.path.replace(/^plan/, path) })));
      return;
    }
    const p = plan as ClusterPlan;
    const nameProblem = dns1123LabelProblem(p.cluster);
    if (nameProblem) issues.add(`${path}.cluster`, `${nameProblem} (it names the cluster's folder)`);
    const list = merged.get(p.cluster) ?? [];
    p.deliverables.forEach((d, j) => {
      if (!FILE_ID.test(d.id)) issues.add(`${path}.deliverables[${j}].id`, `${JSON.stringify(d.id)} cannot name a file: lower-case letters, digits, "-" and "."`);
      if (list.some((e) => e.id === d.id)) issues.add(`${path}.deliverables[${j}].id`, `cluster ${p.cluster} has a deliverable ${JSON.stringify(d.id)} already (from another plan of the same cluster)`);
      list.push(d);
    });
    merged.set(p.cluster, list);
  });
  issues.throwIfAny(subject);
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function helmValuesFile(d: HelmReleaseDeliverable, yaml: KubeYamlEmitter): string {
  const r = d.release;
  const command = `helm upgrade --install ${r.releaseName} ${r.repository} --version ${r.version} --namespace ${r.namespace} --values <this file>${r.skipCrds ? ' --skip-crds' : ''}`;
  return `# Values of the Helm release ${r.releaseName} (${d.description}); kustomize does not apply this file.\n# ${command}\n${yaml.document(r.values)}`;
}

/** How to apply a folder, and why that way (the first lines of every kustomization.yaml). */
const APPLY_NOTE = [
  '# Apply server-side: kubectl apply --server-side --field-manager toolhive-constructs -k <this folder>',
  '# (client-side apply keeps a copy of each object in an annotation limited to 256 KiB, which the largest CRDs exceed).',
].join('\n');

/** Kustomize's own file for a folder: its resources, applied in the order listed. */
function kustomization(resources: readonly string[], yaml: KubeYamlEmitter, note?: string): string {
  const doc = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources], sortOptions: { order: 'fifo' } };
  return `# Written by toolhive-constructs: do not edit (the next run replaces this folder).${note ? `\n# ${note}` : ''}\n${APPLY_NOTE}\n${yaml.document(doc)}`;
}

/** Identity numbers of objects, for keys that must not serialize shared subtrees. */
class Identities {
  private readonly ids = new WeakMap<object, number>();
  private next = 0;
  of(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.next++));
    return id;
  }
}

/**
 * What a CRD set is, cheaply: the CRDs' specs are shared between the clusters' plans (the
 * same objects), so they count by identity; the rest (metadata) by value.
 */
function crdSetKey(objects: readonly KubeObject[], ids: Identities): string {
  return objects.map((o) => Object.entries(o).map(([k, v]) => `${k}=${k === 'spec' && typeof v === 'object' && v !== null ? `#${ids.of(v)}` : JSON.stringify(v)}`).join(',')).join(';');
}

/**
 * Renders the files of a manifest tree, without writing anything: one folder per cluster
 * holding its deliverables in apply order (`NN-<id>.yaml`, a Helm release's values as
 * `NN-<id>.values.yaml`) and a `kustomization.yaml` listing them; each distinct set of CRDs
 * once, in `_shared/<id>-<hash>/`. The objects' YAML is byte for byte what cdk8s's `Yaml.stringify` writes
 * (`cdk8s synth` writes the same objects with their keys sorted).
 * Throws one validation error listing every problem of the input.
 */
export function renderManifestFiles(input: ManifestsInput): ManifestFiles {
  const clusters = manifestClusters(input, 'manifest files');
  const yaml = new KubeYamlEmitter();
  const ids = new Identities();
  const files = new Map<string, string>();
  const shared = new Map<string, string>(); // CRD set key -> shared folder
  const where = new Map<string, WrittenDeliverable[]>();
  files.set(MANIFESTS_MARKER, 'Written by toolhive-constructs (writeManifests): the next run replaces this whole directory.\n');
  for (const [cluster, deliverables] of clusters) {
    const width = String(deliverables.length).length < 2 ? 2 : String(deliverables.length).length;
    const resources: string[] = [];
    const helmFiles: string[] = [];
    const placed: WrittenDeliverable[] = [];
    deliverables.forEach((d, i) => {
      const stem = `${String(i + 1).padStart(width, '0')}-${d.id}`;
      if (!isObjectsDeliverable(d)) {
        const file = `${stem}.values.yaml`;
        files.set(`${cluster}/${file}`, helmValuesFile(d, yaml));
        helmFiles.push(file);
        placed.push({ id: d.id, directory: cluster, file, kind: 'helm-values' });
      } else if (d.objects.length > 0 && d.objects.every(isCrd)) {
        const key = `${d.id}\u0000${crdSetKey(d.objects, ids)}`;
        let dir = shared.get(key);
        if (dir === undefined) {
          const text = yaml.documents(d.objects);
          dir = `${SHARED_MANIFESTS_DIR}/${d.id}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
          shared.set(key, dir);
          files.set(`${dir}/${d.id}.yaml`, text);
          files.set(`${dir}/kustomization.yaml`, kustomization([`${d.id}.yaml`], yaml));
        }
        resources.push(`../${dir}`);
        placed.push({ id: d.id, directory: dir, file: `${d.id}.yaml`, kind: 'objects' });
      } else {
        const file = `${stem}.yaml`;
        files.set(`${cluster}/${file}`, yaml.documents(d.objects));
        resources.push(file);
        placed.push({ id: d.id, directory: cluster, file, kind: 'objects' });
      }
    });
    const note = helmFiles.length > 0 ? `Helm releases, installed by helm or a GitOps controller, not by kustomize: ${helmFiles.join(', ')}` : undefined;
    files.set(`${cluster}/kustomization.yaml`, kustomization(resources, yaml, note));
    where.set(cluster, placed);
  }
  return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), clusters: where };
}
