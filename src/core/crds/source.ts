import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { _fetch } from '../_fetch';
import { IssueCollector } from '../errors';
import { KubeObject } from '../k8s/objects';
import { assertShape, S } from '../rules/shape';
import { isPlainObject } from '../util';
import { RENDERED_TOOLHIVE_VERSIONS, toolhiveRelease } from '../versions';
import { CRD_FILE_NAME_PATTERN, crdFileName, crdName, TOOLHIVE_CRDS } from './catalogue';
import { deepFreeze } from '../rules/keys';

/**
 * Where the CRD YAML comes from. The library commits no upstream CRD files: it reads them
 * from a folder you have, or downloads the ones of a tagged release into a local cache.
 */
export abstract class CrdSource {
  /**
   * CRD files in a local folder, named as upstream names them
   * (`toolhive.stacklok.dev_<plural>.yaml`), for example a checkout's
   * `deploy/charts/operator-crds/files/crds`.
   */
  public static fromDirectory(directory: string): CrdSource {
    // Anything but a string (plain JavaScript callers) is reported when the source is read.
    return new DirectoryCrdSource(typeof directory === 'string' ? path.resolve(directory) : directory);
  }

  /**
   * The CRD files of a ToolHive release tag, downloaded once from the upstream repository
   * (the tagged file URLs the ToolHive docs apply with kubectl) and kept in a cache folder.
   * Offline and air-gapped builds point `TOOLHIVE_UPSTREAM_DIR` at a mirror holding
   * `toolhive-v<version>/crds/`; when set, it is the only source (a mirror without the release's
   * folder is a {@link CrdMirrorError}). The download honours `HTTPS_PROXY` and `NO_PROXY`.
   *
   * Every file, downloaded, cached or from the mirror, is checked against the sha256 digest the
   * library pins for that release ({@link TOOLHIVE_RELEASES}) before it is used or cached: a
   * file that differs is an error naming it, never a silently different schema.
   *
   * @param version a supported ToolHive release, e.g. `0.66.0`
   * @param options.cacheDir where downloads are kept
   *   (default: `$TOOLHIVE_CONSTRUCTS_CACHE` or `~/.cache/toolhive-constructs`)
   */
  public static fromRelease(version: string, options: CrdReleaseOptions = {}): CrdSource {
    return new ReleaseCrdSource(version, options);
  }

  /** The upstream URL of one CRD file of a release. */
  public static releaseFileUrl(version: string, plural: string): string {
    assertShape({ version, plural }, S.object({ version: S.string(), plural: S.string() }, 'arguments', ['version', 'plural']), '', 'CRD release file URL');
    return `https://raw.githubusercontent.com/stacklok/toolhive/refs/tags/v${version}/deploy/charts/operator-crds/files/crds/${crdFileName(plural)}`;
  }

  /** A human-readable description of where the CRDs come from. */
  public abstract readonly description: string;

  /**
   * Reads the 14 CRDs, keyed by plural. Throws one validation error naming every file
   * that is missing or is not the expected CRD.
   * @internal
   */
  public abstract load(): Map<string, KubeObject>;
}

/** Options of {@link CrdSource.fromRelease}. */
export interface CrdReleaseOptions {
  /**
   * Folder where downloaded CRD files are kept.
   * @default - `$TOOLHIVE_CONSTRUCTS_CACHE`, else `~/.cache/toolhive-constructs`
   */
  readonly cacheDir?: string;
}

class DirectoryCrdSource extends CrdSource {
  public readonly description: string;
  private cached?: Map<string, KubeObject>;

  /** @param digests the release's pinned sha256 per plural: every file must match (a release mirror) */
  constructor(private readonly directory: string, private readonly digests?: Readonly<Record<string, string>>, description?: string) {
    super();
    this.description = description ?? `CRD files in ${String(directory)}`;
  }

  public load(): Map<string, KubeObject> {
    if (!this.cached) {
      const issues = new IssueCollector();
      const texts = new Map<string, string>();
      if (typeof this.directory !== 'string') {
        issues.add('crds.source', `expected the path of a folder holding ${CRD_FILE_NAME_PATTERN} files, got ${JSON.stringify(this.directory) ?? typeof this.directory}`);
      } else if (!fs.existsSync(this.directory) || !fs.statSync(this.directory).isDirectory()) {
        issues.add('crds.source', `${this.directory} is not a folder; expected one holding ${CRD_FILE_NAME_PATTERN} files`);
      } else {
        for (const crd of TOOLHIVE_CRDS) {
          const file = path.join(this.directory, crdFileName(crd.plural));
          if (!fs.existsSync(file)) {
            issues.add(`crds.source.${crd.plural}`, `${file} does not exist`);
          } else {
            const text = readCached(file);
            const problem = this.digests ? digestProblem(text, this.digests[crd.plural], file) : undefined;
            if (problem) issues.add(`crds.source.${crd.plural}`, problem);
            else texts.set(crd.plural, text);
          }
        }
      }
      issues.throwIfAny(this.description);
      this.cached = parseCrds(texts, this.description);
    }
    return this.cached;
  }
}

class ReleaseCrdSource extends CrdSource {
  public readonly description: string;
  private cached?: Map<string, KubeObject>;

  constructor(private readonly version: string, private readonly options: CrdReleaseOptions) {
    super();
    this.description = `CRDs of ToolHive release ${String(version)}`;
  }

  public load(): Map<string, KubeObject> {
    if (!this.cached) {
      if (!RENDERED_TOOLHIVE_VERSIONS.includes(this.version)) {
        const issues = new IssueCollector();
        issues.add('crds.source', `ToolHive ${JSON.stringify(this.version)} is not a version the library renders; rendered versions: ${RENDERED_TOOLHIVE_VERSIONS.join(', ')} (deliver other versions as Helm releases)`);
        issues.throwIfAny(this.description);
      }
      const digests = toolhiveRelease(this.version)!.crdDigests;
      const mirror = process.env.TOOLHIVE_UPSTREAM_DIR;
      if (mirror) {
        // Set, the mirror is the only source: a wrong one is an error, never a silent download.
        const dir = path.join(mirror, `toolhive-v${this.version}`, 'crds');
        if (!isDirectory(dir)) throw new CrdMirrorError(mirror, dir, this.version);
        this.cached = new DirectoryCrdSource(dir, digests, `${this.description} (from TOOLHIVE_UPSTREAM_DIR, ${dir})`).load();
        return this.cached;
      }
      const base = this.options.cacheDir ?? process.env.TOOLHIVE_CONSTRUCTS_CACHE ?? path.join(os.homedir(), '.cache', 'toolhive-constructs');
      const dir = path.join(base, 'crds', this.version);
      const texts = new Map<string, string>();
      const issues = new IssueCollector();
      for (const crd of TOOLHIVE_CRDS) {
        const file = path.join(dir, crdFileName(crd.plural));
        // A cached file that no longer matches its digest is downloaded again.
        if (fs.existsSync(file) && !digestProblem(readCached(file), digests[crd.plural], file)) {
          texts.set(crd.plural, readCached(file));
          continue;
        }
        const url = CrdSource.releaseFileUrl(this.version, crd.plural);
        const text = download(url, this.version, dir);
        // Verified before it is cached or used.
        const problem = digestProblem(text, digests[crd.plural], url);
        if (problem) {
          issues.add(`crds.source.${crd.plural}`, problem);
          continue;
        }
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(`${file}.tmp`, text);
        fs.renameSync(`${file}.tmp`, file);
        texts.set(crd.plural, text);
      }
      issues.throwIfAny(this.description);
      this.cached = parseCrds(texts, this.description);
    }
    return this.cached;
  }
}

/** The ways to get a release's CRD files without the download, for the errors below. */
function waysOut(version: string, cacheDir: string | undefined): string[] {
  return [
    `  - reach ${new URL(CrdSource.releaseFileUrl(version, 'mcpservers')).host} through a proxy: set HTTPS_PROXY (and NO_PROXY for hosts to reach directly);`,
    `  - set TOOLHIVE_UPSTREAM_DIR to a folder holding toolhive-v${version}/crds/ with the release's 14 CRD files (each checked against the digest the library pins);`,
    '  - pass crds: { source: CrdSource.fromDirectory(\'<folder with the CRD files>\') };',
    `  - or copy the 14 files into the download cache${cacheDir ? `, ${cacheDir}` : ''} (TOOLHIVE_CONSTRUCTS_CACHE moves it), where they are checked the same way.`,
  ];
}

/**
 * Thrown when the CRD files of a release cannot be downloaded (offline, air-gapped, behind a
 * proxy): it names the URL tried and every way to build without the download.
 */
export class CrdDownloadError extends Error {
  /** The URL that could not be downloaded. */
  public readonly url: string;

  constructor(url: string, cause: string, version: string, cacheDir?: string) {
    super([
      `Could not download the ToolHive ${version} CRDs: ${url}: ${cause}`,
      'Get them another way:',
      ...waysOut(version, cacheDir),
    ].join('\n'));
    this.name = 'CrdDownloadError';
    this.url = url;
  }
}

/** Thrown when `TOOLHIVE_UPSTREAM_DIR` is set but holds no CRD folder for the release. */
export class CrdMirrorError extends Error {
  /** The folder that was expected. */
  public readonly folder: string;

  constructor(mirror: string, folder: string, version: string) {
    const found = isDirectory(mirror)
      ? `it holds ${listed(mirror)}`
      : 'it does not exist';
    super([
      `TOOLHIVE_UPSTREAM_DIR is ${mirror}, but ${folder} is not a folder (${found}).`,
      `A mirror holds one folder per release, toolhive-v<version>/crds/ with its 14 CRD files: add toolhive-v${version}/crds/, `
        + 'or unset TOOLHIVE_UPSTREAM_DIR to download them (the mirror, when set, is the only source).',
    ].join('\n'));
    this.name = 'CrdMirrorError';
    this.folder = folder;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function listed(dir: string): string {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch (e) {
    return `nothing readable (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  if (entries.length === 0) return 'nothing';
  return entries.slice(0, 5).join(', ') + (entries.length > 5 ? ` and ${entries.length - 5} more` : '');
}

function download(url: string, version: string, cacheDir: string): string {
  try {
    return _fetch.fetchText(url);
  } catch (e) {
    const cause = String(e instanceof Error ? e.message : e).replace(/^could not download \S+: /, '');
    throw new CrdDownloadError(url, cause, version, cacheDir);
  }
}

/** Texts already hashed, with their digest (a fleet's plans check the same 14 files once). */
const VERIFIED = new Map<string, string>();

/** Why `text` (from `where`) does not have the pinned sha256 `digest`, or undefined when it has. */
function digestProblem(text: string, digest: string | undefined, where: string): string | undefined {
  if (digest === undefined) return undefined;
  let actual = VERIFIED.get(text);
  if (actual === undefined) {
    actual = crypto.createHash('sha256').update(text).digest('hex');
    VERIFIED.set(text, actual);
  }
  if (actual === digest) return undefined;
  return `${where} has sha256 ${actual}, but the release pins ${digest}: not the released file (a changed or corrupted copy); `
    + 'delete it to download it again, or fix the mirror';
}

/**
 * Parsed CRD files, by path: a platform of hundreds of clusters reads the same 14 files for
 * every cluster, and parsing them dominates planning. A file is parsed again when its size
 * or modification time changes. The objects are shared: treat them as immutable.
 */
const PARSED = new Map<string, { readonly stamp: string; readonly text: string }>();

function readCached(file: string): string {
  const st = fs.statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = PARSED.get(file);
  if (hit && hit.stamp === stamp) return hit.text;
  const text = fs.readFileSync(file, 'utf8');
  PARSED.set(file, { stamp, text });
  return text;
}

const PARSED_TEXT = new Map<string, Record<string, any>[] | Error>();

function parseYamlCached(text: string): Record<string, any>[] | Error {
  const hit = PARSED_TEXT.get(text);
  if (hit) return hit;
  // Loaded on first use: planning without CRD files never pays for the YAML parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  const errors = docs.flatMap((d) => d.errors);
  const result = errors.length > 0
    ? new Error(errors[0].message)
    : docs.map((d) => d.toJS()).filter((o): o is Record<string, any> => isPlainObject(o));
  PARSED_TEXT.set(text, result);
  return result;
}

function parseCrds(texts: Map<string, string>, description: string): Map<string, KubeObject> {
  const issues = new IssueCollector();
  const out = new Map<string, KubeObject>();
  for (const [plural, text] of texts) {
    const where = `crds.source.${plural}`;
    const parsed = parseYamlCached(text);
    if (parsed instanceof Error) {
      issues.add(where, `not valid YAML: ${parsed.message}`);
      continue;
    }
    const objects = parsed;
    const crd = objects.find((o) => o.kind === 'CustomResourceDefinition');
    if (objects.length !== 1 || !crd) {
      issues.add(where, 'expected exactly one CustomResourceDefinition document');
    } else if (crd.metadata?.name !== crdName(plural)) {
      issues.add(where, `expected the CRD ${crdName(plural)}, found ${JSON.stringify(crd.metadata?.name)}`);
    } else {
      // Shared by every cluster's plan: frozen, so no caller can change another cluster's CRDs,
      // and so shape checks walk it once per process.
      deepFreeze(crd.spec);
      out.set(plural, crd as KubeObject);
    }
  }
  issues.throwIfAny(description);
  return out;
}
