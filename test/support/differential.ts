/*
 * The differential property test's machinery: seeded random chart values (over every key of a
 * chart's values.yaml: nulls, empty strings, numbers, type mismatches, awkward strings, keys
 * the chart has no default for), the library's render and the real `helm template` of the same
 * values, compared the way kubectl reads manifests, and a shrinker that reduces a failing
 * seed to the fewest changes that still fail.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ReleaseContext, ToolhiveValidationError } from '../../src';

/** A small seeded PRNG (mulberry32): the same seed, the same values, on every machine. */
/* eslint-disable no-bitwise */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** One change to the chart's defaults: `value` at `path` (keys from the root). */
export interface Mutation {
  readonly path: readonly string[];
  readonly value: unknown;
}

const AWKWARD_STRINGS: readonly string[] = [
  '', ' ', 'x', 'true', 'yes', 'no', 'on', 'null', '~', '123', '0777', '1e3', '0x1F', '-', '- a', '? a', ':a', 'a: b', 'a #b', '#a',
  'line one\nline two', 'trailing newline\n', '\ttab', 'tab\tinside', 'emoji 🚀', '日本語', 'quote "x"', 'single \'x\'', '%percent', '@at', '`tick`',
  '{a: 1}', '[1, 2]', '*alias', '&anchor', '!tag', '|', '>', `${'long words '.repeat(10)}end`, 'a'.repeat(90), '  lead', 'trail  ',
];
const NUMBERS: readonly number[] = [0, 1, -1, 2, 3, 3.5, 100, 6379, 65535, 65536, 1000000, 123456789, 2147483648, 5e-5, 0.1, -0.5];
const KEYS: readonly string[] = ['a', 'A', 'b', '_x', '1', 'group2', 'group10', 'kubernetes.io/os', 'example.com/key', 'with space', 'UPPER'];

/** A random value of any kind: scalars mostly, sometimes a small map or list. */
function randomValue(r: Rand, depth = 0): unknown {
  const roll = r();
  if (roll < 0.15) return null;
  if (roll < 0.45) return pick(r, AWKWARD_STRINGS);
  if (roll < 0.7) return pick(r, NUMBERS);
  if (roll < 0.8) return r() < 0.5;
  if (depth > 1) return pick(r, AWKWARD_STRINGS);
  if (roll < 0.9) return Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 2) }, () => [pick(r, KEYS), randomValue(r, depth + 1)]));
  return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
}

/** Every path in `defaults` (maps are descended; lists are leaves). */
export function valuePaths(defaults: unknown, prefix: string[] = []): { path: string[]; value: unknown }[] {
  const out: { path: string[]; value: unknown }[] = [];
  if (defaults && typeof defaults === 'object' && !Array.isArray(defaults)) {
    for (const [k, v] of Object.entries(defaults)) {
      out.push({ path: [...prefix, k], value: v });
      out.push(...valuePaths(v, [...prefix, k]));
    }
  }
  return out;
}

/**
 * A mutation of one default: mostly a value of the same type (awkward where it can be), else a
 * null, a new key under a map, or a value of any type.
 */
function mutate(r: Rand, target: { path: string[]; value: unknown }): Mutation {
  const v = target.value;
  const roll = r();
  if (roll < 0.12) return { path: target.path, value: null };
  if (roll < 0.27) return { path: target.path, value: randomValue(r) };
  const isMap = v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap) return { path: [...target.path, pick(r, KEYS)], value: r() < 0.5 ? pick(r, AWKWARD_STRINGS) : randomValue(r) };
  if (typeof v === 'number') return { path: target.path, value: pick(r, NUMBERS) };
  if (typeof v === 'string') return { path: target.path, value: pick(r, AWKWARD_STRINGS) };
  if (typeof v === 'boolean') return { path: target.path, value: r() < 0.2 ? pick(r, ['true', 'false', 1, 0]) : !v };
  if (Array.isArray(v)) return { path: target.path, value: r() < 0.5 ? [] : [randomValue(r)] };
  return { path: target.path, value: randomValue(r) };
}

/** The seed's changes: one to four mutations of the chart's defaults. */
export function randomMutations(seed: number, defaults: unknown): Mutation[] {
  const r = prng(seed);
  const paths = valuePaths(defaults);
  return Array.from({ length: 1 + Math.floor(r() * 4) }, () => mutate(r, pick(r, paths)));
}

/** The values file of `mutations` (later ones win; a change under a scalar set earlier is dropped). */
export function overlayOf(mutations: readonly Mutation[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const m of mutations) {
    let node: any = root;
    let ok = true;
    for (const key of m.path.slice(0, -1)) {
      if (node[key] === undefined) node[key] = {};
      if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) { ok = false; break; }
      node = node[key];
    }
    if (ok) node[m.path[m.path.length - 1]] = m.value;
  }
  return root;
}

/** What one side made of the values. */
export type Outcome =
  | { readonly kind: 'rendered'; readonly objects: unknown[] }
  | { readonly kind: 'refused'; readonly message: string };

/** The library's render; a ToolhiveValidationError is a refusal, any other error is thrown. */
export function libraryOutcome(render: () => unknown[]): Outcome {
  try {
    return { kind: 'rendered', objects: JSON.parse(JSON.stringify(render())) };
  } catch (e) {
    if (e instanceof ToolhiveValidationError) return { kind: 'refused', message: e.message };
    throw e;
  }
}

/** `helm template` of `values` (written as a JSON values file: helm reads numbers from it as it reads them from YAML). */
export function helmOutcome(helm: string, chartDir: string, release: ReleaseContext, values: unknown): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-diff-'));
  try {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const run = spawnSync(helm, ['template', release.releaseName, chartDir, '--namespace', release.namespace, '-f', file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (run.status !== 0) return { kind: 'refused', message: (run.stderr || run.stdout).trim() };
    return { kind: 'rendered', objects: parseLikeKubectl(run.stdout) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Manifests read as kubectl reads them: YAML 1.1 (go-yaml), empty documents dropped. */
export function parseLikeKubectl(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1', uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: -1 })).filter((o) => o !== null && o !== undefined);
}

/** The first difference between two rendered object lists, or undefined when they are identical. */
export function firstDifference(ours: unknown[], helms: unknown[]): string | undefined {
  const id = (o: any) => `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;
  const a = ours.map(id);
  const b = helms.map(id);
  if (JSON.stringify(a) !== JSON.stringify(b)) return `objects differ:\n  library: ${a.join(', ')}\n  helm:    ${b.join(', ')}`;
  for (let i = 0; i < ours.length; i++) {
    const d = diffAt(ours[i], helms[i], a[i]);
    if (d) return d;
  }
  return undefined;
}

function diffAt(x: unknown, y: unknown, at: string): string | undefined {
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    for (const k of keys) {
      const d = diffAt((x as any)[k], (y as any)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(x, y) || JSON.stringify(x) === JSON.stringify(y) ? undefined : `${at}: library ${JSON.stringify(x)}, helm ${JSON.stringify(y)}`;
}

/** Why a seed fails (the library renders something else than helm, or renders what helm refuses), or undefined. */
export function verdict(ours: Outcome, helms: Outcome): string | undefined {
  if (ours.kind === 'refused') return undefined; // stricter is fine
  if (helms.kind === 'refused') return `helm refuses these values, the library renders them:\n  ${helms.message.split('\n')[0]}`;
  return firstDifference(ours.objects, helms.objects);
}

/** The fewest of `mutations` (greedily, one at a time) for which `fails` still holds. */
export function shrink(mutations: readonly Mutation[], fails: (m: readonly Mutation[]) => boolean): Mutation[] {
  let current = [...mutations];
  for (let i = current.length - 1; i >= 0; i--) {
    const without = current.filter((_, j) => j !== i);
    if (without.length > 0 && fails(without)) current = without;
  }
  return current;
}

/** The chart's values.yaml, parsed. */
export function chartDefaults(chartDir: string): unknown {
  return parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
}

/** A values file, for failure messages. */
export function showValues(values: unknown): string {
  return stringify(values, { lineWidth: 0 });
}
