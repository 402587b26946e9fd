/*
 * The rules the Registry Server (v1.5.1, internal/config/config.go `validate`) applies when it
 * loads its config, beyond the shape of each key: what is required, what goes together, what
 * must be unique, what must refer to what. The server stops at the first problem; these report
 * all of them. Each rule reads only values of the right type (the shape reports the others).
 */
import { IssueCollector, joinPath } from '../errors';
import { dns1123LabelProblem } from '../rules/names';
import { httpUrlProblem } from '../rules/urls';
import { isPlainObject } from '../util';

/** Options of `validateRegistryConfig` (registry/config.ts), read by the rules here. */
export interface RegistryConfigCheckOptions {
  /**
   * Environment variables the server will have (env-only settings such as THV_REGISTRY_INSECURE_URL).
   * @default {}
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#environment-variables
   */
  readonly env?: { readonly [name: string]: string };
  /**
   * Whether the database host may be empty because a `global.postgres.host` fills it in.
   * @default false
   */
  readonly databaseHostFromGlobal?: boolean;
  /**
   * Whether sources and registries are generated elsewhere (skip the at-least-one rules).
   * @default false
   */
  readonly catalogGenerated?: boolean;
}

type Rec = Record<string, any>;
type At = (rest: string) => string;

const SOURCE_TYPES = ['git', 'api', 'file', 'managed', 'kubernetes'] as const;
const SYNCED: ReadonlySet<string> = new Set(['git', 'api', 'file']);

/** Not set, as the server reads it (Go's zero value). */
const absent = (v: unknown): boolean => v === undefined || v === '';

/** A list field: the list, `[]` when absent, undefined when it is not a list (the shape reports that). */
const listOf = (v: unknown): unknown[] | undefined => (v === undefined ? [] : Array.isArray(v) ? v : undefined);

const under = (path: string): At => (rest: string) => joinPath(path, rest);

/**
 * Every load-time rule of the server, recording each problem under `path`.
 * @internal
 */
export function checkRegistryConfigRules(config: Rec, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions): void {
  const at = under(path);
  const sourceNames = checkSources(config.sources, at('sources'), issues, options);
  checkRegistries(config.registries, at('registries'), issues, options, sourceNames);
  checkDatabase(config.database, at('database'), issues, options);
  checkAuth(config.auth, at('auth'), issues, options);
  checkAuthzDefaultDeny(config, at, issues);
  checkTelemetry(config.telemetry, at('telemetry'), issues);
}

function checkSources(value: unknown, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions): Set<string> {
  const names = new Set<string>();
  const sources = listOf(value);
  if (!sources) return names;
  if (sources.length === 0 && !options.catalogGenerated) issues.add(path, 'at least one source is required');
  let managed = 0;
  sources.forEach((s, i) => {
    if (!isPlainObject(s)) return;
    const at = under(`${path}[${i}]`);
    checkSourceName(s.name, at('name'), names, issues);
    const type = checkSourceType(s, at(''), issues);
    if (type === 'managed') managed++;
    if (type && SYNCED.has(type)) checkSyncPolicy(s.syncPolicy, type, at('syncPolicy.interval'), issues);
    if (type === 'git') checkGitSource(s.git, under(at('git')), issues);
    if (type === 'api') checkApiSource(s.api, under(at('api')), issues);
    if (type === 'file') checkFileSource(s.file, at('file'), issues);
  });
  if (managed > 1) issues.add(path, `at most one managed source per instance, found ${managed}`);
  return names;
}

/** Source names are DNS labels (config.go ValidateSourceName: they name Kubernetes leases), unique. */
function checkSourceName(name: unknown, path: string, seen: Set<string>, issues: IssueCollector): void {
  if (typeof name !== 'string' && name !== undefined) return;
  if (absent(name)) {
    issues.add(path, 'a source needs a name');
    return;
  }
  const n = name as string;
  const problem = dns1123LabelProblem(n);
  if (problem) issues.add(path, `${JSON.stringify(n)} is not a valid source name (${problem})`);
  else if (seen.has(n)) issues.add(path, `${JSON.stringify(n)} is used by another source; source names must be unique`);
  seen.add(n);
}

/** Exactly one of git, api, file, managed, kubernetes (config.go validateSourceTypeCount). */
function checkSourceType(s: Rec, path: string, issues: IssueCollector): string | undefined {
  const types = SOURCE_TYPES.filter((t) => s[t] !== undefined);
  if (types.length !== 1) {
    issues.add(path, `exactly one of ${SOURCE_TYPES.join(', ')} is required, found ${types.length === 0 ? 'none' : types.join(' and ')}`);
  }
  return types[0];
}

function checkSyncPolicy(policy: unknown, type: string, path: string, issues: IssueCollector): void {
  if (policy !== undefined && !isPlainObject(policy)) return;
  if (absent((policy as Rec | undefined)?.interval)) issues.add(path, `required for ${type} sources (a Go duration such as "30m")`);
}

function checkGitSource(g: unknown, at: At, issues: IssueCollector): void {
  if (!isPlainObject(g)) return;
  if (absent(g.repository)) issues.add(at('repository'), 'required');
  const refs = ['branch', 'tag', 'commit'].filter((k) => typeof g[k] === 'string' && g[k] !== '');
  if (refs.length > 1) {
    issues.add(at(''), `set at most one of branch, tag and commit, found ${refs.join(' and ')}: the server checks out the commit, else the branch, else the tag, and ignores the others`);
  }
  const auth = g.auth;
  if (!isPlainObject(auth)) return;
  const hasUser = typeof auth.username === 'string' && auth.username !== '';
  const hasFile = typeof auth.passwordFile === 'string' && auth.passwordFile !== '';
  if (hasUser !== hasFile) issues.add(at('auth'), 'username and passwordFile go together');
}

function checkApiSource(a: unknown, at: At, issues: IssueCollector): void {
  if (isPlainObject(a) && absent(a.endpoint)) issues.add(at('endpoint'), 'required');
}

function checkFileSource(f: unknown, path: string, issues: IssueCollector): void {
  if (!isPlainObject(f)) return;
  if (absent(f.path) === absent(f.url)) issues.add(path, 'exactly one of path and url is required');
}

function checkRegistries(value: unknown, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions, sourceNames: Set<string>): void {
  const registries = listOf(value);
  if (!registries) return;
  if (registries.length === 0 && !options.catalogGenerated) issues.add(path, 'at least one registry is required');
  const names = new Set<string>();
  registries.forEach((r, i) => {
    if (!isPlainObject(r)) return;
    const at = under(`${path}[${i}]`);
    if (absent(r.name)) issues.add(at('name'), 'a registry needs a name');
    else if (typeof r.name === 'string' && names.has(r.name)) issues.add(at('name'), `${JSON.stringify(r.name)} is used by another registry; registry names must be unique`);
    if (typeof r.name === 'string') names.add(r.name);
    checkRegistrySources(r.sources, at('sources'), sourceNames, issues);
  });
}

function checkRegistrySources(value: unknown, path: string, sourceNames: Set<string>, issues: IssueCollector): void {
  const sources = listOf(value);
  if (!sources) return;
  if (sources.length === 0) issues.add(path, 'a registry needs at least one source');
  sources.forEach((name, j) => {
    if (typeof name === 'string' && !sourceNames.has(name)) {
      issues.add(`${path}[${j}]`, `no source is named ${JSON.stringify(name)}; defined sources: ${[...sourceNames].join(', ') || 'none'}`);
    }
  });
}

/** config.go validateStorageConfig. */
function checkDatabase(db: unknown, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions): void {
  if (db === undefined) issues.add(path, 'required');
  if (!isPlainObject(db)) return;
  const at = under(path);
  if (absent(db.host) && !options.databaseHostFromGlobal) issues.add(at('host'), 'required (or a global.postgres.host)');
  if (db.port === undefined) issues.add(at('port'), 'required, and not 0');
  if (absent(db.user)) issues.add(at('user'), 'required');
  if (absent(db.database)) issues.add(at('database'), 'required');
  const dynamic = db.dynamicAuth;
  if (isPlainObject(dynamic) && (dynamic.awsRdsIam === undefined || isPlainObject(dynamic.awsRdsIam)) && absent(dynamic.awsRdsIam?.region)) {
    issues.add(at('dynamicAuth.awsRdsIam.region'), 'required (or "detect")');
  }
}

/** config.go AuthConfig.Validate; the mode is required here (the server would default to oauth). */
function checkAuth(auth: unknown, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions): void {
  if (auth === undefined) issues.add(path, 'required: set mode "anonymous" or "oauth" explicitly');
  if (!isPlainObject(auth)) return;
  if (auth.mode === undefined) issues.add(joinPath(path, 'mode'), 'required: "anonymous" or "oauth" (the server would default to "oauth")');
  if (auth.mode !== 'oauth') return;
  const oauth = auth.oauth;
  if (oauth !== undefined && !isPlainObject(oauth)) return;
  const providers = listOf(oauth?.providers);
  if (!providers) return;
  if (providers.length === 0) {
    issues.add(joinPath(path, 'oauth.providers'), 'oauth mode needs at least one provider');
    return;
  }
  const insecure = options.env?.THV_REGISTRY_INSECURE_URL === 'true';
  providers.forEach((pr, i) => {
    if (isPlainObject(pr)) checkProvider(pr, under(joinPath(path, `oauth.providers[${i}]`)), insecure, issues);
  });
}

/** config.go validateProvider, and the same https rule for the token endpoints the validator calls. */
function checkProvider(pr: Rec, at: At, insecure: boolean, issues: IssueCollector): void {
  if (absent(pr.name)) issues.add(at('name'), 'required');
  if (absent(pr.audience)) issues.add(at('audience'), 'required');
  if (absent(pr.issuerUrl)) issues.add(at('issuerUrl'), 'required');
  for (const field of ['issuerUrl', 'jwksUrl', 'introspectionUrl']) {
    const url = pr[field];
    const problem = typeof url === 'string' && url !== '' ? tokenEndpointProblem(url, insecure) : undefined;
    if (problem) issues.add(at(field), problem);
  }
}

/** An absolute http(s) URL; plain http only on loopback (localhost, 127.0.0.1, ::1, as the server decides) or with THV_REGISTRY_INSECURE_URL. */
function tokenEndpointProblem(url: string, insecure: boolean): string | undefined {
  const problem = httpUrlProblem(url, { http: true });
  if (problem || insecure) return problem;
  const plain = httpUrlProblem(url, { http: 'loopback' });
  return plain ? `${plain} (or set allowInsecureIssuerUrls, env THV_REGISTRY_INSECURE_URL=true)` : undefined;
}

/** Default-deny: under auth.authz an unclaimed registry is visible to super-admins only. */
function checkAuthzDefaultDeny(config: Rec, at: At, issues: IssueCollector): void {
  if (!isPlainObject(config.auth) || !isPlainObject(config.auth.authz)) return;
  (listOf(config.registries) ?? []).forEach((r, i) => {
    if (!isPlainObject(r)) return;
    if (r.claims === undefined || (isPlainObject(r.claims) && Object.keys(r.claims).length === 0)) {
      issues.add(at(`registries[${i}].claims`), `registry ${JSON.stringify(r.name)} has no claims while authorization (auth.authz) is on: only super-admins would see it; give it the claims of the users who should read it`);
    }
  });
}

/** internal/telemetry/config.go TracingConfig.Validate. */
function checkTelemetry(t: unknown, path: string, issues: IssueCollector): void {
  if (!isPlainObject(t) || !isPlainObject(t.tracing)) return;
  const { enabled, sampling } = t.tracing;
  if (enabled === true && typeof sampling === 'number' && !(sampling > 0 && sampling <= 1)) {
    issues.add(joinPath(path, 'tracing.sampling'), `${sampling} must be above 0 and at most 1 (use enabled: false to turn tracing off)`);
  }
}
