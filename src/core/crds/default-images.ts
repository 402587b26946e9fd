/*
 * The images ToolHive's CRDs default to: a custom resource that leaves the field unset makes its
 * cluster pull the default. The same in every supported release (test/core/releases.test.ts reads
 * them from each release's CRDs and fails when a release adds, moves or changes one).
 */
import { mirroredImage } from '../airgap';
import { KubeObject } from '../k8s/objects';
import { deepClone, isPlainObject } from '../util';

/** An image a CRD defaults to: the kind, the field (a dotted path in the object) and the image. */
export interface CrdDefaultImage {
  /** The custom resource kind, for example `EmbeddingServer`. */
  readonly kind: string;
  /** The field the CRD defaults, as a dotted path in the object (`spec.image`). */
  readonly field: string;
  /** The image it defaults to. */
  readonly image: string;
}

/** What the CRDs of every supported release default to. */
export const CRD_DEFAULT_IMAGES: readonly CrdDefaultImage[] = [
  { kind: 'EmbeddingServer', field: 'spec.image', image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-latest' },
];

/** The CRDs' default images, through the image `registry` when there is one (what a cluster then pulls). @internal */
export function crdDefaultImages(registry: string | undefined): string[] {
  return [...new Set(CRD_DEFAULT_IMAGES.map((d) => mirroredImage(d.image, registry)))].sort();
}

/**
 * Custom resources with every field their CRD would default to an image set to that image's copy
 * under `registry` (an air gap: the public default cannot be pulled). Fields the user set stay. @internal
 */
export function withMirroredDefaultImages<T extends KubeObject>(objects: readonly T[], registry: string | undefined): T[] {
  if (registry === undefined) return [...objects];
  return objects.map((o) => {
    if (!isPlainObject(o)) return o; // (refused by the custom resource check)
    const defaults = CRD_DEFAULT_IMAGES.filter((d) => d.kind === o.kind && isToolhiveGroup(o.apiVersion));
    if (defaults.length === 0) return o;
    const copy = deepClone(o) as Record<string, unknown>;
    for (const d of defaults) {
      const keys = d.field.split('.');
      let at: Record<string, unknown> | undefined = copy;
      for (const k of keys.slice(0, -1)) {
        if (at[k] === undefined) at[k] = {};
        const next: unknown = at[k];
        at = isPlainObject(next) ? next : undefined; // (a field of the wrong type was refused by the CRD check)
        if (!at) break;
      }
      const last = keys[keys.length - 1];
      if (at && at[last] === undefined) at[last] = mirroredImage(d.image, registry);
    }
    return copy as T;
  });
}

function isToolhiveGroup(apiVersion: unknown): boolean {
  return typeof apiVersion === 'string' && apiVersion.startsWith('toolhive.stacklok.dev/');
}
