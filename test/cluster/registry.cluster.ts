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
import { loopbackCertificates, TestCertificates } from './harness/tls';

const MIGRATIONS = 23;

/** The database section and the issuers pointed at loopback; everything else as emitted. */
function onLoopback(config: any, pg: PostgresServer, issuer: TestIssuer): any {
  const out = structuredClone(config);
  out.database = { ...out.database, host: pg.host, port: pg.port };
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

describe('every Registry Server configuration the examples and fixtures emit, loaded by the real server', () => {
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

  test('the corpus: the examples\' and fixtures\' Registry Servers, with both ways of passing the password', () => {
    expect(servers.length).toBeGreaterThanOrEqual(10);
    expect(servers.some((s) => s.pgpassSecret)).toBe(true);
    expect(servers.some((s) => s.env.some((e) => e.name === 'THV_REGISTRY_DATABASE_MIGRATIONPASSWORD'))).toBe(true);
    expect(new Set(servers.map((s) => s.config.database.sslMode))).toEqual(new Set(['require', 'verify-full']));
  });

  test.each(servers.map((s, i) => [s.source, s, i] as [string, EmittedRegistryServer, number]))('%s: starts, runs its migrations, answers /readiness', async (_name, server, i) => {
    const db = server.config.database;
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
    let pgpass: string | undefined;
    for (const e of server.env) {
      if (e.value !== undefined) env[e.name] = e.value;
      else if (e.valueFrom?.secretKeyRef) env[e.name] = secrets.get(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`)!;
    }
    if (server.pgpassSecret) {
      // The Secret's content, as a user writes it for this database (the harness's host and port).
      pgpass = [[db.user, password], [migrationUser, migrationPassword]].map(([u, p]) => `${pg.host}:${pg.port}:${db.database}:${u}:${p}`).join('\n') + '\n';
      delete env.PGPASSFILE;
    }
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
    const server = servers.find((s) => s.source.startsWith('fixture standalone (password Secret)'))!;
    const db = server.config.database;
    pg.sql(`DROP DATABASE IF EXISTS "${db.database}" WITH (FORCE)`);
    pg.createRegistryDatabase({ database: db.database, user: db.user, password: 'right', migrationUser: db.user, migrationPassword: 'right' });
    const env = { SSL_CERT_FILE: certs.caFile, THV_REGISTRY_DATABASE_PASSWORD: 'wrong' };
    const result = await refusedStart(supervisor, workDir, { name: 'wrong-password', configYaml: stringify(onLoopback(server.config, pg, issuer)), env });
    expect(result.code).not.toBe(0);
    expect(result.log).toMatch(/password authentication failed/);
  });
});
