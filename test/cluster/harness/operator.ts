/*
 * Runs the real ToolHive operator (thv-operator built from github.com/stacklok/toolhive at the
 * pinned version) the way our manifests configure it: as the ServiceAccount of the rendered
 * Deployment, with a token from the TokenRequest API (never the admin credentials), and with
 * the Deployment's args and env. What a pod would get from the kubelet is provided here:
 * fieldRef env values, and a kubeconfig in place of the in-cluster service-account mount.
 *
 * Deviations from a pod, all forced by running outside one:
 *   - the metrics and health-probe servers bind 127.0.0.1:<free port> (the chart's `:8080`/`:8081`
 *     would listen on every interface);
 *   - TOOLHIVE_SKIP_UPDATE_CHECK=true, so the operator does not call updates.stacklok.com.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { stringify } from 'yaml';
import { ensureTools, minimalEnv, TestCluster } from './cluster';
import { KubeClient } from './kube-client';
import { freePort, ManagedProcess, tail, waitFor } from './processes';
import { installOf, Stack } from './stacks';
import { KubeObject, RENDERED_TOOLHIVE_VERSIONS } from '../../../src';

/**
 * The ToolHive release the real operator binary is pinned to (tools/toolhive/go.mod): 0.48.0, the
 * newest release whose dependencies the Go module proxy serves. 0.50.0 and later need
 * github.com/stacklok/toolhive-core/redisconn, of which the proxy serves no version, so the
 * operator cannot be built at the library's newest release (TOOLHIVE_VERSION). The tests that run
 * the operator therefore install the CRDs and the chart of the binary's own release
 * ({@link operatorRelease}); tools.cluster.ts checks the binary is built at this pin.
 */
export const OPERATOR_BINARY_RELEASE = '0.48.0';

/**
 * The release of the operator binary tools/build.sh built (`X.Y.Z`, from `tools/build.sh --print`):
 * what the tests that run it plan (`version`), so the operator meets its own CRDs and chart.
 */
export function operatorRelease(): string {
  const version = ensureTools().versions.toolhive.replace(/^v/, '');
  if (!RENDERED_TOOLHIVE_VERSIONS.includes(version)) {
    throw new Error(`the operator binary is ToolHive ${version}, which the library does not render (supported: ${RENDERED_TOOLHIVE_VERSIONS.join(', ')})`);
  }
  return version;
}

/** A running operator. */
export interface OperatorRun {
  /** The identity the operator authenticates as (from a SelfSubjectReview with its token). */
  readonly username: string;
  readonly groups: readonly string[];
  /** A client with the operator's own token (what it is allowed to do). */
  readonly client: KubeClient;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The env the operator was started with (from the Deployment). */
  readonly env: Record<string, string>;
  readonly args: readonly string[];
  readonly process: ManagedProcess;
  /** The operator's log so far. */
  log(): string;
  /** Log lines that report an RBAC refusal. */
  forbiddenLines(): string[];
  /** Log lines at error level. */
  errorLines(): string[];
  /** Stops the operator (and releases its leader-election lease). */
  stop(): Promise<void>;
}

const BIND_FLAGS = ['--metrics-bind-address', '--health-probe-bind-address'];

/** An RBAC refusal the operator runs into with the chart's rules, reported as a finding. */
export interface KnownRbacFinding {
  readonly id: string;
  /** Matches the operator's log line. */
  readonly pattern: RegExp;
  readonly explanation: string;
}

/**
 * Findings: permissions the operator uses that the upstream chart's rules (which the library
 * renders unchanged) do not grant. A test fails on any other "forbidden" line, and also when
 * a finding here no longer occurs (then delete it: the rules were fixed).
 */
export const KNOWN_RBAC_FINDINGS: readonly KnownRbacFinding[] = [
  // Empty. The one finding (leader election creating core/v1 events, which the chart's Role does
  // not grant) is fixed by the library: its leader-election Role adds core events (create, patch).
];

/** Splits the operator's "forbidden" log lines into known findings (by id) and unexpected lines. */
export function classifyForbidden(lines: readonly string[]): { known: string[]; unexpected: string[] } {
  const known = new Set<string>();
  const unexpected: string[] = [];
  for (const line of lines) {
    const finding = KNOWN_RBAC_FINDINGS.find((f) => f.pattern.test(line));
    if (finding) known.add(finding.id);
    else unexpected.push(line);
  }
  return { known: [...known].sort(), unexpected };
}

/**
 * Fails on a "forbidden" line that is not a known finding, and on a known finding that no
 * longer occurs (so the list is emptied when the rules are fixed).
 */
export function expectOnlyKnownRbacFindings(operator: OperatorRun): void {
  const { known, unexpected } = classifyForbidden(operator.forbiddenLines());
  if (unexpected.length > 0) {
    throw new Error(`the operator was refused by RBAC (${unexpected.length} log line(s)):\n${unexpected.join('\n')}`);
  }
  const gone = KNOWN_RBAC_FINDINGS.map((f) => f.id).filter((id) => !known.includes(id));
  if (gone.length > 0) {
    throw new Error(`known RBAC finding(s) ${gone.join(', ')} no longer occur: remove them from KNOWN_RBAC_FINDINGS (test/cluster/harness/operator.ts)`);
  }
}

/** The operator Deployment of a stack: `<releaseName>` in the install namespace. */
export function operatorDeployment(stack: Stack): any {
  const { objects } = stack;
  const { namespace, releaseName } = installOf(stack);
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === releaseName && o.metadata.namespace === namespace);
  if (!d) {
    throw new Error(`no Deployment ${namespace}/${releaseName} in the stack; Deployments: ${objects.filter((o) => o.kind === 'Deployment').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).join(', ')}`);
  }
  return d;
}

/** Starts the operator as the Deployment's ServiceAccount and waits until it is ready (and leading). */
export async function startOperator(cluster: TestCluster, deployment: any, label: string): Promise<OperatorRun> {
  const namespace: string = deployment.metadata.namespace;
  const podSpec = deployment.spec.template.spec;
  const container = podSpec.containers.find((c: any) => c.name === 'manager') ?? podSpec.containers[0];
  const serviceAccount: string = podSpec.serviceAccountName ?? 'default';
  const podName = `${deployment.metadata.name}-harness-${label}`;

  // A token for the ServiceAccount, signed by the API server (TokenRequest API).
  const tr = await cluster.admin.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const token: string = tr.status.token;
  const client = cluster.admin.withToken(token);
  const review = await client.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  const username: string = review.status.userInfo.username;
  const groups: string[] = review.status.userInfo.groups ?? [];

  const dir = path.join(cluster.workDir, `operator-${label}`);
  fs.mkdirSync(dir, { recursive: true });
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'harness', cluster: { 'server': cluster.server, 'certificate-authority': cluster.caFile } }],
    users: [{ name: serviceAccount, user: { token } }],
    contexts: [{ name: 'operator', context: { cluster: 'harness', user: serviceAccount, namespace } }],
    ['current-context']: 'operator',
  }), { mode: 0o600 });

  const env = await containerEnv(cluster.admin, container, { namespace, podName, serviceAccount });
  const [metricsPort, probePort] = [await freePort(), await freePort()];
  const args: string[] = [
    ...(container.args ?? []).filter((a: string) => !BIND_FLAGS.some((f) => a === f || a.startsWith(`${f}=`))),
    `--metrics-bind-address=127.0.0.1:${metricsPort}`,
    `--health-probe-bind-address=127.0.0.1:${probePort}`,
  ];
  const proc = cluster.supervisor.start(`thv-operator (${label})`, cluster.tools.thvOperator, args, {
    env: minimalEnv(dir, { ...env, KUBECONFIG: kubeconfig, TOOLHIVE_SKIP_UPDATE_CHECK: 'true' }),
    cwd: dir,
    logFile: path.join(dir, 'operator.log'),
  });
  const log = () => proc.log();
  const describe = () => `operator log (tail):\n${tail(log(), 40)}`;
  const alive = () => {
    if (proc.hasExited()) throw new Error(`the operator exited; log (tail):\n${tail(log(), 40)}`);
  };

  await waitFor(`the operator's /readyz on 127.0.0.1:${probePort}`, 60_000, async () => {
    alive();
    return (await httpStatus(`http://127.0.0.1:${probePort}/readyz`)) === 200 ? true : undefined;
  }, { intervalMs: 250, describe });

  const leaderElect = args.some((a) => a === '--leader-elect' || a === '--leader-elect=true');
  const leaseName = 'toolhive-operator-leader-election';
  if (leaderElect) {
    await waitFor(`the operator to acquire its leader-election lease ${namespace}/${leaseName}`, 60_000, async () => {
      alive();
      const lease = await cluster.admin.get('coordination.k8s.io/v1', 'Lease', leaseName, namespace);
      const holder: string | undefined = lease?.spec?.holderIdentity;
      return holder && holder.length > 0 ? true : undefined;
    }, { intervalMs: 250, describe });
  }

  return {
    username,
    groups,
    client,
    namespace,
    serviceAccount,
    env,
    args,
    process: proc,
    log,
    forbiddenLines: () => log().split('\n').filter((l) => /forbidden/i.test(l)),
    // slog text (`2006/01/02 15:04:05 ERROR ...`), slog JSON, and klog (`E0102 ...`).
    errorLines: () => log().split('\n').filter((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d ERROR |"level":"(ERROR|error)"|^E\d{4} /.test(l)),
    stop: async () => {
      await cluster.supervisor.stop(proc, 15_000);
      client.close();
      // The operator does not release its lease on exit; a new pod would wait for it to expire.
      // Deleting it lets the next run start at once.
      if (leaderElect) await cluster.admin.delete('coordination.k8s.io/v1', 'Lease', leaseName, namespace);
    },
  };
}

/** The container's env, resolved as the kubelet would (fieldRef, Secret and ConfigMap keys). */
async function containerEnv(
  admin: KubeClient,
  container: any,
  pod: { namespace: string; podName: string; serviceAccount: string },
): Promise<Record<string, string>> {
  if (container.envFrom?.length) throw new Error('envFrom is not supported by the harness yet');
  const out: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      out[e.name] = e.value;
      continue;
    }
    const from = e.valueFrom ?? {};
    if (from.fieldRef) {
      const fields: Record<string, string> = {
        'metadata.namespace': pod.namespace,
        'metadata.name': pod.podName,
        'spec.serviceAccountName': pod.serviceAccount,
        'spec.nodeName': 'harness-node',
        'status.podIP': '127.0.0.1',
        'status.hostIP': '127.0.0.1',
      };
      const v = fields[from.fieldRef.fieldPath];
      if (v === undefined) throw new Error(`env ${e.name}: fieldRef ${from.fieldRef.fieldPath} is not supported by the harness`);
      out[e.name] = v;
    } else if (from.secretKeyRef || from.configMapKeyRef) {
      const ref = from.secretKeyRef ?? from.configMapKeyRef;
      const kind = from.secretKeyRef ? 'Secret' : 'ConfigMap';
      const obj = await admin.get('v1', kind, ref.name, pod.namespace);
      const raw = obj?.data?.[ref.key];
      if (raw === undefined) {
        if (ref.optional) continue;
        throw new Error(`env ${e.name}: ${kind} ${pod.namespace}/${ref.name} key ${ref.key} does not exist (a pod would not start)`);
      }
      out[e.name] = kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    } else {
      throw new Error(`env ${e.name}: ${JSON.stringify(from)} is not supported by the harness`);
    }
  }
  return out;
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 3_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 3 s`)));
    req.on('error', reject);
  });
}

/** The MCPServer the tests create (upstream's `fetch` example, with its image and ports). */
export function mcpServer(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'toolhive.stacklok.dev/v1beta1',
    kind: 'MCPServer',
    metadata: { name, namespace },
    spec: {
      image: 'ghcr.io/stackloklabs/gofetch/server',
      transport: 'streamable-http',
      proxyPort: 8080,
      mcpPort: 8080,
      resources: { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
    },
  };
}

/** Kinds the operator may create for an MCPServer, searched by owner reference. */
const OWNED_KINDS: readonly [string, string][] = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
];

/** `Kind/name` of every object in `namespace` owned by the object with `uid`. */
export async function ownedBy(admin: KubeClient, uid: string, namespace: string): Promise<string[]> {
  const out: string[] = [];
  for (const [apiVersion, kind] of OWNED_KINDS) {
    for (const o of await admin.list(apiVersion, kind, { namespace })) {
      if ((o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid)) out.push(`${kind}/${o.metadata.name}`);
    }
  }
  return out.sort();
}

/**
 * Creates an MCPServer (as the admin, like a user would) and waits until the operator has
 * created a Deployment and a Service for it; returns everything it owns.
 */
export async function expectReconciled(
  admin: KubeClient,
  operator: OperatorRun,
  name: string,
  namespace: string,
  timeoutMs = 60_000,
): Promise<string[]> {
  const created = await admin.apply(mcpServer(name, namespace));
  let owned: string[] = [];
  await waitFor(`the operator to create a Deployment and a Service for MCPServer ${namespace}/${name}`, timeoutMs, async () => {
    if (operator.process.hasExited()) throw new Error(`the operator exited; log (tail):\n${tail(operator.log(), 40)}`);
    owned = await ownedBy(admin, created.metadata.uid, namespace);
    return owned.some((o) => o.startsWith('Deployment/')) && owned.some((o) => o.startsWith('Service/')) ? owned : undefined;
  }, { intervalMs: 500, describe: () => `owned so far: ${owned.join(', ') || 'nothing'}\noperator log (tail):\n${tail(operator.log(), 40)}` });
  // A little longer, so the rest of the reconcile (status, RBAC for the proxy runner) is in the log.
  await new Promise((r) => setTimeout(r, 2_000));
  return ownedBy(admin, created.metadata.uid, namespace);
}
