/*
 * The mirror list: every image and every chart the plans make clusters (and helm) pull, as
 * data and as a text file that `crane`, `skopeo` or `helm pull` scripts read. Images are found
 * where Kubernetes and the operator take them: every `image` of a rendered object (pod specs,
 * the image-discovery Deployment, MCP servers) and every `*_IMAGE` env var (k8s/images.ts); a
 * Helm release's images are the ones its planner stated (`release.images`). The list only reads
 * plans: it renders nothing and recognises no chart by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mirroredImage } from '../airgap';
import { ToolhiveValidationError } from '../errors';
import { gitopsClusters } from './gitops';
import { ManifestsInput } from './manifests';
import { imagesIn } from '../k8s/images';
import { Deliverable, isObjectsDeliverable } from '../plan';
import { knownPublicImages } from '../public-images';
import { describe } from '../rules/describe';
import { assertShape, S } from '../rules/shape';

/** An image the plans pull. */
export interface MirrorImage {
  /** The reference as the clusters pull it (your mirror's, when the plans are air-gapped). */
  readonly image: string;
  /**
   * Its public source, when `image` is a mirror's copy of a known public image.
   * @default - none: `image` is public, or not one the library knows
   */
  readonly source?: string;
}

/** A chart the plans pull. */
export interface MirrorChart {
  /** The OCI reference helm pulls (your mirror's, when air-gapped). */
  readonly repository: string;
  /** The chart version. */
  readonly version: string;
  /**
   * Its public source, when `repository` is a mirror's copy.
   * @default - none: `repository` is the public one
   */
  readonly source?: string;
}

/** What to mirror: images and charts, sorted, each once. */
export interface MirrorList {
  /** The images, sorted by reference. */
  readonly images: readonly MirrorImage[];
  /** The charts, sorted by repository, then version (as text). */
  readonly charts: readonly MirrorChart[];
}

const MIRROR_LIST_SHAPE = S.object({
  images: S.list(S.object({ image: S.string(), source: S.string() }, 'an image { image, source }', ['image'])),
  charts: S.list(S.object({ repository: S.string(), version: S.string(), source: S.string() }, 'a chart { repository, version, source }', ['repository', 'version'])),
}, 'a mirror list { images, charts } (from mirrorList)', ['images', 'charts']);

function sourceOf(image: string, known: readonly string[]): string | undefined {
  if (known.includes(image)) return undefined;
  return known.find((k) => image.endsWith(`/${mirroredImage(k, 'x').slice(2)}`));
}

/**
 * The images a deliverable makes a cluster pull, as its plan states them: the images of its
 * objects (CRDs hold schemas, not images), or the images its Helm release names (planned with
 * the release; a plan written before the release carried them: the images its values name).
 */
function imagesOf(d: Deliverable): readonly string[] {
  if (isObjectsDeliverable(d)) return imagesIn(d.objects.filter((o) => o.kind !== 'CustomResourceDefinition'));
  return d.release.images ?? imagesIn(d.release.values);
}

/**
 * Every image and chart the plans of `input` (a platform's plan, or cluster plans) pull.
 * Plan with your `airGap` options, and the list names your mirror's references, each with the
 * public one to copy it from.
 */
export function mirrorList(input: ManifestsInput): MirrorList {
  const clusters = gitopsClusters(input); // validates the input
  const found = new Set<string>();
  const charts = new Map<string, MirrorChart>();
  for (const c of clusters) {
    for (const d of c.deliverables) {
      for (const image of imagesOf(d)) found.add(image);
      for (const image of d.defaultImages ?? []) found.add(image);
      if (!isObjectsDeliverable(d)) {
        const r = d.release;
        const source = r.publicRepository && r.publicRepository !== r.repository ? r.publicRepository : undefined;
        charts.set(`${r.repository} ${r.version}`, { repository: r.repository, version: r.version, ...(source ? { source } : {}) });
      }
    }
  }
  const known = knownPublicImages();
  const images = [...found].sort().map((image) => {
    const source = sourceOf(image, known);
    return source ? { image, source } : { image };
  });
  return { images, charts: [...charts.keys()].sort().map((k) => charts.get(k)!) };
}

/** The mirror list as text: one `image <ref> [<source>]` or `chart <oci-ref> <version> [<source>]` line each. */
export function mirrorListText(list: MirrorList): string {
  assertShape(list, MIRROR_LIST_SHAPE, 'list', 'mirror list');
  return [
    '# Written by toolhive-constructs: every image and chart the plans pull.',
    '#   image <reference the clusters pull> [<public source to copy it from>]',
    '#   chart <OCI reference helm pulls> <version> [<public source to copy it from>]',
    ...list.images.map((i) => `image ${i.image}${i.source ? ` ${i.source}` : ''}`),
    ...list.charts.map((c) => `chart ${c.repository} ${c.version}${c.source ? ` ${c.source}` : ''}`),
    '',
  ].join('\n');
}

/** Writes {@link mirrorListText} of `input` to `file`; nothing is written when the input is invalid. */
export function writeMirrorList(input: ManifestsInput, file: string): MirrorList {
  const list = mirrorList(input);
  if (typeof file !== 'string' || file.trim() === '') {
    throw new ToolhiveValidationError([{ path: 'file', message: `expected the path of the text file to write, got ${describe(file)}` }], 'mirror list');
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, mirrorListText(list));
  return list;
}
