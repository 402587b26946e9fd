/*
 * Where Kubernetes objects and Helm values name images: one reader, used by the planners (the
 * images a Helm release pulls, from its values merged over the chart's defaults) and by the
 * mirror list (the images of rendered objects).
 */
import { imageReferenceProblem } from '../rules/images';

/**
 * Every image reference in an object or in Helm values, sorted, each once: `image` fields,
 * values keys naming one (the operator chart's `toolhiveRunnerImage`, `vmcpImage`), `*_IMAGE`
 * env vars, and Helm values' image maps (`{ repository, tag }`, `{ registryServerUrl }`).
 * Only valid references are read; CRDs hold schemas, not images, and are not entered by callers.
 */
export function imagesIn(value: unknown): string[] {
  const out = new Set<string>();
  collect(value, out);
  return [...out].sort();
}

function collect(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  const valid = (v: unknown): v is string => typeof v === 'string' && imageReferenceProblem(v) === undefined;
  if (typeof o.name === 'string' && /_IMAGE$/.test(o.name) && valid(o.value)) out.add(o.value);
  for (const [k, v] of Object.entries(o)) {
    const imageKey = k === 'image' || /[a-z]Image$/.test(k);
    if (imageKey && valid(v)) {
      out.add(v);
    } else if (k === 'image' && typeof v === 'object' && v !== null) {
      const img = v as Record<string, unknown>;
      if (typeof img.repository === 'string' && typeof img.tag === 'string') out.add(`${img.repository}:${img.tag}`);
      if (valid(img.registryServerUrl)) out.add(img.registryServerUrl);
      collect(v, out);
    } else if (typeof v === 'object') {
      collect(v, out);
    }
  }
}
