/*
 * Container image references and registry hosts, with the grammar of the distribution
 * reference library (what container runtimes parse).
 */
import { describe } from './describe';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** Why `ref` is not a valid image reference (`[registry/]repository[:tag][@digest]`). */
export function imageReferenceProblem(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return `expected an image reference, got ${describe(ref)}`;
  if (ref === '') return 'an image reference cannot be empty';
  if (ref.length > 255 + 128 + 80) return 'is too long for an image reference';
  if (!REFERENCE.test(ref)) {
    return `${JSON.stringify(ref)} is not a valid image reference: expected [registry[:port]/]repository[:tag][@sha256:digest], the repository in lower case, e.g. "ghcr.io/stacklok/toolhive/operator:v0.44.0"`;
  }
  return undefined;
}

const REGISTRY_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * Why `host` is not a registry host (with an optional port and path prefix) that can replace
 * `ghcr.io` in image references: no scheme, no trailing slash, lower case.
 */
export function registryHostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `expected a registry host, got ${describe(host)}`;
  if (!REGISTRY_HOST.test(host)) {
    return `${JSON.stringify(host)} is not a registry host; expected e.g. "registry.example.com" or "registry.example.com:5000/mirror" (no scheme, no trailing slash)`;
  }
  return undefined;
}

/** Why a port as written is not one helm and runtimes read as the same number (1 to 65535, no leading zero). */
export function writtenPortProblem(port: string): string | undefined {
  return /^[1-9]\d{0,4}$/.test(port) && Number(port) <= 65535 ? undefined : `has an invalid port ${JSON.stringify(port)}: expected 1 to 65535, without leading zeros`;
}

/**
 * Why `registry` is not an image mirror: a registry host (with a `.` or a port, or `localhost`),
 * optionally with a path. Without one, `mirror/x` would be read as a Docker Hub repository.
 */
export function imageRegistryProblem(registry: unknown): string | undefined {
  const problem = registryHostProblem(registry);
  if (problem) return problem;
  const first = (registry as string).split('/')[0];
  const port = /:([^:\]]*)$/.exec(first)?.[1];
  const portProblem = port === undefined ? undefined : writtenPortProblem(port);
  if (portProblem) return `${JSON.stringify(registry)} ${portProblem}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') {
    return `${JSON.stringify(registry)} does not start with a registry host ("registry.internal", "host:5000" or "localhost"): `
      + `images under it would be pulled from Docker Hub (docker.io/${registry}/...)`;
  }
  return undefined;
}
