/*
 * The charts' own helm-unittest suites, release by release, run against the library's renderer
 * through test/support/helm-unittest.ts: every case of every suite of every supported release
 * passes, or is a listed exception (chart-unittest-exceptions.ts) ending exactly as listed.
 *
 * The suites come from the release cache (scripts/upstream.ts: `.cache/upstream/toolhive-vX.Y.Z/unittest/`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UNITTEST_EXCEPTIONS, UnittestException } from './chart-unittest-exceptions';
import { ensureReleases } from '../../../scripts/upstream';
import { CrdSource, isAtLeast, KubeObject, renderCrdsChart, RENDERED_TOOLHIVE_VERSIONS, TOOLHIVE_CRDS, crdFileName } from '../../../src';
import { OperatorChartValues } from '../../../src/core/operator/chart-values';
import { renderOperatorChartTemplates } from '../../../src/core/operator/render';
import {
  CaseOutcome, CaseRelease, caseRelease, ChartRenderer, DEFAULT_RELEASE, loadSuites, Manifest, RenderedChart, runCase, UnitTestCase, UnitTestSuite,
} from '../../support/helm-unittest';
import { CACHE_DIR } from '../../support/paths';

// Fetches (and verifies) any release missing from the cache: the suites name the tests below.
ensureReleases(RENDERED_TOOLHIVE_VERSIONS);

const UPSTREAM = path.join(CACHE_DIR, 'upstream');
const CHARTS = ['operator', 'operator-crds'] as const;
type Chart = typeof CHARTS[number];

/** What each release's suites hold: 14 cases (25 assertions) came with Redis TLS in 0.59.0. */
function expectedTotals(version: string) {
  return isAtLeast(version, '0.59.0') ? { suites: 17, cases: 88, assertions: 167 } : { suites: 17, cases: 74, assertions: 142 };
}

/**
 * helm-unittest renders with release RELEASE-NAME in namespace NAMESPACE when a suite names
 * none; `helm template` refuses that name (release names are lower-case DNS-1123) and the library
 * with it (test below), so those cases render with the lower-case spelling. No assertion of theirs
 * mentions either name (checked per case), so the spelling cannot change an outcome.
 */
const STAND_IN: CaseRelease = { name: DEFAULT_RELEASE.name.toLowerCase(), namespace: DEFAULT_RELEASE.namespace.toLowerCase() };

function renderRelease(release: CaseRelease): CaseRelease {
  return {
    name: release.name === DEFAULT_RELEASE.name ? STAND_IN.name : release.name,
    namespace: release.namespace === DEFAULT_RELEASE.namespace ? STAND_IN.namespace : release.namespace,
  };
}

/** Whether a case's assertions mention a name as a word of its own (`NAMESPACE`, not `WATCH_NAMESPACE`). */
function mentions(test: UnitTestCase, name: string): boolean {
  return new RegExp(`(^|[^\\w-])${name}($|[^\\w-])`).test(JSON.stringify(test.asserts));
}

/**
 * The documents as plain data, as a reader of the library's YAML gets them back (toYamlDocuments
 * writes these values as they are; unset fields drop out).
 */
function manifests(objects: readonly KubeObject[]): Manifest[] {
  return JSON.parse(JSON.stringify(objects)) as Manifest[];
}

/** Renders memoized per values and release: many cases render the same input. */
function memoized(render: ChartRenderer): ChartRenderer {
  const cache = new Map<string, RenderedChart | { refused: unknown }>();
  return (values, release) => {
    const key = JSON.stringify([values, release]);
    if (!cache.has(key)) {
      try {
        cache.set(key, render(values, release));
      } catch (e) {
        cache.set(key, { refused: e });
      }
    }
    const hit = cache.get(key)!;
    if ('refused' in hit) throw hit.refused;
    return hit;
  };
}

/**
 * The operator chart through the library. Two templates render no manifest: NOTES.txt (`helm
 * template` prints none) is absent, and validate-features.yaml renders nothing once the values
 * pass (the library refuses the values it `fail`s on).
 */
function operatorRenderer(version: string): ChartRenderer {
  return memoized((values, release) => {
    const outputs = renderOperatorChartTemplates(values as OperatorChartValues, { releaseName: release.name, namespace: release.namespace }, version);
    const templates = new Map<string, readonly Manifest[]>(outputs.map((o) => [o.template, manifests(o.objects)]));
    templates.set('templates/validate-features.yaml', []);
    return { templates };
  });
}

/** The CRD chart through the library: one template per CRD (`templates/toolhive.stacklok.dev_<plural>.yaml`). */
function crdsRenderer(version: string): ChartRenderer {
  const source = CrdSource.fromDirectory(path.join(UPSTREAM, `toolhive-v${version}`, 'crds'));
  return memoized((values, release) => {
    const crds = renderCrdsChart(values, { releaseName: release.name, namespace: release.namespace }, source);
    const templates = new Map<string, readonly Manifest[]>(TOOLHIVE_CRDS.map((c) => [`templates/${crdFileName(c.plural)}`, []]));
    for (const crd of crds) {
      const plural = crd.metadata.name.replace(/\.toolhive\.stacklok\.dev$/, '');
      templates.set(`templates/${crdFileName(plural)}`, manifests([crd]));
    }
    return { templates };
  });
}

/** A release's suites, chart by chart (`operator/autoscaling_test.yaml`). */
function releaseSuites(version: string): { key: string; chart: Chart; suite: UnitTestSuite }[] {
  return CHARTS.flatMap((chart) => {
    const dir = path.join(UPSTREAM, `toolhive-v${version}`, 'unittest', chart);
    return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
      .flatMap((f) => loadSuites(path.join(dir, f)).map((suite) => ({ key: `${chart}/${f}`, chart, suite })));
  });
}

/** The chart's template files that render manifests (helpers excluded), relative to the chart. */
function chartTemplates(version: string, chart: Chart): string[] {
  const root = path.join(UPSTREAM, `toolhive-v${version}`, 'charts', chart);
  return (fs.readdirSync(path.join(root, 'templates'), { recursive: true }) as string[])
    .map((f) => `templates/${f.split(path.sep).join('/')}`)
    .filter((f) => fs.statSync(path.join(root, f)).isFile() && !path.basename(f).startsWith('_'))
    .sort();
}

function describeOutcome(outcome: CaseOutcome): string {
  if (outcome.kind === 'passed') return 'passes';
  if (outcome.kind === 'refused') return `the library refuses the values:\n${outcome.error.message}`;
  return outcome.failed.map((a) => `assert ${a.index} (${a.type}):\n    ${a.failures.join('\n    ')}`).join('\n');
}

/** Why an outcome is not the one an exception states, or undefined when it is. */
function exceptionMismatch(outcome: CaseOutcome, exception: UnittestException): string | undefined {
  if (outcome.kind === 'passed') return 'the case passes now: remove its exception';
  if ('refusedAt' in exception.outcome) {
    const at = exception.outcome.refusedAt;
    if (outcome.kind === 'refused' && outcome.error.issues.some((i) => i.path === at)) return undefined;
    return `the exception says the library refuses the values at ${at}; instead ${describeOutcome(outcome)}`;
  }
  const template = exception.outcome.missingTemplate;
  if (outcome.kind === 'failed' && outcome.failed.every((a) => a.missingTemplate === template)) return undefined;
  return `the exception says only ${template} is missing; instead ${describeOutcome(outcome)}`;
}

function exceptionFor(version: string, suite: string, it: string): UnittestException | undefined {
  return UNITTEST_EXCEPTIONS.find((e) => e.suite === suite && e.it === it && e.releases.includes(version));
}

const RENDERERS: Record<Chart, (version: string) => ChartRenderer> = { 'operator': operatorRenderer, 'operator-crds': crdsRenderer };
const SUITES = new Map(RENDERED_TOOLHIVE_VERSIONS.map((v) => [v, releaseSuites(v)]));

test('the library refuses helm-unittest\'s default release, as helm template does (so cases on it render with the lower-case stand-in)', () => {
  expect(() => renderOperatorChartTemplates({}, { releaseName: DEFAULT_RELEASE.name, namespace: STAND_IN.namespace }, RENDERED_TOOLHIVE_VERSIONS[0]))
    .toThrow(/release\.releaseName: not a valid Helm release name/);
});

test('every exception names a case of each release it lists, once', () => {
  for (const e of UNITTEST_EXCEPTIONS) {
    expect(e.releases.length).toBeGreaterThan(0);
    for (const v of e.releases) {
      expect(RENDERED_TOOLHIVE_VERSIONS).toContain(v);
      const cases = SUITES.get(v)!.filter((s) => s.key === e.suite).flatMap((s) => s.suite.tests).filter((t) => t.it === e.it);
      expect({ release: v, suite: e.suite, it: e.it, cases: cases.length }).toEqual({ release: v, suite: e.suite, it: e.it, cases: 1 });
    }
    expect(UNITTEST_EXCEPTIONS.filter((o) => o.suite === e.suite && o.it === e.it && o.releases.some((v) => e.releases.includes(v)))).toHaveLength(1);
  }
});

describe.each(RENDERED_TOOLHIVE_VERSIONS.map((v) => [v]))('ToolHive %s', (version) => {
  const suites = SUITES.get(version)!;
  const renderers: Record<Chart, ChartRenderer> = { 'operator': RENDERERS.operator(version), 'operator-crds': RENDERERS['operator-crds'](version) };

  test('its suites all load: suites, cases and assertions counted', () => {
    const cases = suites.flatMap((s) => s.suite.tests);
    expect({
      suites: suites.length,
      cases: cases.length,
      assertions: cases.reduce((n, t) => n + t.asserts.length, 0),
    }).toEqual(expectedTotals(version));
    for (const { key, suite } of suites) {
      const names = suite.tests.map((t) => t.it);
      expect({ suite: key, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ suite: key, duplicates: [] });
    }
  });

  test('the renderers cover the charts\' templates (the operator chart\'s NOTES.txt aside)', () => {
    const operator = renderers.operator({}, STAND_IN).templates;
    expect([...operator.keys()].sort()).toEqual(chartTemplates(version, 'operator').filter((t) => t !== 'templates/NOTES.txt'));
    expect([...renderers['operator-crds']({}, STAND_IN).templates.keys()].sort()).toEqual(chartTemplates(version, 'operator-crds'));
  });

  describe.each(suites.map((s) => [`${s.key} (${s.suite.name})`, s]))('%s', (_title, { key, chart, suite }) => {
    test.each(suite.tests.map((t) => [t.it, t]))('%s', (_it, test) => {
      const release = caseRelease(suite, test);
      for (const name of [release.name, release.namespace].filter((n) => n === DEFAULT_RELEASE.name || n === DEFAULT_RELEASE.namespace)) {
        if (mentions(test, name)) throw new Error(`the case runs on helm-unittest's default ${name} and asserts on it: the lower-case stand-in would change its outcome`);
      }
      const outcome = runCase(suite, test, renderers[chart], renderRelease(release));
      const exception = exceptionFor(version, key, test.it);
      if (exception) {
        const mismatch = exceptionMismatch(outcome, exception);
        if (mismatch) throw new Error(`listed exception (${exception.reason}) does not hold: ${mismatch}`);
      } else if (outcome.kind !== 'passed') {
        throw new Error(describeOutcome(outcome));
      }
    });
  });
});
