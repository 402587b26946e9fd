/*
 * Air-gapped installs: every chart from your OCI chart mirror, every image from your image
 * registry, credentials only by reference. One option, the same on a platform and on each
 * standalone install; the planners apply it, so every delivery (cdk8s, Pulumi, files, GitOps)
 * pulls from the mirror.
 */
import * as fs from 'fs';
import { IssueCollector, joinPath } from './errors';
import { HelmReleaseSpec } from './plan';
import { describe } from './rules/describe';
import { imageReferenceProblem, imageRegistryProblem, registryHostProblem, writtenPortProblem } from './rules/images';
import { secretNameProblem } from './rules/names';
import { urlCredentials } from './rules/secrets';
import { checkShape, conforming, S, Shape } from './rules/shape';
import { isPlainObject } from './util';

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
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#static-image-discovery-for-air-gapped-installs
   */
  readonly imageRegistry?: string;
  /**
   * Secrets with the image registry's pull credentials, for every pod the install runs (and
   * the operator's MCP server workloads), unless a component sets its own.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#pull-workload-images-from-a-private-registry
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

/**
 * The host of an OCI URL as written (what helm resolves): a URL parser would normalise it first
 * (`127.1` to `127.0.0.1`, an empty port away, non-ASCII to punycode), so it is read from the text.
 */
function writtenHost(url: string): { host: string; port?: string } {
  const authority = url.slice('oci://'.length).split('/')[0];
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)!;
  return { host: m[1], port: m[2] };
}

/** Hosts that are loopback as written: what helm connects to without asking DNS. */
function isLiteralLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(host);
}

/** A registry host as helm and container runtimes take it: an ASCII DNS name, an IPv4 address or a bracketed IPv6 one. */
const WRITTEN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/** Why `url` is not an OCI base URL of a chart mirror. */
export function chartMirrorProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return `expected an OCI base URL like "oci://registry.internal/mirror", got ${describe(url)}`;
  if (!url.startsWith('oci://')) return `${JSON.stringify(url)} is not an OCI URL: expected "oci://<host>[:port][/prefix]", e.g. "oci://registry.internal/mirror"`;
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return `${JSON.stringify(url)} contains whitespace or control characters: expected "oci://<host>[:port][/prefix]"`;
  const authority = url.slice('oci://'.length).split('/')[0];
  if (authority.includes('@') || urlCredentials(url.replace(/^oci:/, 'https:'))) {
    return 'has credentials in the URL: they would be written in plain text; log in with `helm registry login` (or the framework\'s registry credentials) instead';
  }
  if (url.includes('?') || url.includes('#')) return `${JSON.stringify(url)} has a query or fragment: expected "oci://<host>[:port][/prefix]"`;
  // Checked as written, since helm gets it as written (a URL parser would normalise `127.1`, drop an
  // empty port, turn a non-ASCII host into punycode and resolve `..`).
  const { host, port } = writtenHost(url);
  if (!WRITTEN_HOST.test(host)) {
    return `${JSON.stringify(url)} does not name a registry host (lower-case ASCII letters, digits, "-" and ".", or an IP address; write an internationalised name in its xn-- form)`;
  }
  const portProblem = port === undefined ? undefined : writtenPortProblem(port);
  if (portProblem) return `${JSON.stringify(url)} ${portProblem}`;
  if (url.endsWith('/')) return `${JSON.stringify(url)} ends with "/": write the base without it`;
  const segments = url.slice('oci://'.length).split('/').slice(1);
  if (segments.some((seg) => seg === '.' || seg === '..' || seg === '')) {
    return `${JSON.stringify(url)} has an empty, "." or ".." path segment: expected "oci://<host>[:port][/prefix]"`;
  }
  const prefix = segments.join('/');
  // The path alone (the host was checked above): what a registry accepts as a repository path.
  if (prefix !== '' && registryHostProblem(`localhost/${prefix}`) !== undefined) {
    return `${JSON.stringify(url)} has a path that is not a registry path (lower-case letters, digits, ".", "_", "-", separated by "/")`;
  }
  if (/(^|\/)(toolhive-operator|toolhive-operator-crds|toolhive-registry-server|stacklok-enterprise-platform)$/.test(prefix)) {
    return `${JSON.stringify(url)} names a chart: give the mirror's base; each chart is found under it at its public path (e.g. <base>/stacklok/toolhive/toolhive-operator)`;
  }
  if (PUBLIC_CHART_HOSTS.includes(host)) return `${JSON.stringify(url)} is a public registry, not a mirror`;
  return undefined;
}

/** Why `h` is not a host or host:port to trust with plain HTTP. */
function trustedHostProblem(h: unknown): string | undefined {
  return typeof h === 'string' && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(h) ? undefined
    : `${JSON.stringify(h)} is not a host or host:port`;
}

/** The shape of {@link AirGapOptions}. @internal */
export const AIR_GAP_SHAPE: Shape = S.object({
  chartMirror: S.ruled(chartMirrorProblem),
  imageRegistry: S.ruled(imageRegistryProblem),
  imagePullSecrets: S.list(S.ruled(secretNameProblem)),
  plainHttp: S.boolean(),
  trustedHttpHosts: S.list(S.ruled(trustedHostProblem)),
  caFile: S.ruled((f: string) => (f.trim() === '' ? 'expected the path of a PEM file' : undefined)),
}, 'air gap options { chartMirror, imageRegistry, imagePullSecrets, plainHttp, trustedHttpHosts, caFile }');

/** An air gap field in an options shape: checked apart, once, by {@link resolveAirGap}. @internal */
export const AIR_GAP_FIELD: Shape = S.any();

/**
 * Problems across the air gap options' fields (after their shapes were checked). `written` is the
 * object as the user wrote it, when `a` is a copy without the fields whose shape was wrong (a
 * chartMirror given but invalid is reported once, not also as missing).
 */
function airGapIssues(a: AirGapOptions | undefined, path: string, issues: IssueCollector, written?: unknown): void {
  if (a === undefined || typeof a !== 'object' || a === null) return;
  const at = (k: string) => joinPath(path, k);
  const given = isPlainObject(written) ? written : a;
  if (a.plainHttp === true) {
    if (given.chartMirror === undefined) {issues.add(at('plainHttp'), 'only with a chartMirror (plain HTTP is for the chart mirror)');} else if (typeof a.chartMirror === 'string' && chartMirrorProblem(a.chartMirror) === undefined) {
      const { host, port } = writtenHost(a.chartMirror);
      const hostAndPort = port ? `${host}:${port}` : host;
      const trusted: unknown[] = Array.isArray(a.trustedHttpHosts) ? a.trustedHttpHosts : [];
      // (trustedHttpHosts written but of the wrong shape is reported on its own.)
      const trustedGiven = given.trustedHttpHosts;
      const trustedInvalid = trustedGiven !== undefined
        && !(Array.isArray(trustedGiven) && trustedGiven.every((h) => trustedHostProblem(h) === undefined));
      if (!trustedInvalid && !isLiteralLoopback(host) && !trusted.includes(hostAndPort) && !trusted.includes(host)) {
        issues.add(at('plainHttp'), `plain HTTP to ${hostAndPort} sends charts (and any registry login) unencrypted: only for a loopback mirror `
          + '(localhost, 127.x.y.z or [::1], as written), or a host you list in trustedHttpHosts');
      }
    }
  } else if (a.trustedHttpHosts !== undefined) {
    issues.add(at('trustedHttpHosts'), 'only with plainHttp: true');
  }
  if (typeof a.caFile === 'string' && a.caFile.trim() !== '') {
    if (a.plainHttp === true) {issues.add(at('caFile'), 'not with plainHttp (there is no TLS to verify)');} else {
      const problem = readableFileProblem(a.caFile);
      if (problem) issues.add(at('caFile'), `${JSON.stringify(a.caFile)} ${problem} (a PEM file on the machine running helm or Pulumi)`);
    }
  }
}

/** Why `file` is not a file this process can read, or undefined. */
function readableFileProblem(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'does not exist';
  }
  if (!stat.isFile()) return 'is not a file';
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return 'is not readable';
  }
  return undefined;
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

/** A chart repository through `chartMirror`: only charts of the public registries move (so mapping twice changes nothing). */
function chartThrough(repository: string, chartMirror: string | undefined): string {
  const m = /^oci:\/\/([^/]+)\/(.+)$/.exec(repository);
  if (chartMirror === undefined || !m || !PUBLIC_CHART_HOSTS.includes(m[1])) return repository;
  return `${chartMirror}/${m[2]}`;
}

/**
 * Where a chart is pulled from through `chartMirror`: the mirror's base plus the chart's public
 * path. Only charts of the public registries move (so mapping twice changes nothing).
 */
export function mirroredChartRepository(repository: string, chartMirror: string | undefined): string {
  assertMirrorArgs([['repository', repository, (r) => (typeof r === 'string' && r.trim() !== '' ? undefined : `expected an OCI chart reference, got ${describe(r)}`)],
    ['chartMirror', chartMirror, chartMirrorProblem]], 'mirroredChartRepository');
  return chartThrough(repository, chartMirror);
}

/**
 * The one image mapper: an image through an image registry (the registry's host and prefix in
 * place of the image's own host). The open source charts' default images, the CRDs' default
 * images and the enterprise umbrella's images (`enterprise.airGap`) all map through it.
 * @internal
 */
export class ImageMirror {
  /** No registry: every image as it is. */
  public static readonly NONE = new ImageMirror(undefined);

  public constructor(public readonly registry: string | undefined) {}

  /** `image` through the registry (unchanged without one). Arguments were checked by the caller. */
  public image(image: string): string {
    const registry = this.registry;
    if (registry === undefined) return image;
    const slash = image.indexOf('/');
    const first = slash < 0 ? '' : image.slice(0, slash);
    // `busybox:1` or `library/x` have no registry host: docker.io is implied, and the path keeps them.
    const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
    return `${registry}/${hasHost ? image.slice(slash + 1) : image}`;
  }
}

/** An image through `registry`: the registry host (and prefix) in place of the image's own. */
export function mirroredImage(image: string, registry: string | undefined): string {
  assertMirrorArgs([['image', image, imageReferenceProblem], ['registry', registry, registryHostProblem]], 'mirroredImage');
  return new ImageMirror(registry).image(image);
}

/**
 * An install's air gap, shape-checked and checked across fields once ({@link resolveAirGap}):
 * what its planners read. Built once per air gap the user wrote; nothing rewrites the user's
 * options or a finished plan.
 * @internal
 */
export class ResolvedAirGap {
  /** No air gap: the public registries. */
  public static readonly NONE = new ResolvedAirGap({}, true);

  /** Its images' mapper. */
  public readonly images: ImageMirror;

  /** `valid`: whether the air gap had no problem (only a valid one is handed down to the components). */
  public constructor(public readonly options: AirGapOptions, public readonly valid: boolean) {
    this.images = options.imageRegistry === undefined ? ImageMirror.NONE : new ImageMirror(options.imageRegistry);
  }

  /** The pull Secrets of every pod the install runs, unless a component names its own. */
  public get imagePullSecrets(): string[] | undefined {
    return this.options.imagePullSecrets;
  }

  /** A Helm release pulled through the chart mirror (repository, and how to reach it), when its chart is public. */
  public release<R extends HelmReleaseSpec>(release: R): R {
    const mirror = this.options.chartMirror;
    if (!mirror) return release;
    const repository = chartThrough(release.repository, mirror);
    if (!repository.startsWith(`${mirror}/`)) return release;
    return {
      ...release,
      repository,
      publicRepository: release.publicRepository ?? release.repository,
      ...(this.options.plainHttp ? { plainHttp: true } : {}),
      ...(this.options.caFile ? { caFile: this.options.caFile } : {}),
    };
  }
}

/**
 * Checks the air gap the user wrote at `path` (its shape, then the rules across its fields, each
 * problem once, recorded in `issues`) and resolves it over `inherited` (a platform's air gap,
 * whose fields the component's own fields override). Without one written, `inherited` itself.
 * @internal
 */
export function resolveAirGap(
  written: unknown, path: string, issues: IssueCollector, inherited: ResolvedAirGap = ResolvedAirGap.NONE,
): ResolvedAirGap {
  if (written === undefined) return inherited.valid ? inherited : ResolvedAirGap.NONE;
  const base = inherited.valid ? inherited.options : {};
  const found = new IssueCollector();
  checkShape(written, AIR_GAP_SHAPE, path, found);
  const own = (found.empty ? written : conforming(written, AIR_GAP_SHAPE) ?? {}) as AirGapOptions;
  const given = isPlainObject(written) ? written : {};
  airGapIssues({ ...base, ...own }, path, found, { ...base, ...given });
  issues.addAll(found.issues);
  return new ResolvedAirGap({ ...base, ...own }, found.empty);
}
