import { IssueCollector } from '../errors';
import { mergeOverrides } from '../helm/merge';
import { checkEnvList } from '../rules/kube';
import { deepClone, JsonObject } from '../util';
import { checkSecretRef, omitUndefined } from './support';
import { EnvVar, pullSecretRefs, SecretKeyReference } from '../k8s/types';

/** How a policy directive applies on clients. */
export type PolicyEnforcement = 'enforced' | 'default';

/** A typed policy directive: its value, and whether clients may override it. */
export interface PolicyDirective<T> {
  /** The directive's value. */
  readonly value: T;
  /**
   * `enforced`: clients cannot override it; `default`: advisory.
   * @default "enforced"
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/
   */
  readonly enforcement?: PolicyEnforcement;
}

/** The registry policy: where the Stacklok clients and the Cloud UI find the registry. */
export interface RegistryPolicyValue {
  /** Registry URL for the CLI and Desktop (root or `/registry/<name>`). @default - the aggregating Registry Server's external URL */
  readonly apiUrl?: string;
  /** Registry Server API root for the Cloud UI. @default - the aggregating Registry Server's external URL */
  readonly serverApiUrl?: string;
  /** Allow a registry on private IPs. @default - unset */
  readonly allowPrivateIp?: boolean;
}

/** Telemetry policy for clients. */
export interface TelemetryPolicyValue {
  /** OTLP HTTP endpoint. */
  readonly otelEndpoint: string;
  /** Fraction of traces sampled, from 0 to 1. @default - unset: the clients' default */
  readonly samplingRate?: number;
  /** Whether clients export traces. @default - unset: the clients' default */
  readonly tracingEnabled?: boolean;
  /** Whether clients export metrics. @default - unset: the clients' default */
  readonly metricsEnabled?: boolean;
  /** Headers sent to the endpoint: non-sensitive headers only. @default - none */
  readonly headers?: { readonly [name: string]: string };
  /** Plain HTTP to the endpoint, without TLS. @default - unset: the clients' default */
  readonly insecure?: boolean;
}

/** Enterprise Manager policy directives (the `enterpriseConfig` document). */
export interface EnterprisePolicies {
  /**
   * The registry clients use.
   * @default - enforced, pointing at the aggregating Registry Server
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/registry
   */
  readonly registry?: PolicyDirective<RegistryPolicyValue>;
  /**
   * Whether clients may run servers from outside the registry: `false` allows only registry servers.
   * @default - unset: no directive
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/non-registry-servers
   */
  readonly nonRegistryServers?: PolicyDirective<boolean>;
  /**
   * Where and what clients send as telemetry (OpenTelemetry).
   * @default - unset: no directive
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/
   */
  readonly telemetry?: PolicyDirective<TelemetryPolicyValue>;
  /** A CA for MCP containers: `pem` or `url`, not both. @default - unset: no directive */
  readonly caCertificate?: PolicyDirective<{
    /** The CA certificate, PEM-encoded. Exclusive with `url`. @default - none */
    readonly pem?: string;
    /** URL the CA certificate is fetched from. Exclusive with `pem`. @default - none */
    readonly url?: string;
  }>;
  /** Environment for MCP containers (e.g. proxies). @default - unset: no directive */
  readonly buildEnv?: PolicyDirective<{ readonly [name: string]: string }>;
  /**
   * Whether the Stacklok Desktop shows its Playground tab.
   * @default - unset: no directive
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/
   */
  readonly playground?: PolicyDirective<boolean>;
  /**
   * Whether the Stacklok Desktop shows its help menu.
   * @default - unset: no directive
   * @see https://docs.stacklok.com/platform/enterprise-manager/policies/
   */
  readonly helpMenu?: PolicyDirective<boolean>;
  /** The Cloud UI's AI assistant. @default - unset: no directive */
  readonly assistant?: PolicyDirective<boolean>;
  /**
   * What clients do when the Enterprise Manager is unreachable (no enforcement: it is not a directive).
   * @default - unset: the clients' default
   * @see https://docs.stacklok.com/platform/enterprise-manager/degraded-mode
   */
  readonly degradedMode?: {
    /** `warn`: operations proceed, with a warning; `block_new`: new MCP server installs are blocked. */
    readonly policy: 'warn' | 'block_new';
    /** How long the Enterprise Manager is unreachable before the policy applies (Go duration, e.g. `24h`). @default - unset: the clients' default */
    readonly gracePeriod?: string;
    /** Message shown to users while degraded mode is active. @default - unset: the clients' default */
    readonly message?: string;
  };
}

/** The Enterprise Manager (enterprise edition). */
export interface EnterpriseManagerOptions {
  /**
   * The identity provider whose tokens clients present.
   * @see https://docs.stacklok.com/platform/enterprise-manager/configure
   */
  readonly idp: {
    /** Issuer URL of the identity provider (an absolute http(s) URL). */
    readonly issuer: string;
    /** Audience the tokens must carry. */
    readonly audience: string;
    /** Scope the tokens must carry. @default "toolhive:config:read" */
    readonly requiredScope?: string;
    /** Kind of identity provider: `entra`, `okta` or `generic`. */
    readonly type: 'entra' | 'okta' | 'generic';
  };
  /**
   * The envelope signing key: an existing Secret with an EC P-256 key in `signing.pem`.
   * @see https://docs.stacklok.com/platform/enterprise-manager/configure
   */
  readonly signing: {
    /** Name of the Secret holding the key (`signing.pem`). */
    readonly existingSecret: string;
    /** Lifetime of a signed envelope (the chart's `signingConfig.envelopeTTL`). @default - the chart's (24h in the docs) */
    readonly envelopeTtl?: string;
    /** Refresh interval of the signed envelopes (the chart's `signingConfig.refreshInterval`). @default - the chart's (5m in the docs) */
    readonly refreshInterval?: string;
  };
  /** The Enterprise Manager's external (ingress) URL. */
  readonly resourceUrl: string;
  /** The public PKCE client of the Stacklok CLI and Desktop. */
  readonly clientId: string;
  /**
   * Policy directives.
   * @default - the registry directive alone, enforced, pointing at the aggregating Registry Server (when the platform has one)
   */
  readonly policies?: EnterprisePolicies;
  /** Pull secrets (names). @default [] */
  readonly imagePullSecrets?: string[];
  /** Escape hatch: raw `enterprise-manager` values, merged last. @default {} */
  readonly values?: JsonObject;
}

/** The Enterprise Cloud UI (enterprise edition). */
export interface CloudUiOptions {
  /** The Cloud UI's external (ingress) URL, for browsers and auth callbacks. */
  readonly url: string;
  /** Registry Server API root. @default - the aggregating Registry Server (Service DNS in its own cluster, its external URL elsewhere) */
  readonly apiBaseUrl?: string;
  /** Enterprise Manager URL (server-side). @default - the platform's Enterprise Manager */
  readonly enterpriseManagerUrl?: string;
  /** OIDC login (a confidential web client). The client secret is referenced, never inlined. */
  readonly oidc: {
    /** Browser-reachable issuer URL. */
    readonly issuerUrl: string;
    /** Client ID of the Cloud UI's OIDC client. */
    readonly clientId: string;
    /** Secret key holding the client secret (env OIDC_CLIENT_SECRET). */
    readonly clientSecret: SecretKeyReference;
    /** Keep `openid` and `offline_access`. @default - the chart's (openid, email, profile, offline_access) */
    readonly scopes?: string[];
  };
  /** Secret key holding the session signing secret, at least 32 characters (env BETTER_AUTH_SECRET). */
  readonly authSecret: SecretKeyReference;
  /** Secret key holding a DATABASE_URL for session storage (large tokens, e.g. Entra ID). @default - none */
  readonly sessionDatabaseUrl?: SecretKeyReference;
  /** Redis URL for skill previews. @default - none */
  readonly redisUrl?: string;
  /** Branding. @default - none */
  readonly branding?: {
    /** Name shown in the UI. @default - the chart's */
    readonly name?: string;
    /** URL of the logo. @default - the chart's */
    readonly logoUrl?: string;
    /** URL of the favicon. @default - the chart's */
    readonly faviconUrl?: string;
  };
  /** Extra env vars (secret-looking ones must use valueFrom). @default [] */
  readonly env?: EnvVar[];
  /** Pull secrets (names). @default [] */
  readonly imagePullSecrets?: string[];
  /** Escape hatch: raw `toolhive-cloud-ui` values, merged last. @default {} */
  readonly values?: JsonObject;
}

/** The AI Gateway operator (enterprise edition). */
export interface AiGatewayOptions {
  /** StorageClass of the bundled Valkey's volume, when the cluster has no default. @default - the default StorageClass */
  readonly valkeyStorageClass?: string;
  /** Set to "" when your registry rewrites manifests (Presidio is digest-pinned). @default - the chart's digest */
  readonly presidioDigest?: string;
  /** Pull secrets (names). @default [] */
  readonly imagePullSecrets?: string[];
  /** Escape hatch: raw `enterprise-ai-gateway-operator.upstream` values, merged last. @default {} */
  readonly values?: JsonObject;
}


/*
 * The compilers below take options whose shape (platform/shape.ts) was checked: they record
 * what spans fields (required fields, exclusive choices) and never read a wrong type.
 */

function directive<T>(d: PolicyDirective<T> | undefined, map: (v: T) => unknown): unknown {
  if (!d || d.value === undefined) return undefined;
  return { value: map(d.value), enforcement: d.enforcement ?? 'enforced' };
}

function checkEnterpriseManager(o: EnterpriseManagerOptions, p: (rest: string) => string, issues: IssueCollector): void {
  if (!o.idp) {
    issues.add(p('idp'), 'required: issuer, audience and type of the identity provider');
  } else {
    if (o.idp.issuer === undefined) issues.add(p('idp.issuer'), 'required: an absolute http(s) URL');
    if (!o.idp.audience) issues.add(p('idp.audience'), 'required');
    if (o.idp.type === undefined) issues.add(p('idp.type'), 'required: "entra", "okta" or "generic"');
  }
  if (o.signing?.existingSecret === undefined) issues.add(p('signing.existingSecret'), 'required: the Secret holding the EC P-256 signing key (signing.pem)');
  if (o.resourceUrl === undefined) issues.add(p('resourceUrl'), 'required: the Enterprise Manager\'s external base URL, like "https://config.example.com"');
  if (!o.clientId) issues.add(p('clientId'), 'required: the public PKCE client ID of the Stacklok CLI and Desktop');
  checkPolicies(o.policies ?? {}, (rest) => p(`policies.${rest}`), issues);
}

function checkPolicies(pol: EnterprisePolicies, p: (rest: string) => string, issues: IssueCollector): void {
  for (const [name, d] of Object.entries(pol)) {
    if (name !== 'degradedMode' && d !== undefined && (d as PolicyDirective<unknown>).value === undefined) issues.add(p(`${name}.value`), 'required: the directive\'s value');
  }
  const ca = pol.caCertificate?.value;
  if (ca && (ca.pem === undefined) === (ca.url === undefined)) issues.add(p('caCertificate.value'), 'exactly one of pem and url');
  if (pol.telemetry?.value && pol.telemetry.value.otelEndpoint === undefined) issues.add(p('telemetry.value.otelEndpoint'), 'required: an absolute http(s) URL');
  if (pol.degradedMode && pol.degradedMode.policy === undefined) issues.add(p('degradedMode.policy'), 'required: "warn" or "block_new"');
}

/** The `enterpriseConfig` policy document. */
function enterpriseConfig(pol: EnterprisePolicies, registryDefault: RegistryPolicyValue | undefined): Record<string, unknown> {
  const registry = pol.registry ?? (registryDefault ? { value: registryDefault, enforcement: 'enforced' as PolicyEnforcement } : undefined);
  const out: Record<string, unknown> = {};
  const set = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v;
  };
  set('registry', directive(registry, (v) => omitUndefined({ api_url: v.apiUrl, server_api_url: v.serverApiUrl, allow_private_ip: v.allowPrivateIp })));
  set('non_registry_servers', directive(pol.nonRegistryServers, (v) => v));
  set('telemetry', directive(pol.telemetry, (v) => omitUndefined({
    otel_endpoint: v.otelEndpoint,
    sampling_rate: v.samplingRate,
    tracing_enabled: v.tracingEnabled,
    metrics_enabled: v.metricsEnabled,
    headers: v.headers,
    insecure: v.insecure,
  })));
  set('ca_certificate', directive(pol.caCertificate, (v) => omitUndefined({ pem: v.pem, url: v.url })));
  set('build_env', directive(pol.buildEnv, (v) => ({ ...v })));
  set('playground', directive(pol.playground, (v) => v));
  set('help_menu', directive(pol.helpMenu, (v) => v));
  set('assistant', directive(pol.assistant, (v) => v));
  if (pol.degradedMode) set('degraded_mode', omitUndefined({ policy: pol.degradedMode.policy, grace_period: pol.degradedMode.gracePeriod, message: pol.degradedMode.message }));
  return out;
}

/** `enterprise-manager` subchart values (of options whose shape was checked). @internal */
export function compileEnterpriseManager(
  o: EnterpriseManagerOptions, path: string, issues: IssueCollector, registryDefault: RegistryPolicyValue | undefined,
): JsonObject {
  checkEnterpriseManager(o, (rest) => `${path}.${rest}`, issues);
  const config = enterpriseConfig(o.policies ?? {}, registryDefault);
  const values: Record<string, any> = {
    idpConfig: omitUndefined({ issuer: o.idp?.issuer, audience: o.idp?.audience, requiredScope: o.idp?.requiredScope ?? 'toolhive:config:read', idpType: o.idp?.type }),
    signingConfig: omitUndefined({
      existingSecret: o.signing?.existingSecret,
      envelopeTTL: o.signing?.envelopeTtl,
      refreshInterval: o.signing?.refreshInterval,
    }),
    resourceURL: o.resourceUrl,
    clientID: o.clientId,
  };
  if (Object.keys(config).length > 0) values.enterpriseConfig = config;
  if (o.imagePullSecrets?.length) values.imagePullSecrets = pullSecretRefs(o.imagePullSecrets);
  return mergeOverrides(values, o.values);
}

/** The env vars the library sets on the Cloud UI, by who sets them. */
const CLOUD_UI_MANAGED_ENV: readonly (readonly [string, string])[] = [
  ['OIDC_CLIENT_SECRET', 'oidc.clientSecret'],
  ['BETTER_AUTH_SECRET', 'authSecret'],
  ['DATABASE_URL', 'sessionDatabaseUrl'],
];

function checkCloudUi(o: CloudUiOptions, path: string, issues: IssueCollector): void {
  const p = (rest: string) => `${path}.${rest}`;
  if (o.url === undefined) issues.add(p('url'), 'required: the Cloud UI\'s external base URL, like "https://ui.example.com"');
  if (!o.oidc) {
    issues.add(p('oidc'), 'required: issuerUrl, clientId and a clientSecret Secret reference');
  } else {
    if (o.oidc.issuerUrl === undefined) issues.add(p('oidc.issuerUrl'), 'required: a browser-reachable http(s) URL');
    if (!o.oidc.clientId) issues.add(p('oidc.clientId'), 'required');
    checkSecretRef(o.oidc.clientSecret, p('oidc.clientSecret'), issues, true);
    if (o.oidc.scopes && !(o.oidc.scopes.includes('openid') && o.oidc.scopes.includes('offline_access'))) {
      issues.add(p('oidc.scopes'), 'keep "openid" and "offline_access" when overriding the scopes');
    }
  }
  checkSecretRef(o.authSecret, p('authSecret'), issues, true);
  checkSecretRef(o.sessionDatabaseUrl, p('sessionDatabaseUrl'), issues, false);
  const refs: Record<string, unknown> = { 'oidc.clientSecret': o.oidc?.clientSecret, 'authSecret': o.authSecret, 'sessionDatabaseUrl': o.sessionDatabaseUrl };
  const managed = new Map(CLOUD_UI_MANAGED_ENV.filter(([, field]) => refs[field] !== undefined).map(([name, field]) => [name, `the library (from ${p(field)})`]));
  checkEnvList(o.env, p('env'), issues, managed);
}

/** `toolhive-cloud-ui` subchart values (of options whose shape was checked). @internal */
export function compileCloudUi(
  o: CloudUiOptions, path: string, issues: IssueCollector, wired: { apiBaseUrl?: string; enterpriseManagerUrl?: string },
): JsonObject {
  checkCloudUi(o, path, issues);
  const fromSecret = (name: string, ref: SecretKeyReference | undefined, defaultKey: string): EnvVar[] =>
    (ref ? [{ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key ?? defaultKey } } }] : []);
  const env: EnvVar[] = [
    ...fromSecret('OIDC_CLIENT_SECRET', o.oidc?.clientSecret, 'client-secret'),
    ...fromSecret('BETTER_AUTH_SECRET', o.authSecret, 'secret'),
    ...fromSecret('DATABASE_URL', o.sessionDatabaseUrl, 'url'),
    ...deepClone([...(o.env ?? [])]),
  ];
  const values: Record<string, any> = {
    apiBaseUrl: o.apiBaseUrl ?? wired.apiBaseUrl,
    oidc: omitUndefined({ issuerUrl: o.oidc?.issuerUrl, clientId: o.oidc?.clientId, scopes: o.oidc?.scopes?.join(',') }),
    betterAuth: { url: o.url },
    env,
  };
  const em = o.enterpriseManagerUrl ?? wired.enterpriseManagerUrl;
  if (em) values.enterpriseManagerUrl = em;
  if (o.redisUrl) values.redisUrl = o.redisUrl;
  if (o.branding) values.branding = omitUndefined({ name: o.branding.name, logoUrl: o.branding.logoUrl, faviconUrl: o.branding.faviconUrl });
  if (o.imagePullSecrets?.length) values.imagePullSecrets = pullSecretRefs(o.imagePullSecrets);
  if (values.apiBaseUrl === undefined) delete values.apiBaseUrl;
  return mergeOverrides(values, o.values);
}

/** `enterprise-ai-gateway-operator.upstream` values (of options whose shape was checked). @internal */
export function compileAiGateway(o: AiGatewayOptions): JsonObject {
  const values: Record<string, any> = {};
  if (o.valkeyStorageClass !== undefined) values.valkey = { persistence: { storageClass: o.valkeyStorageClass } };
  if (o.presidioDigest !== undefined) values.presidio = { image: { digest: o.presidioDigest } };
  if (o.imagePullSecrets?.length) values.global = { imagePullSecrets: pullSecretRefs(o.imagePullSecrets) };
  return mergeOverrides(values, o.values);
}
