import { KubeObject } from './objects';

/** A Namespace enforcing the Pod Security "restricted" profile. */
export function restrictedNamespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  };
}

/**
 * How a Namespace holds its pods to the Pod Security "restricted" profile: `enforce` (pods
 * that break it are refused: the library's own charts are known to meet it) or `warn-and-audit`
 * (broken rules are warned about and audited: charts the library cannot check, the enterprise umbrella's).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export type PodSecurityMode = 'enforce' | 'warn-and-audit';

/** A Namespace holding its pods to Pod Security "restricted" as `mode` says. */
export function podSecurityNamespace(name: string, mode: PodSecurityMode): KubeObject {
  if (mode === 'enforce') return restrictedNamespace(name);
  const labels = { 'kubernetes.io/metadata.name': name, 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' };
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
