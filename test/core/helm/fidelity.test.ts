/*
 * One regression test per class of difference from `helm template` found by the differential
 * test (test/differential/): each input is now refused with its path and reason, or rendered as
 * helm renders it (the expected text below is helm v3.22.0's output: facts). The differential
 * test itself compares with the real helm for random values.
 */
import { CrdSource, renderCrdsChart, renderOperatorChart, renderRegistryServerChart } from '../../../src';
import { goToYaml } from '../../../src/core/helm/go-yaml';
import { issuesOf } from '../../support/errors';
import { toolhiveUpstream } from '../../support/upstream';

const op = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };
const rs = { releaseName: 'toolhive-registry-server', namespace: 'toolhive-system' };
const crds = { releaseName: 'toolhive-operator-crds', namespace: 'toolhive-system' };
const paths = (fn: () => unknown) => issuesOf(fn).map((i) => i.path);
const messages = (fn: () => unknown) => issuesOf(fn).map((i) => i.message).join('\n');
const renderOp = (values: unknown) => () => renderOperatorChart(values as any, op);
const renderRs = (values: unknown) => () => renderRegistryServerChart(values as any, rs);
const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment');

describe('class 1: a null deleting a section the chart dereferences (helm fails with a nil pointer) is refused', () => {
  test.each(['defaultRedis', 'gc', 'serviceAccount', 'imageDiscovery', 'autoscaling', 'leaderElectionRole', 'registryAPI'])('operator.%s: null', (key) => {
    const values = key === 'registryAPI' ? { registryAPI: null } : { operator: { [key]: null } };
    expect(paths(renderOp(values))).toEqual([key === 'registryAPI' ? 'registryAPI' : `operator.${key}`]);
    expect(messages(renderOp(values))).toMatch(/cannot render without it/);
  });
  test('operator.leaderElectionRole.binding: null', () => {
    expect(paths(renderOp({ operator: { leaderElectionRole: { binding: null } } }))).toEqual(['operator.leaderElectionRole.binding']);
  });
  test('crds: null', () => {
    expect(paths(() => renderCrdsChart({ crds: null } as any, crds, CrdSource.fromDirectory(toolhiveUpstream().crdsDir)))).toEqual(['crds']);
  });
  test.each(['service', 'serviceAccount', 'image'])('Registry Server %s: null', (key) => {
    expect(paths(renderRs({ [key]: null }))).toEqual([key]);
  });
});

describe('class 2: a null on a scalar (helm prints null) is refused', () => {
  test.each([
    ['operator.gc.gogc', { operator: { gc: { gogc: null } } }],
    ['operator.features.experimental', { operator: { features: { experimental: null } } }],
    ['operator.replicaCount', { operator: { replicaCount: null } }],
    ['operator.imagePullPolicy', { operator: { imagePullPolicy: null } }],
    ['operator.serviceAccount.automountServiceAccountToken', { operator: { serviceAccount: { automountServiceAccountToken: null } } }],
    ['operator.autoscaling.maxReplicas', { operator: { autoscaling: { enabled: true, minReplicas: 200, maxReplicas: null } } }],
    ['operator.leaderElectionRole.binding.name', { operator: { leaderElectionRole: { binding: { name: null } } } }],
  ])('%s', (path, values) => {
    expect(paths(renderOp(values))).toEqual([path]);
  });
  test.each(['replicaCount', 'service.port', 'service.type', 'service.internalPort', 'image.pullPolicy'])('Registry Server %s', (path) => {
    const [a, b] = path.split('.');
    expect(paths(renderRs(b ? { [a]: { [b]: null } } : { [a]: null }))).toEqual([path]);
  });
  test('a null helm renders as the library does stays accepted: one deleting a default inside a map the chart prints whole', () => {
    const c = deployment(renderOperatorChart({ operator: { resources: { limits: null } } } as any, op)).spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' } });
  });
});

describe('class 3: the CRD chart\'s switches set to null are refused (helm renders nothing, or drops the keep annotation)', () => {
  const source = () => CrdSource.fromDirectory(toolhiveUpstream().crdsDir);
  test.each(['install', 'keep'])('crds.%s: null', (key) => {
    expect(paths(() => renderCrdsChart({ crds: { [key]: null } } as any, crds, source()))).toEqual([`crds.${key}`]);
  });
});

describe('class 4: an empty string where the template prints a name unquoted (helm prints null) is refused', () => {
  test('operator.leaderElectionRole.name: ""', () => {
    expect(paths(renderOp({ operator: { leaderElectionRole: { name: '' } } }))).toEqual(['operator.leaderElectionRole.name']);
  });
  test('Registry Server serviceAccount.name: "" (also the bindings\' subjects)', () => {
    expect(paths(renderRs({ serviceAccount: { name: '' } }))).toEqual(['serviceAccount.name']);
  });
  test.each([['nameOverride', '&anchor'], ['fullnameOverride', 'trail  '], ['nameOverride', 'true']])('%s: %j', (key, value) => {
    expect(paths(renderOp({ [key]: value }))).toEqual([key]);
    expect(paths(renderRs({ [key]: value }))).toEqual([key]);
  });
});

describe('class 5: a null under a key with no chart default (helm keeps it) is refused', () => {
  test.each([
    ['operator.nodeSelector["kubernetes.io/os"]', { operator: { nodeSelector: { 'kubernetes.io/os': null } } }],
    ['operator.affinity.nodeAffinity', { operator: { affinity: { nodeAffinity: null } } }],
    ['operator.podAnnotations.a', { operator: { podAnnotations: { a: null } } }],
  ])('%s', (path, values) => {
    expect(paths(renderOp(values))).toContain(path);
    expect(messages(renderOp(values))).toMatch(/Helm keeps the null/);
  });
  test('Registry Server config.telemetry.enabled: null (it would change the ConfigMap text and the config hash)', () => {
    expect(paths(renderRs({ config: { telemetry: { enabled: null } } }))).toContain('config.telemetry.enabled');
  });
});

describe('class 6: imageDiscovery.resources: null is refused', () => {
  test('operator.imageDiscovery.resources', () => {
    expect(paths(renderOp({ operator: { imageDiscovery: { enabled: true, resources: null } } }))).toEqual(['operator.imageDiscovery.resources']);
  });
});

describe('class 7: numbers helm prints in exponent form where the program reads text', () => {
  test('gc.gogc: 1000000 is refused (helm prints "1e+06", which the Go runtime refuses), with the way out', () => {
    expect(messages(renderOp({ operator: { gc: { gogc: 1000000 } } }))).toMatch(/printed by helm as "1e\+06".*give it as a string, "1000000"/);
  });
  test.each([[999999, '999999'], ['1000000', '1000000'], ['off', 'off'], [-1, '-1']])('gc.gogc: %j renders GOGC=%s', (gogc, text) => {
    const env = deployment(renderOperatorChart({ operator: { gc: { gogc } } } as any, op)).spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'GOGC').value).toBe(text);
  });
  test('gc.gogc: "often" is not a GOGC setting', () => {
    expect(paths(renderOp({ operator: { gc: { gogc: 'often' } } }))).toEqual(['operator.gc.gogc']);
  });
});

describe('class 8: names that YAML reads as numbers or keywords are refused', () => {
  test.each([['releaseName', '1'], ['namespace', '123'], ['namespace', 'true']])('release %s %j', (key, value) => {
    expect(paths(() => renderOperatorChart({}, { ...op, [key]: value }))).toEqual([`release.${key}`]);
  });
  test('allowedNamespaces: ["123"]', () => {
    expect(messages(renderOp({ operator: { rbac: { scope: 'namespace', allowedNamespaces: ['123'] } } }))).toMatch(/reads as a number/);
  });
});

describe('class 9: the Registry Server config text is go-yaml v2\'s (helm\'s toYaml); helm\'s output for each rule', () => {
  test.each<[string, unknown, string]>([
    ['a multi-line string is a literal block', { a: 'line one\nline two' }, 'a: |-\n  line one\n  line two'],
    ['a string over 80 columns is folded', { a: `${'word '.repeat(17)}end` }, 'a: word word word word word word word word word word word word word word word word\n  word end'],
    ['keys in go-yaml\'s natural order', { group10: 1, group2: 2, _a: 3, a: 4 }, '_a: 3\na: 4\ngroup2: 2\ngroup10: 1'],
    ['plain scalars starting with -, ?, : when no space follows', { a: '-a', b: '?b', c: ':c' }, 'a: -a\nb: ?b\nc: :c'],
    ['tabs and non-BMP characters escaped', { a: '\ttab', b: 'emoji 🚀' }, 'a: "\\ttab"\nb: "emoji \\U0001F680"'],
    ['small floats in Go\'s form', { a: 5e-5 }, 'a: 5e-05'],
  ])('%s', (_rule, value, text) => {
    expect(goToYaml(value)).toBe(text);
  });
});

describe('also found by the differential test', () => {
  test('global.redis.port: 0 is refused with what helm would do instead (treat it as unset: 6379)', () => {
    expect(messages(renderOp({ global: { redis: { host: 'redis', port: 0 } } }))).toMatch(/treat 0 as unset and use 6379/);
  });
  test('autoscaling with maxReplicas: null names the null, not "more than maxReplicas (undefined)"', () => {
    const text = messages(renderOp({ operator: { autoscaling: { enabled: true, minReplicas: 200, maxReplicas: null } } }));
    expect(text).toMatch(/operator.autoscaling.maxReplicas|null would delete/);
    expect(text).not.toMatch(/undefined/);
  });
});

describe('strings the operator chart prints between double quotes without escaping (found by the long run, seeds 416 and 639)', () => {
  test.each([
    ['operator.proxyHost', { operator: { proxyHost: 'trailing newline\n' } }],
    ['operator.vmcpImage', { operator: { vmcpImage: 'quote "x"' } }],
    ['operator.toolhiveRunnerImage', { operator: { toolhiveRunnerImage: 'a\\b' } }],
    ['registryAPI.image', { registryAPI: { image: 'tab\there' } }],
  ])('%s', (path, values) => {
    expect(paths(renderOp(values))).toEqual([path]);
  });
});
