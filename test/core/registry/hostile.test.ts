/*
 * Hostile input to the Registry Server's public functions (issue 12): plain JavaScript garbage,
 * typos, secrets, URLs with credentials, public paths that open the API. Each case states the
 * paths of the issues it must produce (or, where accepting is right, why); every thrown error is
 * a ToolhiveValidationError, never a TypeError. The garbage sweep states the outcome of every
 * (key, garbage) pair too: refused at the garbage's path, or accepted on purpose (listed below, with
 * the reason and a check of the output). The functions under test are reached through `subject`,
 * so the meta-tests can put a stub that accepts everything in their place and see the sweeps fail.
 */
import { parse as parseYaml } from 'yaml';
import {
  planRegistryServer, renderRegistryServerChart, ToolhiveValidationError, validateRegistryConfig,
} from '../../../src';
import { issuesOf } from '../../support/errors';
import {
  acceptanceProblems, acceptsEverything, CallOutcome, outcomeOf, refusalProblems, userPath,
} from '../../support/refusal';

// Every test asserts something: a case that ran no expectation fails instead of passing.
beforeEach(() => expect.hasAssertions());

/** The functions under test; the meta-tests swap in stubs. */
const subject = { planRegistryServer, renderRegistryServerChart, validateRegistryConfig };

const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl';
const release = { releaseName: 'registry-server', namespace: 'toolhive-system' };

const baseConfig = (): any => ({
  sources: [{ name: 'catalog', git: { repository: 'https://github.com/acme/catalog.git' }, syncPolicy: { interval: '30m' } }],
  registries: [{ name: 'default', sources: ['catalog'] }],
  database: { host: 'pg', port: 5432, user: 'u', database: 'd' },
  auth: { mode: 'anonymous' },
});
const baseOptions = (): any => ({ config: baseConfig(), passwordSecret: { name: 'pg', key: 'password' } });
const oauth = (provider: object = {}): any => ({ mode: 'oauth', oauth: { providers: [{ name: 'idp', issuerUrl: 'https://idp.example.com', audience: 'registry', ...provider }] } });

/** planRegistryServer on the valid options, changed by `mutate`. */
const plan = (mutate: (o: any) => void, planOptions?: any) => () => {
  const o = baseOptions();
  mutate(o);
  return subject.planRegistryServer(o, planOptions);
};
/** validateRegistryConfig on the valid config, changed by `mutate`; its issues thrown as the library would. */
const config = (mutate: (c: any) => void) => () => {
  const c = baseConfig();
  mutate(c);
  const issues = subject.validateRegistryConfig(c);
  if (issues.length > 0) throw new ToolhiveValidationError(issues, 'Registry Server config');
};
const chart = (values: any, rel: any = release) => () => subject.renderRegistryServerChart(values, rel);
const withDb = (cfg: object = {}, extra: object = {}): any => ({ config: { database: { host: 'pg' }, ...cfg }, ...extra });

type Case = [name: string, run: () => unknown, paths: string[], about: RegExp | string];

const OPTIONS: Case[] = [
  ['replicas as a string', plan((o) => { o.replicas = '2'; }), ['registryServer.replicas'], /expected a whole number/],
  ['replicas above int32', plan((o) => { o.replicas = 2 ** 31; }), ['registryServer.replicas'], /2147483647/],
  ['env as a string', plan((o) => { o.env = 'FOO=bar'; }), ['registryServer.env'], /expected a list/],
  ['imagePullSecrets as a string', plan((o) => { o.imagePullSecrets = 'x'; }), ['registryServer.imagePullSecrets'], /expected a list/],
  ['config as a number', plan((o) => { o.config = 42; }), ['registryServer.config'], /configuration map.*the number 42/],
  ['config missing', plan((o) => { delete o.config; }), ['registryServer.config'], /required/],
  ['passwordSecret as a string', plan((o) => { o.passwordSecret = 'pg'; }), ['registryServer.passwordSecret'], /Secret reference/],
  ['rbac as a string', plan((o) => { o.rbac = 'cluster'; }), ['registryServer.rbac'], /RbacScope\.cluster\(\)/],
  ['an unknown option key', plan((o) => { o.replica = 2; }), ['registryServer.replica'], /did you mean "replicas"/],
  ['allowInsecureIssuerUrls as a string', plan((o) => { o.allowInsecureIssuerUrls = 'yes'; }), ['registryServer.allowInsecureIssuerUrls'], /true or false/],
  ['options null', () => subject.planRegistryServer(null as any), ['registryServer'], /got null/],
  ['options a list', () => subject.planRegistryServer([] as any), ['registryServer'], /got a list/],
  ['an invalid image reference', plan((o) => { o.image = 'Registry.Example.com/Thv API'; }), ['registryServer.image'], /not a valid image reference/],
  ['an invalid pull Secret name', plan((o) => { o.imagePullSecrets = ['Bad_Name']; }), ['registryServer.imagePullSecrets[0]'], /not a valid Secret name/],
  ['an env var twice', plan((o) => { o.env = [{ name: 'A', value: '1' }, { name: 'A', value: '2' }]; }), ['registryServer.env[1].name'], /set twice/],
  ['an env var name that is not one', plan((o) => { o.env = [{ name: '1BAD', value: 'x' }]; }), ['registryServer.env[0].name'], /not a valid env var name/],
  ['an inlined value of a secret-named env var', plan((o) => { o.env = [{ name: 'GIT_TOKEN', value: 'x' }]; }), ['registryServer.env[0].value'], /valueFrom\.secretKeyRef/],
  ['a secret-looking env value', plan((o) => { o.env = [{ name: 'NOTE', value: GITHUB_TOKEN }]; }), ['registryServer.env[0].value'], /GitHub token/],
  ['an env var the library sets', plan((o) => { o.env = [{ name: 'THV_REGISTRY_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'other', key: 'pw' } } }]; }),
    ['registryServer.env[0].name'], /set by passwordSecret/],
  ['an env var with value and valueFrom', plan((o) => { o.env = [{ name: 'A', value: '1', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]; }),
    ['registryServer.env[0]'], /exactly one of value and valueFrom/],
  ['a CPU limit that is not a quantity', plan((o) => { o.resources = { limits: { cpu: 'lots' } }; }), ['registryServer.resources.limits.cpu'], /quantity/],
  ['a negative memory request', plan((o) => { o.resources = { requests: { memory: '-1Gi' } }; }), ['registryServer.resources.requests.memory'], /is negative; resources are at least 0/],
  ['a node selector key and value that are not labels', plan((o) => { o.nodeSelector = { 'bad key!': 'x', 'disk': 'fast ssd' }; }),
    ['registryServer.nodeSelector.disk', 'registryServer.nodeSelector["bad key!"]'], /label/],
  ['a toleration effect typo', plan((o) => { o.tolerations = [{ key: 'gpu', operator: 'Exists', effect: 'NoScheduel' }]; }),
    ['registryServer.tolerations[0].effect'], /did you mean "NoSchedule"/],
  ['a toleration operator that is not one', plan((o) => { o.tolerations = [{ key: 'gpu', operator: 'In' }]; }), ['registryServer.tolerations[0].operator'], /"Exists", "Equal"/],
  ['a namespace listed twice', plan((o) => { o.rbac = { scope: 'namespace', allowedNamespaces: ['team-a', 'team-a'] }; }),
    ['registryServer.rbac.allowedNamespaces[1]'], /listed twice/],
  ['a namespace that is not a DNS label', plan((o) => { o.rbac = { scope: 'namespace', allowedNamespaces: ['Team_A'] }; }),
    ['registryServer.rbac.allowedNamespaces[0]'], /not a valid namespace name/],
  ['namespace scope without namespaces', plan((o) => { o.rbac = { scope: 'namespace', allowedNamespaces: [] }; }), ['registryServer.rbac.allowedNamespaces'], /at least one/],
  ['cluster scope with namespaces', plan((o) => { o.rbac = { scope: 'cluster', allowedNamespaces: ['team-a'] }; }), ['registryServer.rbac.allowedNamespaces'], /only used in namespace scope/],
  ['a plain-http external URL', plan((o) => { o.externalUrl = 'http://registry.example.com'; }), ['registryServer.externalUrl'], /plain http/],
  ['an external URL with credentials', plan((o) => { o.externalUrl = 'https://admin:pw@registry.example.com'; }), ['registryServer.externalUrl'], /credentials/],
  ['a Secret reference key typo', plan((o) => { o.passwordSecret = { name: 'pg', keys: 'password' }; }), ['registryServer.passwordSecret.keys'], /did you mean "key"/],
  ['a Secret reference without a name', plan((o) => { o.passwordSecret = { key: 'password' }; }), ['registryServer.passwordSecret.name'], /required/],
  ['a Secret key that is not one', plan((o) => { o.passwordSecret = undefined; o.pgpassSecret = { name: 'pg', key: 'a/b' }; }), ['registryServer.pgpassSecret.key'], /not a valid Secret key/],
  ['values as a string', plan((o) => { o.values = 'replicaCount: 2'; }), ['registryServer.values'], /expected a map/],
  ['a password through the values escape hatch', plan((o) => { o.values = { config: { database: { password: 'hunter2' } } }; }),
    ['registryServer.values.config.database.password'], /never written into the config/],
  ['a secret inlined through the values escape hatch', plan((o) => { o.values = { extraEnv: [{ name: 'NOTE', value: GITHUB_TOKEN }] }; }),
    ['registryServer.values.extraEnv[0].value'], /GitHub token/],
];

const PLAN: Case[] = [
  ['the kube-system namespace', plan(() => undefined, { namespace: 'kube-system' }), ['namespace'], /system namespace/],
  ['the default namespace', plan(() => undefined, { namespace: 'default' }), ['namespace'], /allowDefaultNamespace/],
  ['a namespace that reads as a YAML number', plan(() => undefined, { namespace: '1e5' }), ['namespace'], /reads as/],
  ['a delivery that is not one', plan(() => undefined, { delivery: 'kubectl' }), ['delivery'], /"manifests", "helm"/],
  ['plan options null', plan(() => undefined, null), ['(root)'], /got null/],
  ['a plan option typo', plan(() => undefined, { namespce: 'registry' }), ['namespce'], /did you mean "namespace"/],
];

const CONFIG: Case[] = [
  ['database.passwd (a typo the server would ignore, a secret in a ConfigMap)', config((c) => { c.database.passwd = 'hunter2'; }), ['database.passwd'], /never written into the config.*passwordSecret/],
  ['database.password', config((c) => { c.database.password = 'hunter2'; }), ['database.password'], /never written into the config/],
  ['an unknown database key', config((c) => { c.database.hots = 'pg2'; }), ['database.hots'], /did you mean "host"/],
  ['an unknown key deep in a git source', config((c) => { c.sources[0].git.brnach = 'main'; }), ['sources[0].git.brnach'], /did you mean "branch"/],
  ['an unknown top-level key', config((c) => { c.registryName = 'legacy'; }), ['registryName'], /valid keys here: sources, registries/],
  ['a client secret inlined in a provider', config((c) => { c.auth = oauth({ clientSecret: 'abc' }); }), ['auth.oauth.providers[0].clientSecret'], /clientSecretFile/],
  ['a git password inlined', config((c) => { c.sources[0].git.auth = { username: 'bot', password: 'x' }; }), ['sources[0].git.auth', 'sources[0].git.auth.password'], /passwordFile/],
  ['inline file data (the v1.5.1 config load refuses it)', config((c) => { c.sources[0] = { name: 'catalog', file: { path: '/data/r.json', data: '{}' }, syncPolicy: { interval: '1h' } }; }),
    ['sources[0].file.data'], /validateFileConfig/],
  ['an audit key typo', config((c) => { c.audit = { eventType: ['user.info'] }; }), ['audit.eventType'], /did you mean "eventTypes"/],
  ['an audit event type typo', config((c) => { c.audit = { eventTypes: ['user.inf'] }; }), ['audit.eventTypes[0]'], /did you mean "user.info"/],
  ['a telemetry key that does not exist', config((c) => { c.telemetry = { tracing: { enabled: true, sampleRate: 0.5 } }; }), ['telemetry.tracing.sampleRate'], /unknown key/],
  ['a git URL with a user and a token', config((c) => { c.sources[0].git.repository = `https://bot:${GITHUB_TOKEN}@github.com/acme/catalog.git`; }),
    ['sources[0].git.repository'], /git\.auth.*passwordFile/],
  ['a git URL with a token as the user', config((c) => { c.sources[0].git.repository = `https://${GITHUB_TOKEN}@github.com/acme/catalog.git`; }),
    ['sources[0].git.repository'], /credentials in the repository URL/],
  ['an ssh git URL with a password', config((c) => { c.sources[0].git.repository = 'ssh://git:hunter2@github.com/acme/catalog.git'; }),
    ['sources[0].git.repository'], /credentials/],
  ['an ssh git URL with the user git', config((c) => { c.sources[0].git.repository = 'ssh://git@github.com/acme/catalog.git'; }), [],
    'accepted: "git" is a user name, not a credential (keys come from elsewhere)'],
  ['an scp-like git URL', config((c) => { c.sources[0].git.repository = 'git@github.com:acme/catalog.git'; }), [], 'accepted: the usual SSH form, no credential'],
  ['a JWT as a claim value', config((c) => { c.registries[0].claims = { token: JWT }; }), ['registries[0].claims.token'], /JSON Web Token.*ConfigMap/],
  ['a PEM key in a filter', config((c) => { c.sources[0].filter = { names: { include: ['-----BEGIN PRIVATE KEY-----\nMII'] } }; }),
    ['sources[0].filter.names.include[0]'], /PEM private key/],
  ['an AWS access key as a service name', config((c) => { c.telemetry = { serviceName: 'AKIAABCDEFGHIJKLMNOP' }; }), ['telemetry.serviceName'], /AWS access key/],
  ['a Slack token as the realm', config((c) => { c.auth = oauth(); c.auth.oauth.realm = 'xoxb-1234567890-abcdef'; }), ['auth.oauth.realm'], /Slack token/],
  ['an api endpoint with credentials (one issue, not two)', config((c) => { c.sources[0] = { name: 'catalog', api: { endpoint: 'https://u:p@up.example.com' }, syncPolicy: { interval: '1h' } }; }),
    ['sources[0].api.endpoint'], /credentials/],
  ['a telemetry endpoint with credentials', config((c) => { c.telemetry = { endpoint: 'https://u:p@otel.example.com:4318' }; }), ['telemetry.endpoint'], /URL with credentials/],
  ['an issuer URL with credentials', config((c) => { c.auth = oauth({ issuerUrl: 'https://u:p@idp.example.com' }); }), ['auth.oauth.providers[0].issuerUrl'], /credentials/],
  ['a plain-http JWKS URL', config((c) => { c.auth = oauth({ jwksUrl: 'http://idp.example.com/jwks' }); }), ['auth.oauth.providers[0].jwksUrl'], /THV_REGISTRY_INSECURE_URL/],
  ['publicPaths "/"', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/']; }), ['auth.publicPaths[0]'], /whole API public/],
  ['publicPaths "/*"', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/*']; }), ['auth.publicPaths[0]'], /no wildcards/],
  ['publicPaths ""', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['']; }), ['auth.publicPaths[0]'], /empty public path/],
  ['publicPaths "//" (cleans to "/")', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['//']; }), ['auth.publicPaths[0]'], /whole API public/],
  ['publicPaths "/registry/" (every registry)', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/registry/']; }), ['auth.publicPaths[0]'], /every registry/],
  ['publicPaths "/v1" (the admin API)', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/v1']; }), ['auth.publicPaths[0]'], /admin API/],
  ['publicPaths that climb into the admin API', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/openapi.json/../v1/sources']; }), ['auth.publicPaths[0]'], /admin routes/],
  ['publicPaths "/registry/public" (one registry)', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/registry/public']; }), [],
    'accepted: publishing one registry is what public paths are for'],
  ['publicPaths "/v0"', config((c) => { c.auth = oauth(); c.auth.publicPaths = ['/v0']; }), [],
    'accepted: no route lives under /v0 (the routes are /registry/..., /v1/..., /openapi.json, /.well-known), so it opens nothing'],
  ['config null', () => { const issues = subject.validateRegistryConfig(null as any); if (issues.length > 0) throw new ToolhiveValidationError(issues); }, ['config'], /got null/],
  ['sources as a string', config((c) => { c.sources = 'git'; }), ['registries[0].sources[0]', 'sources'], /expected a list/],
  ['a null source', config((c) => { c.sources = [null]; c.registries[0].sources = []; }), ['registries[0].sources', 'sources[0]'], /got null|at least one/],
  ['a port as a string', config((c) => { c.database.port = '5432'; }), ['database.port'], /expected a number/],
  ['a port above 65535', config((c) => { c.database.port = 70000; }), ['database.port'], /port from 1 to 65535/],
  ['an sslMode the rules do not know', config((c) => { c.database.sslMode = 'prefer'; }), ['database.sslMode'], /"verify-full"/],
  ['a negative sync interval', config((c) => { c.sources[0].syncPolicy.interval = '-5m'; }), ['sources[0].syncPolicy.interval'], /longer than zero/],
  ['namespaces as a comma-separated string', config((c) => { c.sources[0] = { name: 'catalog', kubernetes: { namespaces: 'a,b' } }; }),
    ['sources[0].kubernetes.namespaces'], /expected a list/],
  ['a claim value that is not flat', config((c) => { c.sources[0].claims = { groups: [1] }; }), ['sources[0].claims.groups'], /flat values only/],
  ['a prototype key in claims', config((c) => { c.registries[0].claims = JSON.parse('{"__proto__": {"polluted": "yes"}}'); }), ['registries[0].claims.__proto__'], /not allowed in a map/],
  ['auth.mode in the wrong case', config((c) => { c.auth.mode = 'OAuth'; }), ['auth.mode'], /did you mean "oauth"/],
  ['branch and tag together', config((c) => { c.sources[0].git.branch = 'main'; c.sources[0].git.tag = 'v1'; }), ['sources[0].git'], /at most one of branch, tag and commit/],
  ['check options null', () => { const issues = subject.validateRegistryConfig(baseConfig(), null as any); if (issues.length > 0) throw new ToolhiveValidationError(issues); }, ['options'], /got null/],
];

const CHART: Case[] = [
  ['chart config with a passwd', chart(withDb({ database: { host: 'pg', passwd: 'hunter2' } })), ['config.database.passwd'], /never written into the config/],
  ['chart config with a git URL with credentials', chart(withDb({ sources: [{ name: 'c', git: { repository: `https://bot:${GITHUB_TOKEN}@github.com/a/c.git` }, syncPolicy: { interval: '1h' } }] })),
    ['config.sources[0].git.repository'], /git\.auth/],
  ['chart config with a public "/"', chart(withDb({ auth: { mode: 'oauth', publicPaths: ['/'] } })), ['config.auth.publicPaths[0]'], /whole API/],
  ['chart config with an unknown key', chart(withDb({ databse: {} })), ['config.databse'], /did you mean "database"/],
  ['chart config as a string', chart({ config: 'sources: []' }), ['config'], /configuration map/],
  ['chart config deleting the database (Helm null)', chart({ config: { database: null } }), ['config.database'], /cannot render without it/],
  ['chart values null', chart(null), [], 'accepted: no values are the chart defaults, as `helm template` without -f'],
  ['a release null', chart(withDb(), null), ['release'], /got null/],
  ['a release namespace that is not one', chart(withDb(), { releaseName: 'r', namespace: 'Bad NS' }), ['release.namespace'], /not a valid namespace name/],
  ['a release without a name', chart(withDb(), { namespace: 'toolhive-system' }), ['release.releaseName'], /required/],
  ['chart extraEnv with an inlined secret', chart(withDb({}, { extraEnv: [{ name: 'API_KEY', value: 'x' }] })), ['extraEnv[0].value'], /secretKeyRef/],
  ['chart nodeSelector value that is not a label', chart(withDb({}, { nodeSelector: { disk: 'fast ssd' } })), ['nodeSelector.disk'], /label value/],
  ['chart replicaCount as a string', chart(withDb({}, { replicaCount: '2' })), ['replicaCount'], /whole number/],
];

/** How a table case misses its stated outcome (empty when it meets it). */
function caseProblems(run: () => unknown, paths: string[], about: RegExp | string): string[] {
  const got = outcomeOf(run);
  if (paths.length === 0) {
    return typeof about === 'string' ? acceptanceProblems(got) : ['a case without paths must say why accepting is right'];
  }
  return refusalProblems(got, { paths, about: about as RegExp });
}

const TABLES: [string, Case[]][] = [
  ['RegistryServerOptions (planRegistryServer)', OPTIONS],
  ['PlanRegistryServerOptions', PLAN],
  ['RegistryServerConfig (validateRegistryConfig)', CONFIG],
  ['chart values (renderRegistryServerChart)', CHART],
];

describe.each(TABLES)('hostile %s', (_what, cases) => {
  test.each(cases)('%s', (_name, run, paths, about) => {
    expect(caseProblems(run, paths, about)).toEqual([]);
  });
});

test('there are at least 40 hostile cases', () => {
  expect(OPTIONS.length + PLAN.length + CONFIG.length + CHART.length).toBeGreaterThanOrEqual(40);
});

test('accepted: chart values null render the chart defaults (the default catalog source, nothing of the hostile values)', () => {
  const text = JSON.stringify(renderRegistryServerChart(null as any, release));
  expect(text).toContain('toolhive-catalog.git');
  expect(text).not.toContain('hunter2');
});

describe('garbage at every key: refused at its path, or accepted on purpose and checked', () => {
  const GARBAGE: unknown[] = [null, 42, 'x', true, [], {}, [null], [42], { a: null }];
  const optionKeys = ['config', 'externalUrl', 'passwordSecret', 'migrationPasswordSecret', 'pgpassSecret', 'allowInsecureIssuerUrls', 'rbac', 'replicas',
    'image', 'imagePullSecrets', 'resources', 'nodeSelector', 'tolerations', 'affinity', 'exposeInternalPort', 'env', 'values'];
  const configPaths = ['sources', 'sources.0', 'sources.0.name', 'sources.0.git', 'sources.0.git.repository', 'sources.0.git.auth', 'sources.0.syncPolicy',
    'sources.0.syncPolicy.interval', 'sources.0.claims', 'sources.0.filter', 'sources.0.filter.names', 'registries', 'registries.0', 'registries.0.sources',
    'registries.0.sources.0', 'registries.0.claims', 'database', 'database.port', 'database.dynamicAuth', 'database.dynamicAuth.awsRdsIam', 'auth', 'auth.mode',
    'auth.publicPaths', 'auth.oauth', 'auth.authz', 'auth.authz.roles', 'telemetry', 'telemetry.tracing', 'audit', 'audit.eventTypes'];
  const set = (target: any, path: string, value: unknown) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => (o[k] ??= {}), target);
    parent[last] = value;
  };
  const unset = (target: any, path: string) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => o?.[k], target);
    if (parent && typeof parent === 'object') delete parent[last];
  };
  /** A valid config with OAuth and authorization on (every registry then needs claims). */
  const oauthConfig = (): any => ({ ...baseConfig(), auth: { ...oauth(), authz: { roles: { superAdmin: [{ groups: 'admins' }] } } }, registries: [{ name: 'default', sources: ['catalog'], claims: { org: 'acme' } }] });

  type Variant = 'plan' | 'plan with oauth' | 'chart';
  /** The call of a variant with `path` of the config set to `value` (or removed, for `undefined`). */
  const configCall = (variant: Variant, path: string, value: unknown) => () => {
    const c = variant === 'plan with oauth' ? oauthConfig() : baseConfig();
    if (value === undefined) unset(c, path);
    else set(c, path, value);
    if (variant === 'chart') return subject.renderRegistryServerChart({ config: c } as any, release);
    return subject.planRegistryServer({ ...baseOptions(), config: c });
  };
  const optionCall = (key: string, value: unknown) => () => {
    const o = baseOptions();
    if (value === undefined) delete o[key];
    else o[key] = value;
    return subject.planRegistryServer(o);
  };

  /** What an accepted pair's output must show. */
  type Check =
    | 'same as unset' // the output equals the output without the key
    | 'in the config'; // the config.yaml the output carries holds the value at its path, as written
  type Accepted = { readonly why: string; readonly check: Check | ((output: unknown) => string | undefined) };
  const showsText = (text: string) => (output: unknown) => (JSON.stringify(output).includes(text) ? undefined : `the output does not show ${text}`);
  const key = (where: string, garbage: unknown) => `${where} = ${JSON.stringify(garbage)}`;

  /** Every pair accepted on purpose. Any other pair must be refused at (or below) its own path. */
  const ACCEPTED = new Map<string, Accepted>([
    [key('options.allowInsecureIssuerUrls', true), { why: 'a valid value', check: showsText('{"name":"THV_REGISTRY_INSECURE_URL","value":"true"}') }],
    [key('options.replicas', 42), { why: 'a valid replica count', check: showsText('"replicas":42') }],
    [key('options.image', 'x'), { why: 'a valid image reference (Docker Hub library image "x")', check: showsText('"image":"x"') }],
    [key('options.exposeInternalPort', true), { why: 'the chart default', check: 'same as unset' }],
    ...['rbac', 'resources', 'nodeSelector', 'affinity', 'values'].map((k) => [key(`options.${k}`, {}), { why: 'an empty map sets nothing', check: 'same as unset' }] as const),
    ...['imagePullSecrets', 'tolerations', 'env'].map((k) => [key(`options.${k}`, []), { why: 'an empty list adds nothing', check: 'same as unset' }] as const),
    ...(['plan', 'plan with oauth', 'chart'] as const).flatMap((v) => [
      [key(`${v}:sources.0.git.repository`, 'x'), { why: 'the server takes any non-empty repository (config.go checks only emptiness; go-git also clones local paths)', check: 'in the config' }],
      [key(`${v}:database.port`, 42), { why: 'a valid port', check: 'in the config' }],
      ...['sources.0.git.auth', 'sources.0.claims', 'sources.0.filter', 'sources.0.filter.names', 'telemetry', 'telemetry.tracing', 'audit']
        .map((p) => [key(`${v}:${p}`, {}), { why: 'an empty map: written as the user wrote it, read by the server as unset', check: 'in the config' }] as const),
      ...['auth.publicPaths', 'audit.eventTypes'].map((p) => [key(`${v}:${p}`, []), { why: 'an empty list: written as the user wrote it, adds nothing', check: 'in the config' }] as const),
    ] as [string, Accepted][]),
    ...(['plan', 'chart'] as const).flatMap((v) => [
      [key(`${v}:registries.0.claims`, {}), { why: 'without authorization, claims are not needed (with auth.authz on it is refused, see "plan with oauth")', check: 'in the config' }],
      [key(`${v}:auth.oauth`, {}), { why: 'ignored in anonymous mode (with OAuth on it is refused, see "plan with oauth")', check: 'in the config' }],
    ] as [string, Accepted][]),
    ...['auth.authz', 'auth.authz.roles'].map((p) => [key(`plan with oauth:${p}`, {}), {
      why: 'authorization on without roles: nobody is a super-admin, every registry is claimed (the server denies by default)', check: 'in the config',
    }] as const),
    // renderRegistryServerChart checks shape and safety, as `helm template` renders whatever the values say; the server's load-time
    // rules (at least one source, a registry naming a known source, a typed source) belong to planRegistryServer, which refuses these.
    ...[['sources', []], ['sources.0', {}], ['sources.0.name', 'x'], ['sources.0.git', {}], ['sources.0.syncPolicy', {}], ['registries', []], ['registries.0', {}],
      ['registries.0.sources', []], ['registries.0.sources.0', 'x']].map(([p, g]) => [key(`chart:${p}`, g), { why: 'chart layer: rendered as helm template renders it; planRegistryServer refuses it', check: 'in the config' }] as const),
    ...['database', 'auth']
      .map((p) => [key(`chart:${p}`, {}), { why: 'Helm merges an empty map into the default: nothing changes', check: 'same as unset' }] as const),
    ...['database.dynamicAuth', 'database.dynamicAuth.awsRdsIam', 'auth.authz', 'auth.authz.roles']
      .map((p) => [key(`chart:${p}`, {}), { why: 'chart layer: an empty map written as the user wrote it', check: 'in the config' }] as const),
  ]);

  /** Pairs refused at another path than their own, with the reason. */
  const gone = 'the registry still names the source "catalog", which no longer exists';
  const REFUSED_ELSEWHERE = new Map<string, { paths: string[]; why: string }>([
    [key('options.affinity', { a: null }), { paths: ['registryServer.values.affinity.a'], why: 'a null in affinity would delete a chart default: reported where the chart reads it' }],
    [key('plan:sources.0.name', 'x'), { paths: ['registryServer.config.registries[0].sources[0]'], why: gone }],
    [key('plan with oauth:sources.0.name', 'x'), { paths: ['registryServer.config.registries[0].sources[0]'], why: gone }],
    [key('plan:auth.authz', {}), { paths: ['registryServer.config.registries[0].claims'], why: 'authorization on: the unclaimed registry would be visible to super-admins only' }],
    [key('plan:auth.authz.roles', {}), { paths: ['registryServer.config.registries[0].claims'], why: 'authorization on: the unclaimed registry would be visible to super-admins only' }],
  ]);

  /** One (key, garbage) call: its label (the key of the lists above), the call, the call without the key, the garbage's path. */
  interface Pair {
    readonly label: string;
    readonly run: () => unknown;
    readonly unsetRun: () => unknown;
    readonly path: string;
    readonly garbage: unknown;
  }
  const optionPairs = (k: string): Pair[] => GARBAGE.map((g) => ({
    label: key(`options.${k}`, g), run: optionCall(k, g), unsetRun: optionCall(k, undefined), path: `registryServer.${k}`, garbage: g,
  }));
  const configPairs = (p: string): Pair[] => (['plan', 'plan with oauth', 'chart'] as Variant[]).flatMap((v) => GARBAGE.map((g) => ({
    label: key(`${v}:${p}`, g),
    run: configCall(v, p, g),
    unsetRun: configCall(v, p, undefined),
    path: `${v === 'chart' ? '' : 'registryServer.'}config.${userPath(p.split('.'))}`,
    garbage: g,
  })));
  const providerPairs = (): Pair[] => GARBAGE.flatMap((g) => [
    {
      label: key('config:auth.oauth.providers', g),
      run: config((c) => { c.auth = oauth(); c.auth.oauth.providers = g; }),
      unsetRun: () => undefined,
      path: 'auth.oauth.providers',
      garbage: g,
    },
    {
      label: key('config:auth.oauth.providers.0.issuerUrl', g),
      run: config((c) => { c.auth = oauth(); c.auth.oauth.providers[0].issuerUrl = g; }),
      unsetRun: () => undefined,
      path: 'auth.oauth.providers[0].issuerUrl',
      garbage: g,
    },
    { label: key('config:auth.oauth', g), run: config((c) => { c.auth = { mode: 'oauth', oauth: g }; }), unsetRun: () => undefined, path: 'auth.oauth', garbage: g },
  ]);

  /** The config.yaml an output carries (planned objects or rendered chart), parsed. */
  const writtenConfig = (output: unknown): any => {
    const found: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {v.forEach(walk);} else if (v && typeof v === 'object') {
        const o = v as any;
        if (o.kind === 'ConfigMap' && typeof o.data?.['config.yaml'] === 'string') found.push(parseYaml(o.data['config.yaml']));
        Object.values(o).forEach(walk);
      }
    };
    walk(output);
    return found.length === 1 ? found[0] : undefined;
  };
  const at = (value: any, path: string): unknown => path.split('.').reduce((o, k) => o?.[k], value);

  /** How one pair misses its stated outcome. */
  function pairProblems(pair: Pair): string[] {
    const got: CallOutcome = outcomeOf(pair.run);
    const accepted = ACCEPTED.get(pair.label);
    if (accepted) {
      return acceptanceProblems(got, (value) => {
        if (typeof accepted.check === 'function') return accepted.check(value);
        if (accepted.check === 'in the config') {
          const written = at(writtenConfig(value), pair.label.split(':')[1].split(' = ')[0]);
          return JSON.stringify(written) === JSON.stringify(pair.garbage) ? undefined : `the config holds ${JSON.stringify(written)}, not ${JSON.stringify(pair.garbage)}`;
        }
        const base = outcomeOf(pair.unsetRun);
        if (base.kind !== 'accepted') return 'the baseline without the key is not accepted';
        return JSON.stringify(value) === JSON.stringify(base.value) ? undefined : 'the output differs from the output without the key';
      });
    }
    const elsewhere = REFUSED_ELSEWHERE.get(pair.label);
    return refusalProblems(got, elsewhere ? { paths: elsewhere.paths } : { under: [pair.path] });
  }
  /** Every problem of a sweep, each prefixed with its pair. */
  const sweepProblems = (pairs: Pair[]): string[] => pairs.flatMap((p) => pairProblems(p).map((x) => `${p.label}: ${x}`));

  test.each(optionKeys)('options.%s', (k) => {
    expect(sweepProblems(optionPairs(k))).toEqual([]);
  });

  test.each(configPaths)('config.%s', (p) => {
    expect(sweepProblems(configPairs(p))).toEqual([]);
  });

  test('with oauth on, garbage in the providers', () => {
    expect(sweepProblems(providerPairs())).toEqual([]);
  });

  test('the valid baselines plan and render (with OAuth and authorization too)', () => {
    expect(acceptanceProblems(outcomeOf(plan(() => undefined)))).toEqual([]);
    expect(acceptanceProblems(outcomeOf(() => planRegistryServer({ ...baseOptions(), config: oauthConfig() })))).toEqual([]);
    expect(acceptanceProblems(outcomeOf(() => renderRegistryServerChart({ config: baseConfig() } as any, release)))).toEqual([]);
  });

  test('every listed acceptance and refusal elsewhere is a pair of the sweep (the lists hold no stale entries)', () => {
    const labels = new Set([...optionKeys.flatMap(optionPairs), ...configPaths.flatMap(configPairs), ...providerPairs()].map((p) => p.label));
    expect([...ACCEPTED.keys(), ...REFUSED_ELSEWHERE.keys()].filter((k) => !labels.has(k))).toEqual([]);
  });

  describe('meta: the checkers fail when the library accepts garbage silently', () => {
    const real = { ...subject };
    afterEach(() => Object.assign(subject, real));
    const acceptEverything = () => {
      subject.planRegistryServer = acceptsEverything({ cluster: 'default', deliverables: [] });
      subject.renderRegistryServerChart = acceptsEverything([]);
      subject.validateRegistryConfig = acceptsEverything([]);
    };

    test('the sweep reports every pair that should be refused', () => {
      const pairs = [...optionKeys.flatMap(optionPairs), ...configPaths.flatMap(configPairs), ...providerPairs()];
      const mustRefuse = pairs.filter((p) => !ACCEPTED.has(p.label));
      expect(mustRefuse.length).toBeGreaterThan(700);
      acceptEverything();
      const failing = new Set(pairs.filter((p) => pairProblems(p).length > 0).map((p) => p.label));
      expect(mustRefuse.filter((p) => !failing.has(p.label)).map((p) => p.label)).toEqual([]);
    });

    test('the tables report every case that should be refused', () => {
      acceptEverything();
      const all = TABLES.flatMap(([, cases]) => cases);
      const silent = all.filter(([, run, paths, about]) => paths.length > 0 && caseProblems(run, paths, about).length === 0);
      expect(silent.map(([name]) => name)).toEqual([]);
    });

    test('a refusal at the wrong path, or a TypeError, is reported too', () => {
      subject.planRegistryServer = () => { throw new ToolhiveValidationError([{ path: 'elsewhere', message: 'x' }]); };
      expect(pairProblems(optionPairs('replicas')[0])).toEqual(['refused at ["elsewhere"], none at or below ["registryServer.replicas"]']);
      subject.planRegistryServer = () => (null as any).x;
      expect(pairProblems(optionPairs('replicas')[0])[0]).toMatch(/^threw TypeError/);
    });
  });
});

test('no options and empty options are refused alike: a Registry Server is never planned without configuration', () => {
  const refusal = (options: unknown) => issuesOf(() => planRegistryServer(options as any));
  expect(refusal(undefined)).toEqual(refusal({}));
  expect(refusal(undefined).map((i) => i.path)).toContain('registryServer.config');
});
