/*
 * The real Registry Server (v1.5.1, built from its Go source) loads every configuration the
 * examples and the fixtures emit, as their Deployments run it: `serve --config`, the database
 * passwords from the environment variables the Deployment fills from Secret references (or the
 * pgpass file it mounts), against PostgreSQL from Debian (its own data directory, loopback,
 * TLS with a test CA, the database and its two users set up as the server's documentation
 * says). It starts, runs its 23 migrations and answers /readiness.
 *
 * What the harness changes, because a cluster's environment is not on loopback: the database
 * host and port (127.0.0.1 and the test server's port; a database of its own for each server
 * running at once), the OAuth issuers (the test issuer on loopback, over HTTPS, with
 * `allowPrivateIP`, which loopback needs), and the git catalog's URL (a repository on loopback). The TLS settings stay: the servers' certificates come from a test
 * CA the Registry Server trusts through SSL_CERT_FILE.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { GitServer } from './harness/git-server';
import { TestIssuer } from './harness/oidc';
import { PostgresServer } from './harness/postgres';
import { Supervisor, tail, waitFor } from './harness/processes';
import { emittedRegistryServers, EmittedRegistryServer, pulumiExampleRegistryServers, registryServersIn } from './harness/registry-configs';
import { httpGet, refusedStart, RegistryServerRun, RegistryServerStart, startRegistryServer } from './harness/registry-server';
import { loopbackCertificates, TestCertificates } from './harness/tls';
import { planPlatform, validateRegistryConfig } from '../../src';
import { issuesOf } from '../support/errors';
import { layered, registryServer } from '../support/platform-fixtures';

const MIGRATIONS = 23;

/** The database section and the issuers pointed at loopback; everything else as emitted. */
function onLoopback(config: any, pg: PostgresServer, issuer: TestIssuer, database?: string): any {
  const out = structuredClone(config);
  // One PostgreSQL server holds every environment's database: each server running at once gets its own.
  out.database = { ...out.database, host: pg.host, port: pg.port, ...(database ? { database } : {}) };
  // The issuer is on loopback, which the token validator refuses to fetch from unless told.
  for (const p of out.auth?.oauth?.providers ?? []) Object.assign(p, { issuerUrl: issuer.url, allowPrivateIP: true });
  return out;
}

/**
 * The Secrets the Deployment references, as a cluster would hold them: one password per Secret
 * key, the same for every server (one PostgreSQL server holds every environment's users).
 */
function secretValues(server: EmittedRegistryServer): Map<string, string> {
  const values = new Map<string, string>();
  const refs = server.env.map((e) => e.valueFrom?.secretKeyRef).filter((r): r is { name: string; key: string } => !!r);
  for (const r of refs) values.set(`${r.name}/${r.key}`, `pw-${r.name}-${r.key}`);
  return values;
}

/** Sets up a fresh database for a corpus server and gives the environment its Deployment would have. */
function prepare(
  pg: PostgresServer, certs: TestCertificates, server: EmittedRegistryServer, database?: string,
): { env: Record<string, string>; pgpass?: string } {
  const db = { ...server.config.database, ...(database ? { database } : {}) };
  const secrets = secretValues(server);
  const secretOf = (name: string) => {
    const ref = server.env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    return ref ? secrets.get(`${ref.name}/${ref.key}`) : undefined;
  };
  const password = secretOf('THV_REGISTRY_DATABASE_PASSWORD') ?? `pgpass-${db.user}`;
  const migrationUser: string = db.migrationUser ?? db.user;
  const migrationPassword = migrationUser === db.user ? password : (secretOf('THV_REGISTRY_DATABASE_MIGRATIONPASSWORD') ?? `pgpass-${migrationUser}`);
  pg.sql(`DROP DATABASE IF EXISTS "${db.database}" WITH (FORCE)`);
  pg.createRegistryDatabase({ database: db.database, user: db.user, password, migrationUser, migrationPassword });
  const env: Record<string, string> = { SSL_CERT_FILE: certs.caFile };
  for (const e of server.env) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) env[e.name] = secrets.get(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`)!;
  }
  if (!server.pgpassSecret) return { env };
  // The Secret's content, as a user writes it for this database (the harness's host and port).
  delete env.PGPASSFILE;
  const pgpass = [[db.user, password], [migrationUser, migrationPassword]].map(([u, p]) => `${pg.host}:${pg.port}:${db.database}:${u}:${p}`).join('\n') + '\n';
  return { env, pgpass };
}

const servers = emittedRegistryServers();
let workDir: string;
let certs: TestCertificates;
let pg: PostgresServer;
let issuer: TestIssuer;
let supervisor: Supervisor;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-registry-'));
  certs = loopbackCertificates(path.join(workDir, 'tls'));
  [pg, issuer] = await Promise.all([PostgresServer.start('registry', certs), TestIssuer.start(certs)]);
  supervisor = new Supervisor(workDir);
});
afterAll(async () => {
  await supervisor?.stopAll();
  await Promise.all([pg?.stop(), issuer?.stop()]);
  if (workDir && process.env.TOOLHIVE_CLUSTER_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
});

/** A corpus server by the start of its source name. */
function corpus(source: string): EmittedRegistryServer {
  const found = servers.find((s) => s.source.startsWith(source));
  if (!found) throw new Error(`no emitted Registry Server from ${source}`);
  return found;
}

describe('every Registry Server configuration the examples and fixtures emit, loaded by the real server', () => {
  test('the corpus: the examples\' and fixtures\' Registry Servers, with both ways of passing the password', () => {
    expect(servers.length).toBeGreaterThanOrEqual(10);
    expect(servers.some((s) => s.pgpassSecret)).toBe(true);
    expect(servers.some((s) => s.env.some((e) => e.name === 'THV_REGISTRY_DATABASE_MIGRATIONPASSWORD'))).toBe(true);
    expect(new Set(servers.map((s) => s.config.database.sslMode))).toEqual(new Set(['require', 'verify-full']));
  });

  test.each(servers.map((s, i) => [s.source, s, i] as [string, EmittedRegistryServer, number]))('%s: starts, runs its migrations, answers /readiness', async (_name, server, i) => {
    const db = server.config.database;
    const { env, pgpass } = prepare(pg, certs, server);
    const config = onLoopback(server.config, pg, issuer);
    const run = await startRegistryServer(supervisor, workDir, { name: `corpus-${i}`, configYaml: stringify(config), env, pgpass });
    try {
      expect((await httpGet(`${run.internalUrl}/readiness`)).status).toBe(200);
      const version = pg.sql('SELECT version, dirty FROM schema_migrations', db.database).trim();
      expect(version).toBe(`${MIGRATIONS}|f`);
    } finally {
      await supervisor.stop(run.proc);
    }
  });

  test('the Pulumi platform example\'s Registry Servers (its program under Pulumi\'s mocks): each starts, migrates, answers /readiness', async () => {
    const fromPulumi = await pulumiExampleRegistryServers();
    expect(fromPulumi.map((s) => s.source)).toEqual([
      'examples/pulumi-multi-cluster cluster control: toolhive-system/toolhive-registry-server',
      'examples/pulumi-multi-cluster cluster staging: toolhive-system/toolhive-registry-server',
      'examples/pulumi-multi-cluster cluster dev: toolhive-system/toolhive-registry-server',
    ]);
    for (const [i, server] of fromPulumi.entries()) {
      const db = server.config.database;
      const { env, pgpass } = prepare(pg, certs, server);
      const run = await startRegistryServer(supervisor, workDir, { name: `pulumi-${i}`, configYaml: stringify(onLoopback(server.config, pg, issuer)), env, pgpass });
      try {
        expect([server.source, pg.sql('SELECT version, dirty FROM schema_migrations', db.database).trim()]).toEqual([server.source, `${MIGRATIONS}|f`]);
      } finally {
        await supervisor.stop(run.proc);
      }
    }
  });

  test('a password the database does not accept: the server does not start (what the checks above would see)', async () => {
    const server = corpus('fixture standalone (password Secret)');
    const db = server.config.database;
    pg.sql(`DROP DATABASE IF EXISTS "${db.database}" WITH (FORCE)`);
    pg.createRegistryDatabase({ database: db.database, user: db.user, password: 'right', migrationUser: db.user, migrationPassword: 'right' });
    const env = { SSL_CERT_FILE: certs.caFile, THV_REGISTRY_DATABASE_PASSWORD: 'wrong' };
    const result = await refusedStart(supervisor, workDir, { name: 'wrong-password', configYaml: stringify(onLoopback(server.config, pg, issuer)), env });
    expect(result.code).not.toBe(0);
    expect(result.log).toMatch(/password authentication failed/);
  });
});

describe('"api" promotion against the real server: the evidence for refusing it in the open source edition', () => {
  test('the library refuses it, naming the /openapi.yaml probe', () => {
    const issues = issuesOf(() => planPlatform({
      edition: 'open-source',
      registryLayering: { ...(layered().registryLayering as any), promotion: 'api' },
      clusters: Object.fromEntries(Object.entries(layered().clusters).map(([n, c]) => [n, { role: c.role, registryServer: c.registryServer }])),
    } as any));
    expect(issues).toEqual(expect.arrayContaining([{ path: 'registryLayering.promotion', message: expect.stringContaining('/openapi.yaml') }]));
  });

  test('a Registry Server publishes /openapi.json, not /openapi.yaml; an api source reading another Registry Server fails on that probe', async () => {
    // The upper environment as the layered fixture emits it (its api source reads staging),
    // staging a real server too (anonymous here, so the probe meets no 401).
    const staging = corpus('fixture layered cluster staging');
    const prod = corpus('fixture layered cluster prod');
    const stagingRun = await startRegistryServer(supervisor, workDir, {
      name: 'api-staging',
      configYaml: stringify({ ...onLoopback(staging.config, pg, issuer, 'registry_api_staging'), auth: { mode: 'anonymous' } }),
      ...prepare(pg, certs, staging, 'registry_api_staging'),
    });
    expect((await httpGet(`${stagingRun.url}/openapi.json`)).status).toBe(200);
    expect((await httpGet(`${stagingRun.url}/openapi.yaml`)).status).toBe(404);
    expect((await httpGet(`${stagingRun.url}/registry/staging/openapi.yaml`)).status).toBe(404);
    const prodConfig = onLoopback(prod.config, pg, issuer, 'registry_api_prod');
    for (const source of prodConfig.sources) {
      if (source.api) source.api.endpoint = source.api.endpoint.replace(/^https:\/\/[^/]+/, stagingRun.url);
    }
    // THV_REGISTRY_LOG_LEVEL=debug: the server logs the probe's own error at debug level only
    // (the sync error says "unable to validate Upstream format").
    const prodEnv = prepare(pg, certs, prod, 'registry_api_prod');
    const prodRun = await startRegistryServer(supervisor, workDir, {
      name: 'api-prod', configYaml: stringify(prodConfig), ...prodEnv, env: { ...prodEnv.env, THV_REGISTRY_LOG_LEVEL: 'debug' },
    });
    const logLines = () => prodRun.log().split('\n');
    const probe = await waitFor('the api source\'s first sync to fail on the probe', 60_000,
      () => logLines().find((l) => l.includes('Upstream format validation failed') && l.includes('/openapi.yaml')),
      { describe: () => tail(prodRun.log(), 30) });
    expect(probe).toMatch(/failed to fetch \/openapi\.yaml: .*404/);
    // The coordinator syncs one source per tick: the first api source it picks fails.
    const apiSources = prodConfig.sources.filter((x: any) => x.api).map((x: any) => x.name);
    expect(apiSources.length).toBe(2);
    const failed = await waitFor('an api source\'s sync to fail', 30_000,
      () => logLines().find((l) => l.includes('"Sync failed"') && apiSources.some((n: string) => l.includes(`"registry":"${n}"`))));
    expect(failed).toMatch(/unable to validate Upstream format/);
    await Promise.all([supervisor.stop(stagingRun.proc), supervisor.stop(prodRun.proc)]);
  });
});

/** A catalog entry in the upstream registry format, tagged for environments. */
function catalogEntry(name: string, tags: string[]): object {
  const image = `ghcr.io/acme/${name}:1.0.0`;
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: `io.github.acme/${name}`,
    description: `The ${name} MCP server`,
    title: name,
    version: '1.0.0',
    packages: [{ registryType: 'oci', identifier: image, transport: { type: 'stdio' } }],
    _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { 'io.github.acme': { [image]: { status: 'Active', tier: 'Community', tags } } } },
  };
}

function catalog(entries: object[]): string {
  return `${JSON.stringify({
    $schema: 'https://raw.githubusercontent.com/stacklok/toolhive-core/main/registry/types/data/upstream-registry.schema.json',
    version: '1.0.0',
    meta: { last_updated: '2026-12-01T00:00:00Z' },
    data: { servers: entries },
  }, null, 2)}\n`;
}

describe('layered promotion end to end: three real servers configured by the library, one git catalog', () => {
  // The open source layering of the examples (production on the control cluster aggregating
  // staging and development, each environment a git source of the one catalog filtered by its
  // environment tag, claims per registry), planned by the library with the catalog on loopback
  // and a 5 s sync interval (the default is 10 min).
  const envs = [
    { env: 'development', cluster: 'dev' },
    { env: 'staging', cluster: 'staging' },
    { env: 'production', cluster: 'control' },
  ];
  let gitServer: GitServer;
  let work: string;
  const runs = new Map<string, { run: RegistryServerRun; start: RegistryServerStart }>();
  const audience = (env: string) => `registry-${env}`;
  /** Claims that satisfy a registry's gate (as planned: org for production, groups below). */
  const rightClaims = (config: any, registry: string) => config.registries.find((r: any) => r.name === registry).claims;
  const names = async (env: string, registry: string): Promise<string[]> => {
    const { run, start } = runs.get(env)!;
    const token = issuer.token(audience(env), rightClaims(parse(start.configYaml), registry));
    const r = await httpGet(`${run.url}/registry/${registry}/v0.1/servers`, { authorization: `Bearer ${token}` });
    if (r.status !== 200) throw new Error(`${env} ${registry}: ${r.status} ${r.body}`);
    return (JSON.parse(r.body).servers ?? []).map((x: any) => x.server?.name ?? x.name).sort();
  };
  /**
   * Waits for a server's sync job, restarting it until `check` holds (at most `times`): the
   * 1.5.1 coordinator runs one sync job at start and then one per 2 min (+-30 s) tick,
   * hard-coded; a restart runs the next due job at once, as the next tick would.
   */
  const syncUntil = async (env: string, times: number, check: () => Promise<boolean>) => {
    for (let i = 0; ; i++) {
      await waitFor(`${env} to run its first sync job`, 20_000, () => {
        const log = runs.get(env)!.run.log();
        return /"msg":"Sync (completed successfully|failed)"|"shouldSync":false|No sync job/.test(log) ? true : undefined;
      }).catch(() => undefined);
      if (await check()) return;
      if (i >= times) throw new Error(`${env}: not synced after ${times} restarts\n${tail(runs.get(env)!.run.log(), 30)}`);
      const { run, start } = runs.get(env)!;
      await supervisor.stop(run.proc);
      // A fresh log per run, so the sync job looked for is this run's.
      runs.set(env, { run: await startRegistryServer(supervisor, workDir, { ...start, name: `${start.name}-${i}` }), start });
    }
  };

  beforeAll(async () => {
    gitServer = await GitServer.start(path.join(workDir, 'git'), certs);
    work = gitServer.createRepository('platform/mcp-catalog.git', 'main');
    gitServer.commit(work, 'main', 'alpha everywhere, beta in development', {
      'registry.json': catalog([
        catalogEntry('alpha', ['env:development', 'env:staging', 'env:production']),
        catalogEntry('beta', ['env:development']),
      ]),
    });
    const plan = planPlatform({
      edition: 'open-source',
      registryLayering: {
        promotion: 'git',
        syncInterval: '5s',
        catalog: { repository: gitServer.repositoryUrl('platform/mcp-catalog.git'), path: 'registry.json' },
        environments: [
          { name: 'production', cluster: 'control', promotesFrom: 'staging', claims: { org: 'acme' } },
          { name: 'staging', cluster: 'staging', promotesFrom: 'development', claims: { groups: ['mcp-reviewers', 'mcp-developers'] } },
          { name: 'development', cluster: 'dev', claims: { groups: ['mcp-developers', 'mcp-reviewers'] } },
        ],
      },
      clusters: {
        control: { role: 'control', registryServer: registryServer('production', 'https://registry.example.com') },
        staging: { role: 'registry', registryServer: registryServer('staging', 'https://registry.staging.example.com') },
        dev: { role: 'registry', registryServer: registryServer('development', 'https://registry.dev.example.com') },
      },
    });
    for (const { env, cluster } of envs) {
      const objects = plan.clusters.find((c) => c.cluster === cluster)!.deliverables.flatMap((d) => ('objects' in d ? [...d.objects] : []));
      const [server] = registryServersIn(`layered ${env}`, objects);
      const config = onLoopback(server.config, pg, issuer, `registry_layer_${env}`);
      const start: RegistryServerStart = { name: `layer-${env}`, configYaml: stringify(config), ...prepare(pg, certs, server, `registry_layer_${env}`) };
      runs.set(env, { run: await startRegistryServer(supervisor, workDir, start), start });
    }
  });
  afterAll(async () => {
    await gitServer?.stop();
  });

  test('each environment\'s registry holds the entries tagged for it, read from the git catalog over HTTPS', async () => {
    await syncUntil('development', 1, async () => (await names('development', 'development')).length === 2);
    expect(await names('development', 'development')).toEqual(['io.github.acme/alpha', 'io.github.acme/beta']);
    await syncUntil('staging', 1, async () => (await names('staging', 'staging')).length === 1);
    expect(await names('staging', 'staging')).toEqual(['io.github.acme/alpha']);
    // Production aggregates all three environments (three sources: one sync job each).
    await syncUntil('production', 4, async () => (await names('production', 'development')).length === 2
      && (await names('production', 'staging')).length === 1 && (await names('production', 'production')).length === 1);
    expect(await names('production', 'production')).toEqual(['io.github.acme/alpha']);
    expect(await names('production', 'staging')).toEqual(['io.github.acme/alpha']);
    expect(await names('production', 'development')).toEqual(['io.github.acme/alpha', 'io.github.acme/beta']);
  });

  test('promoting an entry is one commit adding its environment tags: it appears in staging and production', async () => {
    gitServer.commit(work, 'main', 'promote beta to staging and production', {
      'registry.json': catalog([
        catalogEntry('alpha', ['env:development', 'env:staging', 'env:production']),
        catalogEntry('beta', ['env:development', 'env:staging', 'env:production']),
      ]),
    });
    await syncUntil('staging', 2, async () => (await names('staging', 'staging')).includes('io.github.acme/beta'));
    await syncUntil('production', 4, async () => (await names('production', 'production')).includes('io.github.acme/beta'));
    expect(await names('production', 'production')).toEqual(['io.github.acme/alpha', 'io.github.acme/beta']);
  });

  test('claims gate the registries: 401 without a token, 403 with the wrong claims, 200 with the right ones', async () => {
    const { run } = runs.get('production')!;
    const url = `${run.url}/registry/production/v0.1/servers`;
    expect((await httpGet(url)).status).toBe(401);
    const wrong = issuer.token(audience('production'), { org: 'globex' });
    expect((await httpGet(url, { authorization: `Bearer ${wrong}` })).status).toBe(403);
    const otherAudience = issuer.token('registry-staging', { org: 'acme' });
    expect((await httpGet(url, { authorization: `Bearer ${otherAudience}` })).status).toBe(401);
    const right = issuer.token(audience('production'), { org: 'acme' });
    expect((await httpGet(url, { authorization: `Bearer ${right}` })).status).toBe(200);
    // A staging reviewer reads production's copy of staging, not production's own registry.
    const reviewer = issuer.token(audience('production'), { groups: ['mcp-reviewers', 'mcp-developers'] });
    expect((await httpGet(`${run.url}/registry/staging/v0.1/servers`, { authorization: `Bearer ${reviewer}` })).status).toBe(200);
    expect((await httpGet(url, { authorization: `Bearer ${reviewer}` })).status).toBe(403);
  });
});

/**
 * The server's load-time rules (internal/config/config.go of 1.5.1), one broken configuration
 * each: the library's validation refuses it at a path, and the real server refuses to start
 * with it, saying why. Base: the standalone fixture's configuration, which both accept.
 */
const LOAD_TIME_RULES: { rule: string; path: RegExp; server: RegExp; mutate: (c: any) => void }[] = [
  { rule: 'at least one source', path: /^sources/, server: /at least one source must be configured/, mutate: (c) => { c.sources = []; } },
  {
    rule: 'source names are unique',
    path: /^sources\[1\]\.name/,
    server: /duplicate source name 'catalog'/,
    mutate: (c) => { c.sources.push({ name: 'catalog', git: { repository: 'https://git.example.com/c.git' }, syncPolicy: { interval: '10m' } }); },
  },
  { rule: 'a source name is a DNS subdomain', path: /^sources\[0\]\.name/, server: /must be a valid DNS subdomain/, mutate: (c) => { c.sources[0].name = 'Bad_Name'; c.registries[0].sources = ['Bad_Name']; } },
  { rule: 'a source has a type', path: /^sources\[0\]/, server: /one of git, api, file, managed, or kubernetes configuration must be specified/, mutate: (c) => { delete c.sources[0].managed; } },
  {
    rule: 'a source has one type',
    path: /^sources\[0\]/,
    server: /only one of git, api, file, managed, or kubernetes configuration may be specified/,
    mutate: (c) => { c.sources[0].git = { repository: 'https://git.example.com/c.git' }; },
  },
  { rule: 'at most one managed source', path: /^sources$/, server: /at most one managed source is allowed/, mutate: (c) => { c.sources.push({ name: 'second', managed: {} }); } },
  {
    rule: 'a git source has a repository',
    path: /^sources\[1\]\.git\.repository/,
    server: /git\.repository is required/,
    mutate: (c) => { c.sources.push({ name: 'g', git: {}, syncPolicy: { interval: '10m' } }); },
  },
  {
    rule: 'a synced source has an interval',
    path: /^sources\[1\]\.syncPolicy/,
    server: /syncPolicy\.interval is required/,
    mutate: (c) => { c.sources.push({ name: 'g', git: { repository: 'https://git.example.com/c.git' } }); },
  },
  {
    rule: 'the interval is a duration',
    path: /^sources\[1\]\.syncPolicy\.interval/,
    server: /syncPolicy\.interval must be a valid duration/,
    mutate: (c) => { c.sources.push({ name: 'g', git: { repository: 'https://git.example.com/c.git' }, syncPolicy: { interval: 'soon' } }); },
  },
  {
    rule: 'an api timeout is at most 5 min',
    path: /^sources\[1\]\.api\.timeout/,
    server: /api\.timeout must not exceed 5m0s/,
    mutate: (c) => { c.sources.push({ name: 'a', api: { endpoint: 'https://registry.example.com/registry/x', timeout: '10m' }, syncPolicy: { interval: '10m' } }); },
  },
  {
    rule: 'a file source has a path or a URL, not both',
    path: /^sources\[1\]\.file/,
    server: /file\.path and file\.url are mutually exclusive/,
    mutate: (c) => { c.sources.push({ name: 'f', file: { path: '/data/registry.json', url: 'https://example.com/registry.json' }, syncPolicy: { interval: '10m' } }); },
  },
  {
    rule: 'a file URL is http or https',
    path: /^sources\[1\]\.file\.url/,
    server: /file\.url must use http or https scheme/,
    mutate: (c) => { c.sources.push({ name: 'f', file: { url: 'ftp://example.com/registry.json' }, syncPolicy: { interval: '10m' } }); },
  },
  { rule: 'at least one registry', path: /^registries/, server: /at least one registry must be configured/, mutate: (c) => { c.registries = []; } },
  { rule: 'registry names are unique', path: /^registries\[1\]\.name/, server: /duplicate registry name 'main'/, mutate: (c) => { c.registries.push({ ...c.registries[0] }); } },
  { rule: 'a registry has a source', path: /^registries\[0\]\.sources/, server: /at least one source is required/, mutate: (c) => { c.registries[0].sources = []; } },
  { rule: 'a registry\'s sources exist', path: /^registries\[0\]\.sources\[0\]/, server: /references unknown source 'nope'/, mutate: (c) => { c.registries[0].sources = ['nope']; } },
  { rule: 'database.host', path: /^database\.host/, server: /database\.host is required/, mutate: (c) => { delete c.database.host; } },
  { rule: 'database.port', path: /^database\.port/, server: /database\.port is required/, mutate: (c) => { delete c.database.port; } },
  { rule: 'database.user', path: /^database\.user/, server: /database\.user is required/, mutate: (c) => { delete c.database.user; } },
  { rule: 'database.database', path: /^database\.database/, server: /database\.database is required/, mutate: (c) => { delete c.database.database; } },
  { rule: 'auth.mode', path: /^auth\.mode/, server: /invalid auth\.mode: magic/, mutate: (c) => { c.auth.mode = 'magic'; } },
  { rule: 'oauth needs providers', path: /^auth\.oauth\.providers/, server: /auth\.oauth\.providers is required when mode is oauth/, mutate: (c) => { c.auth.oauth.providers = []; } },
  { rule: 'a provider has an audience', path: /^auth\.oauth\.providers\[0\]\.audience/, server: /providers\[0\]\.audience is required/, mutate: (c) => { delete c.auth.oauth.providers[0].audience; } },
  {
    rule: 'an issuer is https',
    path: /^auth\.oauth\.providers\[0\]\.issuerUrl/,
    server: /providers\[0\]\.issuerUrl/,
    mutate: (c) => { c.auth.oauth.providers[0].issuerUrl = 'http://idp.example.com'; },
  },
];

describe('the load-time rules: each broken configuration refused by the library at a path and by the real server', () => {
  const base = corpus('fixture standalone (password Secret)');

  test('the base configuration is accepted by both', async () => {
    expect(validateRegistryConfig(base.config)).toEqual([]);
  });

  test.each(LOAD_TIME_RULES.map((r) => [r.rule, r] as [string, typeof r]))('%s', async (_rule, r) => {
    const broken = structuredClone(base.config);
    r.mutate(broken);
    const issues = validateRegistryConfig(broken);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([expect.stringMatching(r.path)]));
    // The same break, in the configuration the server runs with (database and issuer on loopback).
    const served = onLoopback(base.config, pg, issuer);
    r.mutate(served);
    const result = await refusedStart(supervisor, workDir, {
      name: `rule-${LOAD_TIME_RULES.indexOf(r)}`, configYaml: stringify(served), env: { SSL_CERT_FILE: certs.caFile, THV_REGISTRY_DATABASE_PASSWORD: 'x' },
    });
    expect(result.code).not.toBe(0);
    expect(result.log).toMatch(r.server);
  });
});
