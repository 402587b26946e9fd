/*
 * Pulumi programs in Python, Go and YAML under the real engine: the Pulumi CLI and the
 * Python, Go and YAML language hosts built by tools/build.sh (the Python and Go hosts from the
 * Go sources in ../shared/upstream, the YAML host from the module proxy), the Python SDK in the
 * venv tools/python-sdk.sh makes from PyPI, the Go SDK from the module proxy (a Go program's
 * go.mod and go.sum pin it). As in ./pulumi.ts: a local file backend, passphrase secrets, no
 * Pulumi Cloud, no plugin downloaded (automatic acquisition off, the binaries on PATH).
 *
 * A program is a folder with its Pulumi.yaml and sources (e.g. test/cluster/languages/<language>),
 * copied into a fresh folder under the git-ignored cache and run there; for Python the copy's
 * Pulumi.yaml gets `runtime.options.virtualenv` (the SDK's venv), as a user's project names its
 * own.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tail } from './processes';
import { PulumiResult, StateResource } from './pulumi';
import { REPO_ROOT } from '../../support/paths';

/** The languages of this module's programs. */
export type ProgramLanguage = 'python' | 'go' | 'yaml';

/** The binaries and SDKs a Python, Go or YAML program runs with. */
export interface LanguageTools {
  /** The folder of the Pulumi CLI and every language host (put first on PATH). */
  readonly binDir: string;
  /** The Pulumi CLI. */
  readonly pulumi: string;
  /** The language hosts (`pulumi-language-<language>`), and the Python host's exec script beside its host. */
  readonly hosts: { readonly python: string; readonly pythonExec: string; readonly go: string; readonly yaml: string };
  /** The venv with the Pulumi Python SDK (a Pulumi.yaml's `runtime.options.virtualenv`), and its python. */
  readonly python: { readonly virtualenv: string; readonly interpreter: string };
  /**
   * The pinned versions: the CLI, the hosts (`tools/build.sh --print`) and the Python SDKs
   * (`tools/python-sdk.sh --print`).
   */
  readonly versions: {
    readonly cli: string;
    readonly python: string;
    readonly go: string;
    readonly yaml: string;
    readonly pythonSdk: string;
    readonly pythonKubernetesSdk: string;
  };
}

/** `<script> --print`: name -> [version, path]. */
function printed(script: string): Map<string, [string, string]> {
  const out = execFileSync(path.join(REPO_ROOT, 'tools', script), ['--print'], { encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((l) => l.split(' ')).map(([name, version, p]) => [name, [version, p]]));
}

/**
 * The CLI, hosts and venv, as `tools/build.sh --print` and `tools/python-sdk.sh --print` give
 * them; throws when one is missing (the global setup builds the binaries:
 * TOOLHIVE_CLUSTER_TOOLS="pulumi pulumi-language-python pulumi-language-go pulumi-language-yaml";
 * {@link ensurePythonSdk} makes the venv).
 */
export function languageTools(): LanguageTools {
  const bins = printed('build.sh');
  const sdks = printed('python-sdk.sh');
  const find = (map: Map<string, [string, string]>, name: string, what: string): [string, string] => {
    const found = map.get(name);
    if (!found || !fs.existsSync(found[1])) throw new Error(`${what} did not produce ${name}${found ? ` (${found[1]})` : ''}`);
    return found;
  };
  const [cli, python, go, yaml] = ['pulumi', 'pulumi-language-python', 'pulumi-language-go', 'pulumi-language-yaml'].map((n) => find(bins, n, 'tools/build.sh'));
  const [sdk, kubernetesSdk] = ['pulumi', 'pulumi-kubernetes'].map((n) => find(sdks, n, 'tools/python-sdk.sh'));
  const binDir = path.dirname(cli[1]);
  for (const [name, host] of [['pulumi-language-python', python], ['pulumi-language-go', go], ['pulumi-language-yaml', yaml]] as const) {
    // The engine finds a language host on PATH: all of them must be in the CLI's folder.
    if (path.dirname(host[1]) !== binDir) throw new Error(`${name} (${host[1]}) is not beside the Pulumi CLI (${binDir})`);
  }
  const pythonExec = path.join(binDir, 'pulumi-language-python-exec');
  if (!fs.existsSync(pythonExec)) throw new Error(`tools/build.sh did not copy pulumi-language-python-exec beside its host (${pythonExec})`);
  return {
    binDir,
    pulumi: cli[1],
    hosts: { python: python[1], pythonExec, go: go[1], yaml: yaml[1] },
    python: { virtualenv: path.dirname(path.dirname(sdk[1])), interpreter: sdk[1] },
    versions: { cli: cli[0], python: python[0], go: go[0], yaml: yaml[0], pythonSdk: sdk[0], pythonKubernetesSdk: kubernetesSdk[0] },
  };
}

/**
 * Makes the Python SDK's venv (tools/python-sdk.sh: a no-op when it matches its pins, about a
 * minute and a half from PyPI when cold). Call it in a `beforeAll` with a timeout that allows it.
 */
export function ensurePythonSdk(): void {
  try {
    execFileSync(path.join(REPO_ROOT, 'tools', 'python-sdk.sh'), [], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    throw new Error(`tools/python-sdk.sh failed:\n${tail(`${e.stdout ?? ''}${e.stderr ?? ''}`, 40)}`);
  }
}

/**
 * How this machine reaches the registries (proxies, the CA bundle of a TLS-inspecting proxy):
 * npm, pip and go in a program's commands need them although HOME is the program's own.
 */
function networkEnv(): Record<string, string> {
  const names = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'PIP_CERT', 'PIP_INDEX_URL',
    'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}

/** The Go settings a Go program's build needs, from the `go` on PATH. */
function goEnv(): Record<string, string> {
  const [gopath, modcache, gocache, proxy, goroot] = execFileSync('go', ['env', 'GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOPROXY', 'GOROOT'], { encoding: 'utf8' }).trim().split('\n');
  return {
    // The module and build caches the tools were built with, although HOME is the stack's own.
    GOPATH: gopath,
    GOMODCACHE: modcache,
    GOCACHE: gocache,
    GOPROXY: proxy,
    GOROOT: goroot,
    // The program's go.sum is its pin: the build never rewrites go.mod or go.sum.
    GOFLAGS: '-mod=readonly -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
}

/**
 * The environment of every `pulumi` command of a program (no ambient Pulumi settings, no
 * downloads, no cloud): PATH with the CLI and the hosts first, the program's own HOME and
 * PULUMI_HOME, the local backend `stateDir`, the passphrase; for Python the SDK's interpreter
 * (PULUMI_PYTHON_CMD), for Go the module and build caches and a read-only module mode.
 */
export function languageEnv(tools: LanguageTools, root: string, stateDir: string): NodeJS.ProcessEnv {
  return {
    ...networkEnv(),
    ...goEnv(),
    PATH: `${tools.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: path.join(root, 'home'),
    PULUMI_HOME: path.join(root, 'home', '.pulumi'),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: 'toolhive-constructs-test',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
    // The venv's interpreter, should a program's Pulumi.yaml name no virtualenv.
    PULUMI_PYTHON_CMD: tools.python.interpreter,
    PYTHONDONTWRITEBYTECODE: '1',
    NO_COLOR: '1',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
  };
}

/** The language a Pulumi.yaml's runtime names (`runtime: go` or `runtime: { name: go }`). */
function runtimeOf(pulumiYaml: string, shown: string): ProgramLanguage {
  const runtime = /^runtime:\s*(\S+)\s*$/m.exec(pulumiYaml)?.[1] ?? /^runtime:\s*\n\s+name:\s*(\S+)/m.exec(pulumiYaml)?.[1];
  if (runtime !== 'python' && runtime !== 'go' && runtime !== 'yaml') throw new Error(`${shown}/Pulumi.yaml: runtime ${runtime ?? '(none)'} is not python, go or yaml`);
  return runtime;
}

/** What a program needs besides its own folder. */
export interface LanguageStackOptions {
  /** Pulumi packages by name -> the plugin's folder (the copy's Pulumi.yaml `packages`). */
  readonly packages?: Record<string, string>;
  /** Environment of every command (e.g. PYTHONPATH with a generated SDK, TOOLHIVE_UPSTREAM_DIR). */
  readonly env?: Record<string, string>;
  /** A Python program's virtualenv (default: the venv of tools/python-sdk.sh), e.g. one `prepare` makes in the copy. */
  readonly virtualenv?: string;
  /** Changes the copy before the stack is made (e.g. generates an SDK into it, adds test scaffolding). */
  readonly prepare?: (project: string) => void;
}

/** A Pulumi project and stack over a Python, Go or YAML program, with its own Pulumi home, backend and passphrase. */
export class LanguageStack {
  /**
   * A stack of the program in `programDir` (its Pulumi.yaml names the runtime: `python`, `go`
   * or `yaml`), copied into a fresh folder under the cache. Nothing else is set: a program
   * that deploys Kubernetes objects sets `pulumi:disable-default-providers` itself.
   */
  static create(programDir: string, stack: string, options: LanguageStackOptions = {}): LanguageStack {
    const tools = languageTools();
    const shown = path.relative(REPO_ROOT, programDir).split(path.sep).join('/');
    const pulumiYaml = fs.readFileSync(path.join(programDir, 'Pulumi.yaml'), 'utf8');
    const language = runtimeOf(pulumiYaml, shown);
    const name = /^name:\s*(\S+)/m.exec(pulumiYaml)?.[1];
    if (!name) throw new Error(`${shown}/Pulumi.yaml has no name`);
    const root = path.join(REPO_ROOT, '.cache', 'pulumi-languages', `${path.basename(programDir)}-${stack}-${process.pid}`);
    fs.rmSync(root, { recursive: true, force: true });
    const project = path.join(root, 'project');
    fs.mkdirSync(path.join(root, 'state'), { recursive: true });
    fs.mkdirSync(path.join(root, 'home'));
    fs.cpSync(programDir, project, { recursive: true, filter: (src) => !/(^|\/)(__pycache__|sdks|venv)$/.test(src) });
    let projectYaml = pulumiYaml;
    if (language === 'python') {
      // The user's form: the runtime's virtualenv option, here the venv of tools/python-sdk.sh.
      if (!/^runtime:\s*python\s*$/m.test(pulumiYaml)) throw new Error(`${shown}/Pulumi.yaml: write \`runtime: python\`; the harness sets its options`);
      projectYaml = projectYaml.replace(/^runtime:\s*python\s*$/m,
        `runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: ${JSON.stringify(options.virtualenv ?? tools.python.virtualenv)}`);
    }
    if (options.packages) {
      // Where the engine finds a package's plugin: the project's `packages` (what `pulumi package add` writes).
      if (/^packages:/m.test(projectYaml)) projectYaml = projectYaml.replace(/^packages:\s*\n(?:[ \t]+.*\n?)*/m, '');
      projectYaml = `${projectYaml.trimEnd()}\npackages:\n${Object.entries(options.packages).map(([n, dir]) => `  ${n}: ${JSON.stringify(dir)}`).join('\n')}\n`;
    }
    fs.writeFileSync(path.join(project, 'Pulumi.yaml'), projectYaml);
    options.prepare?.(project);
    const s = new LanguageStack(root, project, stack, name, language, tools, options.env ?? {});
    s.cli(['stack', 'init']);
    return s;
  }

  private readonly environment: NodeJS.ProcessEnv;

  private constructor(
    readonly root: string,
    readonly project: string,
    readonly stack: string,
    /** The project name (config keys are `<name>:<key>`). */
    readonly projectName: string,
    readonly language: ProgramLanguage,
    readonly tools: LanguageTools,
    extraEnv: Record<string, string>,
  ) {
    this.environment = { ...languageEnv(tools, root, path.join(root, 'state')), ...extraEnv };
  }

  /** The environment of every command (see {@link languageEnv}); `extra` added. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...this.environment, ...extra };
  }

  /** Runs `pulumi <args> --stack <stack>` synchronously (quick commands); throws on failure. `input` goes to stdin. */
  cli(args: string[], input?: string): string {
    try {
      return execFileSync(this.tools.pulumi, [...args, '--stack', this.stack, '--non-interactive', '--color', 'never'], {
        cwd: this.project, env: this.env(), encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
      });
    } catch (e: any) {
      throw new Error(`pulumi ${args.join(' ')} (${this.language}) failed:\n${tail(`${e.stdout ?? ''}${e.stderr ?? ''}`, 60)}`);
    }
  }

  /** Sets a stack config value, from stdin (so it never shows in a command line or an error); `secret`: encrypted. */
  setConfig(key: string, value: string, options: { secret?: boolean } = {}): void {
    this.cli(['config', 'set', ...(options.secret ? ['--secret'] : []), key], value);
  }

  /** Runs a long command (up, preview, destroy) without blocking the event loop. */
  run(args: string[], timeoutMs = 600_000): Promise<PulumiResult> {
    return new Promise((resolve) => {
      execFile(this.tools.pulumi, [...args, '--stack', this.stack, '--non-interactive', '--color', 'never'], {
        cwd: this.project, env: this.env(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGTERM',
      }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** `pulumi up --yes` (with its preview), which must succeed. */
  async up(): Promise<PulumiResult> {
    return this.succeed(['up', '--yes']);
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
    if (result.code !== 0) throw new Error(`pulumi ${args.join(' ')} (${this.language}) exited ${result.code}:\n${tail(`${result.stdout}\n${result.stderr}`, 80)}`);
    return result;
  }

  /** The stack's resources, as its state holds them. */
  resources(): StateResource[] {
    const deployment = JSON.parse(this.cli(['stack', 'export']));
    return (deployment.deployment?.resources ?? []) as StateResource[];
  }

  /** The stack's outputs (`pulumi stack output --json`, secrets shown). */
  outputs(): Record<string, any> {
    return JSON.parse(this.cli(['stack', 'output', '--json', '--show-secrets']));
  }

  /** Removes the stack's folder (kept with TOOLHIVE_CLUSTER_KEEP=1). */
  remove(): void {
    if (process.env.TOOLHIVE_CLUSTER_KEEP === '1') return;
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
