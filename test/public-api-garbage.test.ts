/*
 * Every public function of the three entry points (as API.md lists them), called with plain
 * JavaScript garbage. Each call has a stated outcome: refused with the one ToolhiveValidationError,
 * its issues at the function's own parameters (or inside the garbage), or accepted on purpose,
 * listed below with the reason and a check of what it returns. A call that returns without being
 * listed fails the sweep, as does any other error (a TypeError). The names come from API.md, so a
 * new public function is swept automatically, and must refuse garbage or say why it does not.
 * Garbage the library accepts and should refuse is written as it should be, under test.failing
 * with a `BUG:` comment. Meta-tests run the sweep against a stub that accepts everything.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import * as core from '../src';
import * as cdk8s from '../src/cdk8s';
import * as pulumiEntry from '../src/pulumi';
import { REPO_ROOT } from './support/paths';
import { installPulumiMocks } from './support/pulumi-mocks';
import { acceptanceProblems, acceptsEverything, CallOutcome, outcomeOf, refusalProblems } from './support/refusal';

// Every test asserts something: a case that ran no expectation fails instead of passing.
beforeEach(() => expect.hasAssertions());

installPulumiMocks();

const GARBAGE: unknown[][] = [
  [], [null], [undefined], [42], [NaN], ['x'], [''], [true], [{}], [[]], [() => 1], [Symbol('s')], [new Date(0)],
  [null, null], [{}, null], [null, {}], ['x', 42], [{}, {}, null], [{ a: { b: null } }, 'x'], [[null]], [[{}]], [{ metadata: null }],
  [JSON.parse('{"__proto__": {"polluted": 1}}')], [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 7 } }],
];

/** The function names API.md documents for an entry point (its `## \`name\`` section). */
function documentedFunctions(entry: string): string[] {
  const md = fs.readFileSync(path.join(REPO_ROOT, 'API.md'), 'utf8');
  const start = md.indexOf(`## \`${entry}\``);
  const end = md.indexOf('\n## `', start + 1);
  const section = md.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^#### (\w+)\(\)$/gm)].map((m) => m[1]);
}

function describeArgs(args: unknown[]): string {
  const one = (a: unknown) => (typeof a === 'symbol' ? 'Symbol' : typeof a === 'function' ? 'fn' : a instanceof Date ? 'Date' : Number.isNaN(a) ? 'NaN' : JSON.stringify(a) ?? String(a));
  return args.map(one).join(', ');
}

/**
 * The roots of the issue paths each function may report: its parameters (or `(root)`). Keys of
 * the garbage itself (an unknown key at the top of a map, an index of a list) are allowed too.
 */
const ROOTS: Record<string, readonly string[]> = {
  'addPlan': ['plan'],
  'serveComponentPackage': ['dirname'],
  'celRuleCoverage': ['crd', 'version'],
  'checkCustomResource': ['crds'],
  'checkVersionChange': ['from', 'to'],
  'crdFileName': ['plural'],
  'crdName': ['plural'],
  'customResource': ['props', 'type'],
  'inReleaseNamespace': ['namespace', 'obj'],
  'installLabelValue': ['namespace', 'releaseName'],
  'kubeYaml': ['objects'],
  'mirroredChartRepository': ['chartMirror', 'repository'],
  'mirroredImage': ['image', 'registry'],
  'mirrorList': ['plan', 'plans'],
  'mirrorListText': ['list'],
  'operatorChartDefaults': ['version'],
  'operatorValuesFor': ['(root)', 'operator', 'path'],
  'mergeHelmValues': ['overrides', 'values'],
  'planArgoCd': ['(options)', 'repoURL'],
  'planFlux': ['(root)', 'cluster', 'plan', 'plans'],
  'planOperatorInstall': ['(root)', 'operator'],
  'planPlatform': ['(root)', 'clusters'],
  'planRegistryServer': ['(root)', 'registryServer'],
  'planRollout': ['spec'],
  'platformDiagram': ['(root)', 'clusters'],
  'platformPlanDiagram': ['(root)', 'clusters'],
  'writePlatformPlanDiagram': ['(root)', 'clusters', 'file'],
  'registryExportAnnotations': ['registryExport'],
  'renderCrdsChart': ['(root)', 'release'],
  'renderManifestFiles': ['plan', 'plans'],
  'renderOperatorChart': ['(root)', 'release', 'version'],
  'renderRegistryServerChart': ['(root)', 'release'],
  'toYamlDocuments': ['objects'],
  'upgradeReport': ['from', 'options', 'to'],
  'upgradeReportText': ['report'],
  'validateCustomResource': ['crds'],
  'validateCustomResources': ['crds', 'objects'],
  'withInstallLabel': ['objects', 'value'],
  'writeManifests': ['directory', 'plan'],
  'writeMirrorList': ['file', 'plan', 'plans'],
  'writePlatformDiagram': ['clusters', 'file'],
  // The static factories, swept through the call that reads what they make.
  'RbacScope.namespaces': ['operator'],
  'CrdSource.fromDirectory': ['crds'],
  'CrdSource.fromRelease': ['crds'],
  'CrdSource.releaseFileUrl': ['plural', 'version'],
};
const FACTORIES = ['RbacScope.namespaces', 'CrdSource.fromDirectory', 'CrdSource.fromRelease', 'CrdSource.releaseFileUrl'];

/** A garbage call a function accepts on purpose: which calls, why, and what the result must be. */
interface Acceptance {
  readonly calls: (label: string, args: unknown[]) => boolean;
  readonly why: string;
  readonly check: (result: unknown, args: unknown[]) => string | undefined;
}
const every = () => true;
const only = (...labels: string[]) => (label: string) => labels.includes(label);
const equalTo = (expected: () => unknown) => (result: unknown) => (JSON.stringify(result) === JSON.stringify(expected()) ? undefined : `returned ${JSON.stringify(result)?.slice(0, 120)}`);
const is = (expected: unknown) => (result: unknown) => (Object.is(result, expected) ? undefined : `returned ${String(result)}`);
const aProblem = (result: unknown) => (typeof result === 'string' && result.length > 0 ? undefined : `returned ${String(result)}, not a problem`);
const JSON_LIKE = ['', 'null', 'undefined', '42', '"x"', '""', 'true', '{}', '[]', 'null, null', '{}, null', 'null, {}', '"x", 42', '{}, {}, null',
  '{"a":{"b":null}}, "x"', '[null]', '[{}]', '{"metadata":null}', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":7}}'];
/** YAML that reads back as the first argument (undefined and null read as null). */
const readsBackAs = (result: unknown, args: unknown[]) => {
  const back = parseYaml(String(result));
  return JSON.stringify(back ?? null) === JSON.stringify(args[0] ?? null) ? undefined : `${JSON.stringify(result)} does not read back as ${describeArgs(args.slice(0, 1))}`;
};

const ACCEPTS: Record<string, readonly Acceptance[]> = {
  chartMirrorProblem: [{ calls: every, why: 'a rule: it returns the problem instead of throwing', check: aProblem }],
  dns1123LabelProblem: [
    { calls: (l) => !l.startsWith('"x"'), why: 'a rule: it returns the problem instead of throwing', check: aProblem },
    { calls: (l) => l.startsWith('"x"'), why: '"x" is a DNS label (extra arguments are ignored)', check: is(undefined) },
  ],
  dns1123SubdomainProblem: [
    { calls: (l) => !l.startsWith('"x"'), why: 'a rule: it returns the problem instead of throwing', check: aProblem },
    { calls: (l) => l.startsWith('"x"'), why: '"x" is a DNS subdomain (extra arguments are ignored)', check: is(undefined) },
  ],
  validateRegistryConfig: [{
    calls: every,
    why: 'it returns the issues instead of throwing',
    check: (r) => (Array.isArray(r) && r.length > 0 && r.every((i) => typeof i.path === 'string' && i.path !== '' && typeof i.message === 'string') ? undefined : `returned ${JSON.stringify(r)}`),
  }],
  isClusterScopedKind: [{ calls: every, why: 'a predicate: garbage is not a cluster-scoped kind', check: is(false) }],
  isObjectsDeliverable: [{ calls: every, why: 'a predicate: garbage is not a deliverable', check: is(false) }],
  isServiceDnsUrl: [{ calls: every, why: 'a predicate: garbage is not a Service DNS URL', check: is(false) }],
  toolhiveRelease: [{ calls: every, why: 'a lookup: garbage is not a supported release', check: is(undefined) }],
  parseGoDuration: [{ calls: every, why: 'a parser that says "not a duration" with undefined', check: is(undefined) }],
  objectKey: [{ calls: every, why: 'total on purpose: error messages about malformed objects name them with it', check: (r) => (typeof r === 'string' ? undefined : `returned ${String(r)}`) }],
  leaderElectionRules: [{ calls: every, why: 'takes no arguments: they are ignored', check: equalTo(() => core.leaderElectionRules()) }],
  registryServerChartDefaults: [{ calls: every, why: 'takes no arguments: they are ignored', check: equalTo(() => core.registryServerChartDefaults()) }],
  operatorChartDefaults: [{ calls: only('', 'undefined'), why: 'no version is the default release', check: equalTo(() => core.operatorChartDefaults()) }],
  operatorValuesFor: [
    { calls: only('', 'undefined', '{}'), why: 'no options are the defaults', check: equalTo(() => core.operatorValuesFor({})) },
  ],
  planOperatorInstall: [{ calls: only('', 'undefined', '{}', '{}, {}, null'), why: 'no options install the defaults', check: equalTo(() => core.planOperatorInstall({})) }],
  mirrorList: [{ calls: only('[]'), why: 'no plans: nothing to mirror', check: equalTo(() => ({ images: [], charts: [] })) }],
  renderManifestFiles: [{ calls: only('[]'), why: 'no plans: no files', check: equalTo(() => ({ files: {}, clusters: {} })) }],
  toYamlDocuments: [{ calls: only('[]'), why: 'no objects: no documents', check: is('') }],
  kubeYaml: [{
    calls: only('[]', '[null]', '[{}]'),
    why: 'it writes what cdk8s\'s Yaml.stringify writes for any list of values',
    check: (r, args) => {
      const docs = parseAllDocuments(String(r)).map((d) => d.toJSON());
      return JSON.stringify(docs) === JSON.stringify(args[0]) ? undefined : `${JSON.stringify(r)} does not read back as ${describeArgs(args)}`;
    },
  }],
  mirroredImage: [{ calls: only('"x"'), why: 'no mirror registry: the image as given', check: is('x') }],
  mirroredChartRepository: [{ calls: only('"x"'), why: 'no chart mirror: the repository as given', check: is('x') }],
  crdFileName: [{ calls: only('"x"', '"x", 42'), why: '"x" is a valid plural (extra arguments are ignored)', check: is('toolhive.stacklok.dev_x.yaml') }],
  crdName: [{ calls: only('"x"', '"x", 42'), why: '"x" is a valid plural (extra arguments are ignored)', check: is('x.toolhive.stacklok.dev') }],
  goToYaml: [
    { calls: (l) => JSON_LIKE.includes(l), why: 'Helm\'s toYaml of any JSON value (extra arguments are ignored)', check: readsBackAs },
    { calls: only('NaN'), why: 'JSON has no NaN: Helm\'s toYaml returns "" when it cannot marshal', check: is('') },
  ],
  mergeHelmValues: [
    {
      calls: (l) => JSON_LIKE.includes(l) && !['"x", 42', '{"a":{"b":null}}, "x"', 'null, {}'].includes(l),
      why: 'no overrides (or an empty map, or null): a copy of the defaults, whatever the caller\'s defaults are',
      check: (r, args) => (JSON.stringify(r) === JSON.stringify(args[0]) ? undefined : `returned ${JSON.stringify(r)}`),
    },
    { calls: only('null, {}'), why: 'an empty map overrides nothing', check: is(null) },
    { calls: only('NaN', 'fn', 'Symbol', 'Date'), why: 'no overrides: the caller\'s defaults are returned as deepClone copies them (defaults are not user input)', check: () => undefined },
    {
      calls: only('{"__proto__":{"polluted":1}}'),
      why: 'prototype keys are never copied from the defaults',
      check: (r) => (Object.prototype.hasOwnProperty.call(r, '__proto__') || Object.getPrototypeOf(r) !== Object.prototype ? 'a prototype key was copied' : undefined),
    },
  ],
};

/**
 * Garbage the library accepts and should refuse. Each stays out of the passing sweep and is
 * written as it should be under test.failing below.
 */
const BUGS: readonly { name: string; calls: readonly string[]; bug: string }[] = [

];
const isBug = (name: string, args: unknown[]) => BUGS.some((b) => b.name === name && b.calls.includes(describeArgs(args)));
ACCEPTS.effectiveRegistryConfig = [
  { calls: only('', 'null', 'undefined', 'null, null', 'null, {}'), why: 'no values are the chart defaults, as renderRegistryServerChart(null) renders them', check: equalTo(() => ({})) },
  {
    calls: only('{}', '{}, null', '{}, {}, null', '{"a":{"b":null}}, "x"', '{"__proto__":{"polluted":1}}', '{"metadata":null}', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":7}}'),
    why: 'values without a config (the unknown keys are renderRegistryServerChart\'s to refuse)',
    check: equalTo(() => ({})),
  },
];

/** How one garbage call of `name` misses its stated outcome. */
function callProblems(name: string, fn: (...args: unknown[]) => unknown, args: unknown[]): string[] {
  const label = describeArgs(args);
  const got: CallOutcome = outcomeOf(() => fn(...args));
  const problems: string[] = [];
  if (({} as any).polluted !== undefined) problems.push('Object.prototype was polluted');
  const acceptance = (ACCEPTS[name] ?? []).find((a) => a.calls(label, args));
  if (acceptance) return [...problems, ...acceptanceProblems(got, (r) => acceptance.check(r, args))];
  problems.push(...refusalProblems(got, {}));
  if (got.kind === 'refused') {
    const roots = ROOTS[name] ?? ['(root)'];
    const own = args.flatMap((a) => (a && typeof a === 'object' ? Object.keys(a) : [])).concat(args.filter((a): a is string => typeof a === 'string'));
    for (const issue of got.issues) {
      if (typeof issue.path !== 'string') {
        problems.push(`an issue path that is not a string: ${JSON.stringify(issue.path)}`);
        continue;
      }
      const root = issue.path.split(/[.[]/)[0];
      if (root === '' && issue.path.startsWith('[')) continue; // an index inside a list given as garbage
      if (!roots.includes(root) && !own.includes(root)) problems.push(`an issue at ${JSON.stringify(issue.path)}, not under ${JSON.stringify(roots)}`);
    }
  }
  return problems;
}

/** Every problem of `name`'s sweep, skipping the calls listed as bugs. */
function sweep(name: string, fn: (...args: unknown[]) => unknown): string[] {
  return GARBAGE.filter((args) => !isBug(name, args))
    .flatMap((args) => callProblems(name, fn, args).map((p) => `${name}(${describeArgs(args)}): ${p}`));
}

const ENTRIES = [
  ['toolhive-constructs', core],
  ['toolhive-constructs/cdk8s', cdk8s],
  ['toolhive-constructs/pulumi', pulumiEntry],
] as [string, Record<string, unknown>][];

describe.each(ENTRIES)('%s', (entry, mod) => {
  const names = documentedFunctions(entry);

  test('API.md lists its functions, and each is exported', () => {
    // The core has many; the cdk8s entry has addPlan; the Pulumi entry has serveComponentPackage (the plugin's entry).
    expect(names.length).toBeGreaterThanOrEqual({ 'toolhive-constructs': 26, 'toolhive-constructs/cdk8s': 1, 'toolhive-constructs/pulumi': 0 }[entry]!);
    expect(names.filter((n) => typeof mod[n] !== 'function')).toEqual([]);
  });

  test('every public function, called with garbage, refuses it at its parameters or accepts it on purpose', () => {
    const bad = names.flatMap((n) => sweep(n, mod[n] as (...a: unknown[]) => unknown));
    expect(bad).toEqual([]);
  });
});

test('every function named in the lists is a public one (no stale entries), and every listed acceptance is used', () => {
  const all = ENTRIES.flatMap(([entry]) => documentedFunctions(entry));
  const named = [...Object.keys(ROOTS), ...Object.keys(ACCEPTS), ...BUGS.map((b) => b.name)];
  expect(named.filter((n) => !all.includes(n) && !FACTORIES.includes(n))).toEqual([]);
  const unused = Object.entries(ACCEPTS).flatMap(([n, list]) => list.filter((a) => !GARBAGE.some((args) => a.calls(describeArgs(args), args))).map((a) => `${n}: ${a.why}`));
  expect(unused).toEqual([]);
});

describe('BUG: garbage the library accepts and should refuse', () => {
  const fns = Object.fromEntries(ENTRIES.flatMap(([, mod]) => Object.entries(mod))) as Record<string, (...a: unknown[]) => unknown>;
  for (const { name, calls, bug } of BUGS) {
    // BUG: see the BUGS table; refused at the function's parameters, as every other garbage call is.
    test.failing(`${name}: ${bug}`, () => {
      const args = GARBAGE.filter((a) => calls.includes(describeArgs(a)));
      expect(args.length).toBe(calls.length);
      const saved = ACCEPTS[name];
      ACCEPTS[name] = [];
      try {
        expect(args.flatMap((a) => callProblems(name, fns[name], a).map((p) => `${describeArgs(a)}: ${p}`))).toEqual([]);
      } finally {
        ACCEPTS[name] = saved;
      }
    });
  }
});

describe('meta: the sweep fails when a function accepts garbage silently', () => {
  test('a stub that accepts everything fails the sweep of every public function', () => {
    const names = ENTRIES.flatMap(([entry]) => documentedFunctions(entry));
    expect(names.filter((n) => sweep(n, acceptsEverything({ stub: true })).length === 0)).toEqual([]);
  });

  test('a refusal at a path that is not the function\'s, or one that is not a string, is reported', () => {
    const at = (p: unknown) => () => { throw new core.ToolhiveValidationError([{ path: p as string, message: 'x' }]); };
    expect(callProblems('planPlatform', at('elsewhere'), [42])).toEqual(['an issue at "elsewhere", not under ["(root)","clusters"]']);
    expect(callProblems('planPlatform', at(42), [42])).toEqual(['an issue path that is not a string: 42']);
    expect(callProblems('planPlatform', () => (null as any).x, [42])[0]).toMatch(/^threw TypeError/);
  });
});

test('the static factories, called with garbage, refuse it or accept it on purpose', () => {
  const bad = [
    ...sweep('RbacScope.namespaces', (...a) => core.planOperatorInstall({ rbac: (core.RbacScope.namespaces as any)(...a) })),
    ...sweep('CrdSource.fromDirectory', (...a) => (core.CrdSource.fromDirectory as any)(...a).load()),
    ...sweep('CrdSource.fromRelease', (...a) => (core.CrdSource.fromRelease as any)(...a).load()),
    ...sweep('CrdSource.releaseFileUrl', (...a) => (core.CrdSource.releaseFileUrl as any)(...a)),
  ];
  expect(bad).toEqual([]);
});
