import { JsonObject } from '../util';

/**
 * A Kubernetes object as plain data (what `kubectl apply` takes).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/
 */
export interface KubeObject extends JsonObject {
  /** The API group and version, for example `apps/v1` or `v1`. */
  readonly apiVersion: string;
  /** The kind, for example `Deployment`. */
  readonly kind: string;
  /**
   * The object's metadata.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/
   */
  readonly metadata: {
    /**
     * The object's name, unique per kind and namespace.
     * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
     */
    readonly name: string;
    /**
     * The namespace of a namespaced object.
     * @default - none: a cluster-scoped object (the default namespace of the client applying it, for a namespaced kind)
     * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
     */
    readonly namespace?: string;
    /**
     * Labels, which selectors match.
     * @default - none
     * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
     */
    readonly labels?: { [key: string]: string };
    /**
     * Annotations: non-identifying metadata for tools.
     * @default - none
     * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
     */
    readonly annotations?: { [key: string]: string };
    readonly [key: string]: unknown;
  };
}

/**
 * A stable, human-readable identity for an object: `Kind/namespace/name` or `Kind/name`.
 */
export function objectKey(obj: KubeObject): string {
  // Total: it names whatever it is given (messages about malformed objects use it too).
  const o = obj as Partial<KubeObject> | null | undefined;
  const ns = o?.metadata?.namespace;
  return ns ? `${o?.kind}/${ns}/${o?.metadata?.name}` : `${o?.kind}/${o?.metadata?.name}`;
}
