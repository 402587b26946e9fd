/*
 * Hostile input through the public API, as plain JavaScript and JSON callers write it: the
 * operator install (core, cdk8s construct, Pulumi component). Each case states its outcome: the
 * paths of the one ToolhiveValidationError it gets, or, where accepting is right, why. No case may
 * end in any other error (a TypeError is a failure of this suite). The Registry Server and the
 * platform have their own tables (test/core/registry/hostile.test.ts, test/core/platform/hostile.test.ts).
 */
import * as kubernetes from '@pulumi/kubernetes';
import { App, Chart } from 'cdk8s';
import { CrdSource, planOperatorInstall, RbacScope, renderOperatorChart, ToolhiveValidationError } from '../src';
import { ToolhiveOperator, ToolhivePlatform } from '../src/cdk8s';
import * as tp from '../src/pulumi';
import { installPulumiMocks } from './support/pulumi-mocks';
import { acceptanceProblems, acceptsEverything, outcomeOf, refusalProblems } from './support/refusal';
import { toolhiveUpstream } from './support/upstream';

// Every test asserts something: a case that ran no expectation fails instead of passing.
beforeEach(() => expect.hasAssertions());

installPulumiMocks();
const crds = CrdSource.fromDirectory(toolhiveUpstream().crdsDir);
const j = (json: string) => JSON.parse(json);

/** A case's outcome: refused with these issue paths (and messages), or accepted for a reason (and its result checked). */
type Outcome =
  | { readonly paths: readonly string[]; readonly messages?: readonly RegExp[] }
  | { readonly accepted: string; readonly check?: (result: unknown) => string | undefined };

/** How `fn` misses `expected`: empty when it meets it. A TypeError, or a silent acceptance of a refused case, is a problem. */
function caseProblems(fn: () => unknown, expected: Outcome): string[] {
  const got = outcomeOf(fn);
  if ('accepted' in expected) return acceptanceProblems(got, expected.check);
  const problems = refusalProblems(got, { paths: expected.paths });
  for (const m of expected.messages ?? []) problems.push(...refusalProblems(got, { about: m }).filter((p) => p.startsWith('no issue message')));
  return problems;
}

function expectOutcome(fn: () => unknown, expected: Outcome): void {
  expect(caseProblems(fn, expected)).toEqual([]);
}

/** Checks that the JSON of a result shows every one of `texts`. */
const showing = (...texts: string[]) => (result: unknown) => {
  const json = JSON.stringify(result);
  const missing = texts.filter((t) => !json.includes(t));
  return missing.length === 0 ? undefined : `the result does not show ${JSON.stringify(missing)}`;
};

/** The operator's options through planOperatorInstall (with the local CRD files). */
const plan = (o: unknown) => () => planOperatorInstall({ crds: { source: crds }, ...(o as object) });
const at = (...paths: string[]) => ({ paths: paths.map((p) => (p ? `operator.${p}` : 'operator')) });

const OPERATOR_CASES: [string, () => unknown, Outcome][] = [
  // Wrong types, never a TypeError
  ['options null', () => planOperatorInstall(null as any), at('')],
  ['options a string', () => planOperatorInstall('cluster' as any), at('')],
  ['options a list', () => planOperatorInstall([] as any), at('')],
  ['images.operator a number', plan({ images: { operator: 42 } }), at('images.operator')],
  ['images a string', plan({ images: 'ghcr.io' }), at('images')],
  ['env a string', plan({ env: 'FOO=bar' }), at('env')],
  ['env entry a string', plan({ env: ['FOO=bar'] }), at('env[0]')],
  ['env entry without a name', plan({ env: [{ value: 'x' }] }), at('env[0].name')],
  ['workloadImagePullSecrets a string', plan({ workloadImagePullSecrets: 'x' }), at('workloadImagePullSecrets')],
  ['imagePullSecrets with a number', plan({ imagePullSecrets: ['ok', 7] }), at('imagePullSecrets[1]')],
  ['customResources a map', plan({ customResources: {} }), at('customResources')],
  ['customResources entry a string', plan({ customResources: ['MCPServer'] }), at('customResources[0]')],
  ['crds.source a missing folder', () => planOperatorInstall({ crds: { source: CrdSource.fromDirectory('/nonexistent/crds') } }), at('crds.source')],
  ['crds.source a path string', () => planOperatorInstall({ crds: { source: '/dir' as any } }), at('crds.source')],
  ['crds a boolean', plan({ crds: true }), at('crds')],
  ['crds.keep a string', plan({ crds: { source: crds, keep: 'no' } }), at('crds.keep')],
  ['replicas a string', plan({ replicas: '2' }), { paths: ['operator.replicas'], messages: [/got the string "2"/] }],
  ['replicas beyond int32', plan({ replicas: 1e12 }), at('replicas')],
  ['replicas negative', plan({ replicas: -1 }), at('replicas')],
  ['replicas fractional', plan({ replicas: 1.5 }), at('replicas')],
  ['replicas NaN', plan({ replicas: NaN }), at('replicas')],
  ['createNamespace a string', plan({ createNamespace: 'false' }), at('createNamespace')],
  ['imageDiscovery an object', plan({ imageDiscovery: { enabled: true } }), at('imageDiscovery')],
  ['features.experimental a string', plan({ features: { experimental: 'yes' } }), at('features.experimental')],
  ['autoscaling a number', plan({ autoscaling: 3 }), at('autoscaling')],
  ['autoscaling.maxReplicas a string', plan({ autoscaling: { maxReplicas: '5' } }), at('autoscaling.maxReplicas')],
  ['autoscaling min above max', plan({ autoscaling: { minReplicas: 200, maxReplicas: 10 } }), at('autoscaling.minReplicas')],
  ['autoscaling min above the default max', plan({ autoscaling: { minReplicas: 200 } }), { paths: ['operator.autoscaling.minReplicas'], messages: [/default 100/] }],
  ['autoscaling target over 100', plan({ autoscaling: { targetCpuUtilizationPercent: 150 } }), at('autoscaling.targetCpuUtilizationPercent')],
  ['resources a string', plan({ resources: '1 cpu' }), at('resources')],
  ['resources.limits.cpu "lots"', plan({ resources: { limits: { cpu: 'lots' } } }), at('resources.limits.cpu')],
  ['resources.requests.memory negative', plan({ resources: { requests: { memory: '-1Gi' } } }), at('resources.requests.memory')],
  ['resources with an unknown key', plan({ resources: { limit: { cpu: '1' } } }), at('resources.limit')],
  ['scheduling.tolerations a map', plan({ scheduling: { tolerations: { key: 'x' } } }), at('scheduling.tolerations')],
  ['toleration effect Explode', plan({ scheduling: { tolerations: [{ key: 'x', effect: 'Explode' }] } }), at('scheduling.tolerations[0].effect')],
  ['toleration operator Maybe', plan({ scheduling: { tolerations: [{ key: 'x', operator: 'Maybe' }] } }), at('scheduling.tolerations[0].operator')],
  ['nodeSelector value a number', plan({ scheduling: { nodeSelector: { zone: 1 } } }), at('scheduling.nodeSelector.zone')],
  ['nodeSelector key with a space', plan({ scheduling: { nodeSelector: { 'my zone': 'a' } } }), at('scheduling.nodeSelector["my zone"]')],
  ['podLabels key with a space', plan({ podLabels: { 'team name': 'a' } }), at('podLabels["team name"]')],
  ['podLabels value invalid', plan({ podLabels: { team: 'a b' } }), at('podLabels.team')],
  ['podLabels overriding the selector', plan({ podLabels: { 'app.kubernetes.io/name': 'evil' } }), at('podLabels["app.kubernetes.io/name"]')],
  ['podLabels overriding the instance label', plan({ podLabels: { 'app.kubernetes.io/instance': 'x' } }), at('podLabels["app.kubernetes.io/instance"]')],
  ['podAnnotations value a number', plan({ podAnnotations: { a: 1 } }), at('podAnnotations.a')],
  ['podAnnotations a list', plan({ podAnnotations: ['a'] }), at('podAnnotations')],
  // Unknown and mistyped keys, with the nearest valid key
  ['a mistyped option', plan({ replica: 2 }), { paths: ['operator.replica'], messages: [/did you mean "replicas"/] }],
  ['a mistyped feature flag', plan({ features: { expermental: true } }), { paths: ['operator.features.expermental'], messages: [/did you mean "experimental"/] }],
  ['an inline Redis password', plan({ defaultRedis: { address: 'r:6379', password: 'hunter2' } }), { paths: ['operator.defaultRedis.password'], messages: [/did you mean "passwordSecret"/] }],
  ['Redis without an address', plan({ defaultRedis: { passwordSecret: { name: 'r' } } }), at('defaultRedis.address')],
  ['Redis address with a scheme', plan({ defaultRedis: { address: 'redis://cache' } }), at('defaultRedis.address')],
  ['Redis secret a string', plan({ defaultRedis: { address: 'r:6379', passwordSecret: 'redis' } }), at('defaultRedis.passwordSecret')],
  ['an image option mistyped', plan({ images: { opertor: 'x' } }), { paths: ['operator.images.opertor'], messages: [/did you mean "operator"/] }],
  ['an unknown top-level key', plan({ helm: true }), at('helm')],
  // Names, namespaces, versions
  ['namespace kube-system', plan({ namespace: 'kube-system' }), { paths: ['operator.namespace'], messages: [/system namespace/] }],
  ['namespace kube-public', plan({ namespace: 'kube-public' }), at('namespace')],
  ['namespace kube-node-lease', plan({ namespace: 'kube-node-lease' }), at('namespace')],
  ['namespace default', plan({ namespace: 'default' }), { paths: ['operator.namespace'], messages: [/allowDefaultNamespace/] }],
  ['namespace default, explicitly allowed', plan({ namespace: 'default', allowDefaultNamespace: true }), { accepted: 'allowDefaultNamespace says so', check: showing('"namespace":"default"') }],
  ['namespace all digits', plan({ namespace: '123' }), { paths: ['operator.namespace'], messages: [/reads as a number/] }],
  ['namespace "yes"', plan({ namespace: 'yes' }), at('namespace')],
  ['namespace with capitals', plan({ namespace: 'Toolhive' }), at('namespace')],
  ['namespace a number', plan({ namespace: 7 }), at('namespace')],
  ['releaseName with spaces', plan({ releaseName: 'Toolhive Operator!' }), { paths: ['operator.releaseName'], messages: [/not a valid Helm release name/] }],
  ['releaseName too long', plan({ releaseName: 'x'.repeat(54) }), at('releaseName')],
  ['releaseName "1"', plan({ releaseName: '1' }), at('releaseName')],
  ['CRD release name as the operator\'s', plan({ crds: { source: crds, releaseName: 'toolhive-operator' } }), at('crds.releaseName')],
  ['version with a v', plan({ version: 'v0.44.0' }), at('version')],
  ['version a number', plan({ version: 44 }), at('version')],
  ['an unrendered version as manifests', plan({ version: '0.43.0' }), at('version')],
  // RBAC
  ['RbacScope.namespaces of a string', plan({ rbac: RbacScope.namespaces('team-a' as any) }), { paths: ['operator.rbac.allowedNamespaces'], messages: [/expected a list/] }],
  ['rbac a string', plan({ rbac: 'cluster' }), at('rbac')],
  ['rbac scope unknown', plan({ rbac: { scope: 'global' } }), at('rbac.scope')],
  ['namespace scope without namespaces', plan({ rbac: { scope: 'namespace', allowedNamespaces: [] } }), at('rbac.allowedNamespaces')],
  ['a namespace listed twice', plan({ rbac: RbacScope.namespaces(['a', 'a']) }), at('rbac.allowedNamespaces[1]')],
  ['an all-digit watched namespace', plan({ rbac: RbacScope.namespaces(['123']) }), at('rbac.allowedNamespaces[0]')],
  ['the migrator in namespace scope', plan({ rbac: RbacScope.namespaces(['a']), features: { storageVersionMigrator: true } }), at('features.storageVersionMigrator')],
  ['namespaces in cluster scope', plan({ rbac: { scope: 'cluster', allowedNamespaces: ['a'] } }), at('rbac.allowedNamespaces')],
  // Conflicts between typed options and chart values
  ['values.operator.rbac against rbac', plan({ rbac: RbacScope.namespaces(['team-a']), values: { operator: { rbac: { scope: 'cluster' } } } }), at('values.operator.rbac')],
  ['values.operator.replicaCount against replicas', plan({ replicas: 2, values: { operator: { replicaCount: 3 } } }), at('values.operator.replicaCount')],
  ['values.operator.env against env', plan({ env: [{ name: 'A', value: '1' }], values: { operator: { env: [] } } }), at('values.operator.env')],
  ['values.operator.image against images', plan({ images: { operator: 'r.example.com/op:1' }, values: { operator: { image: 'x:1' } } }), at('values.operator.image')],
  ['values.operator.features.storageVersionMigrator in namespace mode', plan({ rbac: RbacScope.namespaces(['a']), values: { operator: { features: { storageVersionMigrator: true } } } }),
    at('values.operator.features.storageVersionMigrator')],
  ['values a string', plan({ values: 'replicaCount: 2' }), at('values')],
  ['values with an unknown chart key', plan({ values: { operator: { replicas: 2 } } }), at('values.operator.replicas')],
  ['values without a typed counterpart', plan({ values: { operator: { proxyHost: '0.0.0.0' } } }), { accepted: 'no typed option sets operator.proxyHost', check: showing('0.0.0.0') }],
  // Env vars
  ['env name with a space', plan({ env: [{ name: 'MY VAR', value: '1' }] }), at('env[0].name')],
  ['env name empty', plan({ env: [{ name: '', value: '1' }] }), at('env[0].name')],
  ['env duplicate names', plan({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), at('env[1].name')],
  ['env WATCH_NAMESPACE in namespace mode', plan({ rbac: RbacScope.namespaces(['a']), env: [{ name: 'WATCH_NAMESPACE', value: '' }] }), at('env[0].name')],
  ['env GOGC (set by the chart)', plan({ env: [{ name: 'GOGC', value: '50' }] }), at('env[0].name')],
  ['env value and valueFrom', plan({ env: [{ name: 'A', value: '1', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }), at('env[0]')],
  ['env neither value nor valueFrom', plan({ env: [{ name: 'A' }] }), at('env[0]')],
  ['env GITHUB_PAT inline', plan({ env: [{ name: 'GITHUB_PAT', value: 'x' }] }), at('env[0].value')],
  ['env a GitHub token under a harmless name', plan({ env: [{ name: 'FETCH_OPTS', value: `ghp_${'a1B2'.repeat(9)}` }] }), { paths: ['operator.env[0].value'], messages: [/GitHub token/] }],
  ['env an AWS key under a harmless name', plan({ env: [{ name: 'X', value: 'AKIAIOSFODNN7EXAMPLE' }] }), at('env[0].value')],
  ['env a JWT', plan({ env: [{ name: 'X', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' }] }), at('env[0].value')],
  ['env a PEM key', plan({ env: [{ name: 'X', value: '-----BEGIN PRIVATE KEY-----\nabc' }] }), at('env[0].value')],
  ['env a URL with a password', plan({ env: [{ name: 'UPSTREAM', value: 'https://u:p4ss@example.com' }] }), at('env[0].value')],
  ['env a Slack token', plan({ env: [{ name: 'X', value: 'xoxb-1234567890-abcdefghij' }] }), at('env[0].value')],
  ['env secret by reference', plan({ env: [{ name: 'GITHUB_PAT', valueFrom: { secretKeyRef: { name: 'gh', key: 'pat' } } }] }),
    { accepted: 'a Secret reference is the way to pass a secret', check: showing('"name":"GITHUB_PAT","valueFrom":{"secretKeyRef":{"key":"pat","name":"gh"}}') }],
  ['env secretKeyRef with an invalid name', plan({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'GH', key: 'pat' } } }] }), at('env[0].valueFrom.secretKeyRef.name')],
  ['env valueFrom unknown source', plan({ env: [{ name: 'A', valueFrom: { vaultRef: {} } }] }), at('env[0].valueFrom.vaultRef')],
  ['env a plain value', plan({ env: [{ name: 'LOG_LEVEL', value: 'debug' }] }), { accepted: 'neither the name nor the value looks like a secret', check: showing('"name":"LOG_LEVEL","value":"debug"') }],
  // Images and registries
  ['image reference with capitals and a bang', plan({ images: { operator: 'GHCR.io/Stacklok/Operator:Latest!' } }), at('images.operator')],
  ['image reference empty', plan({ images: { operator: '' } }), at('images.operator')],
  ['image reference with a space', plan({ images: { vmcp: 'ghcr.io/x y' } }), at('images.vmcp')],
  ['registry with a scheme', plan({ images: { registry: 'https://mirror.example.com' } }), at('images.registry')],
  ['registry with a trailing slash', plan({ images: { registry: 'mirror.example.com/' } }), at('images.registry')],
  ['pull policy Sometimes', plan({ images: { pullPolicy: 'Sometimes' } }), at('images.pullPolicy')],
  ['an image by digest', plan({ images: { operator: `mirror.example.com/op@sha256:${'a'.repeat(64)}` } }),
    { accepted: 'a digest reference is valid', check: showing(`"image":"mirror.example.com/op@sha256:${'a'.repeat(64)}"`) }],
  // Custom resources
  ['a custom resource of kind Pod', plan({ customResources: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'toolhive-system' }, spec: {} }] }),
    at('customResources[0].kind')],
  ['an external resource of kind Pod', plan({ externalResources: [{ kind: 'Pod', name: 'x', namespace: 'a' }] }), at('externalResources[0].kind')],
  ['an external resource without a namespace', plan({ externalResources: [{ kind: 'MCPGroup', name: 'x' }] }), at('externalResources[0].namespace')],
  // Prototype keys
  ['values.__proto__', () => planOperatorInstall({ values: j('{"__proto__": {"polluted": "yes"}}') }), at('values.__proto__')],
  ['podLabels.constructor', plan({ podLabels: j('{"constructor": "x"}') }), at('podLabels.constructor')],
  // Plan options
  ['an unknown delivery', () => planOperatorInstall({ crds: { source: crds } }, { delivery: 'kustomize' as any }), { paths: ['delivery'] }],
  ['plan options null', () => planOperatorInstall({ crds: { source: crds } }, null as any), { paths: ['(root)'] }],
  // Every problem at once
  ['several problems at once', plan({ replicas: '2', namespace: 'kube-system', env: [{ name: 'A B', value: '1' }] }), at('env[0].name', 'namespace', 'replicas')],
];

describe('the operator install, through planOperatorInstall', () => {
  afterEach(() => expect(({} as any).polluted).toBeUndefined());
  test.each(OPERATOR_CASES)('%s', (_name, fn, expected) => expectOutcome(fn, expected));
});

describe('the cdk8s constructs', () => {
  const chart = () => new Chart(new App({ outdir: '/nonexistent' }), 'c');
  const cases: [string, () => unknown, Outcome][] = [
    ['ToolhiveOperator props null', () => new ToolhiveOperator(chart(), 'op', null as any), at('')],
    ['ToolhiveOperator props a string', () => new ToolhiveOperator(chart(), 'op', 'x' as any), at('')],
    ['ToolhiveOperator delivery unknown', () => new ToolhiveOperator(chart(), 'op', { delivery: 'kubectl' as any, crds: { source: crds } }), { paths: ['delivery'] }],
    ['ToolhiveOperator with a mistyped option', () => new ToolhiveOperator(chart(), 'op', { replica: 2, crds: { source: crds } } as any), at('replica')],
    ['two operators in one chart', () => {
      const c = chart();
      new ToolhiveOperator(c, 'a', { crds: { source: crds } });
      new ToolhiveOperator(c, 'b', { crds: { source: crds } });
    }, { paths: ['c/b'], messages: [/collides with c\/a in the same cluster: both would install Namespace toolhive-system, CustomResourceDefinition/] }],
    ['two operators in two charts (two clusters)', () => {
      const app = new App({ outdir: '/nonexistent' });
      new ToolhiveOperator(new Chart(app, 'one'), 'op', { crds: { source: crds } });
      new ToolhiveOperator(new Chart(app, 'two'), 'op', { crds: { source: crds } });
    }, { accepted: 'each chart is its own cluster' }],
    ['ToolhivePlatform props null', () => new ToolhivePlatform(new App({ outdir: '/nonexistent' }), 'acme', null as any), { paths: ['(props)'] }],
    ['ToolhivePlatform props a list', () => new ToolhivePlatform(new App({ outdir: '/nonexistent' }), 'acme', [] as any), { paths: ['(props)'] }],
    ['a workload cluster with null options', () => new ToolhivePlatform(new App({ outdir: '/nonexistent' }), 'acme', {}).addWorkloadCluster('w', null as any), { paths: ['w'] }],
    ['a workload cluster with string options', () => new ToolhivePlatform(new App({ outdir: '/nonexistent' }), 'acme', {}).addWorkloadCluster('w', 'x' as any), { paths: ['w'] }],
  ];
  test.each(cases)('%s', (_name, fn, expected) => expectOutcome(fn, expected));
});

describe('the Pulumi components', () => {
  const provider = () => new kubernetes.Provider(`p${Math.random()}`, { kubeconfig: 'x' });
  const dir = toolhiveUpstream().crdsDir;
  const cases: [string, () => unknown, Outcome][] = [
    ['ToolhiveOperator with replicas as a string', () => new tp.ToolhiveOperator('op1', { provider: provider(), replicas: '2' as any, crds: { directory: dir } }), at('replicas')],
    ['ToolhiveOperator with env as a string', () => new tp.ToolhiveOperator('op2', { provider: provider(), env: 'FOO=bar' as any, crds: { directory: dir } }), at('env')],
    ['ToolhiveOperator with crds.directory a number', () => new tp.ToolhiveOperator('op3', { provider: provider(), crds: { directory: 42 as any } }), at('crds.source')],
    ['ToolhiveOperator in kube-system', () => new tp.ToolhiveOperator('op4', { provider: provider(), namespace: 'kube-system', crds: { directory: dir } }), at('namespace')],
    ['ToolhiveOperator with a mistyped option', () => new tp.ToolhiveOperator('op5', { provider: provider(), replica: 2, crds: { directory: dir } } as any), at('replica')],
    ['two ToolhiveOperators on one provider (one cluster)', () => {
      const p = provider();
      new tp.ToolhiveOperator('twin-a', { provider: p, crds: { directory: dir } });
      new tp.ToolhiveOperator('twin-b', { provider: p, crds: { directory: dir } });
    }, { paths: ['twin-b'], messages: [/collides with twin-a in the same cluster/] }],
    ['two ToolhiveOperators on two providers', () => {
      new tp.ToolhiveOperator('solo-a', { provider: provider(), crds: { directory: dir } });
      new tp.ToolhiveOperator('solo-b', { provider: provider(), crds: { directory: dir } });
    }, { accepted: 'each provider is its own cluster' }],
    ['ToolhiveOperator with values.__proto__', () => new tp.ToolhiveOperator('op6', { provider: provider(), values: j('{"__proto__": {"x": 1}}'), crds: { directory: dir } }), at('values.__proto__')],
  ];
  test.each(cases)('%s', (_name, fn, expected) => expectOutcome(fn, expected));
});

describe('determinism', () => {
  test('the same install given in another order plans identically, descriptions included', () => {
    const a = planOperatorInstall({
      crds: { source: crds },
      rbac: RbacScope.namespaces(['b', 'a']),
      podLabels: { x: '1', y: '2' },
      workloadImagePullSecrets: ['s'],
      env: [{ name: 'A', value: '1' }],
    });
    const b = planOperatorInstall({
      env: [{ name: 'A', value: '1' }],
      workloadImagePullSecrets: ['s'],
      podLabels: { y: '2', x: '1' },
      rbac: RbacScope.namespaces(['a', 'b']),
      crds: { source: crds },
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('the Pulumi platform', () => {
  const cases: [string, () => unknown, Outcome][] = [
    ['args null', () => new tp.ToolhivePlatform('pl1', null as any), { paths: ['(root)'] }],
    ['clusters a string', () => new tp.ToolhivePlatform('pl2', { clusters: 'control' } as any), { paths: ['clusters'] }],
    ['a cluster null', () => new tp.ToolhivePlatform('pl3', { clusters: { c: null } } as any), { paths: ['clusters.c'] }],
    ['namespace kube-system', () => new tp.ToolhivePlatform('pl4', {
      namespace: 'kube-system', clusters: { w: { role: 'workload', toolhiveOperator: {}, provider: new kubernetes.Provider('plp', { kubeconfig: 'x' }) } },
    } as any), { paths: ['namespace'] }],
  ];
  test.each(cases)('%s', (_name, fn, expected) => expectOutcome(fn, expected));
});

describe('chart values through renderOperatorChart', () => {
  const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };
  const cases: [string, () => unknown, Outcome][] = [
    ['operator.env WATCH_NAMESPACE in namespace scope', () => renderOperatorChart({
      operator: { rbac: { scope: 'namespace', allowedNamespaces: ['a'] }, features: { storageVersionMigrator: false }, env: [{ name: 'WATCH_NAMESPACE', value: '' }] },
    }, release), { paths: ['operator.env[0].name'], messages: [/set by the chart/] }],
    ['operator.env a secret inline', () => renderOperatorChart({ operator: { env: [{ name: 'API_TOKEN', value: 'x' }] } }, release), { paths: ['operator.env[0].value'] }],
    ['operator.env a plain extra variable', () => renderOperatorChart({ operator: { env: [{ name: 'LOG_LEVEL', value: 'debug' }] } }, release),
      { accepted: 'the chart passes it through', check: showing('"name":"LOG_LEVEL","value":"debug"') }],
    ['release missing', () => renderOperatorChart({}, undefined as any), { paths: ['release'] }],
    ['release namespace all digits', () => renderOperatorChart({}, { releaseName: 'x', namespace: '123' }), { paths: ['release.namespace'] }],
  ];
  test.each(cases)('%s', (_name, fn, expected) => expectOutcome(fn, expected));
});

describe('the Pulumi components, whole args as garbage', () => {
  const components: Record<string, new (name: string, args: any) => unknown> = {
    ToolhiveOperator: tp.ToolhiveOperator, RegistryServer: tp.RegistryServer, ToolhivePlatform: tp.ToolhivePlatform,
  };
  const garbage: Record<string, unknown> = {
    'null': null, 'undefined': undefined, 'a number': 42, 'a string': 'x', 'a list': [], 'an empty map': {}, 'a provider that is a string': { provider: 'kubeconfig' },
  };
  /** [component, garbage, the issue paths]: every component also needs its provider (the platform's are per cluster). */
  const CASES: [string, string, string[]][] = [
    ['ToolhiveOperator', 'null', ['operator', 'provider']],
    ['ToolhiveOperator', 'undefined', ['provider']],
    ['ToolhiveOperator', 'a number', ['operator', 'provider']],
    ['ToolhiveOperator', 'a string', ['operator', 'provider']],
    ['ToolhiveOperator', 'a list', ['operator', 'provider']],
    ['ToolhiveOperator', 'an empty map', ['provider']],
    ['ToolhiveOperator', 'a provider that is a string', ['provider']],
    ['RegistryServer', 'null', ['provider', 'registryServer']],
    ['RegistryServer', 'undefined', ['provider', 'registryServer.config', 'registryServer.passwordSecret']],
    ['RegistryServer', 'a number', ['provider', 'registryServer']],
    ['RegistryServer', 'a string', ['provider', 'registryServer']],
    ['RegistryServer', 'a list', ['provider', 'registryServer']],
    ['RegistryServer', 'an empty map', ['provider', 'registryServer.config', 'registryServer.passwordSecret']],
    ['RegistryServer', 'a provider that is a string', ['provider', 'registryServer.config', 'registryServer.passwordSecret']],
    ['ToolhivePlatform', 'null', ['(root)']],
    ['ToolhivePlatform', 'undefined', ['(root)']],
    ['ToolhivePlatform', 'a number', ['(root)']],
    ['ToolhivePlatform', 'a string', ['(root)']],
    ['ToolhivePlatform', 'a list', ['(root)']],
    ['ToolhivePlatform', 'an empty map', ['clusters']],
    ['ToolhivePlatform', 'a provider that is a string', ['clusters', 'provider']],
  ];

  test('every component meets every garbage', () => {
    expect(CASES.map(([c, g]) => `${c} ${g}`).sort()).toEqual(Object.keys(components).flatMap((c) => Object.keys(garbage).map((g) => `${c} ${g}`)).sort());
  });

  test.each(CASES)('%s with %s args', (component, g, paths) => {
    expectOutcome(() => new components[component](`garbage-${Math.random()}`, garbage[g]), { paths });
  });
});

describe('meta: the checker fails when a case is silently accepted, refused elsewhere, or ends in a TypeError', () => {
  const ALL: [string, Outcome][] = [...OPERATOR_CASES.map(([name, , o]) => [name, o] as [string, Outcome])];

  test('a stub that accepts everything fails every refused case', () => {
    const refused = ALL.filter(([, o]) => !('accepted' in o));
    expect(refused.length).toBeGreaterThan(100);
    expect(refused.filter(([, o]) => caseProblems(acceptsEverything({}), o).length === 0).map(([name]) => name)).toEqual([]);
  });

  test('a stub that refuses everything fails every accepted case; a TypeError and a refusal at another path fail refused cases', () => {
    const refuse = () => { throw new ToolhiveValidationError([{ path: 'elsewhere', message: 'no' }]); };
    const accepted = ALL.filter(([, o]) => 'accepted' in o);
    expect(accepted.filter(([, o]) => caseProblems(refuse, o).length === 0).map(([name]) => name)).toEqual([]);
    expect(caseProblems(refuse, at('replicas'))).toEqual(['refused at ["elsewhere"], expected ["operator.replicas"]']);
    expect(caseProblems(() => (null as any).x, at('replicas'))[0]).toMatch(/^threw TypeError/);
  });

  test('an accepted case whose result does not show the value fails', () => {
    const [, , o] = OPERATOR_CASES.find(([name]) => name === 'env a plain value')!;
    expect(caseProblems(acceptsEverything({}), o)).toEqual(['accepted, but the result does not show ["\\"name\\":\\"LOG_LEVEL\\",\\"value\\":\\"debug\\""]']);
  });
});
