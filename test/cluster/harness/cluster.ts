/*
 * A real control plane on loopback: etcd and kube-apiserver (Kubernetes 1.35), built from Go
 * modules by tools/build.sh, with real authentication and authorization:
 *   - RBAC authorization (no AlwaysAllow),
 *   - service-account tokens signed by this API server (TokenRequest API),
 *   - the harness's own admin identity from a static token file (group system:masters).
 * No controller-manager or scheduler runs: Deployments get no Pods, which these tests do not need.
 */
import { execFileSync } from 'child_process';
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { KubeClient } from './kube-client';
import { freePort, ManagedProcess, Supervisor, tail, waitFor } from './processes';
import { REPO_ROOT } from '../../support/paths';

/** Paths of the binaries built by tools/build.sh. */
export interface ToolPaths {
  readonly etcd: string;
  readonly kubeApiserver: string;
  /** kubectl, of the same Kubernetes release (the README's commands run with it). */
  readonly kubectl: string;
  readonly thvOperator: string;
  /** Pinned versions, as printed by `tools/build.sh --print`. */
  readonly versions: { readonly kubernetes: string; readonly etcd: string; readonly toolhive: string };
}

/** Service-account token issuer of the test API server. */
export const SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';

let builtTools: ToolPaths | undefined;

/** The binaries of a test cluster (and the README's commands), built by {@link ensureTools}. */
const CLUSTER_BINARIES = ['etcd', 'kube-apiserver', 'kubectl', 'thv-operator'] as const;

/**
 * Runs tools/build.sh for the cluster's binaries (a no-op when they match their pins) and returns
 * their paths. Cold, this compiles kube-apiserver, kubectl, etcd and the operator (several minutes).
 */
export function ensureTools(): ToolPaths {
  if (builtTools) return builtTools;
  const script = path.join(REPO_ROOT, 'tools', 'build.sh');
  try {
    execFileSync(script, [...CLUSTER_BINARIES], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 3_600_000, encoding: 'utf8' });
  } catch (e: any) {
    throw new Error(`tools/build.sh failed (Go 1.26+ and the Go module proxy are needed):\n${tail(`${e.stdout ?? ''}${e.stderr ?? ''}`, 40) || e.message}`);
  }
  const lines = execFileSync(script, ['--print'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' '));
  const find = (name: string) => {
    const line = lines.find((l) => l[0] === name);
    if (!line || !fs.existsSync(line[2])) throw new Error(`tools/build.sh did not produce ${name}`);
    return line;
  };
  const [etcd, apiserver, operator, kubectl] = [find('etcd'), find('kube-apiserver'), find('thv-operator'), find('kubectl')];
  builtTools = {
    etcd: etcd[2],
    kubeApiserver: apiserver[2],
    kubectl: kubectl[2],
    thvOperator: operator[2],
    versions: { etcd: etcd[1], kubernetes: apiserver[1], toolhive: operator[1] },
  };
  return builtTools;
}

/** A running etcd + kube-apiserver pair. */
export class TestCluster {
  /** Starts etcd and kube-apiserver on 127.0.0.1 and waits until the API server is ready. */
  static async start(name: string): Promise<TestCluster> {
    const t = ensureTools();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `toolhive-cluster-${name}-`));
    const supervisor = new Supervisor(workDir);
    const cluster = new TestCluster(name, workDir, supervisor, t);
    try {
      await cluster.boot();
    } catch (e) {
      await cluster.stop().catch(() => undefined);
      throw e;
    }
    return cluster;
  }

  /** The admin client (system:masters, from the static token file). */
  admin!: KubeClient;
  /** `https://127.0.0.1:<port>`. */
  server = '';
  /** The API server's CA bundle (PEM file). */
  caFile = '';
  /** etcd's client URL, `http://127.0.0.1:<port>` (what is stored, below the API server). */
  etcdUrl = '';
  private adminToken = '';
  private etcdProc?: ManagedProcess;
  private apiserverProc?: ManagedProcess;
  private stopped = false;

  private constructor(readonly name: string, readonly workDir: string, readonly supervisor: Supervisor, readonly tools: ToolPaths) {}

  private async boot(): Promise<void> {
    const [clientPort, peerPort, securePort] = [await freePort(), await freePort(), await freePort()];

    // etcd, loopback only.
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    this.etcdUrl = etcdUrl;
    this.etcdProc = this.supervisor.start('etcd', this.tools.etcd, [
      '--name=harness',
      `--data-dir=${path.join(this.workDir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=harness=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ], { env: minimalEnv(this.workDir), logFile: path.join(this.workDir, 'etcd.log') });
    await waitFor('etcd to report healthy', 30_000, async () => {
      this.assertRunning(this.etcdProc!);
      const body = await httpGet(`${etcdUrl}/health`);
      return JSON.parse(body).health === 'true' ? true : undefined;
    });

    // kube-apiserver, loopback only, RBAC, service-account tokens signed with our key.
    const adminToken = randomBytes(24).toString('hex');
    const tokenFile = path.join(this.workDir, 'static-tokens.csv');
    fs.writeFileSync(tokenFile, `${adminToken},harness-admin,harness-admin,"system:masters"\n`, { mode: 0o600 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = path.join(this.workDir, 'sa.key');
    const saPub = path.join(this.workDir, 'sa.pub');
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const certDir = path.join(this.workDir, 'apiserver-certs');
    this.apiserverProc = this.supervisor.start('kube-apiserver', this.tools.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      // A self-signed serving certificate for 127.0.0.1/localhost, with its CA, written here.
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${SA_ISSUER}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // Loopback cannot be a Service endpoint; nothing needs the `kubernetes` Service here.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ], { env: minimalEnv(this.workDir), logFile: path.join(this.workDir, 'kube-apiserver.log') });

    this.server = `https://127.0.0.1:${securePort}`;
    this.caFile = path.join(certDir, 'apiserver.crt');
    await waitFor('kube-apiserver to write its serving certificate', 60_000, () => {
      this.assertRunning(this.apiserverProc!);
      return fs.existsSync(this.caFile) && fs.statSync(this.caFile).size > 0 ? true : undefined;
    });
    this.adminToken = adminToken;
    this.admin = new KubeClient(this.server, fs.readFileSync(this.caFile, 'utf8'), adminToken);
    await waitFor('kube-apiserver /readyz to answer ok', 120_000, async () => {
      this.assertRunning(this.apiserverProc!);
      return (await this.admin.request('GET', '/readyz', { timeoutMs: 5_000 })) === 'ok' ? true : undefined;
    }, { intervalMs: 500, describe: () => `kube-apiserver log (tail):\n${tail(this.apiserverProc!.log())}` });
  }

  private assertRunning(proc: ManagedProcess): void {
    if (proc.hasExited()) throw new Error(`${proc.name} exited early; log (tail):\n${tail(proc.log())}`);
  }

  /** A kubeconfig for the admin identity (what a Pulumi provider or kubectl is given), CA inline. */
  kubeconfig(): string {
    const ca = Buffer.from(fs.readFileSync(this.caFile)).toString('base64');
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: ${this.name}, cluster: { server: "${this.server}", certificate-authority-data: ${ca} } }]`,
      `users: [{ name: admin, user: { token: ${this.adminToken} } }]`,
      `contexts: [{ name: ${this.name}, context: { cluster: ${this.name}, user: admin } }]`,
      `current-context: ${this.name}`,
      '',
    ].join('\n');
  }

  /**
   * The value etcd stores under `key` (`/registry/<group>/<plural>/<namespace>/<name>`), read
   * through etcd's JSON gateway: what the API server keeps, before it prunes or converts anything
   * on read. Custom resources are stored as JSON. Undefined when the key is absent.
   */
  async etcdGet(key: string): Promise<string | undefined> {
    const body = await httpPost(`${this.etcdUrl}/v3/kv/range`, JSON.stringify({ key: Buffer.from(key).toString('base64') }));
    const kv = JSON.parse(body).kvs?.[0];
    return kv ? Buffer.from(kv.value, 'base64').toString('utf8') : undefined;
  }

  /** The kube-apiserver's log so far. */
  apiserverLog(): string {
    return this.apiserverProc?.log() ?? '';
  }

  /** Creates namespaces that must exist before a stack is applied (as the teams would). */
  async ensureNamespaces(names: Iterable<string>): Promise<void> {
    for (const name of names) {
      if (!(await this.admin.get('v1', 'Namespace', name))) {
        await this.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      }
    }
  }

  /** Stops everything this cluster started and removes its work folder (kept with TOOLHIVE_CLUSTER_KEEP=1). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.admin?.close();
    try {
      await this.supervisor.stopAll();
    } finally {
      if (process.env.TOOLHIVE_CLUSTER_KEEP === '1') {
        // eslint-disable-next-line no-console
        console.log(`cluster ${this.name}: logs kept in ${this.workDir}`);
      } else {
        fs.rmSync(this.workDir, { recursive: true, force: true });
      }
    }
  }
}

/** The environment of a started server: nothing inherited but PATH. */
export function minimalEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

function httpPost(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', timeout: 5_000, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
  });
}
