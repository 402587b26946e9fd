/*
 * Air-gapped installs: every chart from your OCI chart mirror, every image from your image
 * registry, credentials only by reference. One option, the same on a platform and on each
 * standalone install; the planners apply it, so every delivery (cdk8s, Pulumi, files, GitOps)
 * pulls from the mirror.
 */
import * as fs from 'fs';
import { IssueCollector, joinPath } from './errors';
import { Deliverable } from './plan';
import { describe } from './rules/describe';
import { imageReferenceProblem, registryHostProblem } from './rules/images';
import { secretNameProblem } from './rules/names';
import { urlCredentials } from './rules/secrets';
import { checkShape, S, Shape } from './rules/shape';
import { isLoopbackHost } from './rules/urls';

/** Where an air-gapped install pulls its charts and images from. */
export interface AirGapOptions {
  /**
   * OCI base URL of your chart mirror, e.g. `oci://registry.internal/mirror`. Each chart is
   * pulled from the mirror at its public path: `oci://ghcr.io/stacklok/toolhive/toolhive-operator`
   * from `<chartMirror>/stacklok/toolhive/toolhive-operator` (what `helm push` of the pulled
   * chart to `<chartMirror>/stacklok/toolhive` gives). No credentials in it: log in with
   * `helm registry login` where helm runs, or give the frameworks' own credentials (Pulumi:
   * the provider's `helmReleaseSettings.registryConfigPath`; Flux: `chartRegistrySecrets`).
   * @default - the public registries
   */
  readonly chartMirror?: string;
  /**
   * Registry host (and path prefix) of your image mirror, e.g. `registry.internal/mirror`: every
   * default image keeps its path under it (`ghcr.io/stacklok/toolhive/operator:v0.44.0` becomes
   * `registry.internal/mirror/stacklok/toolhive/operator:v0.44.0`). Images given explicitly are
   * used as they are.
   * @default - the public registries
   */
  readonly imageRegistry?: string;
  /**
   * Secrets with the image registry's pull credentials, for every pod the install runs (and
   * the operator's MCP server workloads), unless a component sets its own.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Plain HTTP to the chart mirror (`helm --plain-http`): only for a loopback mirror, or one
   * whose host is in `trustedHttpHosts`.
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * Hosts (`host` or `host:port`) you trust over plain HTTP (a registry inside your network).
   * @default - none: only loopback
   */
  readonly trustedHttpHosts?: string[];
  /**
   * CA bundle (a PEM file on the machine running helm or Pulumi) that signs the chart mirror's
   * TLS certificate, when the system's trust store does not.
   * @default - the system's trust store
   */
  readonly caFile?: string;
}

/** The public chart registries' hosts (what a chart mirror replaces). */
const PUBLIC_CHART_HOSTS = ['ghcr.io', 'oci.stacklok.com'];

function hostPort(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/** Why `url` is not an OCI base URL of a chart mirror. */
export function chartMirrorProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return `expected an OCI base URL like "oci://registry.internal/mirror", got ${describe(url)}`;
  if (!url.startsWith('oci://')) return `${JSON.stringify(url)} is not an OCI URL: expected "oci://<host>[:port][/prefix]", e.g. "oci://registry.internal/mirror"`;
  let u: URL;
  try {
    u = new URL(`https://${url.slice('oci://'.length)}`);
  } catch {
    return `${JSON.stringify(url)} is not an OCI URL: expected "oci://<host>[:port][/prefix]"`;
  }
  if (u.username || u.password || urlCredentials(url.replace(/^oci:/, 'https:'))) {
    return 'has credentials in the URL: they would be written in plain text; log in with `helm registry login` (or the framework\'s registry credentials) instead';
  }
  if (u.search || u.hash || url.includes('?') || url.includes('#')) return `${JSON.stringify(url)} has a query or fragment: expected "oci://<host>[:port][/prefix]"`;
  if (url.endsWith('/')) return `${JSON.stringify(url)} ends with "/": write the base without it`;
  const prefix = u.pathname.replace(/^\//, '');
  if (prefix !== '' && registryHostProblem(`${u.hostname}/${prefix}`) !== undefined) {
    return `${JSON.stringify(url)} has a path that is not a registry path (lower-case letters, digits, ".", "_", "-", separated by "/")`;
  }
  if (/(^|\/)(toolhive-operator|toolhive-operator-crds|toolhive-registry-server|stacklok-enterprise-platform)$/.test(prefix)) {
    return `${JSON.stringify(url)} names a chart: give the mirror's base; each chart is found under it at its public path (e.g. <base>/stacklok/toolhive/toolhive-operator)`;
  }
  if (PUBLIC_CHART_HOSTS.includes(u.hostname)) return `${JSON.stringify(url)} is a public registry, not a mirror`;
  return undefined;
}

/** The shape of {@link AirGapOptions}. @internal */
export const AIR_GAP_SHAPE: Shape = S.object({
  chartMirror: S.ruled(chartMirrorProblem),
  imageRegistry: S.ruled(registryHostProblem),
  imagePullSecrets: S.list(S.ruled(secretNameProblem)),
  plainHttp: S.boolean(),
  trustedHttpHosts: S.list(S.ruled((h: string) => (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(h) ? undefined
    : `${JSON.stringify(h)} is not a host or host:port`))),
  caFile: S.ruled((f: string) => (f.trim() === '' ? 'expected the path of a PEM file' : undefined)),
}, 'air gap options { chartMirror, imageRegistry, imagePullSecrets, plainHttp, trustedHttpHosts, caFile }');

/** Problems across the air gap options' fields (after their shapes were checked). @internal */
export function airGapIssues(a: AirGapOptions | undefined, path: string, issues: IssueCollector): void {
  if (a === undefined || typeof a !== 'object' || a === null) return;
  const at = (k: string) => joinPath(path, k);
  if (a.plainHttp === true) {
    if (a.chartMirror === undefined) {issues.add(at('plainHttp'), 'only with a chartMirror (plain HTTP is for the chart mirror)');} else if (chartMirrorProblem(a.chartMirror) === undefined) {
      const u = new URL(`https://${a.chartMirror.slice('oci://'.length)}`);
      const trusted = a.trustedHttpHosts ?? [];
      if (!isLoopbackHost(u.hostname) && !trusted.includes(hostPort(u)) && !trusted.includes(u.hostname)) {
        issues.add(at('plainHttp'), `plain HTTP to ${hostPort(u)} sends charts (and any registry login) unencrypted: only for a loopback mirror, `
          + 'or a host you list in trustedHttpHosts');
      }
    }
  } else if (a.trustedHttpHosts !== undefined) {
    issues.add(at('trustedHttpHosts'), 'only with plainHttp: true');
  }
  if (typeof a.caFile === 'string' && a.caFile.trim() !== '') {
    if (a.plainHttp === true) issues.add(at('caFile'), 'not with plainHttp (there is no TLS to verify)');
    else if (!fs.existsSync(a.caFile)) issues.add(at('caFile'), `${JSON.stringify(a.caFile)} does not exist (a PEM file on the machine running helm or Pulumi)`);
  }
}

/** The arguments' problems, as one validation error (the first is required, the others optional). */
function assertMirrorArgs(args: [string, unknown, (v: any) => string | undefined][], subject: string): void {
  const issues = new IssueCollector();
  args.forEach(([name, value, rule], i) => {
    if (value === undefined && i > 0) return;
    const problem = rule(value);
    if (problem) issues.add(name, problem);
  });
  issues.throwIfAny(subject);
}

/**
 * Where a chart is pulled from through `chartMirror`: the mirror's base plus the chart's public
 * path. Only charts of the public registries move (so mapping twice changes nothing).
 */
export function mirroredChartRepository(repository: string, chartMirror: string | undefined): string {
  assertMirrorArgs([['repository', repository, (r) => (typeof r === 'string' ? undefined : `expected an OCI chart reference, got ${describe(r)}`)],
    ['chartMirror', chartMirror, chartMirrorProblem]], 'mirroredChartRepository');
  const m = /^oci:\/\/([^/]+)\/(.+)$/.exec(repository);
  if (chartMirror === undefined || !m || !PUBLIC_CHART_HOSTS.includes(m[1])) return repository;
  return `${chartMirror}/${m[2]}`;
}

/** An image through `registry`: the registry host (and prefix) in place of the image's own. */
export function mirroredImage(image: string, registry: string | undefined): string {
  assertMirrorArgs([['image', image, imageReferenceProblem], ['registry', registry, registryHostProblem]], 'mirroredImage');
  if (registry === undefined) return image;
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  // `busybox:1` or `library/x` have no registry host: docker.io is implied, and the path keeps them.
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  return `${registry}/${hasHost ? image.slice(slash + 1) : image}`;
}

/**
 * A platform's air gap handed to each cluster's operator and Registry Server (their own fields
 * win), when it is valid itself (its problems are reported once, at `airGap`). @internal
 */
export function withPlatformAirGap<T>(spec: T): T {
  const s = spec as any;
  if (typeof s !== 'object' || s === null || typeof s.airGap !== 'object' || s.airGap === null) return spec;
  const found = new IssueCollector();
  checkShape(s.airGap, AIR_GAP_SHAPE, 'airGap', found);
  airGapIssues(s.airGap, 'airGap', found);
  if (!found.empty || typeof s.clusters !== 'object' || s.clusters === null || Array.isArray(s.clusters)) return spec;
  const clusters: Record<string, unknown> = Object.create(null);
  for (const [name, c] of Object.entries(s.clusters as Record<string, any>)) {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      clusters[name] = c;
      continue;
    }
    const merged: Record<string, unknown> = { ...c };
    for (const field of ['toolhiveOperator', 'registryServer']) {
      const component = c[field];
      if (typeof component === 'object' && component !== null && !Array.isArray(component)) {
        const own = typeof component.airGap === 'object' && component.airGap !== null ? component.airGap : {};
        merged[field] = { ...component, airGap: { ...s.airGap, ...own } };
      }
    }
    clusters[name] = merged;
  }
  return { ...s, clusters: Object.assign({}, clusters) } as T;
}

/** The plan's Helm releases pulled through the mirror (repository, and how to reach it). @internal */
export function withChartMirror(deliverables: readonly Deliverable[], airGap: AirGapOptions | undefined): Deliverable[] {
  if (!airGap?.chartMirror) return [...deliverables];
  const mirror = airGap.chartMirror;
  return deliverables.map((d) => {
    if (d.type !== 'helm-release') return d;
    const repository = mirroredChartRepository(d.release.repository, mirror);
    if (!repository.startsWith(`${mirror}/`)) return d;
    return {
      ...d,
      release: {
        ...d.release,
        repository,
        publicRepository: d.release.publicRepository ?? d.release.repository,
        ...(airGap.plainHttp ? { plainHttp: true } : {}),
        ...(airGap.caFile ? { caFile: airGap.caFile } : {}),
      },
    };
  });
}
