/*
 * The real Registry Server (v1.5.1, built from its Go source) loads every configuration the
 * examples and the fixtures emit, as their Deployments run it: `serve --config`, the database
 * passwords from the environment variables the Deployment fills from Secret references (or the
 * pgpass file it mounts), against PostgreSQL from Debian (its own data directory, loopback,
 * TLS with a test CA, the database and its two users set up as the server's documentation
 * says). It starts, runs its 23 migrations and answers /readiness.
 *
 * What the harness changes, because a cluster's environment is not on loopback: the database
 * host and port (127.0.0.1 and the test server's port), and the OAuth issuers (the test issuer
 * on loopback, over HTTPS). The TLS settings stay: the servers' certificates come from a test
 * CA the Registry Server trusts through SSL_CERT_FILE.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { TestIssuer } from './harness/oidc';
import { PostgresServer } from './harness/postgres';
import { Supervisor } from './harness/processes';
import { emittedRegistryServers, EmittedRegistryServer } from './harness/registry-configs';
import { httpGet, refusedStart, startRegistryServer } from './harness/registry-server';
import { tail, waitFor } from './harness/processes';
import { loopbackCertificates, TestCertificates } from './harness/tls';
import { planPlatform } from '../../src';
import { issuesOf } from '../support/errors';
import { layered } from '../support/platform-fixtures';

const MIGRATIONS = 23;

/** The database section and the issuers pointed at loopback; everything else as emitted. */
function onLoopback(config: any, pg: PostgresServer, issuer: TestIssuer, database?: string): any {
  const out = structuredClone(config);
  // One PostgreSQL server holds every environment's database: each server running at once gets its own.
  out.database = { ...out.database, host: pg.host, port: pg.port, ...(database ? { database } : {}) };
  for (const p of out.auth?.oauth?.providers ?? []) p.issuerUrl = issuer.url;
  return out;
}

/** The Secrets the Deployment references, as a cluster would hold them: one password per Secret key. */
function secretValues(server: EmittedRegistryServer): Map<string, string> {
  const values = new Map<string, string>();
  const refs = server.env.map((e) => e.valueFrom?.secretKeyRef).filter((r): r is { name: string; key: string } => !!r);
  for (const r of refs) values.set(`${r.name}/${r.key}`, `pw-${r.name}-${r.key}-${Math.random().toString(36).slice(2)}`);
  return values;
}

/** Sets up a fresh database for a corpus server and gives the environment its Deployment would have. */
function prepare(
  pg: PostgresServer, certs: TestCertificates, server: EmittedRegistryServer, i: number, database?: string,
): { env: Record<string, string>; pgpass?: string } {
  const db = { ...server.config.database, ...(database ? { database } : {}) };
  const secrets = secretValues(server);
  const secretOf = (name: string) => {
    const ref = server.env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    return ref ? secrets.get(`${ref.name}/${ref.key}`) : undefined;
  };
  const password = secretOf('THV_REGISTRY_DATABASE_PASSWORD') ?? `pgpass-app-${i}`;
  const migrationUser: string = db.migrationUser ?? db.user;
  const migrationPassword = migrationUser === db.user ? password : (secretOf('THV_REGISTRY_DATABASE_MIGRATIONPASSWORD') ?? `pgpass-migrator-${i}`);
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
    const { env, pgpass } = prepare(pg, certs, server, i);
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
      ...prepare(pg, certs, staging, 100, 'registry_api_staging'),
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
    const prodEnv = prepare(pg, certs, prod, 101, 'registry_api_prod');
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
