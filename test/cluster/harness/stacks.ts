/*
 * The stacks the cluster tests apply (the examples and the plans users get), and how they
 * are applied: server-side apply in plan order, CRDs Established before anything after
 * them, a dry-run re-apply that must change nothing, and pruning by the install label.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { diffPaths, KubeClient, KubeError, refOf } from './kube-client';
import { waitFor } from './processes';
import {
  CrdSource, DEFAULT_OPERATOR_NAMESPACE, DEFAULT_OPERATOR_RELEASE, INSTALL_LABEL, installLabelValue, isObjectsDeliverable, KubeObject,
  planOperatorInstall, PRUNABLE_KINDS, RbacScope, ToolhiveOperatorOptions,
} from '../../../src';
import { REPO_ROOT } from '../../support/paths';
import { toolhiveUpstream } from '../../support/upstream';

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The install label and the prunable kinds are the library's (every rendered object carries the label). */
export { INSTALL_LABEL, PRUNABLE_KINDS };

/** One install, as the objects to apply in order. */
export interface Stack {
  readonly name: string;
  /** Every object, in plan (apply) order. */
  readonly objects: readonly KubeObject[];
  /** The operator's namespace and release name (undefined: the stack has no operator). */
  readonly install?: { readonly namespace: string; readonly releaseName: string };
}


/** The CRD folder of a ToolHive release (upstream data, never committed). @param version default: the library's newest */
export function crdSource(version?: string): CrdSource {
  return CrdSource.fromDirectory(toolhiveUpstream(version).crdsDir);
}

/**
 * A stack from `planOperatorInstall` (manifests delivery): every deliverable's objects (manifests
 * and custom resources), in plan order. The CRDs are those of `options.version`.
 */
export function planStack(name: string, options: ToolhiveOperatorOptions): Stack {
  const plan = planOperatorInstall({ crds: { source: crdSource(options.version) }, ...options });
  const objects: KubeObject[] = [];
  for (const d of plan.deliverables) {
    if (!isObjectsDeliverable(d)) throw new Error(`${name}: deliverable ${d.id} is a ${d.type}, not manifests`);
    objects.push(...d.objects);
  }
  return {
    name,
    objects,
    install: { namespace: options.namespace ?? DEFAULT_OPERATOR_NAMESPACE, releaseName: options.releaseName ?? DEFAULT_OPERATOR_RELEASE },
  };
}

/** The operator install of a stack; fails for a stack without one. */
export function installOf(stack: Stack): { readonly namespace: string; readonly releaseName: string } {
  if (!stack.install) throw new Error(`${stack.name} has no ToolHive operator`);
  return stack.install;
}

/** The cdk8s examples (`examples/cdk8s-*`), each exporting `buildApp(outdir)`. */
export function cdk8sExamples(): string[] {
  return fs.readdirSync(EXAMPLES_DIR).filter((d) => d.startsWith('cdk8s-') && fs.existsSync(path.join(EXAMPLES_DIR, d, 'main.ts'))).sort();
}

/**
 * The stacks of one cdk8s example, synthesized as its users do it: one stack per file the
 * app writes (one per chart, i.e. per cluster), objects in file order.
 */
export function exampleStacks(example: string): Stack[] {
  // The examples take the CRDs from the release; point them at the local upstream mirror.
  const upstreamRoot = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
  const previous = process.env.TOOLHIVE_UPSTREAM_DIR;
  process.env.TOOLHIVE_UPSTREAM_DIR = upstreamRoot;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-example-'));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildApp } = require(path.join(EXAMPLES_DIR, example, 'main'));
    buildApp(outdir).synth();
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort();
    return files.map((file) => {
      const objects: KubeObject[] = parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS()).filter((o) => !!o);
      return { name: `example ${example}${files.length > 1 ? ` (${file})` : ''}`, objects, install: operatorInstallOf(objects) };
    });
  } finally {
    if (previous === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
    else process.env.TOOLHIVE_UPSTREAM_DIR = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The one stack of a single-file example. */
export function exampleStack(example: string): Stack {
  const stacks = exampleStacks(example);
  if (stacks.length !== 1) throw new Error(`example ${example} writes ${stacks.length} files, expected one`);
  return stacks[0];
}

/** The operator install in a stack: the Deployment labelled as the chart labels the operator. */
function operatorInstallOf(objects: readonly KubeObject[]): Stack['install'] {
  const d = objects.find((o) => o.kind === 'Deployment'
    && o.metadata.labels?.['app.kubernetes.io/name'] === 'toolhive-operator'
    && o.metadata.labels?.['app.kubernetes.io/instance'] === o.metadata.name);
  return d ? { namespace: d.metadata.namespace!, releaseName: d.metadata.name } : undefined;
}

/** Every stack the manifests test applies: every cdk8s example's, and the plans of both modes and of every option. */
export function allStacks(): Stack[] {
  return [
    ...cdk8sExamples().flatMap(exampleStacks),
    planStack('plan: cluster scope (defaults)', {}),
    planStack('plan: namespace scope', { rbac: RbacScope.namespaces(['team-a', 'team-b']) }),
    planStack('plan: every option', {
      autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 70, targetMemoryUtilizationPercent: 80 },
      imageDiscovery: true,
      features: { experimental: true, storageVersionMigrator: true },
      images: { registry: 'registry.example.com:5000/mirror', pullPolicy: 'Always' },
      defaultRedis: { address: 'redis.cache.svc:6379', passwordSecret: { name: 'redis-auth', key: 'password' } },
      imagePullSecrets: ['operator-pull'],
      workloadImagePullSecrets: ['registry-credentials', 'more-credentials'],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      scheduling: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'toolhive', effect: 'NoSchedule' }],
      },
      podAnnotations: { 'example.com/team': 'platform' },
      podLabels: { 'example.com/cost-center': 'c42' },
      env: [
        { name: 'EXTRA_SETTING', value: 'on' },
        { name: 'UPSTREAM_API_TOKEN', valueFrom: { secretKeyRef: { name: 'upstream-api', key: 'token' } } },
      ],
    }),
  ];
}

/** Namespaces a stack's objects live in but does not create: they must exist first (the teams' namespaces). */
export function requiredNamespaces(stack: Stack): string[] {
  const created = new Set(stack.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const used = new Set(stack.objects.map((o) => o.metadata.namespace).filter((ns): ns is string => !!ns));
  return [...used].filter((ns) => !created.has(ns)).sort();
}

/**
 * The install label of a stack: the library sets it on every object, with the value of the
 * stack's install. A stack with an unlabelled object or a foreign value fails.
 */
export function ensureInstallLabel(stack: Stack): { stack: Stack; value: string; addedByHarness: number } {
  const { namespace, releaseName } = installOf(stack);
  const expected = installLabelValue(namespace, releaseName);
  const missing = stack.objects.filter((o) => o.metadata.labels?.[INSTALL_LABEL] === undefined).map(refOf);
  if (missing.length > 0) throw new Error(`${stack.name}: the library did not set ${INSTALL_LABEL} on: ${missing.join(', ')}`);
  const values = new Set(stack.objects.map((o) => o.metadata.labels![INSTALL_LABEL]));
  if (values.size !== 1 || !values.has(expected)) throw new Error(`${stack.name}: ${INSTALL_LABEL} is ${[...values].join(', ')}, expected ${expected}`);
  return { stack, value: expected, addedByHarness: 0 };
}

/** What applying a stack did. */
export interface ApplyReport {
  /** `ref: message` of every object the API server refused. */
  readonly errors: string[];
  /** Refs of the objects applied, in order. */
  readonly applied: string[];
  /** Names of the CRDs applied (each waited for until Established). */
  readonly crds: string[];
}

/**
 * Server-side applies every object in order. After each run of CRDs it waits until they are
 * Established (and their kinds are served) before applying what follows. Refusals are
 * collected, not thrown, so one report names every refused object.
 */
export async function applyStack(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: { establishTimeoutMs?: number } = {},
): Promise<ApplyReport> {
  const errors: string[] = [];
  const applied: string[] = [];
  const crds: string[] = [];
  let pendingCrds: KubeObject[] = [];
  const settle = async () => {
    if (pendingCrds.length > 0) await waitEstablished(client, pendingCrds, options.establishTimeoutMs ?? 60_000);
    pendingCrds = [];
  };
  for (const obj of objects) {
    if (obj.kind !== 'CustomResourceDefinition') await settle();
    try {
      await waitFor(`the API server to serve ${obj.kind} (${obj.apiVersion})`, 30_000, () => client.resource(obj.apiVersion, obj.kind));
      await client.apply(obj);
      applied.push(refOf(obj));
      if (obj.kind === 'CustomResourceDefinition') {
        pendingCrds.push(obj);
        crds.push(obj.metadata.name);
      }
    } catch (e: any) {
      errors.push(`${refOf(obj)}: ${e.message}`);
    }
  }
  await settle();
  return { errors, applied, crds };
}

/** Waits until every CRD has the Established and NamesAccepted conditions. */
export async function waitEstablished(client: KubeClient, crds: readonly KubeObject[], timeoutMs: number): Promise<void> {
  const notYet = async () => {
    const out: string[] = [];
    for (const crd of crds) {
      const live = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd.metadata.name);
      const conditions: any[] = live?.status?.conditions ?? [];
      const ok = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
      if (!ok('Established') || !ok('NamesAccepted')) {
        out.push(`${crd.metadata.name}: ${JSON.stringify(conditions.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`))}`);
      }
    }
    return out;
  };
  let last: string[] = [];
  await waitFor(`${crds.length} CRDs to become Established`, timeoutMs, async () => {
    last = await notYet();
    return last.length === 0 ? true : undefined;
  }, { intervalMs: 200, describe: () => `not Established: ${last.join('; ')}` });
}

/**
 * Re-applies every object with `dryRun=All` and compares the API server's answer with the
 * stored object: a difference is a change the re-apply would make (drift, defaulting fights,
 * fields the server rewrites). Returns `ref: differing paths` per changed object.
 */
export async function dryRunChanges(client: KubeClient, objects: readonly KubeObject[]): Promise<string[]> {
  const changes: string[] = [];
  for (const obj of objects) {
    const current = await client.get(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace);
    if (!current) {
      changes.push(`${refOf(obj)}: not in the cluster`);
      continue;
    }
    const dry = await client.apply(obj, { dryRun: true });
    const diff = diffPaths(current, dry);
    if (diff.length > 0) changes.push(`${refOf(obj)}: ${diff.join('; ')}`);
  }
  return changes;
}

/** What {@link applyAndPrune} did. */
export interface PruneReport extends ApplyReport {
  /** Refs of the objects deleted because the stack no longer renders them. */
  readonly pruned: string[];
}

/**
 * Applies a stack, then deletes every object that carries this install's label but is not in
 * the stack (`kubectl apply --prune -l toolhive-constructs.dev/install=<value>`, limited to
 * {@link PRUNABLE_KINDS}, never touching objects annotated `helm.sh/resource-policy: keep`).
 * Applying first means the operator never loses permissions it keeps across the move.
 */
export async function applyAndPrune(client: KubeClient, stack: Stack): Promise<PruneReport & { labelAddedByHarness: number }> {
  const { stack: labelled, value, addedByHarness } = ensureInstallLabel(stack);
  const report = await applyStack(client, labelled.objects);
  const pruned: string[] = [];
  if (report.errors.length === 0) {
    const desired = new Set(labelled.objects.map(refOf));
    for (const { apiVersion, kind } of PRUNABLE_KINDS) {
      for (const live of await client.list(apiVersion, kind, { labelSelector: `${INSTALL_LABEL}=${value}` })) {
        if (desired.has(refOf(live))) continue;
        if (live.metadata.annotations?.['helm.sh/resource-policy'] === 'keep') continue;
        try {
          await client.delete(apiVersion, kind, live.metadata.name, live.metadata.namespace);
          pruned.push(refOf(live));
        } catch (e: any) {
          report.errors.push(`prune ${refOf(live)}: ${e.message}`);
        }
      }
    }
  }
  return { ...report, pruned, labelAddedByHarness: addedByHarness };
}

/**
 * Every RBAC object in the cluster that belongs to the operator's ServiceAccount, found
 * without the label: bindings naming it as a subject, the roles those bindings grant, and
 * anything carrying the install label. After a move this must equal what the stack renders.
 */
export async function operatorRbacFootprint(client: KubeClient, sa: { namespace: string; name: string }, labelValue: string): Promise<string[]> {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const found = new Set<string>();
  const isOurSubject = (s: any) => s.kind === 'ServiceAccount' && s.name === sa.name && (s.namespace ?? '') === sa.namespace;
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    for (const b of await client.list(rbac, kind)) {
      if (!(b.subjects ?? []).some(isOurSubject)) continue;
      found.add(refOf(b));
      const roleNs = b.roleRef.kind === 'Role' ? b.metadata.namespace : undefined;
      const role = await client.get(rbac, b.roleRef.kind, b.roleRef.name, roleNs);
      if (role) found.add(refOf({ ...role, apiVersion: rbac, kind: b.roleRef.kind }));
    }
  }
  for (const kind of ['ClusterRoleBinding', 'RoleBinding', 'ClusterRole', 'Role']) {
    for (const o of await client.list(rbac, kind, { labelSelector: `${INSTALL_LABEL}=${labelValue}` })) found.add(refOf(o));
  }
  return [...found].sort();
}

/** The RBAC objects a stack renders. */
export function rbacRefs(stack: Stack): string[] {
  return stack.objects.filter((o) => o.apiVersion.startsWith('rbac.authorization.k8s.io/')).map(refOf).sort();
}

/** What the API server says of a dry-run apply of `obj`: "accepted", or the status and message of its refusal. */
export async function dryRunRefusal(client: KubeClient, obj: unknown): Promise<string> {
  try {
    await client.apply(obj as KubeObject, { dryRun: true });
    return 'accepted';
  } catch (e) {
    if (e instanceof KubeError) return `${e.status} ${e.message}`;
    throw e;
  }
}
