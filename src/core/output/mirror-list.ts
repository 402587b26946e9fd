/*
 * The mirror list: every image and every chart the plans make clusters (and helm) pull, as
 * data and as a text file that `crane`, `skopeo` or `helm pull` scripts read. Images are found
 * where Kubernetes and the operator take them: every `image` of a rendered object (pod specs,
 * the image-discovery Deployment, MCP servers) and every `*_IMAGE` env var; Helm releases of the
 * open source charts are rendered by the library for it, the enterprise umbrella's images are
 * read from its values where they are set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mirroredImage } from '../airgap';
import { CRD_DEFAULT_IMAGES } from '../crds/default-images';
import { ToolhiveValidationError } from '../errors';
import { gitopsClusters } from './gitops';
import { ManifestsInput } from './manifests';
import { KubeObject } from '../k8s/objects';
import { registryApiImageOf } from '../operator/chart-values';
import { renderOperatorChart } from '../operator/render';
import { Deliverable, isObjectsDeliverable } from '../plan';
import { registryServerChartDefaults, renderRegistryServerChart } from '../registry/chart';
import { DEFAULT_PGPASS_INIT_IMAGE } from '../registry/options';
import { describe } from '../rules/describe';
import { imageReferenceProblem } from '../rules/images';
import { assertShape, S } from '../rules/shape';
import { OPERATOR_CHART, RENDERED_TOOLHIVE_VERSIONS } from '../versions';

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

/** The public images the library knows, to name the source of a mirrored copy. */
function knownPublicImages(): string[] {
  const toolhive = RENDERED_TOOLHIVE_VERSIONS.flatMap((v) => ['operator', 'proxyrunner', 'vmcp'].map((n) => `ghcr.io/stacklok/toolhive/${n}:v${v}`));
  const registryApi = [...new Set(RENDERED_TOOLHIVE_VERSIONS.map(registryApiImageOf))];
  const registryServer = registryServerChartDefaults().image!.registryServerUrl!;
  return [...toolhive, ...registryApi, registryServer, DEFAULT_PGPASS_INIT_IMAGE, ...CRD_DEFAULT_IMAGES.map((d) => d.image)];
}

function sourceOf(image: string, known: readonly string[]): string | undefined {
  if (known.includes(image)) return undefined;
  return known.find((k) => image.endsWith(`/${mirroredImage(k, 'x').slice(2)}`));
}

/** Every image reference in an object: `image` fields and `*_IMAGE` env vars (CRDs hold schemas, not images). */
function imagesIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) imagesIn(item, out);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.name === 'string' && /_IMAGE$/.test(o.name) && typeof o.value === 'string' && imageReferenceProblem(o.value) === undefined) out.add(o.value);
  for (const [k, v] of Object.entries(o)) {
    // `image`, and values keys naming one (the operator chart's `toolhiveRunnerImage`, `vmcpImage`).
    const imageKey = k === 'image' || /[a-z]Image$/.test(k);
    if (imageKey && typeof v === 'string' && imageReferenceProblem(v) === undefined) {out.add(v);} else if (k === 'image' && typeof v === 'object' && v !== null) {
      // Helm values' image maps: { repository, tag } (the umbrella's), { registryServerUrl } (the Registry Server chart's).
      const img = v as Record<string, unknown>;
      if (typeof img.repository === 'string' && typeof img.tag === 'string') out.add(`${img.repository}:${img.tag}`);
      if (typeof img.registryServerUrl === 'string' && imageReferenceProblem(img.registryServerUrl) === undefined) out.add(img.registryServerUrl);
      imagesIn(v, out);
    } else if (typeof v === 'object') {
      imagesIn(v, out);
    }
  }
}

/** The objects a Helm release renders, for the open source charts the library renders; else its values. */
function renderedOrValues(d: Deliverable): unknown[] {
  if (isObjectsDeliverable(d)) return d.objects.filter((o) => o.kind !== 'CustomResourceDefinition');
  const r = d.release;
  const release = { releaseName: r.releaseName, namespace: r.namespace };
  const chart = r.repository.split('/').pop();
  try {
    if (chart === OPERATOR_CHART.name && RENDERED_TOOLHIVE_VERSIONS.includes(r.version)) {
      return renderOperatorChart(r.values as any, release, r.version);
    }
    if (chart === 'toolhive-registry-server') return renderRegistryServerChart(r.values as any, release);
  } catch {
    // Values the library did not plan: read what they name.
  }
  return chart === 'toolhive-operator-crds' ? [] : [r.values];
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
      for (const o of renderedOrValues(d)) imagesIn(o as KubeObject, found);
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
