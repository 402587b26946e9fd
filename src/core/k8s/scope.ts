import { KubeObject } from './objects';
import { KUBE_OBJECT } from '../rules/kube';
import { namespaceProblem } from '../rules/names';
import { assertShape, S } from '../rules/shape';

const IN_NAMESPACE_ARGS = S.object({ obj: KUBE_OBJECT, namespace: S.ruled(namespaceProblem) }, 'arguments', ['obj', 'namespace']);

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'CustomResourceDefinition', 'APIService', 'ClusterRole', 'ClusterRoleBinding', 'CSIDriver', 'CSINode',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'VolumeAttachment', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration',
]);

/** Whether objects of this kind live outside namespaces. */
export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * What `helm install -n <namespace>` does with a namespaced object whose template sets no
 * namespace (the operator chart's HPA, for one): it lands in the release namespace.
 * Returns a copy with that namespace set; other objects are returned unchanged.
 */
export function inReleaseNamespace(obj: KubeObject, namespace: string): KubeObject {
  assertShape({ obj, namespace }, IN_NAMESPACE_ARGS, '', 'inReleaseNamespace arguments');
  if (obj.metadata.namespace || isClusterScopedKind(obj.kind)) return obj;
  const { name, ...rest } = obj.metadata;
  return { ...obj, metadata: { name, namespace, ...rest } };
}
