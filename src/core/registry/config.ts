import { IssueCollector, ValidationIssue } from '../errors';
import { describe } from '../rules/describe';
import { parseGoDuration as parseGoDurationNs } from '../rules/durations';
import { checkShape, S } from '../rules/shape';
import { isPlainObject } from '../util';
import { checkRegistryConfigRules, RegistryConfigCheckOptions } from './config-rules';

export { RegistryConfigCheckOptions };
import { checkRegistryConfigSafety } from './config-safety';
import { checkRegistryConfigShape } from './config-shape';

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

/**
 * Parses a Go duration (`1h30m`, `10s`, `500ms`) into milliseconds, or undefined when Go would not
 * parse it. A thin wrapper over the rule kit's parser (which counts nanoseconds).
 */
export function parseGoDuration(text: unknown): number | undefined {
  const ns = parseGoDurationNs(text);
  return ns === undefined ? undefined : ns / 1e6;
}

const CHECK_OPTIONS_SHAPE = S.object({
  env: S.map(S.string()),
  databaseHostFromGlobal: S.boolean(),
  catalogGenerated: S.boolean(),
}, 'check options { env, databaseHostFromGlobal, catalogGenerated }');

/**
 * Checks a Registry Server configuration against the rules the server applies when it loads
 * its config (it refuses to start otherwise), plus the library's own: every key known, no
 * secret in the config (it lands in a ConfigMap), no public path that opens the API. Returns
 * every problem found, none when the config is valid.
 */
export function validateRegistryConfig(config: RegistryServerConfig, options: RegistryConfigCheckOptions = {}): ValidationIssue[] {
  const issues = new IssueCollector();
  checkShape(options, CHECK_OPTIONS_SHAPE, 'options', issues);
  checkRegistryConfig(config, '', issues, issues.empty ? options ?? {} : {});
  return [...issues.issues];
}

/**
 * {@link validateRegistryConfig}, recording each problem under `path`: the shape of every key
 * first, then the server's load-time rules, then the library's safety rules.
 * @internal
 */
export function checkRegistryConfig(
  config: RegistryServerConfig, path: string, issues: IssueCollector, options: RegistryConfigCheckOptions = {},
): void {
  if (!isPlainObject(config)) {
    issues.add(path || 'config', `expected a Registry Server configuration map (sources, registries, database, auth), got ${describe(config)}`);
    return;
  }
  checkRegistryConfigShape(config, path, issues);
  checkRegistryConfigRules(config, path, issues, options);
  checkRegistryConfigSafety(config, path, issues);
}
