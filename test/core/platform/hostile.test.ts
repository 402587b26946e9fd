/*
 * Hostile input to planPlatform (issue 12): plain JavaScript and JSON garbage, dangerous
 * values and typos. Each case states the paths of the issues it gets (every problem once, at
 * the path the user wrote) or, where accepting is right, why. Whatever happens, the only error
 * ever thrown is a ToolhiveValidationError: never a TypeError.
 */
import { planPlatform, PlatformPlan, PlatformSpec, RbacScope, ToolhiveValidationError, ValidationIssue } from '../../../src';
import { centralized, cloudUi, enterpriseManager, layered, standaloneRegistryServer } from '../../support/platform-fixtures';

type Outcome = { plan?: PlatformPlan; issues?: ValidationIssue[] };

/** Runs planPlatform; anything thrown must be a ToolhiveValidationError. */
function run(spec: unknown): Outcome {
  try {
    return { plan: planPlatform(spec as PlatformSpec) };
  } catch (e) {
    if (!(e instanceof ToolhiveValidationError)) throw new Error(`expected a ToolhiveValidationError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.stack}`);
    return { issues: e.issues };
  }
}

const json = (text: string) => JSON.parse(text);
const oss = (clusters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ edition: 'open-source', ...extra, clusters });
const ossWorkload = (extra: Record<string, unknown> = {}) => oss({ w: { role: 'workload', toolhiveOperator: {} } }, extra);
/** centralized() with one field of one cluster replaced. */
const withCluster = (name: string, patch: Record<string, unknown>) => {
  const spec = centralized();
  return { ...spec, clusters: { ...spec.clusters, [name]: { ...spec.clusters[name], ...patch } } };
};
const withEm = (patch: Record<string, unknown>) => withCluster('control', { enterpriseManager: { ...enterpriseManager(), ...patch } });
const withPolicies = (policies: Record<string, unknown>) => withEm({ policies });
const withUi = (patch: Record<string, unknown>) => withCluster('control', { cloudUi: { ...cloudUi(), ...patch } });
const withEnterprise = (patch: Record<string, unknown>) => ({ ...centralized(), enterprise: { version: '1.4.0', channel: 'stable', ...patch } });
const withLayering = (patch: Record<string, unknown>) => ({ ...layered(), registryLayering: { ...layered().registryLayering!, ...patch } });
const EM = 'clusters.control.enterpriseManager';
const POL = `${EM}.policies`;
const UI = 'clusters.control.cloudUi';

/** [name, spec, expected issue paths (sorted as the error sorts them), a pattern the first issue's message matches]. */
const REFUSED: [string, () => unknown, string[], RegExp?][] = [
  // Not a platform at all.
  ['null', () => null, ['(root)'], /expected a platform .*got null/],
  ['undefined', () => undefined, ['(root)'], /got nothing/],
  ['a string', () => 'platform', ['(root)'], /got the string "platform"/],
  ['a list', () => [], ['(root)'], /got a list/],
  ['clusters: []', () => oss([] as any), ['clusters'], /expected a map, got a list/],
  ['clusters: "control"', () => oss('control' as any), ['clusters'], /got the string/],
  ['clusters: { x: "control" }', () => oss({ x: 'control' }), ['clusters.x'], /expected a cluster \{ role, .*got the string "control"/],
  ['clusters: { x: null }', () => oss({ x: null }), ['clusters.x'], /got null/],
  ['a cluster without a role', () => oss({ x: { toolhiveOperator: {} } }), ['clusters.x.role'], /required: "control", "workload" or "registry"/],
  ['role: "master"', () => oss({ x: { role: 'master', toolhiveOperator: {} } }), ['clusters.x.role'], /"master" is not valid; expected one of "control", "workload", "registry"/],
  ['role: "Workload" (did you mean)', () => oss({ x: { role: 'Workload', toolhiveOperator: {} } }), ['clusters.x.role'], /did you mean "workload"/],
  ['a cluster name that is not a DNS label', () => oss({ Bad_Name: { role: 'workload', toolhiveOperator: {} } }), ['clusters.Bad_Name'], /not a valid cluster name/],
  ['a "__proto__" cluster (JSON)', () => json('{"edition": "open-source", "clusters": {"__proto__": {"role": "workload"}, "w": {"role": "workload", "toolhiveOperator": {}}}}'),
    ['clusters.__proto__'], /is not allowed in a map/],
  ['a "__proto__" key at the top (JSON)', () => json('{"clusters": {"w": {"role": "workload", "toolhiveOperator": {}}}, "__proto__": {"polluted": 1}}'), ['__proto__']],

  // Editions, namespaces, delivery, typos.
  ['edition: "oss"', () => ossWorkload({ edition: 'oss' }), ['edition'], /"oss" is not valid; expected one of "enterprise", "open-source"/],
  ['edition: "opensource" (did you mean)', () => ossWorkload({ edition: 'opensource' }), ['edition'], /did you mean "open-source"/],
  ['edition: null', () => ossWorkload({ edition: null }), ['edition'], /got null/],
  ['"cluster" for "clusters"', () => ({ edition: 'open-source', cluster: { w: { role: 'workload', toolhiveOperator: {} } } }), ['cluster', 'clusters'], /did you mean "clusters"\?/],
  ['"registryLayerring"', () => ({ ...layered(), registryLayerring: {} }), ['registryLayerring'], /did you mean "registryLayering"\?/],
  ['"registryServers" in a cluster', () => withCluster('control', { registryServers: {} }), ['clusters.control.registryServers'], /did you mean "registryServer"\?/],
  ['namespace: "kube-system"', () => ossWorkload({ namespace: 'kube-system' }), ['namespace'], /Kubernetes system namespace/],
  ['namespace: "kube-public" (enterprise)', () => ({ ...centralized(), namespace: 'kube-public' }), ['namespace'], /system namespace/],
  ['namespace: "default" without allowDefaultNamespace', () => ossWorkload({ namespace: 'default' }), ['namespace'], /allowDefaultNamespace: true/],
  ['namespace: 42', () => ossWorkload({ namespace: 42 }), ['namespace'], /expected a string, got the number 42/],
  ['namespace: "123" (YAML reads a number)', () => ossWorkload({ namespace: '123' }), ['namespace'], /reads as a number/],
  ['namespace: "Team_A"', () => ossWorkload({ namespace: 'Team_A' }), ['namespace'], /not a valid namespace name/],
  ['delivery: "kubectl"', () => ossWorkload({ delivery: 'kubectl' }), ['delivery'], /expected one of "manifests", "helm"/],
  ['allowDefaultNamespace: "yes"', () => ossWorkload({ allowDefaultNamespace: 'yes' }), ['allowDefaultNamespace'], /expected true or false/],

  // The umbrella release.
  ['enterprise: "latest"', () => ({ ...centralized(), enterprise: 'latest' }), ['enterprise'], /expected the umbrella release/],
  ['enterprise.version: "v1.4.0"', () => withEnterprise({ version: 'v1.4.0' }), ['enterprise.version'], /not a chart version; expected X\.Y\.Z/],
  ['enterprise.version: 140', () => withEnterprise({ version: 140 }), ['enterprise.version'], /got the number 140/],
  ['enterprise.version missing', () => withEnterprise({ version: undefined }), ['enterprise.version'], /required/],
  ['enterprise.channel: "Stable"', () => withEnterprise({ channel: 'Stable' }), ['enterprise.channel'], /not a channel slug/],
  ['enterprise.releaseName of 54 characters', () => withEnterprise({ releaseName: 'x'.repeat(54) }), ['enterprise.releaseName'], /53/],
  ['enterprise.airGap.registry with a scheme', () => withEnterprise({ airGap: { registry: 'https://mirror.example.com', pullSecret: 'pull' } }), ['enterprise.airGap.registry'], /no scheme/],
  ['enterprise.airGap without a pull secret', () => withEnterprise({ airGap: { registry: 'mirror.example.com/stacklok' } }), ['enterprise.airGap.pullSecret'], /required/],
  ['enterprise.airGap with the Replicated SDK on', () => withEnterprise({ replicated: true, airGap: { registry: 'mirror.example.com', pullSecret: 'pull' } }), ['enterprise.replicated']],
  ['enterprise.preflight.enforce: "true"', () => withEnterprise({ preflight: { enforce: 'true' } }), ['enterprise.preflight.enforce'], /expected true or false/],

  // Shared settings: a platform-wide problem is reported once, not once per cluster.
  ['global.postgres.port: 0', () => ({ ...centralized(), global: { postgres: { host: 'pg', port: 0 } } }), ['global.postgres.port'], /expected a port from 1 to 65535/],
  ['global.redis.port: "6379"', () => ({ ...centralized(), global: { redis: { host: 'valkey', port: '6379' } } }), ['global.redis.port'], /expected a whole number/],
  ['global.redis without a host', () => ({ ...centralized(), global: { redis: {} } }), ['global.redis.host'], /required/],
  ['global.postgres.sslMode: "prefer"', () => ({ ...centralized(), global: { postgres: { host: 'pg', sslMode: 'prefer' } } }), ['global.postgres.sslMode']],
  ['global.redis.passwordSecret inlined', () => ({ ...centralized(), global: { redis: { host: 'valkey', passwordSecret: 'hunter2' } } }), ['global.redis.passwordSecret'], /got the string/],
  ['global.redis.passwordSecret without a name', () => ({ ...centralized(), global: { redis: { host: 'valkey', passwordSecret: { key: 'pw' } } } }), ['global.redis.passwordSecret.name'], /required/],
  ['a cluster override with port 70000', () => withCluster('eu-west', { global: { postgres: { host: 'pg', port: 70000 } } }), ['clusters.eu-west.global.postgres.port']],

  // Components of the wrong type (the operator and Registry Server planners check the inside).
  ['toolhiveOperator: "yes"', () => withCluster('eu-west', { toolhiveOperator: 'yes' }), ['clusters.eu-west.toolhiveOperator'], /expected a map/],
  ['toolhiveOperator: null', () => withCluster('eu-west', { toolhiveOperator: null }), ['clusters.eu-west.toolhiveOperator'], /got null/],
  ['registryServer: []', () => withCluster('control', { registryServer: [] }), ['clusters.control.registryServer'], /got a list/],
  ['cloudUi: 5 on a workload cluster', () => withCluster('eu-west', { cloudUi: 5 }), ['clusters.eu-west.cloudUi', 'clusters.eu-west.cloudUi']],

  // Enterprise Manager.
  ['EM: plain http resourceUrl', () => withEm({ resourceUrl: 'http://config.example.com' }), [`${EM}.resourceUrl`], /plain http/],
  ['EM: credentials in resourceUrl', () => withEm({ resourceUrl: 'https://admin:pw@config.example.com' }), [`${EM}.resourceUrl`], /credentials in the URL/],
  ['EM: "resourceURL" (did you mean)', () => withEm({ resourceURL: 'https://config.example.com' }), [`${EM}.resourceURL`], /did you mean "resourceUrl"\?/],
  ['EM: idp: "okta"', () => withEm({ idp: 'okta' }), [`${EM}.idp`], /expected the identity provider/],
  ['EM: idp.type: "azure"', () => withEm({ idp: { ...enterpriseManager().idp, type: 'azure' } }), [`${EM}.idp.type`]],
  ['EM: idp.issuer over plain http', () => withEm({ idp: { ...enterpriseManager().idp, issuer: 'http://idp.example.com' } }), [`${EM}.idp.issuer`], /plain http/],
  ['EM: signing key Secret name', () => withEm({ signing: { existingSecret: 'Signing_Key' } }), [`${EM}.signing.existingSecret`], /not a valid Secret name/],
  ['EM: envelope TTL "1 day"', () => withEm({ signing: { existingSecret: 'k', envelopeTtl: '1 day' } }), [`${EM}.signing.envelopeTtl`], /Go duration/],
  ['EM: telemetry sampling rate 2', () => withPolicies({ telemetry: { value: { otelEndpoint: 'https://otel.example.com', samplingRate: 2 } } }),
    [`${POL}.telemetry.value.samplingRate`], /from 0 to 1/],
  ['EM: an Authorization telemetry header', () => withPolicies({ telemetry: { value: { otelEndpoint: 'https://otel.example.com', headers: { Authorization: 'Bearer x' } } } }),
    [`${POL}.telemetry.value.headers.Authorization`], /carries credentials/],
  ['EM: a telemetry directive without its value', () => withPolicies({ telemetry: { enforcement: 'default' } }), [`${POL}.telemetry.value`], /required/],
  ['EM: a proxy URL with a password in the build environment', () => withPolicies({ buildEnv: { value: { HTTPS_PROXY: 'http://user:pass@proxy.example.com:3128' } } }),
    [`${POL}.buildEnv.value.HTTPS_PROXY`], /URL with credentials/],
  ['EM: a token in the build environment', () => withPolicies({ buildEnv: { value: { GITHUB_TOKEN: 'x' } } }), [`${POL}.buildEnv.value.GITHUB_TOKEN`], /looks like a secret/],
  ['EM: a private key as the CA certificate', () => withPolicies({ caCertificate: { value: { pem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' } } }),
    [`${POL}.caCertificate.value.pem`], /PEM private key/],
  ['EM: a CA certificate as pem and url', () => withPolicies({ caCertificate: { value: { pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----', url: 'https://ca.example.com/ca.pem' } } }),
    [`${POL}.caCertificate.value`], /exactly one/],
  ['EM: enforcement "strict"', () => withPolicies({ playground: { value: false, enforcement: 'strict' } }), [`${POL}.playground.enforcement`], /"enforced", "default"/],
  ['EM: degraded mode "block"', () => withPolicies({ degradedMode: { policy: 'block' } }), [`${POL}.degradedMode.policy`]],

  // Cloud UI.
  ['UI: an inlined API key', () => withUi({ env: [{ name: 'API_KEY', value: 'abc' }] }), [`${UI}.env[0].value`], /looks like a secret/],
  ['UI: a GitHub token as a plain value', () => withUi({ env: [{ name: 'GREETING', value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }] }), [`${UI}.env[0].value`], /GitHub token/],
  ['UI: the same env var twice', () => withUi({ env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'LOG_LEVEL', value: 'debug' }] }), [`${UI}.env[1].name`], /set twice/],
  ['UI: an env var the library sets', () => withUi({ env: [{ name: 'BETTER_AUTH_SECRET', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }] }), [`${UI}.env[0].name`], /set by the library/],
  ['UI: an env var name with a space', () => withUi({ env: [{ name: 'MY VAR', value: 'x' }] }), [`${UI}.env[0].name`], /not a valid env var name/],
  ['UI: env as a string', () => withUi({ env: 'FOO=bar' }), [`${UI}.env`], /expected a list/],
  ['UI: the OIDC client secret inlined', () => withUi({ oidc: { ...cloudUi().oidc, clientSecret: 'hunter2' } }), [`${UI}.oidc.clientSecret`], /Secret reference/],
  ['UI: a Secret key with a slash', () => withUi({ authSecret: { name: 'cloud-ui-auth', key: 'a/b' } }), [`${UI}.authSecret.key`], /not a valid Secret key/],
  ['UI: no auth secret', () => withUi({ authSecret: undefined }), [`${UI}.authSecret`], /required/],
  ['UI: a plain http issuer', () => withUi({ oidc: { ...cloudUi().oidc, issuerUrl: 'http://idp.example.com' } }), [`${UI}.oidc.issuerUrl`], /plain http/],
  ['UI: a Redis URL with a password', () => withUi({ redisUrl: 'redis://:s3cret-password@redis.cache:6379' }), [`${UI}.redisUrl`], /credentials/],
  ['UI: a scope with a space', () => withUi({ oidc: { ...cloudUi().oidc, scopes: ['openid offline_access'] } }), [`${UI}.oidc.scopes[0]`], /not an OAuth scope/],

  // AI Gateway.
  ['AI: a StorageClass name', () => withCluster('control', { aiGateway: { valkeyStorageClass: 'Fast_SSD' } }), ['clusters.control.aiGateway.valkeyStorageClass'], /StorageClass/],
  ['AI: a digest that is a tag', () => withCluster('control', { aiGateway: { presidioDigest: 'latest' } }), ['clusters.control.aiGateway.presidioDigest'], /digest/],
  ['AI: pull secrets as a string', () => withCluster('control', { aiGateway: { imagePullSecrets: 'regcred' } }), ['clusters.control.aiGateway.imagePullSecrets'], /expected a list/],

  // Registry layering.
  ['environments: "prod"', () => withLayering({ environments: 'prod' }), ['registryLayering.environments'], /expected a list/],
  ['an environment that is null', () => withLayering({ environments: [null, ...layered().registryLayering!.environments] }), ['registryLayering.environments[0]'], /got null/],
  ['promotion: "rsync"', () => withLayering({ promotion: 'rsync' }), ['registryLayering.promotion'], /"api", "git"/],
  ['syncInterval: "0s"', () => withLayering({ syncInterval: '0s' }), ['registryLayering.syncInterval'], /longer than zero/],
  ['a catalog repository with a token', () => withLayering({ promotion: 'git', catalog: { repository: 'https://user:tok3n-value@git.example.com/catalog.git' } }),
    ['registryLayering.catalog.repository'], /credentials/],
  ['aggregator: "prod"', () => withLayering({ aggregator: 'prod' }), ['registryLayering.aggregator'], /expected the aggregator/],
  ['a claim that is a number', () => withLayering({ environments: layered().registryLayering!.environments.map((e, i) => (i === 0 ? { ...e, claims: { org: 5 } } : e)) }),
    ['registryLayering.environments[0].claims.org'], /a string or a list of strings/],
  ['an environment without a cluster', () => withLayering({ environments: layered().registryLayering!.environments.map((e, i) => (i === 2 ? { ...e, cluster: undefined } : e)) }),
    ['registryLayering.environments[2].cluster'], /required/],
];

/** [name, spec, why accepting is right]. */
const ACCEPTED: [string, () => unknown, string][] = [
  ['a loopback issuer over plain http', () => withUi({ oidc: { ...cloudUi().oidc, issuerUrl: 'http://localhost:8080/realms/dev' } }),
    'plain http never leaves the machine on loopback (a local IdP for development)'],
  ['namespace "default" with allowDefaultNamespace', () => ossWorkload({ namespace: 'default', allowDefaultNamespace: true }), 'the user asked for it explicitly'],
  ['presidioDigest ""', () => withCluster('control', { aiGateway: { presidioDigest: '' } }), 'the documented way to drop the digest pin when a registry rewrites manifests'],
  ['same-cluster Service DNS for the Cloud UI', () => withUi({ apiBaseUrl: 'http://registry-api.stacklok-system.svc.cluster.local:8080' }),
    'a server-side call inside one cluster, as the seed\'s production values do'],
  ['undefined component keys', () => withCluster('eu-west', { cloudUi: undefined, aiGateway: undefined }), 'undefined is unset (what spreading optional props gives)'],
  ['proxy settings in the build environment', () => withPolicies({ buildEnv: { value: { HTTPS_PROXY: 'http://proxy.example.com:3128', NO_PROXY: '.svc,.cluster.local' } } }),
    'the documented use of build_env; no credentials'],
  ['class instances in operator options (as the adapters pass them)', () => withCluster('eu-west', { toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']) } }),
    'the operator\'s planner reads RbacScope instances; only plain maps are entered for prototype keys'],
];

describe('hostile platform specs are refused with their paths, never with a TypeError', () => {
  test('at least 40 hostile cases', () => expect(REFUSED.length + ACCEPTED.length).toBeGreaterThanOrEqual(40));

  test.each(REFUSED.map(([name, spec, paths, message]) => ({ name, spec, paths, message })))('$name', ({ spec, paths, message }) => {
    const { issues } = run(spec());
    expect(issues?.map((i) => i.path)).toEqual(paths);
    if (message) expect(issues![0].message).toMatch(message);
  });

  test.each(ACCEPTED.map(([name, spec, why]) => ({ name, spec, why })))('accepted: $name ($why)', ({ spec }) => {
    const outcome = run(spec());
    expect(outcome.issues).toBeUndefined();
    expect(outcome.plan?.clusters.length).toBeGreaterThan(0);
  });

  test('a platform-wide problem is reported once, however many clusters inherit it', () => {
    const { issues } = run({ ...centralized(), global: { postgres: { host: 'pg', port: 0 } } });
    expect(issues).toEqual([{ path: 'global.postgres.port', message: 'expected a port from 1 to 65535, got the number 0' }]);
  });

  test('kube-system is never labelled: the platform namespace is refused before anything is rendered', () => {
    const { issues } = run(ossWorkload({ namespace: 'kube-system', allowDefaultNamespace: true }));
    expect(issues?.map((i) => i.path)).toEqual(['namespace']);
  });

  test('"default" with allowDefaultNamespace: the namespace and the operator install there', () => {
    const plan = run(ossWorkload({ namespace: 'default', allowDefaultNamespace: true })).plan!;
    const namespaces = plan.clusters[0].deliverables.flatMap((d) => (d.type === 'manifests' ? d.objects : [])).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['default']);
  });

  test('garbage inside the options other planners own still ends as a validation error', () => {
    const rs = standaloneRegistryServer('control', 'https://registry.example.com');
    for (const config of [{ ...rs.config, sources: 'abc' }, { ...rs.config, auth: 'oauth' }, 'config']) {
      const { issues } = run(withCluster('control', { registryServer: { ...rs, config } }));
      expect(issues?.length).toBeGreaterThan(0);
      for (const i of issues!) expect(i.path.startsWith('clusters.control.registryServer')).toBe(true);
    }
    const spec = layered();
    const broken = { ...spec, clusters: { ...spec.clusters, staging: { ...spec.clusters.staging, registryServer: { ...spec.clusters.staging.registryServer!, externalUrl: 'not a url' } } } };
    expect(run(broken).issues?.map((i) => i.path)).toContain('clusters.staging.registryServer.externalUrl');
  });
});

describe('the same platform given in a different order plans identically (descriptions included)', () => {
  const reversedMap = <T>(m: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(m).reverse());

  test('enterprise: clusters, environments, namespaces, build environment, headers, claims, shared settings', () => {
    const build = (reverse: boolean): PlatformSpec => {
      const spec = layered();
      const order = <T>(xs: T[]) => (reverse ? [...xs].reverse() : xs);
      const map = <T>(m: Record<string, T>) => (reverse ? reversedMap(m) : m);
      const em = {
        ...enterpriseManager(),
        policies: {
          buildEnv: { value: map({ HTTPS_PROXY: 'http://proxy.example.com:3128', NO_PROXY: '.svc', HTTP_PROXY: 'http://proxy.example.com:3128' }) },
          telemetry: { value: { otelEndpoint: 'https://otel.example.com', headers: map({ 'x-team': 'platform', 'x-env': 'prod' }) } },
        },
      };
      const clusters = {
        ...spec.clusters,
        prod: { ...spec.clusters.prod, enterpriseManager: em },
        edge: { role: 'workload' as const, toolhiveOperator: { rbac: RbacScope.namespaces(order(['team-c', 'team-a', 'team-b'])) } },
      };
      return {
        ...spec,
        global: map({ redis: map({ host: 'valkey', port: 6379, tls: true }), postgres: map({ host: 'pg', sslMode: 'require' as const }) }),
        registryLayering: { environments: order(spec.registryLayering!.environments.map((e) => ({ ...e, claims: map({ ...e.claims, team: ['b', 'a'] }) }))) },
        clusters: map(clusters),
      };
    };
    expect(JSON.stringify(planPlatform(build(true)))).toBe(JSON.stringify(planPlatform(build(false))));
  });

  test('open source: clusters, git environments, operator and Registry Server namespaces', () => {
    const build = (reverse: boolean): PlatformSpec => {
      const order = <T>(xs: T[]) => (reverse ? [...xs].reverse() : xs);
      const map = <T>(m: Record<string, T>) => (reverse ? reversedMap(m) : m);
      const rs = (env: string, url: string) => ({ ...standaloneRegistryServer(env, url), config: { ...standaloneRegistryServer(env).config, sources: [], registries: [] }, rbac: RbacScope.namespaces(order(['b', 'a'])) });
      return {
        edition: 'open-source',
        registryLayering: {
          promotion: 'git',
          catalog: { repository: 'https://git.example.com/catalog.git' },
          environments: order([
            { name: 'production', cluster: 'prod', promotesFrom: 'staging', claims: map({ org: 'acme', team: 'x' }) },
            { name: 'staging', cluster: 'staging', claims: { org: 'acme' } },
          ]),
        },
        clusters: map({
          'prod': { role: 'control', registryServer: rs('prod', 'https://registry.example.com') },
          'staging': { role: 'registry', registryServer: rs('staging', 'https://registry.staging.example.com') },
          'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(order(['team-b', 'team-a'])), podLabels: map({ a: '1', b: '2' }) } },
        }),
      };
    };
    const plan = planPlatform(build(false));
    expect(plan.clusters.map((c) => c.cluster)).toEqual(['eu-west', 'prod', 'staging']);
    expect(JSON.stringify(planPlatform(build(true)))).toBe(JSON.stringify(plan));
  });
});

describe('garbage at every key of a valid platform is an issue, never a TypeError', () => {
  const GARBAGE: unknown[] = [null, 0, -1, 1.5, 'x', '', true, [], {}, [null], { x: null }];
  /** Every path of plain maps and lists below `value` (class instances are left as they are). */
  const paths = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    const plain = Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);
    if (!plain) return [];
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as object);
    return entries.flatMap(([k, v]) => [[...at, k], ...paths(v, [...at, k])]);
  };
  const replaced = (value: any, at: (string | number)[], garbage: unknown): any => {
    if (at.length === 0) return garbage;
    const [k, ...rest] = at;
    const copy = Array.isArray(value) ? [...value] : { ...value };
    (copy as any)[k] = replaced(value[k], rest, garbage);
    return copy;
  };
  const withExtras = (): PlatformSpec => {
    const spec = centralized();
    return {
      ...spec,
      global: { redis: { host: 'valkey', port: 6379, passwordSecret: { name: 'valkey-auth' } }, postgres: { host: 'pg', port: 5432 } },
      enterprise: { ...spec.enterprise!, preflight: { enforce: true }, airGap: { registry: 'mirror.example.com', pullSecret: 'pull' } },
      clusters: {
        ...spec.clusters,
        control: {
          ...spec.clusters.control,
          aiGateway: { valkeyStorageClass: 'fast', imagePullSecrets: ['regcred'], values: { a: 1 } },
          enterpriseManager: { ...enterpriseManager(), policies: { telemetry: { value: { otelEndpoint: 'https://otel.example.com', headers: { 'x-team': 'a' } } }, degradedMode: { policy: 'warn' } } },
          cloudUi: { ...cloudUi(), env: [{ name: 'LOG_LEVEL', value: 'info' }], branding: { name: 'Acme' } },
        },
      },
    };
  };

  const openSource = (): PlatformSpec => ({
    edition: 'open-source',
    delivery: 'manifests',
    global: { postgres: { host: 'pg', port: 5432 } },
    registryLayering: { promotion: 'git', catalog: { repository: 'https://git.example.com/c.git' }, environments: [{ name: 'prod', cluster: 'control', claims: { org: 'acme' } }] },
    clusters: {
      control: { role: 'control', registryServer: { ...standaloneRegistryServer('control', 'https://registry.example.com'), env: [{ name: 'LOG', value: 'x' }] } },
      w: { role: 'workload', toolhiveOperator: { namespace: 'toolhive-operator', podLabels: { team: 'a' } } },
    },
  });

  for (const [name, make] of [['enterprise, centralized', withExtras], ['enterprise, layered', layered], ['open source, raw manifests', openSource]] as const) {
    test(name, () => {
      const spec = make();
      expect(run(spec).issues).toBeUndefined();
      const all = paths(spec);
      expect(all.length).toBeGreaterThan(50);
      for (const at of all) {
        for (const garbage of GARBAGE) {
          // Throws (failing the test) on anything but a ToolhiveValidationError.
          run(replaced(spec, at, garbage));
        }
      }
    });
  }
});
