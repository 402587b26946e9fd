/*
 * Shapes of the Kubernetes structures the options take (env vars, resources, scheduling, label
 * and annotation maps, Secret references), built from the kit's rules, and the checks that span
 * a list (duplicate env var names, secrets inlined in env values).
 */
import { IssueCollector, joinPath } from '../errors';
import { describe } from './describe';
import { checkForbiddenKeys } from './keys';
import { annotationValueProblem, labelValueProblem, qualifiedNameProblem } from './labels';
import { envVarNameProblem, namespaceProblem, releaseNameProblem, secretKeyProblem, secretNameProblem } from './names';
import { quantityProblem } from './numbers';
import { looksLikeSecretName, secretLookingValue } from './secrets';
import { checkShape, S, Shape } from './shape';

const keySelector = (what: string): Shape => S.object({ name: S.ruled(secretNameProblem), key: S.ruled(secretKeyProblem), optional: S.boolean() },
  `a ${what} key selector { name, key }`);

/** One env var: a name and exactly one of value and valueFrom (checked by {@link checkEnvList}). */
export const ENV_VAR: Shape = S.object({
  name: S.ruled(envVarNameProblem),
  value: S.string(),
  valueFrom: S.object({
    secretKeyRef: keySelector('Secret'),
    configMapKeyRef: keySelector('ConfigMap'),
    fieldRef: S.object({ fieldPath: S.string(), apiVersion: S.string() }),
    resourceFieldRef: S.object({ resource: S.string(), containerName: S.string(), divisor: S.number() }),
  }, 'an env var source (secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef)'),
}, 'an env var { name, value } or { name, valueFrom }', ['name']);

/** A list of env vars. */
export const ENV_LIST: Shape = S.list(ENV_VAR);

const QUANTITY: Shape = S.custom((v, path, issues) => {
  const problem = quantityProblem(v);
  if (problem) issues.add(path, problem);
});

/** Container resources: requests and limits of valid quantities. */
export const RESOURCES: Shape = S.object({
  requests: S.map(QUANTITY),
  limits: S.map(QUANTITY),
}, 'resource requirements { requests, limits }');

/** An RBAC scope: what `RbacScope.cluster()` and `RbacScope.namespaces([...])` build. */
export const RBAC_SCOPE: Shape = S.object({
  scope: S.string(['cluster', 'namespace']),
  allowedNamespaces: S.list(S.ruled(namespaceProblem)),
}, 'an RBAC scope: RbacScope.cluster() or RbacScope.namespaces([...])');

/** A map of labels (keys and values checked as the API server checks them). */
export const LABELS: Shape = S.map(S.ruled(labelValueProblem), (k) => qualifiedNameProblem(k, 'label key'));

/** A map of annotations. */
export const ANNOTATIONS: Shape = S.map(S.custom((v, path, issues) => {
  const problem = annotationValueProblem(v);
  if (problem) issues.add(path, problem);
}), (k) => qualifiedNameProblem(k, 'annotation key'));

const TOLERATION_FIELDS: Shape = S.object({
  key: S.ruled((k) => (k === '' ? undefined : qualifiedNameProblem(k, 'taint key'))),
  operator: S.string(['Exists', 'Equal']),
  value: S.string(),
  effect: S.string(['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']),
  tolerationSeconds: S.integer(),
}, 'a toleration { key, operator, value, effect }');

/** One toleration (with the API server's cross-field rules: `Exists` takes no value, a value needs a key). */
export const TOLERATION: Shape = S.custom((v, path, issues) => {
  checkShape(v, TOLERATION_FIELDS, path, issues);
  if (typeof v !== 'object' || v === null) return;
  const t = v as Record<string, unknown>;
  if (t.operator === 'Exists' && t.value) issues.add(joinPath(path, 'value'), 'must be empty with operator Exists (the API server refuses it)');
  if (!t.key && t.operator !== 'Exists') issues.add(joinPath(path, 'operator'), 'must be Exists when the key is empty (the API server refuses it)');
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') issues.add(joinPath(path, 'tolerationSeconds'), 'only applies with effect NoExecute');
});

/** A Secret reference of the options: `{ name, key? }`. */
/** A plan's delivery: rendered manifests or Helm releases. @internal */
export const DELIVERY: Shape = S.string(['manifests', 'helm']);

/** The fields every install's plan options share: where it goes and how its paths read. @internal */
export const PLAN_TARGET_FIELDS: { readonly [key: string]: Shape } = { delivery: DELIVERY, cluster: S.string(), path: S.string() };

export const SECRET_REF: Shape = S.object({ name: S.ruled(secretNameProblem), key: S.ruled(secretKeyProblem) }, 'a Secret reference { name, key }');

/**
 * The rules of an env list beyond each entry's shape: exactly one of value and valueFrom, each
 * name once, no name the chart or the library already sets (`managed`, with who sets it), and no
 * secret inlined (by its name or by what its value looks like).
 */
export function checkEnvList(
  env: readonly any[] | undefined, path: string, issues: IssueCollector, managed: ReadonlyMap<string, string> = new Map(),
): void {
  if (!Array.isArray(env)) return;
  const seen = new Map<string, number>();
  env.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || typeof e.name !== 'string') return;
    const at = `${path}[${i}]`;
    const inline = e.value !== undefined;
    if (inline === (e.valueFrom !== undefined)) issues.add(at, 'set exactly one of value and valueFrom');
    if (seen.has(e.name)) issues.add(joinPath(at, 'name'), `${e.name} is set twice (also at ${path}[${seen.get(e.name)}]); each env var once`);
    else seen.set(e.name, i);
    const owner = managed.get(e.name);
    if (owner) issues.add(joinPath(at, 'name'), `${e.name} is set by ${owner}; a second entry would leave the container with two values for it`);
    if (inline && looksLikeSecretName(e.name)) {
      issues.add(joinPath(at, 'value'), `${e.name} looks like a secret: reference it with valueFrom.secretKeyRef instead of inlining it`);
    } else if (inline) {
      const what = secretLookingValue(e.value);
      if (what) issues.add(joinPath(at, 'value'), `looks like ${what}: secrets are referenced (valueFrom.secretKeyRef), never inlined`);
    }
  });
}

/** A release context `{ releaseName, namespace }` (what `helm template <name> -n <namespace>` is given). */
export const RELEASE: Shape = S.object({ releaseName: S.ruled(releaseNameProblem), namespace: S.ruled(namespaceProblem) }, 'a release { releaseName, namespace }',
  ['releaseName', 'namespace']);

/** A Kubernetes object: a map with apiVersion, kind and metadata.name (the rest is the schema validators' business). */
export const KUBE_OBJECT: Shape = S.custom((v, path, issues) => {
  const at = path || '(root)';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    issues.add(at, `expected a Kubernetes object { apiVersion, kind, metadata }, got ${describe(v)}`);
    return;
  }
  const o = v as Record<string, any>;
  if (typeof o.apiVersion !== 'string') issues.add(joinPath(path, 'apiVersion'), `expected a string, got ${describe(o.apiVersion)}`);
  if (typeof o.kind !== 'string') issues.add(joinPath(path, 'kind'), `expected a string, got ${describe(o.kind)}`);
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) {
    issues.add(joinPath(path, 'metadata'), `expected a map with a name, got ${describe(o.metadata)}`);
  } else if (typeof o.metadata.name !== 'string') {
    issues.add(joinPath(path, 'metadata.name'), `expected a string, got ${describe(o.metadata.name)}`);
  } else {
    // The functions that take objects copy their metadata only: that is where prototype keys matter.
    // (Walking whole objects would cost a pass over every CRD schema, 1.2 MB, per cluster.)
    checkForbiddenKeys(o.metadata, joinPath(path, 'metadata'), issues);
  }
});

/** A list of Kubernetes objects. */
export const KUBE_OBJECTS: Shape = S.list(KUBE_OBJECT);
