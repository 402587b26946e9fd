import { KubeObject } from '../k8s/objects';

/**
 * The kind order Helm 3 installs (and `helm template` prints) manifests in.
 * Kinds not in the list come last, alphabetically.
 * @internal
 */
export const HELM_INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList',
  'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList',
  'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

/**
 * A rendered document and the template file it came from.
 * @internal
 */
export interface TemplateOutput {
  /** Template path inside the chart, for example `templates/deployment.yaml`. */
  readonly template: string;
  /** The documents that template rendered, in order. */
  readonly objects: readonly KubeObject[];
}

/**
 * Orders rendered documents the way Helm does: template files by path, documents in
 * file order, then a stable sort by kind along {@link HELM_INSTALL_ORDER}.
 * @internal
 */
export function helmInstallOrder(outputs: readonly TemplateOutput[]): KubeObject[] {
  const files = [...outputs].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  const docs = files.flatMap((f) => f.objects);
  const rank = (kind: string) => {
    const i = HELM_INSTALL_ORDER.indexOf(kind);
    return i < 0 ? HELM_INSTALL_ORDER.length : i;
  };
  return docs
    .map((obj, index) => ({ obj, index }))
    .sort((a, b) => {
      const ra = rank(a.obj.kind);
      const rb = rank(b.obj.kind);
      if (ra !== rb) return ra - rb;
      if (ra === HELM_INSTALL_ORDER.length && a.obj.kind !== b.obj.kind) return a.obj.kind < b.obj.kind ? -1 : 1;
      return a.index - b.index;
    })
    .map((x) => x.obj);
}
