/*
 * Fresh consumer projects for the package tests (test/consumer): the library packed as users get
 * it, installed from the tarball into projects made the way `cdk8s init typescript-app` and
 * `pulumi new typescript` make them, in a temporary folder outside the repository, with every
 * other dependency from the npm registry at a pinned version.
 */
import { execFileSync, ExecFileSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/** The pinned versions the consumer projects install (what the generators give today). */
export const CONSUMER_VERSIONS = {
  cdk8sCli: '2.207.60',
  cdk8s: '2.70.106',
  cdk8sPlus: '2.5.57',
  constructs: '10.8.1',
  typescript: '5.9.3',
  tsNode: '10.9.2',
  typesNodeCdk8s: '14.18.63', // cdk8s-cli's template asks for ^14
  typesNodePulumi: '18.19.130', // pulumi's template asks for ^18
  typesJest: '29.5.14',
  jest: '29.7.0',
  tsJest: '29.4.15',
  pulumi: '3.276.0',
  pulumiKubernetes: '4.34.2',
} as const;

/** The four ways TypeScript resolves modules that users' tsconfigs pick. */
export const RESOLUTIONS: { readonly [name: string]: { readonly module: string; readonly moduleResolution: string } } = {
  node10: { module: 'commonjs', moduleResolution: 'node10' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

/** Runs a command, returning its output; a failure shows the command's output. */
export function run(cmd: string, args: string[], options: ExecFileSyncOptions & { cwd: string }): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...options }) as string;
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${options.cwd}) failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** npm, as run from the repository (its PATH carries the project's Node 22 first). */
export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return run('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd, env: { ...process.env, ...env } });
}

/** A new temporary folder outside the repository. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `toolhive-${prefix}-`));
  if (path.relative(REPO_ROOT, dir).split(path.sep)[0] !== '..') throw new Error(`${dir} is inside the repository`);
  return dir;
}

/** Builds the library (lib/: projen's compile and post-compile) and packs it as `npm publish` would; returns the tarball's path. */
export function packLibrary(into: string): string {
  run('npx', ['projen', 'compile'], { cwd: REPO_ROOT });
  run('npx', ['projen', 'post-compile'], { cwd: REPO_ROOT });
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', into], REPO_ROOT));
  return path.join(into, out[0].filename);
}

/** The files of a packed tarball, as `tar` lists them (without the leading `package/`). */
export function tarballFiles(tarball: string): string[] {
  return run('tar', ['-tzf', tarball], { cwd: path.dirname(tarball) }).split('\n').filter(Boolean)
    .map((f) => f.replace(/^package\//, '')).sort();
}

/**
 * A project made the way `cdk8s init typescript-app` makes it: the cli's own template files
 * (from its npm package) with its placeholders filled in as its init command fills them, the
 * versions pinned. The post-init hook is not run: it runs `cdk8s import`, which downloads the
 * Kubernetes schema from the internet (the template's main.ts does not use it).
 */
export function scaffoldCdk8sApp(dir: string, tarball: string): void {
  const v = CONSUMER_VERSIONS;
  const cli = tempDir('cdk8s-cli');
  const packed = JSON.parse(npm(['pack', '--json', `cdk8s-cli@${v.cdk8sCli}`], cli));
  run('tar', ['-xzf', packed[0].filename], { cwd: cli });
  const template = path.join(cli, 'package', 'templates', 'typescript-app');
  const vars: Record<string, string> = {
    '$base': path.basename(dir),
    'cdk8s_core_version': v.cdk8s,
    'cdk8s_plus_version': v.cdk8sPlus,
    'constructs_version': v.constructs,
    'cdk8s_cli_spec': v.cdk8sCli,
    '': '',
  };
  const substitute = (s: string) => Object.entries(vars).reduce(
    (acc, [k, val]) => acc.replace(new RegExp(`{{ *${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} *}}`, 'g'), val), s);
  for (const rel of listFiles(template)) {
    if (path.basename(rel) === '.hooks.sscaff.js') continue;
    const target = path.join(dir, substitute(rel));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, substitute(fs.readFileSync(path.join(template, rel), 'utf8')));
  }
  fs.rmSync(cli, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  // Pinned: the template's ranges resolved to today's versions.
  pkg.dependencies = { ...pkg.dependencies, 'cdk8s': v.cdk8s, 'cdk8s-plus-33': v.cdk8sPlus, 'constructs': v.constructs, 'toolhive-constructs': `file:${tarball}` };
  pkg.devDependencies = {
    ...pkg.devDependencies,
    '@types/node': v.typesNodeCdk8s,
    '@types/jest': v.typesJest,
    'jest': v.jest,
    'ts-jest': v.tsJest,
    'typescript': v.typescript,
    'ts-node': v.tsNode,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

/** A project made the way `pulumi new typescript` makes it (pulumi/templates `typescript/`), with the Kubernetes SDK. */
export function scaffoldPulumiProgram(dir: string, tarball: string, project: string): void {
  const v = CONSUMER_VERSIONS;
  fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), `name: ${project}\ndescription: A minimal TypeScript Pulumi program\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: project,
    main: 'index.ts',
    devDependencies: { '@types/node': v.typesNodePulumi, 'typescript': v.typescript },
    dependencies: { '@pulumi/pulumi': v.pulumi, '@pulumi/kubernetes': v.pulumiKubernetes, 'toolhive-constructs': `file:${tarball}` },
  }, null, 4));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      outDir: 'bin',
      target: 'es2020',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      sourceMap: true,
      experimentalDecorators: true,
      pretty: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ['index.ts'],
  }, null, 4));
  fs.writeFileSync(path.join(dir, '.gitignore'), '/bin/\n/node_modules/\n');
}

/**
 * Type-checks a project under one resolution: its own tsconfig with `module` and
 * `moduleResolution` replaced, `strict` on and `skipLibCheck` off (TypeScript's default), so
 * every declaration file the library ships is checked too.
 */
export function typeCheck(dir: string, resolution: string): void {
  const r = RESOLUTIONS[resolution];
  const file = `tsconfig.${resolution}.json`;
  fs.writeFileSync(path.join(dir, file), JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { module: r.module, moduleResolution: r.moduleResolution, strict: true, skipLibCheck: false, noEmit: true },
  }));
  run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', file], { cwd: dir });
}

/** Every file below `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** The text of every file below `dir`, by relative path. */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/**
 * A Node script that runs a compiled Pulumi program under Pulumi's mocks and prints every
 * resource registered (type, name, provider, inputs) as JSON, sorted. Usage:
 * `node <script> <program.js> <project> <config.json>`; `@pulumi/pulumi` is resolved from the
 * current folder, so the same script serves the consumer project and the repository.
 */
export const PULUMI_MOCK_RUNNER = `
const path = require('path');
const pulumi = require(require.resolve('@pulumi/pulumi', { paths: [process.cwd()] }));
const [program, project, configFile] = process.argv.slice(2);
const recorded = [];
pulumi.runtime.setAllConfig(JSON.parse(require('fs').readFileSync(configFile, 'utf8')));
pulumi.runtime.setMocks({
  newResource: (args) => { recorded.push({ type: args.type, name: args.name, provider: args.provider, inputs: args.inputs }); return { id: args.name + '-id', state: args.inputs }; },
  call: (args) => args.inputs,
}, project, 'test', false);
require(path.resolve(program));
let count = -1, stable = 0;
const tick = () => {
  if (recorded.length === count && ++stable >= 20) {
    recorded.sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
    process.stdout.write(JSON.stringify(recorded));
    return;
  }
  if (recorded.length !== count) stable = 0;
  count = recorded.length;
  setTimeout(tick, 10);
};
tick();
`;
