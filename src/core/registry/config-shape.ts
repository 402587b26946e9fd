/*
 * The runtime shape of RegistryServerConfig: every key at every level (the v1.5.1 server's
 * internal/config/config.go and internal/telemetry/config.go), with the context-free rules of
 * its leaves. An unknown key anywhere is an error naming the nearest valid key: the server
 * would ignore it silently, and the ConfigMap would carry it. A key that names a secret gets
 * the reason secrets never go into the config instead.
 */
import { IssueCollector } from '../errors';
import { goDurationProblem, positiveDurationProblem } from '../rules/durations';
import { namespaceProblem } from '../rules/names';
import { INT32_MAX, portProblem } from '../rules/numbers';
import { looksLikeSecretName } from '../rules/secrets';
import { checkShape, nearest, Rule, S, Shape, ShapeMode } from '../rules/shape';
import { httpUrlProblem } from '../rules/urls';

/** The audit event types of the server (internal/audit). */
export const AUDIT_EVENT_TYPES: readonly string[] = [
  'server.list', 'server.versions.list', 'server.version.read', 'skill.list', 'skill.read', 'skill.versions.list',
  'skill.version.read', 'plugin.list', 'plugin.read', 'plugin.versions.list', 'plugin.version.read', 'source.create',
  'source.update', 'source.delete', 'registry.create', 'registry.update', 'registry.delete', 'entry.publish',
  'entry.delete', 'entry.claims.update', 'source.list', 'source.read', 'source.entries.list', 'registry.list',
  'registry.read', 'registry.entries.list', 'entry.claims.read', 'user.info', 'auth.unauthenticated',
];

/** A rule that lets the empty string through (the server reads it as "not set"; required-ness is a rule of its own). */
const unlessEmpty = (rule: Rule): Shape => S.ruled((v: string) => (v === '' ? undefined : rule(v)));

const absolutePath = (why: string): Shape => unlessEmpty((v: string) => (v.startsWith('/') ? undefined : `${JSON.stringify(v)} must be an absolute path (${why})`));

const goDuration: Rule = (v) => goDurationProblem(v);

/** api.timeout: above 0 and at most 5m (config.go ValidateAPITimeout). */
const apiTimeout: Rule = (v) => goDurationProblem(v, { min: 'positive', max: [300e9, '5m'] });

const auditEvent: Rule = (v) => (AUDIT_EVENT_TYPES.includes(v) ? undefined : `${JSON.stringify(v)} is not an audit event type${nearest(v, AUDIT_EVENT_TYPES, '; did you mean ', '?')}`);

const httpUrl = unlessEmpty((v) => httpUrlProblem(v, { http: true }));
const str = S.string();
const strings = S.list(str);
const bool = S.boolean();

/** Claims: each value a string or a list of strings (internal/db/claims.go ValidateClaimValues). */
const CLAIMS = S.map(S.oneOf('a claim value: a string or a list of strings (flat values only)', str, strings));

const FILTER = S.object({
  names: S.object({ include: strings, exclude: strings }, 'a name filter { include, exclude }'),
  tags: S.object({ include: strings, exclude: strings }, 'a tag filter { include, exclude }'),
}, 'a filter { names, tags }');

const SOURCE = S.object({
  name: str,
  git: S.object({
    repository: str,
    branch: str,
    tag: str,
    commit: str,
    path: str,
    auth: S.object({ username: str, passwordFile: absolutePath('mount the Secret as a file') }, 'git auth { username, passwordFile }'),
  }, 'a git source { repository, branch, tag, commit, path, auth }'),
  api: S.object({ endpoint: httpUrl, timeout: unlessEmpty(apiTimeout) }, 'an api source { endpoint, timeout }'),
  file: S.object({ path: str, url: httpUrl, timeout: unlessEmpty(goDuration) }, 'a file source { path, url, timeout }'),
  managed: S.object({}, 'an empty map {} (a managed source has no settings)'),
  kubernetes: S.object({ namespaces: S.list(S.ruled(namespaceProblem)) }, 'a kubernetes source { namespaces }'),
  syncPolicy: S.object({ interval: unlessEmpty(positiveDurationProblem) }, 'a sync policy { interval }'),
  filter: FILTER,
  claims: CLAIMS,
}, 'a source { name, git | api | file | managed | kubernetes, syncPolicy, filter, claims }');

const REGISTRY = S.object({ name: str, sources: strings, claims: CLAIMS }, 'a registry { name, sources, claims }');

const DATABASE = S.object({
  host: str,
  port: S.number(portProblem),
  user: str,
  migrationUser: str,
  database: str,
  sslMode: S.string(['disable', 'require', 'verify-ca', 'verify-full']),
  maxOpenConns: S.integer(0, INT32_MAX),
  maxIdleConns: S.integer(0, INT32_MAX),
  connMaxLifetime: unlessEmpty(goDuration),
  maxMetaSize: S.integer(1),
  dynamicAuth: S.object({ awsRdsIam: S.object({ region: str }, 'AWS RDS IAM settings { region }') }, 'dynamic auth { awsRdsIam }'),
}, 'a database connection { host, port, user, database, ... }');

const PROVIDER = S.object({
  name: str,
  issuerUrl: str,
  audience: str,
  jwksUrl: str,
  clientId: str,
  clientSecretFile: absolutePath('the server reads the secret from that file; mount it from a Secret'),
  caCertPath: str,
  authTokenFile: str,
  introspectionUrl: str,
  allowPrivateIP: bool,
}, 'an OAuth provider { name, issuerUrl, audience, ... }');

const ROLE_RULES = S.list(CLAIMS);

const AUTH = S.object({
  mode: S.string(['anonymous', 'oauth']),
  publicPaths: strings,
  oauth: S.object({ resourceUrl: httpUrl, realm: str, providers: S.list(PROVIDER) }, 'OAuth settings { resourceUrl, realm, providers }'),
  authz: S.object({
    roles: S.object({ superAdmin: ROLE_RULES, manageSources: ROLE_RULES, manageRegistries: ROLE_RULES, manageEntries: ROLE_RULES },
      'roles { superAdmin, manageSources, manageRegistries, manageEntries }'),
  }, 'authorization { roles }'),
}, 'auth settings { mode, publicPaths, oauth, authz }');

const TELEMETRY = S.object({
  enabled: bool,
  serviceName: str,
  serviceVersion: str,
  endpoint: str,
  insecure: bool,
  tracing: S.object({ enabled: bool, sampling: S.number() }, 'tracing { enabled, sampling }'),
  metrics: S.object({ enabled: bool }, 'metrics { enabled }'),
}, 'telemetry { enabled, serviceName, serviceVersion, endpoint, insecure, tracing, metrics }');

const AUDIT = S.object({
  enabled: bool,
  logFile: absolutePath('on a mounted writable volume: the root filesystem is read-only'),
  eventTypes: S.list(S.ruled(auditEvent)),
  excludeEventTypes: S.list(S.ruled(auditEvent)),
  includeRequestData: bool,
  maxDataSize: S.integer(0, 1048576),
}, 'audit settings { enabled, logFile, eventTypes, excludeEventTypes, includeRequestData, maxDataSize }');

/** The shape of {@link RegistryServerConfig}. @internal */
export const REGISTRY_CONFIG_SHAPE: Shape = S.object({
  sources: S.list(SOURCE),
  registries: S.list(REGISTRY),
  database: DATABASE,
  auth: AUTH,
  telemetry: TELEMETRY,
  audit: AUDIT,
}, 'a Registry Server configuration map (sources, registries, database, auth)');

/** Keys the server reads elsewhere or not from a config file: a better message than "unknown key". */
const MISPLACED: readonly (readonly [RegExp, string])[] = [
  [/^auth\.oauth\.publicPaths$/, 'publicPaths belongs under auth, not auth.oauth (the server ignores it there)'],
  [/^sources\[\d+\]\.file\.data$/, 'inline registry data is for sources created through the API: the v1.5.1 server refuses a config-file source without file.path '
    + 'or file.url and ignores data beside them (config.go validateFileConfig); mount the file and set file.path'],
];

/** Where a secret of each part of the config comes from instead. */
function secretKeyMessage(relativePath: string): string {
  const base = 'secrets are never written into the config (it becomes a ConfigMap, readable in plain text)';
  if (/^database\./.test(relativePath)) {
    return `${base}: reference a Secret with passwordSecret or migrationPasswordSecret (env THV_REGISTRY_DATABASE_PASSWORD / THV_REGISTRY_DATABASE_MIGRATIONPASSWORD from a secretKeyRef), or use a pgpass Secret or dynamicAuth`;
  }
  if (/\.git\.auth\./.test(relativePath)) return `${base}: set git.auth.passwordFile to the absolute path of the token mounted from a Secret`;
  if (/^auth\.oauth\.providers\[\d+\]\./.test(relativePath)) return `${base}: set clientSecretFile to the absolute path of the secret mounted from a Secret`;
  return `${base}: mount it from a Secret and point the config at the file`;
}

const misplaced = (relative: string) => MISPLACED.find(([re]) => re.test(relative))?.[1];

/** The last key of an issue path (`a.b`, `a["b c"]`). */
function lastKey(path: string): string {
  const quoted = /\["((?:[^"\\]|\\.)*)"\]$/.exec(path);
  if (quoted) return JSON.parse(`"${quoted[1]}"`);
  return /([^.[\]]+)$/.exec(path)?.[1] ?? '';
}

/**
 * Checks `config` against {@link REGISTRY_CONFIG_SHAPE}, recording each problem under `path`;
 * `nulls` for Helm values, where null deletes a default.
 * @internal
 */
export function checkRegistryConfigShape(config: unknown, path: string, issues: IssueCollector, mode: ShapeMode = {}): void {
  const local = new IssueCollector();
  checkShape(config, REGISTRY_CONFIG_SHAPE, path, local, mode);
  for (const issue of local.issues) {
    const relative = path && issue.path.startsWith(path) ? issue.path.slice(path.length).replace(/^\./, '') : issue.path;
    if (!issue.message.startsWith('unknown key')) issues.add(issue.path, issue.message);
    else if (misplaced(relative)) issues.add(issue.path, misplaced(relative)!);
    else if (looksLikeSecretName(lastKey(issue.path))) issues.add(issue.path, secretKeyMessage(relative));
    else issues.add(issue.path, issue.message);
  }
}
