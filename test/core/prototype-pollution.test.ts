/*
 * Prototype pollution: a user map holding `__proto__`, `constructor` or `prototype` (as
 * JSON.parse makes them, own keys) is refused with its path by every public function that takes
 * user maps, and `Object.prototype` stays untouched, whatever the entry point.
 */
import { App, Chart } from 'cdk8s';
import {
  CrdSource, customResource, MCP_SERVER_RESOURCE, mergeHelmValues, operatorValuesFor, planOperatorInstall, planPlatform, planRegistryServer,
  renderCrdsChart, renderOperatorChart, renderRegistryServerChart, ToolhiveValidationError, validateRegistryConfig,
} from '../../src';
import { ToolhiveOperator, ToolhivePlatform } from '../../src/cdk8s';
import { acceptsEverything, outcomeOf, refusalProblems } from '../support/refusal';
import { toolhiveUpstream } from '../support/upstream';

// Every test asserts something: a case that ran no expectation fails instead of passing.
beforeEach(() => expect.hasAssertions());

const crds = CrdSource.fromDirectory(toolhiveUpstream().crdsDir);
const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };
const hostile = (json: string) => JSON.parse(json);
const PROTO = hostile('{"__proto__": {"polluted": "yes"}}');
const registryOptions = () => ({
  config: { database: { host: 'pg', port: 5432, user: 'u', database: 'd' }, auth: { mode: 'anonymous' } },
  passwordSecret: { name: 'pg', key: 'password' },
});

function pollutionFree(): void {
  for (const probe of [{}, Object.create(null) as object, [] as unknown as object]) {
    expect((probe as any).polluted).toBeUndefined();
  }
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
}

/**
 * How `fn` misses refusing prototype keys at exactly `paths` (other problems may come with them):
 * a silent acceptance, another error, or prototype-key issues at other paths are all reported.
 */
function prototypeKeyProblems(fn: () => unknown, paths: readonly string[]): string[] {
  const got = outcomeOf(fn);
  const problems = refusalProblems(got, {});
  if (got.kind !== 'refused') return problems;
  const at = got.issues.filter((i) => /is not allowed in a map/.test(i.message)).map((i) => i.path);
  if (JSON.stringify(at) !== JSON.stringify(paths)) problems.push(`prototype keys refused at ${JSON.stringify(at)}, expected ${JSON.stringify(paths)}`);
  return problems;
}

function expectPrototypeKeysRefused(fn: () => unknown, paths: readonly string[]): void {
  expect(prototypeKeyProblems(fn, paths)).toEqual([]);
}

afterEach(pollutionFree);

const CASES: [string, () => unknown, string[]][] = [
  ['mergeHelmValues: top level', () => mergeHelmValues({ a: { b: 1 } }, PROTO), ['values.__proto__']],
  ['mergeHelmValues: nested', () => mergeHelmValues({ a: { b: 1 } }, hostile('{"a": {"__proto__": {"polluted": "yes"}}}')), ['values.a.__proto__']],
  ['mergeHelmValues: constructor', () => mergeHelmValues({}, hostile('{"constructor": {"prototype": {"polluted": "yes"}}}')), ['values.constructor']],
  ['renderOperatorChart: top level', () => renderOperatorChart(PROTO, release), ['__proto__']],
  ['renderOperatorChart: in an open map', () => renderOperatorChart(hostile('{"operator": {"podAnnotations": {"__proto__": {"polluted": "yes"}}}}'), release),
    ['operator.podAnnotations.__proto__']],
  ['renderOperatorChart: in a verbatim Kubernetes structure', () => renderOperatorChart(hostile('{"operator": {"affinity": {"nodeAffinity": {"prototype": 1}}}}'), release),
    ['operator.affinity.nodeAffinity.prototype']],
  ['renderOperatorChart: in a list', () => renderOperatorChart(hostile('{"operator": {"tolerations": [{"__proto__": {"polluted": "yes"}}]}}'), release),
    ['operator.tolerations[0].__proto__']],
  ['renderCrdsChart', () => renderCrdsChart(hostile('{"crds": {"__proto__": {"polluted": "yes"}}}'), release, crds), ['crds.__proto__']],
  ['renderRegistryServerChart: values', () => renderRegistryServerChart(hostile('{"__proto__": {"polluted": "yes"}}'), release), ['__proto__']],
  ['renderRegistryServerChart: config', () => renderRegistryServerChart(hostile('{"config": {"database": {"__proto__": {"polluted": "yes"}}}}'), release),
    ['config.database.__proto__']],
  ['planOperatorInstall: values', () => planOperatorInstall({ values: PROTO }), ['operator.values.__proto__']],
  ['planOperatorInstall: nested values', () => planOperatorInstall({ values: hostile('{"operator": {"__proto__": {"polluted": "yes"}}}') }),
    ['operator.values.operator.__proto__']],
  ['planOperatorInstall: pod labels', () => planOperatorInstall({ podLabels: PROTO }), ['operator.podLabels.__proto__']],
  ['planOperatorInstall: custom resources', () => planOperatorInstall({
    crds: { source: crds },
    customResources: [hostile('{"apiVersion": "toolhive.stacklok.dev/v1alpha1", "kind": "MCPServer", "metadata": {"name": "a", "namespace": "toolhive-system"}, "spec": {"__proto__": {"polluted": "yes"}}}')],
  }), ['operator.customResources[0].spec.__proto__']],
  ['operatorValuesFor', () => operatorValuesFor({ values: PROTO }), ['operator.values.__proto__']],
  ['planRegistryServer: values', () => planRegistryServer({ ...registryOptions(), values: PROTO } as any), ['registryServer.values.__proto__']],
  ['planRegistryServer: config', () => planRegistryServer({ ...registryOptions(), config: hostile('{"database": {"host": "pg", "__proto__": {"polluted": "yes"}}}') } as any),
    ['registryServer.config.database.__proto__']],
  ['planPlatform: cluster options', () => planPlatform({
    clusters: { w: { role: 'workload', toolhiveOperator: { values: PROTO } } },
  } as any), ['clusters.w.toolhiveOperator.values.__proto__']],
  ['planPlatform: top level', () => planPlatform(hostile('{"clusters": {}, "__proto__": {"polluted": "yes"}}')), ['__proto__']],
];

describe('every public function refuses prototype keys with their path', () => {
  test.each(CASES)('%s', (_name, fn, paths) => {
    expectPrototypeKeysRefused(fn, paths);
  });

  test('validateRegistryConfig reports it as a problem', () => {
    const issues = validateRegistryConfig(hostile('{"sources": [], "database": {"__proto__": {"polluted": "yes"}}}'));
    expect(issues.map((i) => i.path)).toContain('database.__proto__');
  });

  test('the cdk8s constructs refuse it before anything is synthesized', () => {
    const app = new App({ outdir: '/nonexistent' });
    expectPrototypeKeysRefused(() => new ToolhiveOperator(new Chart(app, 'c'), 'op', { values: PROTO, crds: { source: crds } }), ['operator.values.__proto__']);
    const app2 = new App({ outdir: '/nonexistent' });
    const platform = new ToolhivePlatform(app2, 'acme', {});
    platform.addWorkloadCluster('w', { toolhiveOperator: { values: PROTO, crds: { source: crds } } });
    expectPrototypeKeysRefused(() => app2.synth(), ['clusters.w.toolhiveOperator.values.__proto__']);
  });

  test('customResource refuses a hostile spec itself', () => {
    expectPrototypeKeysRefused(() => customResource(MCP_SERVER_RESOURCE, hostile('{"metadata": {"name": "a", "namespace": "team-a"}, "spec": {"__proto__": {"polluted": "yes"}}}')),
      ['props.spec.__proto__']);
  });
});

describe('meta: the checker fails when prototype keys are accepted or refused elsewhere', () => {
  test('a stub that accepts everything fails every case', () => {
    expect(CASES.filter(([, , paths]) => prototypeKeyProblems(acceptsEverything({}), paths).length === 0).map(([name]) => name)).toEqual([]);
  });

  test('a refusal for another reason, at another path, or a TypeError fails', () => {
    const refuse = (path: string, message: string) => () => { throw new ToolhiveValidationError([{ path, message }]); };
    expect(prototypeKeyProblems(refuse('values', 'expected a map'), ['values.__proto__'])).toEqual(['prototype keys refused at [], expected ["values.__proto__"]']);
    expect(prototypeKeyProblems(refuse('x.__proto__', 'the key "__proto__" is not allowed in a map'), ['values.__proto__']))
      .toEqual(['prototype keys refused at ["x.__proto__"], expected ["values.__proto__"]']);
    expect(prototypeKeyProblems(() => (null as any).x, ['values.__proto__'])[0]).toMatch(/^threw TypeError/);
  });
});
