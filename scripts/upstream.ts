/*
 * ToolHive releases as data: fetches a release's charts and CRDs from its Go module
 * (github.com/stacklok/toolhive@vX.Y.Z, through the Go command and the module proxy), verifies
 * them against the pinned release table (src/core/release-table.ts: the module's go.sum hash and
 * every CRD file's sha256), and lays them out in the git-ignored cache the tests read:
 *
 *   .cache/upstream/toolhive-vX.Y.Z/
 *     crds/                          the 14 CRD files (deploy/charts/operator-crds/files/crds)
 *     charts/operator/               the operator chart as published (appVersion without the `v`)
 *     charts/operator-crds/          the CRD chart as published
 *     unittest/operator/             the charts' own helm-unittest suites (tests/)
 *     unittest/operator-crds/
 *     operator-chart-values.yaml     the charts' values.yaml
 *     operator-crds-chart-values.yaml
 *     release.json                   version, date, module hash: written last, the stamp
 *
 *   ts-node scripts/upstream.ts fetch [X.Y.Z ...]   fetch and verify (default: every supported release)
 *
 * Adding a release and regenerating the table are scripts/upstream-add.ts's (it uses this file;
 * this file does not use it).
 *
 * Nothing fetched here is committed: only the facts in release-table.ts (versions, dates, digests).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { crdFileName, TOOLHIVE_CRDS } from '../src/core/crds/catalogue';
import { TOOLHIVE_RELEASES, ToolhiveRelease } from '../src/core/release-table';

const ROOT = path.resolve(__dirname, '..');
/** The cache the tests read releases from. */
export const UPSTREAM_CACHE = path.join(process.env.TOOLHIVE_CONSTRUCTS_CACHE ?? path.join(ROOT, '.cache'), 'upstream');
const MODULE = 'github.com/stacklok/toolhive';
/** Module commands of newer releases need a newer Go than the machine's (the module's go directive). */
const NEWER_TOOLCHAIN = 'go1.27.3';
const STAMP = 'release.json';

/** What the Go command reports for a downloaded module. */
interface ModuleDownload {
  readonly Dir: string;
  readonly Info: string;
  readonly Sum: string;
  readonly Error?: string;
}

/** The cached folder of a release. */
export function releaseDir(version: string): string {
  return path.join(UPSTREAM_CACHE, `toolhive-v${version}`);
}

function cmpVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function downloadModule(version: string): ModuleDownload {
  const scratch = path.join(UPSTREAM_CACHE, '.gomod');
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(path.join(scratch, 'go.mod'), 'module toolhive-constructs.dev/upstream-scratch\n\ngo 1.26\n');
  const run = (env: NodeJS.ProcessEnv) => spawnSync('go', ['mod', 'download', '-json', `${MODULE}@v${version}`], { cwd: scratch, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  let r = run({ ...process.env, GOFLAGS: '-mod=mod' });
  // Newer releases declare a newer Go than the machine's: the Go command fetches that toolchain
  // (a module on the proxy too) when asked to.
  if (/requires go (>|\\u003e)=/.test(r.stdout + r.stderr)) r = run({ ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: NEWER_TOOLCHAIN });
  let out: ModuleDownload | undefined;
  try {
    out = JSON.parse(r.stdout) as ModuleDownload;
  } catch {
    out = undefined;
  }
  if (r.error || !out || out.Error || r.status !== 0) {
    const why = out?.Error ?? r.error?.message ?? (r.stderr || r.stdout).trim();
    throw new Error(`could not download ${MODULE}@v${version} with the Go command (the module proxy): ${why}`);
  }
  return out;
}

/** sha256 of a file, hex. */
export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function copyDir(from: string, to: string, skip: (name: string) => boolean = () => false): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyDir(src, dst);
    } else {
      fs.copyFileSync(src, dst);
      fs.chmodSync(dst, 0o644);
    }
  }
}

/** The published chart's Chart.yaml: the release pipeline strips the `v` of appVersion. */
function publishChartYaml(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/^appVersion: "v(\d+\.\d+\.\d+)"$/m, 'appVersion: "$1"'));
}

/** What the cache holds for a release, read back from its files. */
export interface FetchedRelease {
  readonly version: string;
  readonly date: string;
  readonly goSum: string;
  readonly operatorChartVersion: string;
  readonly crdsChartVersion: string;
  readonly crdDigests: Readonly<Record<string, string>>;
}

function chartVersion(chartDir: string): string {
  const m = /^version: *"?([^"\s]+)"?$/m.exec(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'));
  if (!m) throw new Error(`${chartDir}/Chart.yaml has no version`);
  return m[1];
}

/** Reads the facts of a cached release (its stamp and its files). */
export function readFetched(version: string): FetchedRelease {
  const dir = releaseDir(version);
  const stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8')) as { version: string; date: string; goSum: string };
  const crdDigests: Record<string, string> = {};
  for (const crd of TOOLHIVE_CRDS) crdDigests[crd.plural] = sha256(path.join(dir, 'crds', crdFileName(crd.plural)));
  return {
    version: stamp.version,
    date: stamp.date,
    goSum: stamp.goSum,
    operatorChartVersion: chartVersion(path.join(dir, 'charts', 'operator')),
    crdsChartVersion: chartVersion(path.join(dir, 'charts', 'operator-crds')),
    crdDigests,
  };
}

/** Why a fetched release differs from its pinned row, or undefined when it matches. */
function mismatch(fetched: FetchedRelease, pinned: ToolhiveRelease): string | undefined {
  const problems: string[] = [];
  if (fetched.goSum !== pinned.goSum) problems.push(`module hash ${fetched.goSum}, pinned ${pinned.goSum}`);
  for (const crd of TOOLHIVE_CRDS) {
    if (fetched.crdDigests[crd.plural] !== pinned.crdDigests[crd.plural]) {
      problems.push(`${crdFileName(crd.plural)} sha256 ${fetched.crdDigests[crd.plural]}, pinned ${pinned.crdDigests[crd.plural]}`);
    }
  }
  if (fetched.operatorChartVersion !== pinned.operatorChartVersion) problems.push(`operator chart ${fetched.operatorChartVersion}, pinned ${pinned.operatorChartVersion}`);
  if (fetched.crdsChartVersion !== pinned.crdsChartVersion) problems.push(`CRD chart ${fetched.crdsChartVersion}, pinned ${pinned.crdsChartVersion}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * Makes sure the cache holds `version`, verified against the release table (unless `trustNew`,
 * for a release not pinned yet: then the Go checksum database is the only check). Returns its folder.
 */
export function ensureRelease(version: string, options: { trustNew?: boolean } = {}): string {
  const pinned = TOOLHIVE_RELEASES.find((r) => r.version === version);
  if (!pinned && !options.trustNew) {
    throw new Error(`ToolHive ${version} is not in the release table (src/core/release-table.ts); add it with \`npm run upstream:add -- ${version}\``);
  }
  const dir = releaseDir(version);
  if (fs.existsSync(path.join(dir, STAMP))) {
    if (!pinned) return dir;
    const why = mismatch(readFetched(version), pinned);
    if (!why) return dir;
    // A cache that no longer matches its pin is fetched again (and fails below if the module does too).
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const mod = downloadModule(version);
  const info = JSON.parse(fs.readFileSync(mod.Info, 'utf8')) as { Time: string };
  const charts = path.join(mod.Dir, 'deploy', 'charts');
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const chartSkip = (name: string) => ['tests', 'ci', 'README.md', 'README.md.gotmpl', 'CONTRIBUTING.md'].includes(name);
  for (const chart of ['operator', 'operator-crds']) {
    copyDir(path.join(charts, chart), path.join(tmp, 'charts', chart), chartSkip);
    publishChartYaml(path.join(tmp, 'charts', chart, 'Chart.yaml'));
    if (fs.existsSync(path.join(charts, chart, 'tests'))) copyDir(path.join(charts, chart, 'tests'), path.join(tmp, 'unittest', chart));
    fs.copyFileSync(path.join(charts, chart, 'values.yaml'), path.join(tmp, `${chart}-chart-values.yaml`));
  }
  copyDir(path.join(charts, 'operator-crds', 'files', 'crds'), path.join(tmp, 'crds'));
  fs.writeFileSync(path.join(tmp, STAMP), `${JSON.stringify({ version, date: info.Time.slice(0, 10), goSum: mod.Sum }, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  if (pinned) {
    const why = mismatch(readFetched(version), pinned);
    if (why) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`ToolHive ${version} from the module proxy does not match the release table: ${why}`);
    }
  }
  return dir;
}

/** Fetches and verifies every supported release (or the ones named). */
export function ensureReleases(versions: readonly string[] = TOOLHIVE_RELEASES.map((r) => r.version)): string[] {
  return versions.map((v) => ensureRelease(v));
}

function main(argv: string[]): void {
  const [command, ...args] = argv;
  if (command === 'fetch') {
    for (const dir of ensureReleases(args.length > 0 ? args : undefined)) console.log(dir);
    return;
  }
  console.error('usage: upstream.ts fetch [X.Y.Z ...] (adding a release: scripts/upstream-add.ts)');
  process.exit(2);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`upstream: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

// Used by upstream-add.ts.
export { cmpVersions, execFileSync };
