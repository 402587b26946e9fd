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
  // Total: it names whatever it is given (messages about malformed objects use it too).
  const o = obj as Partial<KubeObject> | null | undefined;
  const ns = o?.metadata?.namespace;
  return ns ? `${o?.kind}/${ns}/${o?.metadata?.name}` : `${o?.kind}/${o?.metadata?.name}`;
}
