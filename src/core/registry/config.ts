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
 * @see https://docs.stacklok.com/toolhive/guides-registry/authorization#claim-matching-rules
 */
export interface Claims {
  readonly [claim: string]: string | readonly string[];
}

/**
 * A Git source: the server clones the repository and reads one registry file.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#git-repository-source
 */
export interface GitSourceConfig {
  /** HTTP(S) or SSH URL of the repository. */
  readonly repository: string;
  /** Branch (exclusive with `tag` and `commit`). @default - the remote's default branch */
  readonly branch?: string;
  /** Tag (exclusive with `branch` and `commit`). @default - none */
  readonly tag?: string;
  /** Commit SHA (exclusive with `branch` and `tag`; a full clone). @default - none */
  readonly commit?: string;
  /** Registry file inside the repository. @default "registry.json" */
  readonly path?: string;
  /**
   * HTTP basic auth for a private repository: `username`, and `passwordFile`, the absolute path of
   * a file holding the password or token (mount it from a Secret; whitespace is trimmed).
   * @default - none: an anonymous clone
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#private-repository-authentication
   */
  readonly auth?: {
    /** The user name. */
    readonly username: string;
    /** The absolute path of a file holding the password or token (mounted from a Secret; whitespace trimmed). */
    readonly passwordFile: string;
  };
}

/**
 * An upstream MCP Registry API (another Registry Server, or the public registry).
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#api-endpoint-source
 */
export interface ApiSourceConfig {
  /** Base URL; `/v0.1/servers` is appended. For a ToolHive Registry Server: `https://<host>/registry/<name>`. */
  readonly endpoint: string;
  /** Per-request timeout (Go duration, at most 5m). @default "10s" */
  readonly timeout?: string;
}

/**
 * A registry file, local or remote.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#file-source
 */
export interface FileSourceConfig {
  /**
   * Local path (mount it into the pod). Exactly one of `path` and `url`.
   * @default - none (then `url`)
   */
  readonly path?: string;
  /**
   * Absolute http(s) URL; plain http only for localhost, or with `THV_REGISTRY_INSECURE_URL=true`.
   * @default - none (then `path`)
   */
  readonly url?: string;
  /** Download timeout, with `url` only. @default "30s" */
  readonly timeout?: string;
}

/**
 * Discovery of annotated MCPServer, MCPRemoteProxy and VirtualMCPServer resources.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#kubernetes-source
 */
export interface KubernetesSourceConfig {
  /** Namespaces to watch. @default - $THV_REGISTRY_WATCH_NAMESPACE, else all */
  readonly namespaces?: string[];
}

/**
 * Name and tag filters of a synced source: an entry is kept when it matches an `include` item
 * (or a list has none) and no `exclude` item; `exclude` wins.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#entry-filtering
 */
export interface SourceFilterConfig {
  /**
   * Server-name glob patterns (Go's `filepath.Match`: `official/*`, `db?`): `include` and `exclude` lists.
   * @default - every name
   */
  readonly names?: {
    /** Patterns a name must match one of. @default - every name */
    readonly include?: string[];
    /** Patterns a name must match none of (wins over `include`). @default - none */
    readonly exclude?: string[];
  };
  /**
   * Tags, matched exactly: `include` (an entry needs one of them) and `exclude` (an entry has none of them).
   * @default - every tag
   */
  readonly tags?: {
    /** Tags an entry needs one of. @default - every entry */
    readonly include?: string[];
    /** Tags an entry must have none of (wins over `include`). @default - none */
    readonly exclude?: string[];
  };
}

/**
 * A source: where a registry's entries come from. Exactly one of git, api, file, managed, kubernetes.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#registry-sources
 */
export interface RegistrySourceConfig {
  /** Unique name, a DNS label. */
  readonly name: string;
  /**
   * Entries from a registry file in a Git repository.
   * @default - none
   */
  readonly git?: GitSourceConfig;
  /**
   * Entries from an upstream MCP Registry API.
   * @default - none
   */
  readonly api?: ApiSourceConfig;
  /**
   * Entries from a registry file, local or at a URL.
   * @default - none
   */
  readonly file?: FileSourceConfig;
  /**
   * Entries published through the API (at most one managed source per instance). Takes no settings: `{}`.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#managed-source
   */
  readonly managed?: {};
  /**
   * Entries discovered from annotated workloads in the cluster.
   * @default - none
   */
  readonly kubernetes?: KubernetesSourceConfig;
  /**
   * How often the source is synced: `interval`, a Go duration (`30m`, `1h`); required for git,
   * api and file sources.
   * @default - none: refused for git, api and file sources
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#sync-policy
   */
  readonly syncPolicy?: {
    /** A Go duration above zero (`30m`, `1h`). */
    readonly interval: string;
  };
  /**
   * Which synced entries are kept.
   * @default - every entry
   */
  readonly filter?: SourceFilterConfig;
  /**
   * Claims: admin visibility of the source, and copied onto every synced entry.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/authorization#source-claims
   */
  readonly claims?: Claims;
}

/**
 * A registry: a named, claim-scoped view over sources, served at `/registry/<name>`.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#multiple-sources-and-registries
 */
export interface RegistryConfig {
  /** Unique name. */
  readonly name: string;
  /** Source names, in priority order (the first with a server name wins). */
  readonly sources: string[];
  /**
   * Who may read this registry. Under `auth.authz`, a registry without claims is visible to super-admins only.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/authorization#registry-claims
   */
  readonly claims?: Claims;
}

/**
 * PostgreSQL connection. Passwords are never part of the config: they come from Secrets.
 * @see https://docs.stacklok.com/toolhive/guides-registry/database
 */
export interface RegistryDatabaseConfig {
  /** Database server hostname or IP address. */
  readonly host: string;
  /** Database server port. */
  readonly port: number;
  /** Application user: reads and writes the tables. */
  readonly user: string;
  /**
   * Migration user: runs the schema migrations at start-up (needs CREATE, ALTER, DROP).
   * @default - the application user
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#migration-user-privileges
   */
  readonly migrationUser?: string;
  /** Database name. */
  readonly database: string;
  /**
   * TLS to the database.
   * @default "require"
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#ssltls-configuration
   */
  readonly sslMode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  /**
   * Maximum number of open connections.
   * @default 25
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#connection-pooling
   */
  readonly maxOpenConns?: number;
  /**
   * Connections kept idle in the pool (pgxpool's minimum).
   * @default 5
   */
  readonly maxIdleConns?: number;
  /**
   * Maximum lifetime of a connection, a Go duration (`1h`, `30m`).
   * @default "5m"
   */
  readonly connMaxLifetime?: string;
  /**
   * Maximum size in bytes of the metadata extensions (`_meta`) publishers attach to an entry.
   * @default 262144
   */
  readonly maxMetaSize?: number;
  /**
   * AWS RDS IAM authentication instead of passwords: `awsRdsIam.region` is the AWS region, or
   * `"detect"` to read it from the instance metadata.
   * @default - none: passwords (from the Secrets you name)
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#aws-rds-iam-authentication
   */
  readonly dynamicAuth?: {
    /** AWS RDS IAM authentication. */
    readonly awsRdsIam: {
      /** The AWS region, or `"detect"` to read it from the instance metadata. */
      readonly region: string;
    };
  };
}

/**
 * An OAuth/OIDC token issuer the server accepts.
 * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#provider-configuration-fields
 */
export interface OAuthProviderConfig {
  /** Unique name of the provider (`kubernetes`, `keycloak`...). */
  readonly name: string;
  /** The OIDC issuer URL; the JWKS URL is discovered from its `.well-known/openid-configuration` unless `jwksUrl` is set. */
  readonly issuerUrl: string;
  /** The audience tokens must carry (for Kubernetes service account tokens, typically the API server URL). */
  readonly audience: string;
  /**
   * The JSON Web Key Set URL, skipping discovery.
   * @default - discovered from the issuer
   */
  readonly jwksUrl?: string;
  /**
   * OAuth client ID, for token introspection.
   * @default - none
   */
  readonly clientId?: string;
  /**
   * Path of a file holding the client secret (mount it from a Secret).
   * @default - none
   */
  readonly clientSecretFile?: string;
  /**
   * Path of a CA bundle verifying the provider's TLS certificate (the in-cluster Kubernetes issuer, self-signed issuers).
   * @default - the system's CAs
   * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#custom-ca-certificates
   */
  readonly caCertPath?: string;
  /**
   * Path of a file holding a bearer token for the OIDC discovery and JWKS endpoints
   * (`/var/run/secrets/kubernetes.io/serviceaccount/token`).
   * @default - none
   */
  readonly authTokenFile?: string;
  /**
   * OAuth 2.0 token introspection endpoint (RFC 7662), for opaque tokens.
   * @default - none: only JWTs are accepted, checked against the JWKS
   * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#opaque-token-configuration
   */
  readonly introspectionUrl?: string;
  /**
   * Allow OIDC and JWKS endpoints on private IP addresses (`https://kubernetes.default.svc`).
   * @default false
   */
  readonly allowPrivateIP?: boolean;
}

/**
 * Role rules: a caller holds a role when any of the claim maps matches its token.
 * @see https://docs.stacklok.com/toolhive/guides-registry/authorization#available-roles
 */
export interface AuthzRolesConfig {
  /**
   * Super-admins: every operation, on every source, registry and entry whatever its claims.
   * @default - nobody
   * @see https://docs.stacklok.com/toolhive/guides-registry/authorization#super-admin-role
   */
  readonly superAdmin?: Claims[];
  /**
   * Who may create, change and delete sources.
   * @default - nobody
   */
  readonly manageSources?: Claims[];
  /**
   * Who may create, change and delete registries.
   * @default - nobody
   */
  readonly manageRegistries?: Claims[];
  /**
   * Who may publish and delete entries (in managed sources) and manage their claims.
   * @default - nobody
   */
  readonly manageEntries?: Claims[];
}

/**
 * Authentication and authorization.
 * @see https://docs.stacklok.com/toolhive/guides-registry/authentication
 */
export interface RegistryAuthConfig {
  /**
   * `oauth` (bearer tokens from the providers) or `anonymous` (no authentication). Required here,
   * where the server would default to `oauth`.
   * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#authentication-modes
   */
  readonly mode: 'anonymous' | 'oauth';
  /**
   * Extra unauthenticated path prefixes, beside the server's own (health, docs, well-known).
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#default-public-paths
   */
  readonly publicPaths?: string[];
  /**
   * OAuth/OIDC settings: required with mode `oauth`.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#oauth-authentication
   */
  readonly oauth?: {
    /**
     * The URL identifying this protected resource, served at `/.well-known/oauth-protected-resource` (RFC 9728).
     * @default - none
     * @see https://docs.stacklok.com/toolhive/guides-registry/authentication#rfc-9728-oauth-discovery
     */
    readonly resourceUrl?: string;
    /**
     * The protection space in `WWW-Authenticate` headers (RFC 7235).
     * @default "mcp-registry"
     */
    readonly realm?: string;
    /** The token issuers accepted (at least one). */
    readonly providers: OAuthProviderConfig[];
  };
  /**
   * Claim-based authorization (`roles`); with it, unclaimed resources are visible to super-admins only.
   * @default - none: every authenticated caller may do everything
   * @see https://docs.stacklok.com/toolhive/guides-registry/authorization
   */
  readonly authz?: {
    /** The roles and the claims that grant them. */
    readonly roles: AuthzRolesConfig;
  };
}

/**
 * OpenTelemetry: traces and metrics exported over OTLP/HTTP.
 * @see https://docs.stacklok.com/toolhive/guides-registry/telemetry-metrics
 */
export interface RegistryTelemetryConfig {
  /**
   * Whether telemetry is on at all.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * The service name reported.
   * @default "thv-registry-api"
   */
  readonly serviceName?: string;
  /**
   * The service version reported.
   * @default "unknown"
   */
  readonly serviceVersion?: string;
  /**
   * The OTLP/HTTP collector, `host:port`.
   * @default "localhost:4318"
   */
  readonly endpoint?: string;
  /**
   * Plain HTTP to the collector (development only).
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Tracing: `enabled` (default false), and `sampling`, the ratio of traces kept, above 0 and at most 1 (default 0.05).
   * @default - off
   * @see https://docs.stacklok.com/toolhive/guides-registry/telemetry-metrics#sampling-strategies
   */
  readonly tracing?: {
    /** Export traces. @default false */
    readonly enabled?: boolean;
    /** The ratio of traces kept, above 0 and at most 1. @default 0.05 */
    readonly sampling?: number;
  };
  /**
   * Metrics: `enabled` (default false).
   * @default - off
   * @see https://docs.stacklok.com/toolhive/guides-registry/telemetry-metrics#metrics
   */
  readonly metrics?: {
    /** Export metrics. @default false */
    readonly enabled?: boolean;
  };
}

/**
 * Audit log of API operations.
 * @see https://docs.stacklok.com/toolhive/guides-registry/audit-logging
 */
export interface RegistryAuditConfig {
  /**
   * Whether API operations are audit-logged.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * A file the audit events go to.
   * @default - standard output
   * @see https://docs.stacklok.com/toolhive/guides-registry/audit-logging#configure-output-destination
   */
  readonly logFile?: string;
  /**
   * Event types audited.
   * @default - every type
   * @see https://docs.stacklok.com/toolhive/guides-registry/audit-logging#audit-event-types
   */
  readonly eventTypes?: string[];
  /**
   * Event types not audited (wins over `eventTypes`).
   * @default - none
   */
  readonly excludeEventTypes?: string[];
  /**
   * Whether request bodies are captured in the events.
   * @default false
   * @see https://docs.stacklok.com/toolhive/guides-registry/audit-logging#request-body-capture
   */
  readonly includeRequestData?: boolean;
  /**
   * Maximum size in bytes of a captured body (at most 1 MiB).
   * @default 1024
   */
  readonly maxDataSize?: number;
}

/**
 * The Registry Server configuration file (v1.5.1 schema), key for key, without passwords.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration
 */
export interface RegistryServerConfig {
  /**
   * Sources (at least one, after any generated by registry layering).
   * @default - none: those registry layering generates
   */
  readonly sources?: RegistrySourceConfig[];
  /**
   * Registries (at least one, after any generated by registry layering).
   * @default - none: those registry layering generates
   */
  readonly registries?: RegistryConfig[];
  /** The PostgreSQL database. */
  readonly database: RegistryDatabaseConfig;
  /** Authentication and authorization. */
  readonly auth: RegistryAuthConfig;
  /**
   * OpenTelemetry.
   * @default - off
   */
  readonly telemetry?: RegistryTelemetryConfig;
  /**
   * Audit log.
   * @default - off
   */
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
