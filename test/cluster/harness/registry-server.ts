/*
 * The real ToolHive Registry Server (`thv-registry-api` v1.5.1, built by tools/build.sh from
 * its Go source in ../shared), started as its Deployment starts it: `serve --config <file>`,
 * the configuration file the library renders (its ConfigMap's `config.yaml`), the database
 * passwords as the manifests supply them (environment variables that in a cluster come from
 * Secret references, or a pgpass file), listening on loopback.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { minimalEnv } from './cluster';
import { freePort, ManagedProcess, Supervisor, tail, waitFor } from './processes';
import { REPO_ROOT } from '../../support/paths';

/** The binary of tools/build.sh and its version. */
export function registryServerBinary(): { path: string; version: string } {
  const line = execFileSync(path.join(REPO_ROOT, 'tools', 'build.sh'), ['--print'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => l.split(' ')).find((l) => l[0] === 'thv-registry-api');
  if (!line || !fs.existsSync(line[2])) throw new Error('tools/build.sh did not produce thv-registry-api');
  return { path: line[2], version: line[1] };
}

/** How a server is started. */
export interface RegistryServerStart {
  readonly name: string;
  /** The configuration file's text (as the ConfigMap holds it). */
  readonly configYaml: string;
  /** Environment variables (the Deployment's, with Secret references resolved). */
  readonly env?: Record<string, string>;
  /** A pgpass file's text, handed over as PGPASSFILE (mode 0600). */
  readonly pgpass?: string;
  /** More arguments of `serve` (e.g. `--debug`). */
  readonly args?: readonly string[];
  /** Wait for `/readiness` (default), or only start. */
  readonly waitReady?: boolean;
}

/** A running Registry Server. */
export interface RegistryServerRun {
  /** `http://127.0.0.1:<port>`: the API. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: health, readiness, version. */
  readonly internalUrl: string;
  readonly proc: ManagedProcess;
  log(): string;
}

/** A plain HTTP GET on loopback: status and body. */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });
}

/** Starts a server; resolves when `/readiness` answers 200 (or the process exits: the error shows its log). */
export async function startRegistryServer(supervisor: Supervisor, workDir: string, start: RegistryServerStart): Promise<RegistryServerRun> {
  const bin = registryServerBinary();
  const dir = path.join(workDir, start.name);
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, start.configYaml);
  const env: Record<string, string> = { ...start.env };
  if (start.pgpass !== undefined) {
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, start.pgpass, { mode: 0o600 });
    env.PGPASSFILE = file;
  }
  const [port, internal] = [await freePort(), await freePort()];
  const proc = supervisor.start(`registry-${start.name}`, bin.path, [
    'serve', '--config', configFile, '--address', `127.0.0.1:${port}`, '--internal-address', `127.0.0.1:${internal}`, ...(start.args ?? []),
  ], { env: minimalEnv(dir, env), logFile: path.join(dir, 'server.log') });
  const run: RegistryServerRun = { url: `http://127.0.0.1:${port}`, internalUrl: `http://127.0.0.1:${internal}`, proc, log: () => proc.log() };
  if (start.waitReady === false) return run;
  await waitFor(`Registry Server ${start.name} to answer /readiness`, 90_000, async () => {
    if (proc.hasExited()) throw new Error(`Registry Server ${start.name} exited; log (tail):\n${tail(proc.log(), 40)}`);
    const r = await httpGet(`${run.internalUrl}/readiness`).catch(() => undefined);
    return r?.status === 200 ? true : undefined;
  }, { intervalMs: 300, describe: () => `log (tail):\n${tail(proc.log(), 40)}` });
  return run;
}

/** Waits for the process to exit (a server that must refuse its configuration); resolves with its log. */
export async function refusedStart(
  supervisor: Supervisor, workDir: string, start: RegistryServerStart, timeoutMs = 60_000,
): Promise<{ code: number | null; log: string }> {
  const run = await startRegistryServer(supervisor, workDir, { ...start, waitReady: false });
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const result = await Promise.race([run.proc.exited, timer]);
  if (result === 'timeout') {
    await supervisor.stop(run.proc);
    throw new Error(`Registry Server ${start.name} did not refuse its configuration within ${timeoutMs} ms; log (tail):\n${tail(run.log(), 40)}`);
  }
  return { code: result.code, log: run.log() };
}
