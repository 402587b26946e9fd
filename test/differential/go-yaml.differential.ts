/*
 * goToYaml against the real helm's toYaml, byte for byte, on seeded random values (one batched
 * `helm template`). The rule-by-rule cases are in test/core/helm/go-yaml.test.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { goToYaml } from '../../src/core/helm/go-yaml';
import { prng } from '../support/differential';
import { CACHE_DIR } from '../support/paths';


const HELM = path.join(CACHE_DIR, 'tools', 'bin', 'helm');
const HAVE_HELM = fs.existsSync(HELM);

/** Park-Miller's minimal standard generator: seeded, so a failure can be replayed. */

const FRAGMENTS = [
  'word', 'lorem ipsum dolor sit amet', 'consectetur adipiscing elit sed do eiusmod tempor incididunt', '-', '- ', '?', '? ', ':', ': ',
  '#', ' #', '# x', ' ', '  ', '\t', '🚀', '日本語のテキスト', 'é', '\u00a0', '123', '1.5', '1e3', '0x1F', '08', '1_000', '-7', '+3',
  '.5', '2024-01-15', '10:30', 'true', 'yes', 'No', 'on', 'null', '~', '"', '\'', '\\', '[', ']', '{', '}', ',', '&', '*', '!', '|',
  '>', '%', '@', '`', '---', '...', '=', '<<',
];
const SEPARATORS = ['', ' ', ' ', '\n', '  ', '\n\n', ' \n', '\n '];
/**
 * Keys with digits come only from this list: go-yaml's key comparison is not transitive for some
 * digit keys (`a12` < `a1b` < `a2` < `a12`), and then Helm's own order varies from run to run.
 */
const KEY_POOL = ['group2', 'group10', 'group1', '_a', 'A', 'a', '1', '2', '10', 'b', 'B', 'a-b', 'a_b', 'a.b', 'x', 'é', '日本', '',
  'null', 'true', '-', '?x', ' a', 'a b', 'Z9', 'z', 'key: v', '#k'];

function randomValue(rand: () => number): unknown {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const text = (): string => {
    if (rand() < 0.1) return pick(FRAGMENTS);
    let s = pick(['', '', '- ', ' ', '\'', '@']);
    const parts = rand() < 0.2 ? 10 + int(30) : 1 + int(6); // long ones cross column 80
    for (let i = 0; i < parts; i++) s += (i ? pick(SEPARATORS) : '') + pick(FRAGMENTS);
    return s + (rand() < 0.15 ? pick(['\n', '\n\n', ' ']) : '');
  };
  const number = (): number => [
    () => int(1000) - 500, () => (rand() - 0.5) * 10 ** (int(40) - 20), () => Math.round(rand() * 10 ** int(25)),
    () => int(100) / 8, () => 10 ** (int(30) - 10), () => -(2 ** int(70)),
  ][int(6)]();
  const key = (): string => (rand() < 0.6 ? pick(KEY_POOL) : (rand() < 0.1 ? 'long key '.repeat(10 + int(10)) : text()).replace(/[0-9]/g, ''));
  const value = (depth: number): unknown => {
    const r = rand();
    if (depth < 4 && r < 0.2) return Object.fromEntries(Array.from({ length: int(5) }, () => [key(), value(depth + 1)]));
    if (depth < 4 && r < 0.35) return Array.from({ length: int(4) }, () => value(depth + 1));
    if (r < 0.75) return text();
    if (r < 0.92) return number();
    return pick([true, false, null]);
  };
  return value(0);
}

/** What `toYaml` prints for each value, from one `helm template` of a chart printing them all (base64, to keep every byte). */
function helmToYaml(values: unknown[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-yaml-'));
  try {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: t\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'templates', 'cases.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n{{- range $k, $v := .Values.cases }}\n  {{ $k }}: {{ toYaml $v | b64enc | quote }}\n{{- end }}\n');
    const cases = Object.fromEntries(values.map((v, i) => [`k${String(i).padStart(5, '0')}`, v]));
    fs.writeFileSync(path.join(dir, 'values.json'), JSON.stringify({ cases }));
    const run = spawnSync(HELM, ['template', 't', dir, '-f', path.join(dir, 'values.json')], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    if (run.status !== 0) throw new Error(`helm template failed: ${run.stderr}`);
    const out: string[] = [];
    for (const m of run.stdout.matchAll(/^ {2}k(\d+): "([^"]*)"$/gm)) out[Number(m[1])] = Buffer.from(m[2], 'base64').toString('utf8');
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(HAVE_HELM ? test : test.skip)(`${HAVE_HELM ? '' : `(skipped: no helm at ${HELM}) `}matches helm byte for byte on 400 seeded random values`, () => {
  const rand = prng(20240615);
  const values = Array.from({ length: 400 }, () => randomValue(rand));
  const helm = helmToYaml(values);
  expect(helm.filter((h) => h !== undefined)).toHaveLength(values.length);
  const mismatches = values
    .map((value, i) => ({ i, value, helm: helm[i], ours: goToYaml(value) }))
    .filter((c) => c.helm !== c.ours);
  expect(mismatches.slice(0, 3)).toEqual([]);
}, 120_000);
