/*
 * The release table's generator and `upstream:add` (see scripts/upstream.ts):
 *
 *   npm run upstream:add -- 0.67.0            fetch, pin, regenerate, report, run the release's suites
 *   npm run upstream:add -- 0.59.0 --dry-run  only the report (against the release before it when
 *                                             it is already supported), nothing written or run
 *   ts-node scripts/upstream-add.ts table     regenerate src/core/release-table.ts from the cache
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FieldSchema, schemaFieldPaths } from './gen-field-history';
import { cmpVersions, ensureRelease, readFetched } from './upstream';
import { crdFileName, TOOLHIVE_CRDS } from '../src/core/crds/catalogue';
import { operatorChartDefaults } from '../src/core/operator/chart-values';
import { OPERATOR_TEMPLATE_HISTORY } from '../src/core/operator/render';
import { TOOLHIVE_RELEASES } from '../src/core/release-table';

const ROOT = path.resolve(__dirname, '..');
const TABLE_FILE = path.join(ROOT, 'src', 'core', 'release-table.ts');

/** Writes src/core/release-table.ts for `versions` (fetched first; releases not yet pinned are trusted to the Go checksum database). */
export function writeReleaseTable(versions: readonly string[]): void {
  const sorted = [...new Set(versions)].sort(cmpVersions);
  const rows = sorted.map((v) => {
    ensureRelease(v, { trustNew: true });
    const f = readFetched(v);
    const digests = Object.entries(f.crdDigests).map(([plural, d]) => `      ${plural}: '${d}',`).join('\n');
    return [
      '  {',
      `    version: '${f.version}',`,
      `    date: '${f.date}',`,
      `    operatorChartVersion: '${f.operatorChartVersion}',`,
      `    crdsChartVersion: '${f.crdsChartVersion}',`,
      `    goSum: '${f.goSum}',`,
      '    crdDigests: {',
      digests,
      '    },',
      '  },',
    ].join('\n');
  });
  const text = fs.readFileSync(TABLE_FILE, 'utf8');
  const head = text.slice(0, text.indexOf('export const TOOLHIVE_RELEASES'));
  fs.writeFileSync(TABLE_FILE, `${head}export const TOOLHIVE_RELEASES: readonly ToolhiveRelease[] = [\n${rows.join('\n')}\n];\n`);
  console.log(`${path.relative(process.cwd(), TABLE_FILE)}: ${sorted.length} releases (${sorted[0]} to ${sorted[sorted.length - 1]})`);
}

// ---------------------------------------------------------------------------------------------
// What changed between two releases

/** What changed from one release's charts and CRDs to another's. */
export interface ReleaseChanges {
  readonly from: string;
  readonly to: string;
  /** Values keys (dotted) added, removed, or with another default (`key: old -> new`), per chart. */
  readonly values: { readonly added: string[]; readonly removed: string[]; readonly changed: string[] };
  /** Template files added, removed or changed, per chart (`operator/templates/deployment.yaml`). */
  readonly templates: { readonly added: string[]; readonly removed: string[]; readonly changed: string[] };
  /** CRD changes: kinds or served versions added or removed, and fields (`Kind version path`) added or removed. */
  readonly crds: { readonly versions: string[]; readonly fieldsAdded: string[]; readonly fieldsRemoved: string[] };
}

function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function files(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of files(path.join(dir, e.name), rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(path.join(dir, e.name), 'utf8'));
  }
  return out;
}

const CRD_FIELDS = new Map<string, Map<string, Set<string>>>();

function crdFields(version: string): Map<string, Set<string>> {
  const hit = CRD_FIELDS.get(version);
  if (hit) return hit;
  const out = new Map<string, Set<string>>();
  CRD_FIELDS.set(version, out);
  for (const crd of TOOLHIVE_CRDS) {
    const file = path.join(ensureRelease(version, { trustNew: true }), 'crds', crdFileName(crd.plural));
    const doc = parse(fs.readFileSync(file, 'utf8'));
    for (const v of doc.spec.versions as { name: string; served: boolean; schema?: { openAPIV3Schema?: FieldSchema } }[]) {
      if (!v.served) continue;
      const set = new Set<string>();
      schemaFieldPaths(v.schema?.openAPIV3Schema, '', set);
      out.set(`${crd.kind} ${v.name}`, set);
    }
  }
  return out;
}

const sortedDiff = (a: Iterable<string>, b: Set<string> | Map<string, unknown>) => [...a].filter((x) => !b.has(x)).sort();

/** What changed from release `from` to release `to` (both fetched into the cache). */
export function releaseChanges(from: string, to: string): ReleaseChanges {
  const dirs = [from, to].map((v) => ensureRelease(v, { trustNew: true }));
  const values = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  const templates = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const chart of ['operator', 'operator-crds']) {
    const [a, b] = dirs.map((d) => leaves(parse(fs.readFileSync(path.join(d, `${chart}-chart-values.yaml`), 'utf8'))));
    values.added.push(...sortedDiff(b.keys(), a).map((k) => `${chart}: ${k}`));
    values.removed.push(...sortedDiff(a.keys(), b).map((k) => `${chart}: ${k}`));
    for (const [k, v] of b) if (a.has(k) && a.get(k) !== v) values.changed.push(`${chart}: ${k}: ${a.get(k)} -> ${v}`);
    const [ta, tb] = dirs.map((d) => files(path.join(d, 'charts', chart, 'templates'), `${chart}/templates`));
    templates.added.push(...sortedDiff(tb.keys(), ta));
    templates.removed.push(...sortedDiff(ta.keys(), tb));
    for (const [k, v] of tb) if (ta.has(k) && ta.get(k) !== v && !k.startsWith('operator-crds/templates/toolhive.stacklok.dev_')) templates.changed.push(k);
  }
  const [fa, fb] = [from, to].map(crdFields);
  const versions = [...sortedDiff(fb.keys(), fa).map((k) => `served: ${k}`), ...sortedDiff(fa.keys(), fb).map((k) => `no longer served: ${k}`)];
  const fieldsAdded: string[] = [];
  const fieldsRemoved: string[] = [];
  for (const [key, b] of fb) {
    const a = fa.get(key);
    if (!a) continue;
    fieldsAdded.push(...sortedDiff(b, a).map((p) => `${key} ${p}`));
    fieldsRemoved.push(...sortedDiff(a, b).map((p) => `${key} ${p}`));
  }
  return { from, to, values, templates, crds: { versions, fieldsAdded, fieldsRemoved } };
}

/** The report `upstream:add` prints. */
export function changesText(c: ReleaseChanges): string {
  const section = (title: string, items: readonly string[], limit = 40) => {
    if (items.length === 0) return [`${title}: none`];
    const shown = items.slice(0, limit).map((i) => `  ${i}`);
    if (items.length > limit) shown.push(`  ... and ${items.length - limit} more`);
    return [`${title} (${items.length}):`, ...shown];
  };
  return [
    `ToolHive ${c.to} against ${c.from}`,
    ...section('values keys added', c.values.added),
    ...section('values keys removed', c.values.removed),
    ...section('values defaults changed', c.values.changed),
    ...section('templates added', c.templates.added),
    ...section('templates removed', c.templates.removed),
    ...section('templates changed (CRD templates are reported as fields)', c.templates.changed),
    ...section('CRD served versions', c.crds.versions),
    ...section('CRD fields added', c.crds.fieldsAdded),
    ...section('CRD fields removed', c.crds.fieldsRemoved),
  ].join('\n');
}

/**
 * What the renderer must learn by hand for `c`: chart defaults (keys, images) that
 * `operatorChartDefaults(to)` does not give yet, and templates it does not model yet.
 */
export function rendererWork(c: ReleaseChanges): string[] {
  const work: string[] = [];
  const upstream = leaves(parse(fs.readFileSync(path.join(ensureRelease(c.to, { trustNew: true }), 'operator-chart-values.yaml'), 'utf8')));
  const ours = leaves(operatorChartDefaults(c.to));
  const missing = [...upstream.keys()].filter((k) => !ours.has(k)).sort();
  const extra = [...ours.keys()].filter((k) => !upstream.has(k)).sort();
  const differ = [...upstream.keys()].filter((k) => ours.has(k) && ours.get(k) !== upstream.get(k)).sort();
  if (missing.length > 0) {
    work.push(`values keys to model (src/core/operator/chart-values.ts: the type, the shape, OPERATOR_VALUE_HISTORY with since "${c.to}", the defaults): ${missing.join(', ')}`);
  }
  if (extra.length > 0) work.push(`values keys the release no longer has (the history needs an "until"): ${extra.join(', ')}`);
  if (differ.length > 0) work.push(`chart defaults to update from ${c.to} on (src/core/operator/chart-values.ts): ${differ.map((k) => `${k}: ${upstream.get(k)}`).join(', ')}`);
  const modelled = new Set(OPERATOR_TEMPLATE_HISTORY.filter((h) => h.since === c.to).map((h) => `operator/${h.template}`));
  const templates = [...c.templates.added, ...c.templates.removed, ...c.templates.changed].filter((t) => !modelled.has(t));
  if (templates.length > 0) work.push(`templates to model in src/core/operator/render.ts (from ${c.to} on): ${templates.join(', ')}`);
  return work;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

/**
 * `upstream:add X.Y.Z`: fetches the release from its Go module (trusting the Go checksum database),
 * pins it in the release table, regenerates the CRD types (from the newest release) and the field
 * history, prints what changed since the newest supported release and what the renderer must learn,
 * and runs the release's helm differential and helm-unittest suites.
 */
export function addRelease(version: string | undefined, options: { dryRun?: boolean } = {}): void {
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`usage: npm run upstream:add -- X.Y.Z [--dry-run] (got ${JSON.stringify(version)})`);
  const known = TOOLHIVE_RELEASES.map((r) => r.version);
  ensureRelease(version, { trustNew: true });
  const earlier = known.filter((v) => cmpVersions(v, version) < 0);
  const base = known.includes(version) ? earlier[earlier.length - 1] : known[known.length - 1];
  if (!base) throw new Error(`no supported release to compare ${version} with`);
  const changes = releaseChanges(base, version);
  console.log(changesText(changes));
  const work = rendererWork(changes);
  console.log(work.length > 0 ? `\nThe renderer must learn, by hand:\n${work.map((w) => `  - ${w}`).join('\n')}` : '\nThe renderer needs no change: values keys and templates are the same.');
  if (options.dryRun) return;
  if (known.includes(version)) {
    console.log(`\nToolHive ${version} is already supported: nothing to add.`);
    return;
  }
  writeReleaseTable([...known, version]);
  const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
  const ok = [
    run(tsNode, ['--transpile-only', '-P', 'tsconfig.dev.json', 'scripts/gen-crd-types.ts']),
    run(tsNode, ['--transpile-only', '-P', 'tsconfig.dev.json', 'scripts/gen-field-history.ts']),
    run('npx', ['jest', 'test/core/operator/chart-unittest.test.ts', 'test/core/releases.test.ts', '-t', version]),
    run('npx', ['projen', 'test:helm', '--', '-t', version], { HELM_DIFF_RELEASES: version }),
  ];
  console.log(ok.every(Boolean)
    ? `\nToolHive ${version} added: the table, types and history are regenerated and its suites pass. Update README "Supported versions" and CHANGELOG.`
    : `\nToolHive ${version} is pinned, but a suite failed (above): the renderer must learn what changed before it is supported.`);
  if (!ok.every(Boolean)) process.exitCode = 1;
}

function main(argv: string[]): void {
  const [command, ...args] = argv;
  if (command === 'table') {writeReleaseTable(TOOLHIVE_RELEASES.map((r) => r.version));} else if (command === 'add') {addRelease(args.find((a) => !a.startsWith('--')), { dryRun: args.includes('--dry-run') });} else {
    console.error('usage: upstream-add.ts add X.Y.Z [--dry-run] | table');
    process.exit(2);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`upstream: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
