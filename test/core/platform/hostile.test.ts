/*
 * Hostile input to planPlatform (issue 12): plain JavaScript and JSON garbage, dangerous
 * values and typos. Each case states the paths of the issues it gets (every problem once, at
 * the path the user wrote) or, where accepting is right, why. Whatever happens, the only error
 * ever thrown is a ToolhiveValidationError: never a TypeError. The garbage sweep states the outcome
 * of every (path, garbage) pair: refused at (or below) the garbage's own path, or listed as
 * accepted on purpose with the reason and a check of the plan. Meta-tests run the checkers against a
 * stub planPlatform that accepts everything and see them fail.
 */
import { planPlatform, PlatformPlan, PlatformSpec, RbacScope, ToolhiveValidationError, ValidationIssue } from '../../../src';
import { centralized, cloudUi, enterpriseManager, layered, standaloneRegistryServer } from '../../support/platform-fixtures';
import { acceptanceProblems, acceptsEverything, outcomeOf, refusalProblems, userPath } from '../../support/refusal';

// Every test asserts something: a case that ran no expectation fails instead of passing.
beforeEach(() => expect.hasAssertions());

type Outcome = { plan?: PlatformPlan; issues?: ValidationIssue[] };

/** The function under test; the meta-tests swap in a stub that accepts everything. */
const subject = { planPlatform };

/** Runs planPlatform; anything thrown must be a ToolhiveValidationError. */
function run(spec: unknown): Outcome {
  try {
    return { plan: subject.planPlatform(spec as PlatformSpec) };
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

/** How a refused case misses its paths (in the error's order, repeats included) and message. */
function refusedCaseProblems(spec: () => unknown, paths: string[], message?: RegExp): string[] {
  const got = outcomeOf(() => subject.planPlatform(spec() as PlatformSpec));
  const problems = refusalProblems(got, { under: paths });
  if (got.kind !== 'refused') return problems;
  const all = got.issues.map((i) => i.path);
  if (JSON.stringify(all) !== JSON.stringify(paths)) problems.push(`refused at ${JSON.stringify(all)}, expected ${JSON.stringify(paths)}`);
  if (message && !message.test(got.issues[0].message)) problems.push(`the first message does not match ${message}: ${got.issues[0].message}`);
  return problems;
}

/** How an accepted case misses acceptance: it must plan at least one cluster. */
function acceptedCaseProblems(spec: () => unknown): string[] {
  return acceptanceProblems(outcomeOf(() => subject.planPlatform(spec() as PlatformSpec)),
    (plan) => ((plan as PlatformPlan)?.clusters?.length > 0 ? undefined : 'no cluster planned'));
}

describe('hostile platform specs are refused with their paths, never with a TypeError', () => {
  test('at least 40 hostile cases', () => expect(REFUSED.length + ACCEPTED.length).toBeGreaterThanOrEqual(40));

  test.each(REFUSED.map(([name, spec, paths, message]) => ({ name, spec, paths, message })))('$name', ({ spec, paths, message }) => {
    expect(refusedCaseProblems(spec, paths, message)).toEqual([]);
  });

  test.each(ACCEPTED.map(([name, spec, why]) => ({ name, spec, why })))('accepted: $name ($why)', ({ spec }) => {
    expect(acceptedCaseProblems(spec)).toEqual([]);
  });

  test('meta: with a planPlatform that accepts everything, every refused case fails and no accepted one does', () => {
    subject.planPlatform = acceptsEverything({ clusters: [{ cluster: 'c', deliverables: [] }] });
    try {
      expect(REFUSED.filter(([, spec, paths, message]) => refusedCaseProblems(spec, paths, message).length === 0).map(([name]) => name)).toEqual([]);
      expect(ACCEPTED.filter(([, spec]) => acceptedCaseProblems(spec).length > 0).map(([name]) => name)).toEqual([]);
    } finally {
      subject.planPlatform = planPlatform;
    }
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

describe('garbage at every key of a valid platform: refused at its path, or accepted on purpose and checked', () => {
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

  const SPECS = [['enterprise, centralized', withExtras], ['enterprise, layered', layered], ['open source, raw manifests', openSource]] as const;
  type SpecName = typeof SPECS[number][0];
  type Segments = (string | number)[];

  /** What an accepted pair's plan must show. */
  type Check =
    | 'same as unset' // the plan equals the plan without the key
    | 'shown'; // the plan carries the key with the value as written (JSON or YAML text)
  interface Rule {
    /** The paths (in the library's notation) the rule covers. */
    readonly path: RegExp;
    /** The garbage it accepts, as JSON. */
    readonly garbage: readonly string[];
    readonly why: string;
    readonly check: Check | ((plan: PlatformPlan) => string | undefined);
    /** Only in these specs (all when absent). */
    readonly specs?: readonly SpecName[];
  }
  const RS = String.raw`clusters\.[\w-]+\.registryServer`;
  const ACCEPTED_RULES: Rule[] = [
    {
      path: /^global\.postgres\.host$/,
      garbage: ['"x"'],
      why: 'a valid host; the only Registry Server sets its own database host, which wins',
      check: (plan) => (JSON.stringify(plan).includes('host: postgres.control.example.com') ? undefined : 'the cluster\'s own database host is not the one written'),
      specs: ['open source, raw manifests'],
    },
    {
      path: /(\.name|\.key|\.clientId|\.audience|\.existingSecret|\.pullSecret|\.channel|\.namespace|StorageClass|imagePullSecrets\[0\]|\.host|\.user|\.database\.database|\[0\]\.roles)$/,
      garbage: ['"x"'],
      why: '"x" is a valid name, key, client id, audience, channel, namespace, host or role',
      check: 'shown',
    },
    {
      path: /^registryLayering\.catalog\.repository$/,
      garbage: ['"x"'],
      why: 'the Registry Server takes any non-empty repository (its config.go checks only emptiness; go-git also clones local paths)',
      check: 'shown',
    },
    { path: /\.claims\.\w+(\[\d\])?$/, garbage: ['"x"', '""'], why: 'a claim value is any string; an empty one matches only tokens with that empty claim (fails closed)', check: 'shown' },
    {
      path: /\.claims\.(org|groups)$/,
      garbage: ['[]'],
      why: 'a claim with no values matches no token (the server\'s matchesClaimValue: fails closed)',
      check: 'shown',
    },
    {
      path: new RegExp(String.raw`^${RS}\.config\.auth\.authz\.roles\.superAdmin$`),
      garbage: ['[]'],
      why: 'no super-admin rules: nobody is a super-admin (fails closed)',
      check: 'shown',
    },
    {
      path: new RegExp(String.raw`^${RS}\.config\.auth\.authz\.roles\.superAdmin\[0\]$`),
      garbage: ['{}'],
      why: 'a super-admin rule that matches nobody: the server never matches an empty claim map (internal/auth/roles.go matchesClaimMap); fails closed',
      check: 'shown',
    },
    {
      path: new RegExp(String.raw`^${RS}\.config\.auth\.authz\.roles\.superAdmin\[0\]\.roles$`),
      garbage: ['[]', '""'],
      why: 'a claim with no values (or the empty value) matches no real token (matchesClaimValue); fails closed',
      check: 'shown',
    },
    { path: new RegExp(String.raw`^${RS}\.config\.auth\.authz(\.roles)?$`), garbage: ['{}'], why: 'authorization without roles: nobody is a super-admin (fails closed)', check: 'shown' },
    {
      path: new RegExp(String.raw`^${RS}\.config\.database\.host$`),
      garbage: ['""'],
      why: 'an empty host takes global.postgres.host, as the chart does',
      check: (plan) => {
        const text = `${stringLeaves(plan).join('\n')}\n${JSON.stringify(plan)}`;
        // Raw manifests: the config.yaml holds the global host; Helm: the chart fills it in from global.postgres at install.
        return text.includes('host: pg\n') || (text.includes('"host":""') && text.includes('"postgres":{"host":"pg"')) ? undefined : 'neither the config nor the chart takes global.postgres.host "pg"';
      },
      specs: ['enterprise, centralized', 'open source, raw manifests'],
    },
    {
      path: new RegExp(String.raw`^${RS}\.config\.registries$`),
      garbage: ['[]'],
      why: 'registry layering adds this cluster\'s registries',
      check: (plan) => (JSON.stringify(plan).includes('name: prod\\n') ? undefined : 'the layering registry "prod" is missing'),
      specs: ['open source, raw manifests'],
    },
    { path: /\.env\[0\]\.value$/, garbage: ['"x"', '""'], why: 'any string, the empty one too, is an env value', check: 'shown' },
    { path: /\.headers\.x-team$/, garbage: ['"x"', '""'], why: 'any string, the empty one too, is a header value', check: 'shown' },
    { path: /\.podLabels\.team$/, garbage: ['"x"', '""'], why: 'a valid label value (the empty one too)', check: 'shown' },
    { path: /\.cloudUi\.branding\.name$/, garbage: ['""'], why: 'passed to the chart as written (the Cloud UI then shows its default name)', check: 'shown' },
    {
      path: /^clusters\.[\w-]+\.toolhiveOperator$/,
      garbage: ['{}'],
      why: 'an operator with the default options',
      check: (plan) => (JSON.stringify(plan).includes('toolhive-operator') ? undefined : 'no operator planned'),
    },
    {
      path: /^clusters\.control\.aiGateway$/,
      garbage: ['{}'],
      why: 'the AI Gateway with its defaults',
      check: (plan) => (/ai-gateway|aiGateway/i.test(JSON.stringify(plan)) ? undefined : 'no AI Gateway planned'),
    },
    { path: /(\.headers|\.branding|\.sources\[0\]\.claims|^enterprise\.preflight)$/, garbage: ['{}'], why: 'an empty map, passed on as written', check: 'shown' },
    { path: /\.(env|imagePullSecrets)$/, garbage: ['[]'], why: 'an empty list adds nothing', check: 'same as unset' },
    {
      path: /^clusters\.control\.aiGateway\.values\.a$/,
      garbage: ['null', '0', '-1', '1.5', '"x"', '""', 'true', '[]', '{}', '[null]', '{"x":null}'],
      why: 'values is the escape hatch into the AI Gateway chart, whose schema is not public: passed through as written',
      check: 'shown',
    },
    { path: /(\.aiGateway\.values|\.policies|\.toolhiveOperator(\.rbac|\.podLabels)|^global)$/, garbage: ['{}'], why: 'an empty map sets nothing', check: 'same as unset' },
    {
      path: /\.aiGateway\.values$/,
      garbage: ['{"x":null}'],
      why: 'the escape hatch passes a null on, as Helm values delete a default with it',
      check: (plan) => (JSON.stringify(plan).includes('"x":null') ? undefined : 'the null is not passed on'),
    },
  ];

  /** Pairs refused at another path than their own, with the reason. */
  const ELSEWHERE_RULES: { path: RegExp; garbage?: readonly string[]; specs?: readonly SpecName[]; to: (at: string) => string; why: string }[] = [
    {
      path: new RegExp(String.raw`^${RS}\.config\.sources$`),
      garbage: ['[]'],
      specs: ['open source, raw manifests'],
      to: (at) => at.replace(/sources$/, 'registries[0].sources[0]'),
      why: 'layering adds sources, but the user\'s registry still names the source "catalog"',
    },
    { path: /\.claims\.groups\[\d\]$/, garbage: ['null', '0', '-1', '1.5', 'true', '[]', '{}', '[null]', '{"x":null}'], to: (at) => at.replace(/\[\d\]$/, ''), why: 'a claim\'s value is checked as a whole: a string or a list of strings' },
    {
      path: /^registryLayering\.environments\[([12])\]\.name$/,
      garbage: ['"x"'],
      to: (at) => at.replace(/\[(\d)\]\.name$/, (_m, i) => `[${Number(i) - 1}].promotesFrom`),
      why: 'the environment before it still promotes from the old name',
    },
    {
      path: new RegExp(String.raw`^${RS}\.config\.sources\[0\]\.name$`),
      garbage: ['"x"'],
      to: (at) => at.replace(/sources\[0\]\.name$/, 'registries[0].sources[0]'),
      why: 'the registry still names the old source',
    },
  ];

  /**
   * With registry layering, the layering's sources and registries are added to the user's: the
   * pairs in the user's own lists are swept on their own (below), and must be reported at the
   * path the user wrote (they were once shifted by the layering's entries put first).
   */
  const SHIFTED_BY_LAYERING: { spec: SpecName; path: RegExp } = {
    spec: 'open source, raw manifests',
    path: new RegExp(String.raw`^${RS}\.config\.(sources|registries)(\[0\].*)?$`),
  };

  /** One (path, garbage) call of a spec. */
  interface Pair {
    readonly spec: SpecName;
    readonly at: string;
    readonly segments: Segments;
    readonly garbage: unknown;
    readonly label: string;
  }
  const pairsOf = (name: SpecName, spec: PlatformSpec): Pair[] => paths(spec).flatMap((segments) => GARBAGE.map((garbage) => ({
    spec: name, at: userPath(segments), segments, garbage, label: `${name}: ${userPath(segments)} = ${JSON.stringify(garbage)}`,
  })));
  const covers = (r: { path: RegExp; garbage?: readonly string[]; specs?: readonly SpecName[] }, pair: Pair) =>
    r.path.test(pair.at) && (!r.garbage || r.garbage.includes(JSON.stringify(pair.garbage))) && (!r.specs || r.specs.includes(pair.spec));
  /** The refusal-elsewhere rule of a pair; it takes precedence over the acceptance rules. */
  const elsewhereFor = (pair: Pair) => ELSEWHERE_RULES.find((r) => covers(r, pair));
  /** The acceptance rule of a pair, if any. */
  const ruleFor = (pair: Pair) => (elsewhereFor(pair) ? undefined : ACCEPTED_RULES.find((r) => covers(r, pair)));
  const shiftedByLayering = (pair: Pair) => pair.spec === SHIFTED_BY_LAYERING.spec && SHIFTED_BY_LAYERING.path.test(pair.at) && !ruleFor(pair);

  /** Every string in a plan (rendered YAML texts among them), one per line. */
  const stringLeaves = (v: unknown): string[] => (typeof v === 'string' ? [v]
    : Array.isArray(v) ? v.flatMap(stringLeaves) : v && typeof v === 'object' ? Object.values(v).flatMap(stringLeaves) : []);
  /**
   * True when the plan carries `garbage`: a non-empty string anywhere (as a value, a URL segment or a
   * YAML scalar), anything else under the key last in `segments` (as JSON, or in a YAML text).
   */
  const shown = (plan: PlatformPlan, segments: Segments, garbage: unknown): boolean => {
    const planJson = JSON.stringify(plan);
    const yamlText = `${stringLeaves(plan).join('\n')}\n`;
    if (typeof garbage === 'string' && garbage !== '') {
      return [JSON.stringify(garbage), `/${garbage}/`].some((t) => planJson.includes(t)) || [`: ${garbage}\n`, `- ${garbage}\n`].some((t) => yamlText.includes(t));
    }
    const k = String(segments[segments.length - 1]);
    const asJson = JSON.stringify(garbage);
    const asYaml = garbage === '' ? '""' : asJson;
    if (/^\d+$/.test(k)) return planJson.includes(`[${asJson}`) || planJson.includes(`,${asJson}`) || yamlText.includes(`- ${asYaml}\n`);
    return planJson.includes(`"${k}":${asJson}`) || yamlText.includes(`${k}: ${asYaml}\n`);
  };

  /** True when the "garbage" is the valid value already at its path. */
  const unchanged = (pair: Pair, spec: PlatformSpec) =>
    JSON.stringify(pair.garbage) === JSON.stringify(pair.segments.reduce((o: any, k) => o?.[k], spec));

  /** How one pair misses its stated outcome. */
  function pairProblems(pair: Pair, spec: PlatformSpec): string[] {
    const got = outcomeOf(() => subject.planPlatform(replaced(spec, pair.segments, pair.garbage)));
    if (unchanged(pair, spec)) {
      // The "garbage" is the valid value already there: the spec itself, planned as it is.
      const base = outcomeOf(() => subject.planPlatform(spec));
      return acceptanceProblems(got, (plan) => (base.kind === 'accepted' && JSON.stringify(plan) === JSON.stringify(base.value) ? undefined : 'the plan differs from the valid spec\'s'));
    }
    const rule = ruleFor(pair);
    if (rule) {
      return acceptanceProblems(got, (value) => {
        const plan = value as PlatformPlan;
        if (typeof rule.check === 'function') return rule.check(plan);
        if (rule.check === 'shown') return shown(plan, pair.segments, pair.garbage) ? undefined : `the plan does not carry ${pair.at} = ${JSON.stringify(pair.garbage)}`;
        const parent = pair.segments.slice(0, -1);
        const last = pair.segments[pair.segments.length - 1];
        const without = replaced(spec, parent, (() => {
          const p = parent.reduce((o: any, k) => o[k], spec);
          if (Array.isArray(p)) return p.filter((_, i) => i !== last);
          const { [last]: _dropped, ...rest } = p;
          return rest;
        })());
        const base = outcomeOf(() => subject.planPlatform(without));
        if (base.kind !== 'accepted') return 'the spec without the key does not plan';
        return JSON.stringify(plan) === JSON.stringify(base.value) ? undefined : 'the plan differs from the plan without the key';
      });
    }
    const elsewhere = elsewhereFor(pair);
    return refusalProblems(got, { under: [elsewhere ? elsewhere.to(pair.at) : pair.at] });
  }
  const sweepProblems = (pairs: Pair[], spec: PlatformSpec) => pairs.flatMap((p) => pairProblems(p, spec).map((x) => `${p.label}: ${x}`));

  for (const [name, make] of SPECS) {
    test(name, () => {
      const spec = make();
      expect(run(spec).issues).toBeUndefined();
      const pairs = pairsOf(name, spec);
      expect(pairs.length).toBeGreaterThan(50 * GARBAGE.length);
      expect(sweepProblems(pairs.filter((p) => !shiftedByLayering(p)), spec)).toEqual([]);
    });
  }

  // Was a bug (SHIFTED_BY_LAYERING): the layering's entries came first, shifting the user's indexes.
  test('open source with layering: garbage in the Registry Server\'s own sources and registries is reported at the path the user wrote', () => {
    const spec = openSource();
    const pairs = pairsOf('open source, raw manifests', spec).filter(shiftedByLayering);
    expect(pairs.length).toBeGreaterThan(0);
    expect(sweepProblems(pairs, spec)).toEqual([]);
  });

  test('every acceptance rule and every refusal-elsewhere rule is used by some pair (no stale rules)', () => {
    const pairs = SPECS.flatMap(([name, make]) => pairsOf(name, make()));
    expect(ACCEPTED_RULES.filter((r) => !pairs.some((p) => ruleFor(p) === r)).map((r) => r.why)).toEqual([]);
    expect(ELSEWHERE_RULES.filter((r) => !pairs.some((p) => r.path.test(p.at))).map((r) => r.why)).toEqual([]);
  });

  test('meta: with a planPlatform that accepts everything, the sweep reports every pair that must be refused', () => {
    const spec = openSource();
    const pairs = pairsOf('open source, raw manifests', spec);
    const mustRefuse = pairs.filter((p) => !ruleFor(p) && !unchanged(p, spec));
    expect(mustRefuse.length).toBeGreaterThan(400);
    subject.planPlatform = acceptsEverything({ clusters: [] });
    try {
      expect(mustRefuse.filter((p) => pairProblems(p, spec).length === 0).map((p) => p.label)).toEqual([]);
    } finally {
      subject.planPlatform = planPlatform;
    }
  });
});
