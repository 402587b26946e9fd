/*
 * The runtime shape of a PlatformSpec, checked first by planPlatform: callers write plain
 * JavaScript and JSON too, so a wrong type is an issue at the path the user wrote (an unknown
 * key names the nearest valid one), never a TypeError further on. Single-field rules of the kit
 * sit on the leaves; what spans fields (required fields, wiring between clusters) is the
 * planners'. The options of components other folders own (the operator, the Registry Server)
 * only have to be maps here: their planners check them. The platform's and a cluster's shapes
 * are built from the components' (roster.ts).
 */
import { goDurationProblem, positiveDurationProblem } from '../rules/durations';
import { imageReferenceProblem, imageRegistryProblem } from '../rules/images';
import { ENV_LIST, SECRET_REF } from '../rules/kube';
import { dns1123LabelProblem, dns1123SubdomainProblem, envVarNameProblem, releaseNameProblem, secretNameProblem } from '../rules/names';
import { portProblem } from '../rules/numbers';
import { looksLikeSecretName, secretLookingValue } from '../rules/secrets';
import { Rule, S, Shape } from '../rules/shape';
import { httpUrlProblem, HttpUrlRule } from '../rules/urls';
import { chartVersionProblem } from '../rules/versions';

/** An example platform version, for messages. */
export const EXAMPLE_PLATFORM_VERSION = '1.4.0';

const url = (rule: HttpUrlRule = {}): Shape => S.ruled((v) => httpUrlProblem(v, rule));
/** A whole number checked by a rule of the kit. */
const wholeRuled = (rule: Rule): Shape => ({ kind: 'integer', rule });
const secretNames = S.list(S.ruled(secretNameProblem));
const plainText = (where: string): Rule => (v) => {
  const what = secretLookingValue(v);
  return what ? `looks like ${what}: ${where} is rendered in plain text; secrets never go there` : undefined;
};

/** Claims: each key a JWT claim name, each value a string or a list of strings. */
const CLAIMS = S.map(S.oneOf('a claim value (a string or a list of strings)', S.string(), S.list(S.string())));

/** Why `name` is not a release channel slug. */
function channelProblem(name: string): string | undefined {
  return dns1123LabelProblem(name) ? `${JSON.stringify(name)} is not a channel slug (lower-case letters, digits, '-')` : undefined;
}

/** Why `v` is not a non-negative Go duration (a grace period may be zero). */
function graceProblem(v: string): string | undefined {
  return goDurationProblem(v, { min: 'non-negative' });
}

/** Why `v` is not a PEM certificate (and never a private key). */
function certificateProblem(v: string): string | undefined {
  return plainText('the CA certificate policy')(v)
    ?? (/-----BEGIN CERTIFICATE-----/.test(v) ? undefined : 'is not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)');
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CREDENTIAL_HEADERS = /^(proxy-)?authorization$|^cookie$/i;

/** Why `name` cannot be a telemetry header of a policy every client reads. */
function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return `${JSON.stringify(name)} is not an HTTP header name`;
  if (CREDENTIAL_HEADERS.test(name) || looksLikeSecretName(name)) {
    return `${JSON.stringify(name)} carries credentials: the telemetry policy reaches every client in plain text, so it takes non-sensitive headers only`;
  }
  return undefined;
}

/** Why `name` cannot be a variable of the build environment every client reads. */
function buildEnvNameProblem(name: string): string | undefined {
  return envVarNameProblem(name)
    ?? (looksLikeSecretName(name) ? `${name} looks like a secret: the build environment policy reaches every client in plain text; give MCP servers secrets another way` : undefined);
}

/** OAuth scope tokens (RFC 6749), joined with commas by the chart. */
function scopeProblem(scope: string): string | undefined {
  return /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/.test(scope) ? undefined : `${JSON.stringify(scope)} is not an OAuth scope (no spaces, commas, quotes or backslashes)`;
}

function redisUrlProblem(v: string): string | undefined {
  if (!/^rediss?:\/\/[^/\s]+/.test(v)) return `${JSON.stringify(v)} is not a Redis URL like "redis://redis.cache.svc:6379"`;
  return plainText('redisUrl')(v);
}

function presidioDigestProblem(v: string): string | undefined {
  return v === '' || !imageReferenceProblem(`presidio@${v}`) ? undefined : `${JSON.stringify(v)} is not an image digest such as "sha256:<64 hex digits>" (or "" to drop the pin)`;
}

const directive = (value: Shape, what: string): Shape => S.object({ value, enforcement: S.string(['enforced', 'default']) }, `a policy directive { value: ${what}, enforcement }`);

/** The shape of {@link EnterpriseManagerOptions}. @internal */
export const ENTERPRISE_MANAGER_SHAPE: Shape = S.object({
  idp: S.object({
    issuer: url({ http: 'loopback', what: 'an absolute http(s) URL' }),
    audience: S.string(),
    requiredScope: S.ruled(scopeProblem),
    type: S.string(['entra', 'okta', 'generic']),
  }, 'the identity provider { issuer, audience, requiredScope, type }'),
  signing: S.object({
    existingSecret: S.ruled(secretNameProblem),
    envelopeTtl: S.ruled(positiveDurationProblem),
    refreshInterval: S.ruled(positiveDurationProblem),
  }, 'the signing key { existingSecret, envelopeTtl, refreshInterval }'),
  resourceUrl: url({ base: true, http: 'loopback', what: 'an external base URL like "https://config.example.com"' }),
  clientId: S.string(),
  policies: S.object({
    registry: directive(S.object({ apiUrl: url({ http: true }), serverApiUrl: url({ http: true }), allowPrivateIp: S.boolean() }, '{ apiUrl, serverApiUrl, allowPrivateIp }'), '{ apiUrl, serverApiUrl, allowPrivateIp }'),
    nonRegistryServers: directive(S.boolean(), 'true or false'),
    telemetry: directive(S.object({
      otelEndpoint: url({ http: true }),
      samplingRate: S.number((r) => (r >= 0 && r <= 1 ? undefined : `${r} must be from 0 to 1`)),
      tracingEnabled: S.boolean(),
      metricsEnabled: S.boolean(),
      headers: S.map(S.ruled(plainText('a telemetry header')), headerNameProblem),
      insecure: S.boolean(),
    }, '{ otelEndpoint, samplingRate, tracingEnabled, metricsEnabled, headers, insecure }'), '{ otelEndpoint, ... }'),
    caCertificate: directive(S.object({ pem: S.ruled(certificateProblem), url: url({ http: 'loopback' }) }, '{ pem } or { url }'), '{ pem } or { url }'),
    buildEnv: directive(S.map(S.ruled(plainText('the build environment policy')), buildEnvNameProblem), 'a map of env var names to values'),
    playground: directive(S.boolean(), 'true or false'),
    helpMenu: directive(S.boolean(), 'true or false'),
    assistant: directive(S.boolean(), 'true or false'),
    degradedMode: S.object({ policy: S.string(['warn', 'block_new']), gracePeriod: S.ruled(graceProblem), message: S.string() }, 'the degraded mode { policy, gracePeriod, message }'),
  }, 'policy directives'),
  imagePullSecrets: secretNames,
  values: S.map(),
}, 'Enterprise Manager options');

/** The shape of {@link CloudUiOptions}. @internal */
export const CLOUD_UI_SHAPE: Shape = S.object({
  url: url({ base: true, http: 'loopback', what: 'an external base URL like "https://ui.example.com"' }),
  apiBaseUrl: url({ http: true }),
  enterpriseManagerUrl: url({ http: true }),
  oidc: S.object({
    issuerUrl: url({ http: 'loopback', what: 'a browser-reachable http(s) URL' }),
    clientId: S.string(),
    clientSecret: SECRET_REF,
    scopes: S.list(S.ruled(scopeProblem)),
  }, 'OIDC options { issuerUrl, clientId, clientSecret, scopes }'),
  authSecret: SECRET_REF,
  sessionDatabaseUrl: SECRET_REF,
  redisUrl: S.ruled(redisUrlProblem),
  branding: S.object({ name: S.string(), logoUrl: url({ http: true }), faviconUrl: url({ http: true }) }, 'branding { name, logoUrl, faviconUrl }'),
  env: ENV_LIST,
  imagePullSecrets: secretNames,
  values: S.map(),
}, 'Cloud UI options');

/** The shape of {@link AiGatewayOptions}. @internal */
export const AI_GATEWAY_SHAPE: Shape = S.object({
  valkeyStorageClass: S.ruled((v) => (dns1123SubdomainProblem(v) ? `${JSON.stringify(v)} is not a valid StorageClass name (${dns1123SubdomainProblem(v)})` : undefined)),
  presidioDigest: S.ruled(presidioDigestProblem),
  imagePullSecrets: secretNames,
  values: S.map(),
}, 'AI Gateway options');

/** The shape of {@link GlobalOptions}. @internal */
export const GLOBAL_SHAPE: Shape = S.object({
  redis: S.object({ host: S.string(), port: wholeRuled(portProblem), clusterMode: S.boolean(), passwordSecret: SECRET_REF, tls: S.boolean() },
    'Redis options { host, port, clusterMode, passwordSecret, tls }'),
  postgres: S.object({ host: S.string(), port: wholeRuled(portProblem), sslMode: S.string(['disable', 'require', 'verify-ca', 'verify-full']) },
    'PostgreSQL options { host, port, sslMode }'),
}, 'shared settings { redis, postgres }');

/** The shape of {@link EnterpriseReleaseOptions}. @internal */
export const ENTERPRISE_RELEASE_SHAPE: Shape = S.object({
  version: S.ruled((v) => chartVersionProblem(v, EXAMPLE_PLATFORM_VERSION)),
  channel: S.ruled(channelProblem),
  releaseName: S.ruled(releaseNameProblem),
  replicated: S.boolean(),
  preflight: S.object({ enforce: S.boolean(), checkEgress: S.boolean(), imageRepository: S.ruled(imageReferenceProblem) }, 'preflight options { enforce, checkEgress, imageRepository }'),
  airGap: S.object({ registry: S.ruled(imageRegistryProblem), pullSecret: S.ruled(secretNameProblem) }, 'air gap options { registry, pullSecret }'),
}, 'the umbrella release { version, channel, releaseName, replicated, preflight, airGap }');

/** The shape of {@link RegistryLayeringOptions}. @internal */
export const LAYERING_SHAPE: Shape = S.object({
  environments: S.list(S.object({
    name: S.string(),
    cluster: S.string(),
    promotesFrom: S.string(),
    claims: CLAIMS,
    publishers: CLAIMS,
    // Refused by the layering planner, with the reason (found against the real Registry Server).
    gitRef: S.any(),
  }, 'an environment { name, cluster, promotesFrom, claims, publishers }')),
  promotion: S.string(['api', 'git']),
  aggregator: S.object({ cluster: S.string() }, 'the aggregator { cluster }'),
  syncInterval: S.ruled(positiveDurationProblem),
  catalog: S.object({ repository: S.ruled(plainText('the catalog repository (in the Registry Server\'s ConfigMap)')), path: S.string(), branch: S.string(), tagPrefix: S.string() },
    'the Git catalog { repository, path, branch, tagPrefix }'),
}, 'registry layering { environments, promotion, aggregator, syncInterval, catalog }');
