import { JsonObject } from '../util';

/**
 * A Kubernetes object as plain data (what `kubectl apply` takes).
 */
export interface KubeObject extends JsonObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: { [key: string]: string };
    readonly annotations?: { [key: string]: string };
    readonly [key: string]: unknown;
  };
}

/**
 * A stable, human-readable identity for an object: `Kind/namespace/name` or `Kind/name`.
 */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${obj.kind}/${ns}/${obj.metadata.name}` : `${obj.kind}/${obj.metadata.name}`;
}
