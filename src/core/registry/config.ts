import { IssueCollector, ValidationIssue } from '../errors';
import { checkForbiddenKeys } from '../rules/keys';
import { isPlainObject } from '../util';

/**
 * Claims on a source, registry or role rule: each key a JWT claim name, each value a string
 * or a list of strings (any one of which matches).
 */
export interface Claims {
  readonly [claim: string]: string | readonly string[];
}

/** A Git source. */
export interface GitSourceConfig {
  /** HTTP(S) or SSH URL of the repository. */
  readonly repository: string;
  /** Branch. @default - the remote's default branch */
  readonly branch?: string;
  /** Tag. @default - none */
  readonly tag?: string;
  /** Commit (full clone). @default - none */
  readonly commit?: string;
  /** Registry file inside the repository. @default "registry.json" */
  readonly path?: string;
  /** HTTP basic auth; the password is read from a file (mount it from a Secret). */
  readonly auth?: { readonly username: string; readonly passwordFile: string };
}

/** An upstream MCP Registry API (another Registry Server, or the public registry). */
export interface ApiSourceConfig {
  /** Base URL; `/v0.1/servers` is appended. For a ToolHive Registry Server: `https://<host>/registry/<name>`. */
  readonly endpoint: string;
  /** Per-request timeout (Go duration, at most 5m). @default "10s" */
  readonly timeout?: string;
}

/** A registry file, local or remote. */
export interface FileSourceConfig {
  /** Local path (mount it into the pod). Exactly one of `path` and `url`. */
  readonly path?: string;
  /** Absolute http(s) URL. */
  readonly url?: string;
  /** Download timeout, with `url` only. @default "30s" */
  readonly timeout?: string;
}

/** Discovery of annotated MCPServer, MCPRemoteProxy and VirtualMCPServer resources. */
export interface KubernetesSourceConfig {
  /** Namespaces to watch. @default - $THV_REGISTRY_WATCH_NAMESPACE, else all */
  readonly namespaces?: string[];
}

/** Name and tag filters of a synced source. */
export interface SourceFilterConfig {
  readonly names?: { readonly include?: string[]; readonly exclude?: string[] };
  readonly tags?: { readonly include?: string[]; readonly exclude?: string[] };
}

/** A source: where a registry's entries come from. Exactly one of git, api, file, managed, kubernetes. */
export interface RegistrySourceConfig {
  /** Unique name, a DNS label. */
  readonly name: string;
  readonly git?: GitSourceConfig;
  readonly api?: ApiSourceConfig;
  readonly file?: FileSourceConfig;
  /** Entries published through the API (at most one managed source per instance). */
  readonly managed?: {};
  readonly kubernetes?: KubernetesSourceConfig;
  /** Sync interval (Go duration), required for git, api and file sources. */
  readonly syncPolicy?: { readonly interval: string };
  readonly filter?: SourceFilterConfig;
  /** Claims: admin visibility of the source, and copied onto every synced entry. */
  readonly claims?: Claims;
}

/** A registry: a named, claim-scoped view over sources, served at `/registry/<name>`. */
export interface RegistryConfig {
  /** Unique name. */
  readonly name: string;
  /** Source names, in priority order (the first with a server name wins). */
  readonly sources: string[];
  /** Who may read this registry. Under `auth.authz`, a registry without claims is visible to super-admins only. */
  readonly claims?: Claims;
}

/** PostgreSQL connection. Passwords are never part of the config: they come from Secrets. */
export interface RegistryDatabaseConfig {
  readonly host: string;
  readonly port: number;
  /** Application user. */
  readonly user: string;
  /** Migration user. @default - the application user */
  readonly migrationUser?: string;
  readonly database: string;
  /** @default "require" */
  readonly sslMode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  readonly maxOpenConns?: number;
  readonly maxIdleConns?: number;
  /** Go duration. */
  readonly connMaxLifetime?: string;
  /** @default 262144 */
  readonly maxMetaSize?: number;
  /** AWS RDS IAM authentication instead of passwords. */
  readonly dynamicAuth?: { readonly awsRdsIam: { readonly region: string } };
}

/** An OAuth/OIDC token issuer the server accepts. */
export interface OAuthProviderConfig {
  readonly name: string;
  readonly issuerUrl: string;
  readonly audience: string;
  readonly jwksUrl?: string;
  readonly clientId?: string;
  readonly clientSecretFile?: string;
  readonly caCertPath?: string;
  readonly authTokenFile?: string;
  readonly introspectionUrl?: string;
  readonly allowPrivateIP?: boolean;
}

/** Role rules: a caller holds a role when any of the claim maps matches its token. */
export interface AuthzRolesConfig {
  readonly superAdmin?: Claims[];
  readonly manageSources?: Claims[];
  readonly manageRegistries?: Claims[];
  readonly manageEntries?: Claims[];
}

/** Authentication and authorization. */
export interface RegistryAuthConfig {
  readonly mode: 'anonymous' | 'oauth';
  /** Extra unauthenticated path prefixes. */
  readonly publicPaths?: string[];
  readonly oauth?: {
    readonly resourceUrl?: string;
    readonly realm?: string;
    readonly providers: OAuthProviderConfig[];
  };
  /** Claim-based authorization; with it, unclaimed resources are visible to super-admins only. */
  readonly authz?: { readonly roles: AuthzRolesConfig };
}

/** OpenTelemetry. */
export interface RegistryTelemetryConfig {
  readonly enabled?: boolean;
  readonly serviceName?: string;
  readonly serviceVersion?: string;
  readonly endpoint?: string;
  readonly insecure?: boolean;
  readonly tracing?: { readonly enabled?: boolean; readonly sampling?: number };
  readonly metrics?: { readonly enabled?: boolean };
}

/** Audit log. */
export interface RegistryAuditConfig {
  readonly enabled?: boolean;
  readonly logFile?: string;
  readonly eventTypes?: string[];
  readonly excludeEventTypes?: string[];
  readonly includeRequestData?: boolean;
  readonly maxDataSize?: number;
}

/**
 * The Registry Server configuration file (v1.5.1 schema), key for key, without passwords.
 */
export interface RegistryServerConfig {
  /** Sources (at least one, after any generated by registry layering). */
  readonly sources?: RegistrySourceConfig[];
  /** Registries (at least one, after any generated by registry layering). */
  readonly registries?: RegistryConfig[];
  readonly database: RegistryDatabaseConfig;
  readonly auth: RegistryAuthConfig;
  readonly telemetry?: RegistryTelemetryConfig;
  readonly audit?: RegistryAuditConfig;
}

const SOURCE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SOURCE_TYPES = ['git', 'api', 'file', 'managed', 'kubernetes'] as const;
const SYNCED = new Set(['git', 'api', 'file']);
const AUDIT_EVENTS = new Set([
  'server.list', 'server.versions.list', 'server.version.read', 'skill.list', 'skill.read', 'skill.versions.list',
  'skill.version.read', 'plugin.list', 'plugin.read', 'plugin.versions.list', 'plugin.version.read', 'source.create',
  'source.update', 'source.delete', 'registry.create', 'registry.update', 'registry.delete', 'entry.publish',
  'entry.delete', 'entry.claims.update', 'source.list', 'source.read', 'source.entries.list', 'registry.list',
  'registry.read', 'registry.entries.list', 'entry.claims.read', 'user.info', 'auth.unauthenticated',
]);

/** Parses a Go duration (`1h30m`, `10s`, `500ms`) into milliseconds, or undefined when it does not parse. */
export function parseGoDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let sign = 1;
  let rest = text;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while ((m = re.exec(rest)) !== null) {
    total += parseFloat(m[1]) * units[m[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length || consumed === 0) return undefined;
  return sign * total;
}

function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** What the Registry Server treats as loopback (exactly these; not the rest of 127.0.0.0/8). */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '127.0.0.1';
}

function checkClaims(claims: unknown, path: string, issues: IssueCollector): void {
  if (claims === undefined) return;
  if (!isPlainObject(claims)) {
    issues.add(path, 'expected a map of claim name to a string or a list of strings');
    return;
  }
  for (const [k, v] of Object.entries(claims)) {
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) issues.add(`${path}.${k}`, 'a claim value must be a string or a list of strings (flat values only)');
  }
}

/** Options of {@link validateRegistryConfig}. */
export interface RegistryConfigCheckOptions {
  /** Environment variables the server will have (env-only settings such as THV_REGISTRY_INSECURE_URL). */
  readonly env?: { readonly [name: string]: string };
  /** Whether the database host may be empty because a `global.postgres.host` fills it in. */
  readonly databaseHostFromGlobal?: boolean;
  /** Whether sources and registries are generated elsewhere (skip the at-least-one rules). */
  readonly catalogGenerated?: boolean;
}

/**
 * Checks a Registry Server configuration against the rules the server applies when it loads
 * its config (it refuses to start otherwise), plus the library's own: no passwords in the
 * config (it lands in a ConfigMap). Returns every problem found, none when the config is valid.
 */
export function validateRegistryConfig(config: RegistryServerConfig, options: RegistryConfigCheckOptions = {}): ValidationIssue[] {
  const issues = new IssueCollector();
  checkRegistryConfig(config, '', issues, options);
  return [...issues.issues];
}

/**
 * {@link validateRegistryConfig}, recording each problem under `path`.
 * @internal
 */
export function checkRegistryConfig(
  config: RegistryServerConfig, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions = {},
): void {
  checkForbiddenKeys(config, path, issues);
  const p = (rest: string) => (path ? `${path}.${rest}` : rest);
  if (!isPlainObject(config)) {
    issues.add(path || 'config', 'expected a Registry Server configuration map');
    return;
  }
  const known = ['sources', 'registries', 'database', 'auth', 'telemetry', 'audit'];
  for (const k of Object.keys(config)) {
    if (!known.includes(k)) issues.add(p(k), `unknown key (the server would silently ignore it); valid keys: ${known.join(', ')}`);
  }

  // Sources
  const sources = Array.isArray(config.sources) ? config.sources : [];
  if (sources.length === 0 && !options.catalogGenerated) issues.add(p('sources'), 'at least one source is required');
  const sourceNames = new Set<string>();
  let managedCount = 0;
  sources.forEach((s, i) => {
    const sp = (rest: string) => p(`sources[${i}]${rest ? `.${rest}` : ''}`);
    if (!s || typeof s.name !== 'string' || s.name === '') {
      issues.add(sp('name'), 'a source needs a name');
    } else if (!SOURCE_NAME.test(s.name)) {
      issues.add(sp('name'), `${JSON.stringify(s.name)} is not a valid source name: lower-case letters, digits and '-', at most 63 characters`);
    } else if (sourceNames.has(s.name)) {
      issues.add(sp('name'), `${JSON.stringify(s.name)} is used by another source; source names must be unique`);
    }
    if (s && typeof s.name === 'string') sourceNames.add(s.name);
    const types = SOURCE_TYPES.filter((t) => (s as any)?.[t] !== undefined);
    if (types.length !== 1) {
      issues.add(sp(''), `exactly one of ${SOURCE_TYPES.join(', ')} is required, found ${types.length === 0 ? 'none' : types.join(' and ')}`);
    }
    const type = types[0];
    if (type === 'managed') managedCount++;
    if (type && SYNCED.has(type)) {
      if (!s.syncPolicy || s.syncPolicy.interval === undefined) {
        issues.add(sp('syncPolicy.interval'), `required for ${type} sources (a Go duration such as "30m")`);
      } else if (parseGoDuration(s.syncPolicy.interval) === undefined) {
        issues.add(sp('syncPolicy.interval'), `${JSON.stringify(s.syncPolicy.interval)} is not a Go duration such as "30m"`);
      }
    }
    if (type === 'git') {
      const g = s.git!;
      if (!g.repository) issues.add(sp('git.repository'), 'required');
      if (g.auth) {
        if (!g.auth.username || !g.auth.passwordFile) issues.add(sp('git.auth'), 'username and passwordFile go together');
        if (g.auth.passwordFile && !g.auth.passwordFile.startsWith('/')) issues.add(sp('git.auth.passwordFile'), 'must be an absolute path (mount the Secret as a file)');
      }
    }
    if (type === 'api') {
      const a = s.api!;
      if (!a.endpoint) issues.add(sp('api.endpoint'), 'required');
      else if (!isAbsoluteHttpUrl(a.endpoint)) issues.add(sp('api.endpoint'), `${JSON.stringify(a.endpoint)} is not an absolute http(s) URL`);
      if (a.timeout !== undefined) {
        const ms = parseGoDuration(a.timeout);
        if (ms === undefined || ms <= 0 || ms > 300000) issues.add(sp('api.timeout'), `${JSON.stringify(a.timeout)} must be a Go duration above 0 and at most 5m`);
      }
    }
    if (type === 'file') {
      const f = s.file!;
      if ((f.path === undefined) === (f.url === undefined)) issues.add(sp('file'), 'exactly one of path and url is required');
      if (f.url !== undefined && !isAbsoluteHttpUrl(f.url)) issues.add(sp('file.url'), `${JSON.stringify(f.url)} is not an absolute http(s) URL with a host`);
      if (f.timeout !== undefined && parseGoDuration(f.timeout) === undefined) issues.add(sp('file.timeout'), `${JSON.stringify(f.timeout)} is not a Go duration`);
    }
    if (type === 'kubernetes' && s.kubernetes?.namespaces !== undefined && !Array.isArray(s.kubernetes.namespaces)) {
      issues.add(sp('kubernetes.namespaces'), 'must be a list of namespaces (not a comma-separated string)');
    }
    checkClaims(s?.claims, sp('claims'), issues);
  });
  if (managedCount > 1) issues.add(p('sources'), `at most one managed source per instance, found ${managedCount}`);

  // Registries
  const registries = Array.isArray(config.registries) ? config.registries : [];
  if (registries.length === 0 && !options.catalogGenerated) issues.add(p('registries'), 'at least one registry is required');
  const registryNames = new Set<string>();
  registries.forEach((r, i) => {
    const rp = (rest: string) => p(`registries[${i}].${rest}`);
    if (!r || typeof r.name !== 'string' || r.name === '') issues.add(rp('name'), 'a registry needs a name');
    else if (registryNames.has(r.name)) issues.add(rp('name'), `${JSON.stringify(r.name)} is used by another registry; registry names must be unique`);
    if (r && typeof r.name === 'string') registryNames.add(r.name);
    if (!Array.isArray(r?.sources) || r.sources.length === 0) {
      issues.add(rp('sources'), 'a registry needs at least one source');
    } else {
      (r.sources as readonly string[]).forEach((name: string, j: number) => {
        if (!sourceNames.has(name)) issues.add(rp(`sources[${j}]`), `no source is named ${JSON.stringify(name)}; defined sources: ${[...sourceNames].join(', ') || 'none'}`);
      });
    }
    checkClaims(r?.claims, rp('claims'), issues);
  });

  // Database
  const db = config.database as RegistryDatabaseConfig & { password?: unknown; migrationPassword?: unknown };
  if (!isPlainObject(db)) {
    issues.add(p('database'), 'required');
  } else {
    if (!db.host && !options.databaseHostFromGlobal) issues.add(p('database.host'), 'required (or a global.postgres.host)');
    if (!db.port) issues.add(p('database.port'), 'required, and not 0');
    else if (!Number.isInteger(db.port) || db.port < 1 || db.port > 65535) issues.add(p('database.port'), `${db.port} is not a port number`);
    if (!db.user) issues.add(p('database.user'), 'required');
    if (!db.database) issues.add(p('database.database'), 'required');
    if (db.sslMode !== undefined && !['disable', 'require', 'verify-ca', 'verify-full'].includes(db.sslMode)) {
      issues.add(p('database.sslMode'), `${JSON.stringify(db.sslMode)} is not valid; expected disable, require, verify-ca or verify-full`);
    }
    if (db.password !== undefined) {
      issues.add(p('database.password'), 'passwords are never written into the config (it becomes a ConfigMap): reference a Secret with passwordSecret, or use a pgpass Secret or dynamicAuth');
    }
    if (db.migrationPassword !== undefined) {
      issues.add(p('database.migrationPassword'), 'passwords are never written into the config (it becomes a ConfigMap): reference a Secret with migrationPasswordSecret, or use a pgpass Secret or dynamicAuth');
    }
    if (db.maxMetaSize !== undefined && !(Number.isInteger(db.maxMetaSize) && db.maxMetaSize > 0)) issues.add(p('database.maxMetaSize'), 'must be a whole number above 0');
    if (db.connMaxLifetime !== undefined && parseGoDuration(db.connMaxLifetime) === undefined) issues.add(p('database.connMaxLifetime'), `${JSON.stringify(db.connMaxLifetime)} is not a Go duration`);
    if (db.dynamicAuth && !db.dynamicAuth.awsRdsIam?.region) issues.add(p('database.dynamicAuth.awsRdsIam.region'), 'required (or "detect")');
  }

  // Auth
  const auth = config.auth;
  if (!isPlainObject(auth)) {
    issues.add(p('auth'), 'required: set mode "anonymous" or "oauth" explicitly');
  } else {
    if (auth.mode !== 'anonymous' && auth.mode !== 'oauth') {
      issues.add(p('auth.mode'), `${JSON.stringify(auth.mode ?? '')} is not valid; expected "anonymous" or "oauth"`);
    }
    if (auth.mode === 'oauth') {
      const providers = auth.oauth?.providers;
      if (!auth.oauth || !Array.isArray(providers) || providers.length === 0) {
        issues.add(p('auth.oauth.providers'), 'oauth mode needs at least one provider');
      } else {
        const insecure = options.env?.THV_REGISTRY_INSECURE_URL === 'true';
        providers.forEach((pr, i) => {
          const pp = (rest: string) => p(`auth.oauth.providers[${i}].${rest}`);
          if (!pr.name) issues.add(pp('name'), 'required');
          if (!pr.audience) issues.add(pp('audience'), 'required');
          if (!pr.issuerUrl) {
            issues.add(pp('issuerUrl'), 'required');
          } else {
            let u: URL | undefined;
            try {
              u = new URL(pr.issuerUrl);
            } catch {
              issues.add(pp('issuerUrl'), `${JSON.stringify(pr.issuerUrl)} is not an absolute URL`);
            }
            if (u && u.protocol !== 'https:' && !isLoopbackHost(u.hostname) && !insecure) {
              issues.add(pp('issuerUrl'), `${JSON.stringify(pr.issuerUrl)} must use https (loopback excepted, or set THV_REGISTRY_INSECURE_URL=true)`);
            }
          }
        });
      }
    }
    if (auth.publicPaths !== undefined && !(Array.isArray(auth.publicPaths) && auth.publicPaths.every((x) => typeof x === 'string' && x.startsWith('/')))) {
      issues.add(p('auth.publicPaths'), 'must be a list of paths starting with "/"');
    }
    if ((auth.oauth as any)?.publicPaths !== undefined) {
      issues.add(p('auth.oauth.publicPaths'), 'publicPaths belongs under auth, not auth.oauth (the server ignores it there)');
    }
    if (auth.authz) {
      for (const [role, rules] of Object.entries(auth.authz.roles ?? {})) {
        (rules ?? []).forEach((rule: Claims, i: number) => checkClaims(rule, p(`auth.authz.roles.${role}[${i}]`), issues));
      }
      // Default-deny: an unclaimed registry would be visible to super-admins only.
      registries.forEach((r, i) => {
        if (!r?.claims || Object.keys(r.claims).length === 0) {
          issues.add(p(`registries[${i}].claims`), `registry ${JSON.stringify(r?.name)} has no claims while authorization (auth.authz) is on: only super-admins would see it; give it the claims of the users who should read it`);
        }
      });
    }
  }

  // Telemetry and audit
  const t = config.telemetry;
  if (t?.tracing?.enabled && t.tracing.sampling !== undefined && !(t.tracing.sampling > 0 && t.tracing.sampling <= 1)) {
    issues.add(p('telemetry.tracing.sampling'), `${t.tracing.sampling} must be above 0 and at most 1`);
  }
  const a = config.audit;
  if (a?.maxDataSize !== undefined && !(Number.isInteger(a.maxDataSize) && a.maxDataSize >= 0 && a.maxDataSize <= 1048576)) {
    issues.add(p('audit.maxDataSize'), `${a.maxDataSize} must be a whole number from 0 to 1048576`);
  }
  if (a?.logFile !== undefined && !a.logFile.startsWith('/')) issues.add(p('audit.logFile'), 'must be an absolute path on a mounted writable volume (the root filesystem is read-only)');
  for (const field of ['eventTypes', 'excludeEventTypes'] as const) {
    (a?.[field] ?? []).forEach((e, i) => {
      if (!AUDIT_EVENTS.has(e)) issues.add(p(`audit.${field}[${i}]`), `${JSON.stringify(e)} is not an audit event type`);
    });
  }
}
