/*
 * A PostgreSQL server for the Registry Server tests: Debian's binaries (tools/postgres.sh
 * installs the package when missing), a data directory of its own, TCP on 127.0.0.1 only with
 * password (SCRAM) authentication, the superuser reachable only through its Unix socket in the
 * work folder. Started and stopped by the harness; when the tests run as root, the server runs
 * as the package's `postgres` user (initdb refuses root).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { minimalEnv } from './cluster';
import { freePort, ManagedProcess, Supervisor, tail, waitFor } from './processes';
import { TestCertificates } from './tls';
import { REPO_ROOT } from '../../support/paths';

/** A database with the two users the Registry Server documentation asks for. */
export interface RegistryDatabase {
  readonly database: string;
  /** The application user (granted the `toolhive_registry_server` role). */
  readonly user: string;
  readonly password: string;
  /** The migration user (owner of the database and its `public` schema). */
  readonly migrationUser: string;
  readonly migrationPassword: string;
}

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A running PostgreSQL server. */
export class PostgresServer {
  /** Starts a server; with `tls`, it also serves TLS with that certificate (clients may use `sslmode` require or verify-full). */
  static async start(name: string, tls?: TestCertificates): Promise<PostgresServer> {
    const bin = execFileSync(path.join(REPO_ROOT, 'tools', 'postgres.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `toolhive-postgres-${name}-`));
    if (tls) {
      fs.copyFileSync(tls.certFile, path.join(workDir, 'server.crt'));
      fs.copyFileSync(tls.keyFile, path.join(workDir, 'server.key'));
      fs.chmodSync(path.join(workDir, 'server.key'), 0o600);
    }
    if (IS_ROOT) execFileSync('chown', ['-R', 'postgres:postgres', workDir]);
    const server = new PostgresServer(name, bin, workDir, new Supervisor(workDir), await freePort(), !!tls);
    try {
      await server.boot();
    } catch (e) {
      await server.stop().catch(() => undefined);
      throw e;
    }
    return server;
  }

  /** `127.0.0.1`: the only address the server listens on. */
  readonly host = '127.0.0.1';
  private proc?: ManagedProcess;
  private stopped = false;

  private constructor(
    readonly name: string, readonly bin: string, readonly workDir: string, readonly supervisor: Supervisor,
    readonly port: number, readonly tls: boolean,
  ) {}

  /** A command line as the server's user. */
  private asOwner(command: string, args: string[]): [string, string[]] {
    return IS_ROOT ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  }

  private async boot(): Promise<void> {
    const data = path.join(this.workDir, 'data');
    const [cmd, args] = this.asOwner(path.join(this.bin, 'initdb'), [
      '-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-instructions', '-E', 'UTF8', '--locale=C',
    ]);
    execFileSync(cmd, args, { stdio: 'pipe', env: minimalEnv(this.workDir) });
    const [pg, pgArgs] = this.asOwner(path.join(this.bin, 'postgres'), [
      '-D', data, '-p', String(this.port), '-c', `listen_addresses=${this.host}`, '-c', `unix_socket_directories=${this.workDir}`,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      ...(this.tls ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${path.join(this.workDir, 'server.crt')}`, '-c', `ssl_key_file=${path.join(this.workDir, 'server.key')}`] : []),
    ]);
    this.proc = this.supervisor.start('postgres', pg, pgArgs, { env: minimalEnv(this.workDir), logFile: path.join(this.workDir, 'postgres.log') });
    await waitFor('PostgreSQL to accept connections', 60_000, () => {
      if (this.proc!.hasExited()) throw new Error(`postgres exited early; log (tail):\n${tail(this.proc!.log())}`);
      try {
        this.sql('SELECT 1');
        return true;
      } catch {
        return undefined;
      }
    }, { intervalMs: 300 });
  }

  /** Runs SQL as the superuser (through the Unix socket); returns psql's unaligned output. */
  sql(statement: string, database = 'postgres'): string {
    const [cmd, args] = this.asOwner(path.join(this.bin, 'psql'), [
      '-h', this.workDir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement,
    ]);
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: minimalEnv(this.workDir) });
  }

  /**
   * A database for one Registry Server, set up as its documentation says: the role
   * `toolhive_registry_server`, a migration user owning the database and its `public` schema,
   * and an application user granted the role (the migrations grant the role its table rights).
   */
  createRegistryDatabase(db: RegistryDatabase): void {
    this.sql('DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \'toolhive_registry_server\') THEN CREATE ROLE toolhive_registry_server; END IF; END $$');
    for (const [user, password] of [[db.migrationUser, db.migrationPassword], [db.user, db.password]]) {
      this.sql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(user)}) THEN `
        + `CREATE USER ${quoteIdent(user)}; END IF; END $$`);
      this.sql(`ALTER USER ${quoteIdent(user)} WITH PASSWORD ${quoteLiteral(password)}`);
    }
    this.sql(`CREATE DATABASE ${quoteIdent(db.database)} OWNER ${quoteIdent(db.migrationUser)}`);
    this.sql(`ALTER SCHEMA public OWNER TO ${quoteIdent(db.migrationUser)}`, db.database);
    this.sql(`GRANT toolhive_registry_server TO ${quoteIdent(db.user)}`);
    this.sql(`GRANT CONNECT ON DATABASE ${quoteIdent(db.database)} TO ${quoteIdent(db.user)}`);
  }

  /** The server's log so far. */
  log(): string {
    return this.proc?.log() ?? '';
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.supervisor.stopAll();
    } finally {
      if (process.env.TOOLHIVE_CLUSTER_KEEP !== '1') fs.rmSync(this.workDir, { recursive: true, force: true });
    }
  }
}
