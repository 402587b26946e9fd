import { createHash } from 'crypto';
import { KubeObject } from './objects';
import { KUBE_OBJECTS } from '../rules/kube';
import { labelValueProblem } from '../rules/labels';
import { assertShape, S } from '../rules/shape';

const LABEL_VALUE_ARGS = S.object({ namespace: S.string(), releaseName: S.string() }, 'arguments', ['namespace', 'releaseName']);
const WITH_LABEL_ARGS = S.object({ objects: KUBE_OBJECTS, value: S.ruled(labelValueProblem) }, 'arguments', ['objects', 'value']);

/**
 * The label the library sets on every object it renders, naming the install it belongs to
 * (`<namespace>.<release>`), so objects a later plan no longer renders can be found and pruned
 * (`kubectl apply --prune -l`, or by listing the PRUNABLE_KINDS with the label).
 */
export const INSTALL_LABEL = 'toolhive-constructs.dev/install';

/**
 * The kinds worth pruning by {@link INSTALL_LABEL}, dependents first. Namespaces and CRDs are
 * never pruned (deleting them deletes everything in them), nor anything annotated
 * `helm.sh/resource-policy: keep`.
 */
export const PRUNABLE_KINDS: readonly { readonly apiVersion: string; readonly kind: string }[] = [
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
];

/** The install label's value: `<namespace>.<release>`, shortened with a hash above 63 characters. */
export function installLabelValue(namespace: string, releaseName: string): string {
  assertShape({ namespace, releaseName }, LABEL_VALUE_ARGS, '', 'installLabelValue arguments');
  const value = `${namespace}.${releaseName}`;
  if (value.length <= 63) return value;
  return `${value.slice(0, 52)}-${createHash('sha256').update(value).digest('hex').slice(0, 10)}`;
}

/** Copies of `objects` carrying the install label. */
export function withInstallLabel(objects: readonly KubeObject[], value: string): KubeObject[] {
  assertShape({ objects, value }, WITH_LABEL_ARGS, '', 'withInstallLabel arguments');
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), [INSTALL_LABEL]: value } } }));
}
