/*
 * The raw manifests against the real `helm template` (v3.22.0, built from Go modules by
 * tools/build.sh), for random values: for every seed the library renders exactly what helm
 * renders (the same objects, in the same order, the same ConfigMap text and hash) or refuses
 * with a ToolhiveValidationError. It never renders values helm refuses, and never renders
 * something else. A failing seed is shrunk to the fewest value changes that still fail.
 *
 * Every supported ToolHive release's two charts (as published: the release's Go module, verified
 * and laid out by scripts/upstream.ts), and the Registry Server's chart (../shared/upstream).
 * Seeds per chart: HELM_DIFF_SEEDS (default 200) for the oldest and the newest release and the
 * Registry Server, HELM_DIFF_SEEDS_BETWEEN (default 40) for each release between them, each
 * release from its own offset so that together they cover different seeds (a long run:
 * HELM_DIFF_SEEDS=5000 HELM_DIFF_SEEDS_BETWEEN=1000), starting at HELM_DIFF_SEED_START (default 1).
 * HELM_DIFF_RELEASES=0.44.0,0.66.0 limits the releases. Nothing upstream is copied into the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CrdSource, ReleaseContext, renderCrdsChart, renderOperatorChart, renderRegistryServerChart, RENDERED_TOOLHIVE_VERSIONS } from '../../src';
import { OPERATOR_VALUE_HISTORY } from '../../src/core/operator/chart-values';
import {
  chartDefaults, valuePaths, helmOutcome, libraryOutcome, Mutation, Outcome, overlayOf, prng, randomMutations, showValues, shrink, verdict,
} from '../support/differential';
import { REPO_ROOT } from '../support/paths';
import { toolhiveUpstream } from '../support/upstream';

const HELM = path.join(process.env.TOOLHIVE_CONSTRUCTS_CACHE ?? path.join(REPO_ROOT, '.cache'), 'tools', 'bin', 'helm');
const SEEDS = Number(process.env.HELM_DIFF_SEEDS ?? 200);
const SEEDS_BETWEEN = Number(process.env.HELM_DIFF_SEEDS_BETWEEN ?? 40);
const START = Number(process.env.HELM_DIFF_SEED_START ?? 1);
/** The Registry Server chart's data (../shared/upstream, or TOOLHIVE_UPSTREAM_DIR). */
const UPSTREAM = [process.env.TOOLHIVE_UPSTREAM_DIR, path.join(REPO_ROOT, '..', 'shared', 'upstream')]
  .filter((d): d is string => !!d).map((d) => path.resolve(d)).find((d) => fs.existsSync(path.join(d, 'toolhive-registry-server-v1.5.1', 'chart')));
const RELEASES = process.env.HELM_DIFF_RELEASES ? process.env.HELM_DIFF_RELEASES.split(',') : [...RENDERED_TOOLHIVE_VERSIONS];
const OLDEST = RENDERED_TOOLHIVE_VERSIONS[0];
const NEWEST = RENDERED_TOOLHIVE_VERSIONS[RENDERED_TOOLHIVE_VERSIONS.length - 1];

/** Release names and namespaces, mostly the usual ones, sometimes awkward (numbers-looking, keywords). */
const AWKWARD_NAMES = ['1', '123', '0x1f', 'true', 'null', 'a-b', 'team-a', 'x'.repeat(53)];
function releaseFor(seed: number, usual: ReleaseContext): ReleaseContext {
  const r = prng(seed * 7919);
  if (r() > 0.1) return usual;
  const name = AWKWARD_NAMES[Math.floor(r() * AWKWARD_NAMES.length)];
  return r() < 0.5 ? { ...usual, releaseName: name } : { ...usual, namespace: name };
}

interface Chart {
  readonly name: string;
  readonly dir: string;
  readonly release: ReleaseContext;
  readonly render: (values: unknown, release: ReleaseContext) => unknown[];
  /** How many seeds, from which one. */
  readonly seeds: number;
  readonly start: number;
  /** Whether the null-at-every-key test runs for it. */
  readonly nulls: boolean;
}

/**
 * The releases whose null-at-every-key test runs: the ends and each release where the chart's
 * keys change (the chart's history). In between, only image tags differ (test/core/releases.test.ts
 * holds every release's defaults to its values.yaml).
 */
const NULL_RELEASES = new Set([OLDEST, NEWEST, ...OPERATOR_VALUE_HISTORY.map((h) => h.since)]);

function charts(): Chart[] {
  const out: Chart[] = [];
  RELEASES.forEach((version) => {
    const dir = toolhiveUpstream(version).dir;
    const crds = CrdSource.fromDirectory(path.join(dir, 'crds'));
    const ends = version === OLDEST || version === NEWEST;
    const seeds = ends ? SEEDS : SEEDS_BETWEEN;
    // Releases between the ends each take their own stretch of seeds after the ends' stretch.
    const start = ends ? START : START + SEEDS + RENDERED_TOOLHIVE_VERSIONS.indexOf(version) * SEEDS_BETWEEN;
    out.push({
      name: `toolhive-operator ${version}`,
      dir: path.join(dir, 'charts', 'operator'),
      release: { releaseName: 'toolhive-operator', namespace: 'toolhive-system' },
      render: (v, r) => renderOperatorChart(v as any, r, version),
      seeds,
      start,
      nulls: NULL_RELEASES.has(version),
    }, {
      name: `toolhive-operator-crds ${version}`,
      dir: path.join(dir, 'charts', 'operator-crds'),
      release: { releaseName: 'toolhive-operator-crds', namespace: 'toolhive-system' },
      render: (v, r) => renderCrdsChart(v as any, r, crds),
      // The CRD chart has two values: a few seeds cover them.
      seeds: Math.min(seeds, ends ? 50 : 10),
      start,
      nulls: NULL_RELEASES.has(version),
    });
  });
  if (UPSTREAM) {
    out.push({
      name: 'toolhive-registry-server',
      dir: path.join(UPSTREAM, 'toolhive-registry-server-v1.5.1', 'chart'),
      release: { releaseName: 'toolhive-registry-server', namespace: 'toolhive-system' },
      render: (v, r) => renderRegistryServerChart(v as any, r),
      seeds: SEEDS,
      start: START,
      nulls: true,
    });
  }
  return out;
}

const describeWithHelm = fs.existsSync(HELM) ? describe : describe.skip;
const CHARTS = fs.existsSync(HELM) ? charts() : [];

test('every supported release is compared, and the Registry Server chart is there', () => {
  if (!process.env.HELM_DIFF_RELEASES) expect(RELEASES).toEqual([...RENDERED_TOOLHIVE_VERSIONS]);
  expect(UPSTREAM).toBeDefined();
});

describeWithHelm('a null at every key of the chart\'s defaults, one at a time: rendered as helm renders it, or refused', () => {
  for (const chart of CHARTS.filter((c) => c.nulls)) {
    test(chart.name, () => {
      const failures: string[] = [];
      let accepted = 0;
      for (const { path: keys } of valuePaths(chartDefaults(chart.dir))) {
        const values = overlayOf([{ path: keys, value: null }]);
        const ours = libraryOutcome(() => chart.render(values, chart.release));
        const why = verdict(ours, helmOutcome(HELM, chart.dir, chart.release, values));
        if (ours.kind === 'rendered') accepted++;
        if (why) failures.push(`${keys.join('.')}: null\n  ${why}`);
      }
      if (failures.length > 0) throw new Error(`${chart.name}: ${failures.length} key(s) differ:\n\n${failures.join('\n\n')}`);
      if (!chart.name.startsWith('toolhive-operator-crds')) expect(accepted).toBeGreaterThan(0);
    });
  }
});

describeWithHelm('identical to helm template, or refused (seeded random values per chart and release)', () => {
  for (const chart of CHARTS) {
    test(`${chart.name}: ${chart.seeds} seeds from ${chart.start}`, () => {
      const defaults = chartDefaults(chart.dir);
      const outcomes = (mutations: readonly Mutation[], release: ReleaseContext): [Outcome, Outcome] => {
        const values = overlayOf(mutations);
        return [libraryOutcome(() => chart.render(values, release)), helmOutcome(HELM, chart.dir, release, values)];
      };
      // The chart's defaults: identical.
      const [ours, helms] = outcomes([], chart.release);
      expect(ours.kind).toBe('rendered');
      expect(verdict(ours, helms)).toBeUndefined();

      const failures: string[] = [];
      let bothRendered = 0;
      let helmRendered = 0;
      for (let seed = chart.start; seed < chart.start + chart.seeds; seed++) {
        const mutations = randomMutations(seed, defaults);
        const release = releaseFor(seed, chart.release);
        const [o, h] = outcomes(mutations, release);
        if (h.kind === 'rendered') helmRendered++;
        if (o.kind === 'rendered' && h.kind === 'rendered') bothRendered++;
        if (!verdict(o, h)) continue;
        const minimal = shrink(mutations, (m) => verdict(...outcomes(m, release)) !== undefined);
        const why = verdict(...outcomes(minimal, release))!;
        failures.push(`seed ${seed} (release ${release.releaseName} in ${release.namespace}), minimal values:\n${showValues(overlayOf(minimal)).replace(/^/gm, '    ')}\n  ${why}`);
        if (failures.length >= 10) break;
      }
      if (failures.length > 0) throw new Error(`${chart.name}: ${failures.length} seed(s) differ from helm template:\n\n${failures.join('\n\n')}`);
      // Refusing everything would pass the test above: of the seeds helm renders, the library renders a good share too
      // (it refuses more: wrong types helm coerces, nulls, names helm would print as other YAML types).
      // (Meaningful over many seeds: a run of a few, to replay one, skips it.)
      if (chart.seeds >= 40) expect(bothRendered / helmRendered).toBeGreaterThan(0.2);
    });
  }
});

/** operator.defaultRedis.tls (from 0.59.0): every combination of the chart's rules, against helm. */
describeWithHelm('the default Redis TLS grid, against helm: identical or refused', () => {
  const releases = RELEASES.filter((v) => v >= '0.59.0' && (v === '0.59.0' || v === NEWEST));
  for (const version of releases) {
    test(version, () => {
      const dir = path.join(toolhiveUpstream(version).dir, 'charts', 'operator');
      const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };
      const failures: string[] = [];
      let rendered = 0;
      let refused = 0;
      const optional = <T>(values: T[]): (T | undefined)[] => [undefined, ...values];
      for (const addr of optional(['redis:6379'])) {
        for (const enabled of optional<unknown>([true, false, null])) {
          for (const name of optional<unknown>(['', 'redis-ca', null])) {
            for (const key of optional<unknown>(['', 'ca.crt', 'tls.pem'])) {
              const caCertSecretRef = Object.fromEntries(Object.entries({ name, key }).filter(([, v]) => v !== undefined));
              const ref = Object.keys(caCertSecretRef).length > 0 ? caCertSecretRef : undefined;
              const tls = Object.fromEntries(Object.entries({ enabled, caCertSecretRef: ref })
                .filter(([, v]) => v !== undefined));
              const values = { operator: { defaultRedis: { ...(addr ? { addr } : {}), tls } } };
              const ours = libraryOutcome(() => renderOperatorChart(values as any, release, version));
              const why = verdict(ours, helmOutcome(HELM, dir, release, values));
              if (ours.kind === 'rendered') rendered++;
              else refused++;
              if (why) failures.push(`${JSON.stringify(values)}\n  ${why}`);
            }
          }
        }
      }
      if (failures.length > 0) throw new Error(`${failures.length} combination(s) differ:\n\n${failures.join('\n\n')}`);
      expect(rendered).toBeGreaterThan(10);
      expect(refused).toBeGreaterThan(10);
    });
  }
});
