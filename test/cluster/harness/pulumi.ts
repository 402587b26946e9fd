/*
 * The real Pulumi engine over the test API servers: the Pulumi CLI, the Node.js language host
 * and the Kubernetes provider built by tools/build.sh (nothing downloaded: automatic plugin
 * acquisition is off and the binaries are on PATH), a local file backend, passphrase secrets,
 * no Pulumi Cloud.
 *
 * A program is one of the examples (or a test's own, e.g. test/cluster/pulumi-upgrade), run as
 * its users run it: its Pulumi.yaml and index.ts,
 * `toolhive-constructs/pulumi` resolved to the built package (lib/), type-checked by the
 * language host's ts-node. The harness adds one entry file beside a copy of the Pulumi.yaml
 * that registers a resource transform before the example runs, as test scaffolding only:
 * with no kubelet, scheduler or controller-manager, Deployments never become ready and
 * foreground deletes never finish, so every Kubernetes object but the CRDs gets
 * `pulumi.com/skipAwait: "true"` and `pulumi.com/deletionPropagationPolicy: background`, and a
 * `helm.v3.Release` (which installs its objects itself) gets `skipAwait: true`.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { KubeClient } from './kube-client';
import { tail, waitFor } from './processes';
import { REPO_ROOT } from '../../support/paths';
import { toolhiveUpstream } from '../../support/upstream';

/** The three Pulumi binaries of tools/build.sh. */
export interface PulumiTools {
  readonly binDir: string;
  readonly versions: { readonly cli: string; readonly languageHost: string; readonly kubernetesProvider: string };
}

/** The Pulumi binaries' folder and versions, as `tools/build.sh --print` gives them (the global setup built them). */
export function pulumiTools(): PulumiTools {
  const lines = execFileSync(path.join(REPO_ROOT, 'tools', 'build.sh'), ['--print'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' '));
  const find = (name: string) => {
    const line = lines.find((l) => l[0] === name);
    if (!line || !fs.existsSync(line[2])) throw new Error(`tools/build.sh did not produce ${name}`);
    return line;
  };
  const [cli, host, provider] = [find('pulumi'), find('pulumi-language-nodejs'), find('pulumi-resource-kubernetes')];
  return { binDir: path.dirname(cli[2]), versions: { cli: cli[1], languageHost: host[1], kubernetesProvider: provider[1] } };
}

/**
 * lib/ built from the current sources (what `toolhive-constructs/pulumi` resolves to), built
 * with projen's compile and post-compile when a source file is newer than it.
 */
export function ensureLibBuilt(): void {
  const built = path.join(REPO_ROOT, 'lib', 'pulumi', 'index.js');
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = path.join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest(path.join(REPO_ROOT, 'src'))) return;
  for (const task of ['compile', 'post-compile']) execFileSync('npx', ['projen', task], { cwd: REPO_ROOT, stdio: 'pipe' });
}

/** The scaffolding transform (see the header), registered before the example's code runs. */
const SCAFFOLD = `
import * as pulumi from '@pulumi/pulumi';

pulumi.runtime.registerResourceTransform((args) => {
  if (args.type === 'kubernetes:helm.sh/v3:Release') return { props: { ...args.props, skipAwait: true }, opts: args.opts };
  const kubeObject = args.type.startsWith('kubernetes:') && !args.type.startsWith('kubernetes:yaml') && !args.type.startsWith('kubernetes:helm')
    && !args.type.startsWith('pulumi:providers');
  if (!kubeObject || args.type === 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition') return undefined;
  const props = { ...args.props };
  const metadata = { ...(props.metadata ?? {}) };
  metadata.annotations = { ...(metadata.annotations ?? {}), 'pulumi.com/skipAwait': 'true', 'pulumi.com/deletionPropagationPolicy': 'background' };
  props.metadata = metadata;
  return { props, opts: args.opts };
});
`;

/** The outcome of one `pulumi` command. */
export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One resource of a stack's state (`pulumi stack export`). */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly retainOnDelete?: boolean;
  readonly parent?: string;
  readonly provider?: string;
  readonly dependencies?: string[];
  readonly outputs?: Record<string, any>;
  readonly inputs?: Record<string, any>;
}

/** A Pulumi project and stack over an example, with its own Pulumi home, backend and passphrase. */
export class PulumiStack {
  /**
   * A stack of the example `examples/<example>`: its Pulumi.yaml (main replaced by the
   * scaffolding entry) in a fresh folder under the git-ignored cache.
   */
  static create(example: string, stack: string): PulumiStack {
    return PulumiStack.fromProgram(path.join(REPO_ROOT, 'examples', example), stack);
  }

  /**
   * A stack of the Pulumi program in `programDir` (a Pulumi.yaml without `main` and an
   * index.ts inside the repository: an example, or a test's own program), set up as
   * {@link PulumiStack.create} sets up an example's.
   */
  static fromProgram(programDir: string, stack: string): PulumiStack {
    const tools = pulumiTools();
    const shown = path.relative(REPO_ROOT, programDir).split(path.sep).join('/');
    // Inside the repository (its git-ignored .cache), whatever TOOLHIVE_CONSTRUCTS_CACHE says:
    // the program resolves the package, @pulumi/pulumi and ts-node from the repository.
    const root = path.join(REPO_ROOT, '.cache', 'pulumi-engine', `${path.basename(programDir)}-${stack}-${process.pid}`);
    fs.rmSync(root, { recursive: true, force: true });
    const project = path.join(root, 'project');
    fs.mkdirSync(project, { recursive: true });
    fs.mkdirSync(path.join(root, 'state'));
    fs.mkdirSync(path.join(root, 'home'));
    const pulumiYaml = fs.readFileSync(path.join(programDir, 'Pulumi.yaml'), 'utf8');
    if (/^main:/m.test(pulumiYaml)) throw new Error(`${shown}/Pulumi.yaml sets main: the harness sets its own`);
    fs.writeFileSync(path.join(project, 'Pulumi.yaml'), `${pulumiYaml.trimEnd()}\nmain: entry.ts\n`);
    const relative = path.relative(project, path.join(programDir, 'index')).split(path.sep).join('/');
    fs.writeFileSync(path.join(project, 'entry.ts'), `${SCAFFOLD}\nexport * from '${relative}';\n`);
    // The example's compiler settings as a user's project has them (strict), resolving the
    // package by its name through its exports (the repository is the package's own folder).
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'es2020', module: 'node16', moduleResolution: 'node16', skipLibCheck: false, esModuleInterop: true },
      files: ['entry.ts'],
    }, null, 2));
    const name = /^name:\s*(\S+)/m.exec(pulumiYaml)?.[1];
    if (!name) throw new Error(`${shown}/Pulumi.yaml has no name`);
    const s = new PulumiStack(root, project, stack, name, tools);
    s.cli(['stack', 'init']);
    // No default Kubernetes provider: a resource without the cluster's explicit provider fails.
    s.cli(['config', 'set', '--path', 'pulumi:disable-default-providers[0]', 'kubernetes']);
    return s;
  }

  /** More environment for the engine and its plugins (what a user's machine has, e.g. SSL_CERT_FILE). */
  readonly extraEnv: Record<string, string> = {};

  private constructor(
    readonly root: string,
    readonly project: string,
    readonly stack: string,
    /** The project name (config keys are `<name>:<key>`). */
    readonly projectName: string,
    readonly tools: PulumiTools,
  ) {}

  /** The environment of every command: no ambient Pulumi settings, no downloads, no cloud. */
  private env(): NodeJS.ProcessEnv {
    return {
      ...this.extraEnv,
      PATH: `${this.tools.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: path.join(this.root, 'home'),
      PULUMI_HOME: path.join(this.root, 'home', '.pulumi'),
      PULUMI_BACKEND_URL: `file://${path.join(this.root, 'state')}`,
      PULUMI_CONFIG_PASSPHRASE: 'toolhive-constructs-test',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
      PULUMI_SKIP_CONFIRMATIONS: 'true',
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
      NO_COLOR: '1',
      // The examples take the CRDs from the release; the program reads them from the local upstream mirror.
      TOOLHIVE_UPSTREAM_DIR: path.dirname(path.dirname(toolhiveUpstream().crdsDir)),
      TMPDIR: process.env.TMPDIR ?? '/tmp',
    };
  }

  /** Runs `pulumi <args> --stack <stack>` synchronously (quick commands); throws on failure. `input` goes to stdin. */
  cli(args: string[], input?: string): string {
    try {
      return execFileSync('pulumi', [...args, '--stack', this.stack, '--non-interactive', '--color', 'never'], {
        cwd: this.project, env: this.env(), encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
      });
    } catch (e: any) {
      throw new Error(`pulumi ${args.join(' ')} failed:\n${tail(`${e.stdout ?? ''}${e.stderr ?? ''}`, 60)}`);
    }
  }

  /** Sets a stack config value, from stdin (so it never shows in a command line or an error); `secret`: encrypted. */
  setConfig(key: string, value: string, options: { secret?: boolean } = {}): void {
    this.cli(['config', 'set', ...(options.secret ? ['--secret'] : []), key], value);
  }

  /** Runs a long command (up, preview, destroy) without blocking the event loop. */
  run(args: string[], timeoutMs = 600_000): Promise<PulumiResult> {
    return new Promise((resolve) => {
      execFile('pulumi', [...args, '--stack', this.stack, '--non-interactive', '--color', 'never'], {
        cwd: this.project, env: this.env(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGTERM',
      }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** `pulumi up`, which must succeed. */
  async up(): Promise<PulumiResult> {
    return this.succeed(['up', '--yes', '--skip-preview']);
  }

  /**
   * `pulumi up --json`, which must succeed: the steps the engine took, in order (its
   * `resourcePreEvent`s, `same` steps included). On failure, the error lists the engine's
   * diagnostics.
   */
  async upSteps(): Promise<EngineStep[]> {
    const args = ['up', '--yes', '--skip-preview', '--json'];
    const result = await this.run(args);
    const events = engineEvents(result.stdout);
    if (result.code !== 0) {
      const diagnostics = events.flatMap((e) => (e.diagnosticEvent ? [`${e.diagnosticEvent.severity} ${e.diagnosticEvent.urn ?? ''}: ${e.diagnosticEvent.message}`] : []));
      throw new Error(`pulumi ${args.join(' ')} exited ${result.code}:\n${tail(diagnostics.length > 0 ? diagnostics.join('\n') : `${result.stdout}\n${result.stderr}`, 80)}`);
    }
    return events.flatMap((e) => {
      const pre = e.resourcePreEvent;
      if (!pre || pre.planning) return [];
      const m = pre.metadata;
      const detailedDiff = Object.fromEntries(Object.entries(m.detailedDiff ?? {}).map(([p, d]: [string, any]) => [p, d.diffKind]));
      return [{ op: m.op, urn: m.urn, type: m.type, keys: m.keys ?? [], detailedDiff }];
    });
  }

  /**
   * `pulumi preview --json`, which must succeed: the steps the engine plans (same steps and the
   * steps of a replacement included), from its preview digest.
   */
  async previewSteps(): Promise<EngineStep[]> {
    const result = await this.succeed(['preview', '--json', '--show-sames', '--show-replacement-steps']);
    const digest = JSON.parse(result.stdout);
    return (digest.steps ?? []).map((s: any) => ({
      op: s.op,
      urn: s.urn,
      // urn:pulumi:<stack>::<project>::<parent types $ ...>$<type>::<name>
      type: String(s.urn).split('::')[2].split('$').pop()!,
      keys: s.replaceReasons ?? [],
      detailedDiff: Object.fromEntries(Object.entries(s.detailedDiff ?? {}).map(([p, d]: [string, any]) => [p, d.kind])),
    }));
  }

  /** `pulumi preview --expect-no-changes`, which must succeed (no change planned). */
  async previewNoChanges(): Promise<PulumiResult> {
    return this.succeed(['preview', '--expect-no-changes', '--diff']);
  }

  /** `pulumi destroy`, which must succeed. */
  async destroy(): Promise<PulumiResult> {
    return this.succeed(['destroy', '--yes', '--skip-preview']);
  }

  private async succeed(args: string[]): Promise<PulumiResult> {
    const result = await this.run(args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(' ')} exited ${result.code}:\n${tail(`${result.stdout}\n${result.stderr}`, 80)}`);
    return result;
  }

  /** The stack's resources, as its state holds them. */
  resources(): StateResource[] {
    const deployment = JSON.parse(this.cli(['stack', 'export']));
    return (deployment.deployment?.resources ?? []) as StateResource[];
  }

  /** The stack's outputs (secrets shown). */
  outputs(): Record<string, any> {
    return JSON.parse(this.cli(['stack', 'output', '--json', '--show-secrets']));
  }

  /** Removes the stack's folder (kept with TOOLHIVE_CLUSTER_KEEP=1). */
  remove(): void {
    if (process.env.TOOLHIVE_CLUSTER_KEEP === '1') return;
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * One step the engine took or plans (a `resourcePreEvent` of `pulumi up --json`, a step of
 * `pulumi preview --json`). `op` is the engine's: `same`, `create`, `update`, `delete`,
 * `replace`, `create-replacement`, `delete-replaced`, ...
 */
export interface EngineStep {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The properties that caused a replacement. */
  readonly keys: string[];
  /** The provider's detailed diff: property path -> kind (`add`, `update`, `delete`; `-replace` when it forces a replacement). */
  readonly detailedDiff: Record<string, string>;
}

/** The engine events of `--json` output (one JSON object a line; other lines are skipped). */
export function engineEvents(stdout: string): any[] {
  const events: any[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      // not an event (a line of something else the CLI printed)
    }
  }
  return events;
}

/** The Kubernetes objects a stack's state says it created (custom resources of the `kubernetes` provider). */
export function stateObjects(resources: readonly StateResource[]): { apiVersion: string; kind: string; name: string; namespace?: string }[] {
  return resources
    .filter((r) => r.custom && r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:') && r.outputs?.metadata?.name)
    .filter((r) => !r.type.startsWith('kubernetes:helm.sh'))
    .map((r) => ({
      apiVersion: r.outputs!.apiVersion, kind: r.outputs!.kind, name: r.outputs!.metadata.name, namespace: r.outputs!.metadata.namespace,
    }));
}

/**
 * Stands in for the namespace controller while `during` runs, and after it until no
 * namespace is left terminating: a namespace being deleted has its `kubernetes` finalizer
 * cleared (its objects were deleted by Pulumi before it).
 */
export async function finalizingNamespaces<T>(clients: readonly KubeClient[], during: () => Promise<T>): Promise<T> {
  const finalize = async (): Promise<number> => {
    let terminating = 0;
    for (const client of clients) {
      const list = await client.request('GET', '/api/v1/namespaces').catch(() => ({ items: [] }));
      for (const ns of list.items ?? []) {
        if (!ns.metadata.deletionTimestamp) continue;
        terminating++;
        if ((ns.spec?.finalizers ?? []).length === 0) continue;
        await client.request('PUT', `/api/v1/namespaces/${ns.metadata.name}/finalize`, {
          body: { ...ns, spec: { ...ns.spec, finalizers: [] } },
        }).catch(() => undefined);
      }
    }
    return terminating;
  };
  let done = false;
  const loop = (async () => {
    while (!done) {
      await finalize();
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    return await during();
  } finally {
    done = true;
    await loop;
    // Pulumi does not wait for a namespace it deletes with skipAwait: finish what it started.
    await waitFor('terminating namespaces to be finalized', 30_000, async () => ((await finalize()) === 0 ? true : undefined));
  }
}

/** Runs a test only when every earlier step of its lifecycle passed (the steps share one stack). */
export function lifecycle(): (name: string, fn: () => Promise<void>) => void {
  let failed: string | undefined;
  return (name, fn) => test(name, async () => {
    if (failed) throw new Error(`not run: the earlier step "${failed}" failed`);
    try {
      await fn();
    } catch (e) {
      failed = name;
      throw e;
    }
  });
}

/** A Kubernetes object by its identity (what the state and the plans name). */
export type ObjectRef = { apiVersion: string; kind: string; name: string; namespace?: string };

/** `Kind namespace/name`, for messages and comparisons. */
export const refKey = (r: ObjectRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** The objects of `refs` the API server does not have, as sorted keys. */
export async function missingObjects(client: KubeClient, refs: readonly ObjectRef[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of refs) if ((await client.get(r.apiVersion, r.kind, r.name, r.namespace)) === undefined) out.push(refKey(r));
  return out.sort();
}
