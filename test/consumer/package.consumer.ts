/*
 * The package as users install it (`npm run test:consumer`, run by CI): packed, installed from
 * the tarball into fresh projects made the way `cdk8s init typescript-app` and `pulumi new
 * typescript` make them, type-checked under every module resolution users have, synthesized by
 * the real `cdk8s` CLI and run as a Pulumi program (under Pulumi's mocks).
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildApp as buildMultiCluster } from '../../examples/cdk8s-multi-cluster/main';
import { buildApp as buildOperatorNamespaces } from '../../examples/cdk8s-operator-namespaces/main';
import { writeFluxFleet } from '../../examples/fleet-flux/main';
import {
  npm, packLibrary, PULUMI_MOCK_RUNNER, readTree, RESOLUTIONS, run, scaffoldCdk8sApp, scaffoldPulumiProgram, tarballFiles, tempDir, typeCheck,
} from '../support/consumer';
import { REPO_ROOT } from '../support/paths';
import { readmeBlock } from '../support/readme';
import { toolhiveUpstream } from '../support/upstream';

const work = tempDir('consumer');
let tarball = '';
// The examples read the pinned CRDs; offline, from the resolved upstream data.
const upstreamDir = path.dirname(path.dirname(toolhiveUpstream().crdsDir));

beforeAll(() => {
  tarball = packLibrary(work);
});

afterAll(() => {
  if (!process.env.KEEP_CONSUMER_DIRS) fs.rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the compiled entry points, their declarations and the docs, nothing else', () => {
    const files = tarballFiles(tarball);
    const plugin = ['PulumiPlugin.yaml', 'package.json', 'index.js', 'schema.json'].map((f) => `pulumi-plugin/${f}`);
    const unexpected = files.filter((f) => !['package.json', 'README.md', 'LICENSE', 'API.md', 'CHANGELOG.md', ...plugin].includes(f)
      && !/^lib\/.+\.(js|d\.ts)$/.test(f));
    expect(unexpected).toEqual([]);
    // The Pulumi component package: the plugin Python, Go and YAML programs load.
    expect(files).toEqual(expect.arrayContaining(plugin));
    for (const entry of ['lib/index', 'lib/cdk8s/index', 'lib/pulumi/index']) {
      expect(files).toContain(`${entry}.js`);
      expect(files).toContain(`${entry}.d.ts`);
    }
    // Every module has its declarations, and nothing of the repository's other folders is in lib/.
    const js = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
    expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    expect(files.filter((f) => /^lib\/(test|bench|examples|scripts|tools)\//.test(f))).toEqual([]);
  });

  test('has no source maps: no inline map, no reference to a map or a source that is not shipped', () => {
    const dir = path.join(work, 'unpacked');
    fs.mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', dir], { cwd: work });
    const lib = readTree(path.join(dir, 'package', 'lib'));
    const withMaps = Object.entries(lib).filter(([, text]) => /sourceMappingURL/.test(text)).map(([f]) => f);
    expect(withMaps).toEqual([]);
  });

  test('package.json names the entry points, a 0.x version, the repository and keywords', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.version).toMatch(/^0\.\d+\.\d+$/);
    expect(pkg.version).not.toBe('0.0.0');
    expect(pkg.repository?.url ?? pkg.repository).toBeTruthy();
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk8s', 'pulumi', 'toolhive', 'mcp']));
    // The CHANGELOG has a section for the version being packed.
    expect(fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}`);
  });
});

describe('installing as the README says (its install blocks run as written, the repository URL pointed at this clone)', () => {
  const README_URL = 'https://github.com/stacklok/toolhive-constructs.git';
  const head = () => run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT }).trim();
  /** The README's `sh` block `name`, with bash (-euo pipefail) in `cwd`: a user's project folder. */
  function runReadme(name: string, cwd: string, replace: ReadonlyArray<readonly [string, string]>): void {
    const block = readmeBlock(name);
    expect(block.lang).toBe('sh');
    let code = block.code;
    for (const [a, b] of replace) {
      expect(code).toContain(a);
      code = code.split(a).join(b);
    }
    run('bash', ['-euo', 'pipefail', '-c', code], { cwd, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
  }
  /** A new project folder, as `npm init -y` leaves it. */
  function project(name: string): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }, null, 2));
    return dir;
  }
  /** The installed package's files (what the tarball lists), with their bytes. */
  const installed = (dir: string) => readTree(path.join(dir, 'node_modules', 'toolhive-constructs'));
  const packed = () => {
    const dir = path.join(work, 'unpacked-for-install');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', dir], { cwd: work });
    return readTree(path.join(dir, 'package'));
  };

  test('from a tarball: a fresh clone, `npm install`, `npm pack` make the complete package (what this suite packs, byte for byte)', () => {
    const dir = project('from-tarball');
    // The clone's folder is named after the URL's last segment, as the block expects.
    const named = path.join(work, 'repos', 'toolhive-constructs');
    fs.mkdirSync(path.dirname(named), { recursive: true });
    if (!fs.existsSync(named)) fs.symlinkSync(REPO_ROOT, named);
    runReadme('install-from-tarball', dir, [[README_URL, `file://${named}`]]);
    // (A clone without prepack would ship package.json, README, LICENSE, API.md, CHANGELOG and no lib/.)
    const files = installed(dir);
    expect(Object.keys(files).filter((f) => f.startsWith('lib/')).length).toBeGreaterThan(20);
    expect(files).toEqual(packed());
    // The core loads with no framework installed; the README's next block installs the frameworks' newest
    // releases, within the peer ranges (npm refuses a peer conflict), and both adapters load.
    run('node', ['-e', 'require("toolhive-constructs").planOperatorInstall'], { cwd: dir });
    runReadme('install-peers', dir, []);
    run('node', ['-e', 'for (const e of ["toolhive-constructs/cdk8s", "toolhive-constructs/pulumi"]) require(e)'], { cwd: dir });
  });

  test('from git: npm builds lib/ in its cache (the prepare script); the same files as the tarball', () => {
    const dir = project('from-git');
    runReadme('install-from-git', dir, [[README_URL, `file://${REPO_ROOT}`], ['#main', `#${head()}`]]);
    expect(installed(dir)).toEqual(packed());
    run('node', ['-e', 'require("toolhive-constructs")'], { cwd: dir });
  });
});

describe('a fresh cdk8s app (cdk8s init typescript-app)', () => {
  const app = path.join(work, 'toolhive-app');

  beforeAll(() => {
    fs.mkdirSync(app, { recursive: true });
    scaffoldCdk8sApp(app, tarball);
    // The user's app is the library's examples, as the README shows them: main.ts replaces the
    // template's (whose test and snapshot test the template's own chart).
    fs.copyFileSync(path.join(REPO_ROOT, 'examples', 'cdk8s-operator-namespaces', 'main.ts'), path.join(app, 'main.ts'));
    fs.copyFileSync(path.join(REPO_ROOT, 'examples', 'cdk8s-multi-cluster', 'main.ts'), path.join(app, 'platform.ts'));
    for (const [example, files] of [['fleet-manifests', ['fleet.ts', 'main.ts']], ['fleet-flux', ['main.ts']]] as const) {
      fs.mkdirSync(path.join(app, example), { recursive: true });
      for (const f of files) fs.copyFileSync(path.join(REPO_ROOT, 'examples', example, f), path.join(app, example, f));
    }
    fs.rmSync(path.join(app, 'main.test.ts'));
    fs.rmSync(path.join(app, '__snapshots__'), { recursive: true });
    npm(['install'], app);
  });

  test.each(Object.keys(RESOLUTIONS))('type-checks under %s resolution (strict, skipLibCheck off)', (resolution) => {
    typeCheck(app, resolution);
  });

  test('the template\'s own tsconfig (commonjs, default resolution) compiles the app', () => {
    run(path.join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: app });
  });

  test.each([
    ['main.ts', buildOperatorNamespaces],
    ['platform.ts', buildMultiCluster],
  ])('`cdk8s synth` of %s writes what the library\'s own example writes', (file, build) => {
    run(path.join(app, 'node_modules', '.bin', 'cdk8s'), ['synth', '--app', `npx ts-node ${file}`], {
      cwd: app, env: { ...process.env, TOOLHIVE_UPSTREAM_DIR: upstreamDir },
    });
    const expected = path.join(work, `expected-${file}`);
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = upstreamDir;
    try {
      build(expected).synth();
    } finally {
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
    const got = readTree(path.join(app, 'dist'));
    expect(Object.keys(got).length).toBeGreaterThan(0);
    expect(got).toEqual(readTree(expected));
  });

  test('the manifest writer: ts-node runs examples/fleet-flux (type-checked) and writes what the library\'s own example writes', () => {
    const out = path.join(work, 'fleet-out', 'clusters');
    run(path.join(app, 'node_modules', '.bin', 'ts-node'), ['fleet-flux/main.ts', out, '4'], { cwd: app, env: { ...process.env, TOOLHIVE_UPSTREAM_DIR: upstreamDir } });
    const expected = path.join(work, 'fleet-expected', 'clusters');
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = upstreamDir;
    try {
      writeFluxFleet(expected, 4);
    } finally {
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
    const got = readTree(out);
    expect(Object.keys(got).length).toBeGreaterThan(20);
    expect(got).toEqual(readTree(expected));
  });
});

describe('a fresh Pulumi program (pulumi new typescript)', () => {
  const program = path.join(work, 'toolhive-pulumi');
  const project = 'toolhive';
  const clusters = ['control', 'eu-west', 'us-east', 'staging', 'dev'];

  beforeAll(() => {
    fs.mkdirSync(program, { recursive: true });
    scaffoldPulumiProgram(program, tarball, project);
    fs.copyFileSync(path.join(REPO_ROOT, 'examples', 'pulumi-multi-cluster', 'index.ts'), path.join(program, 'index.ts'));
    npm(['install'], program);
  });

  test.each(Object.keys(RESOLUTIONS))('type-checks under %s resolution (strict, skipLibCheck off)', (resolution) => {
    typeCheck(program, resolution);
  });

  test('the component package (pulumi-plugin/) loads from the install: its entry is what Pulumi\'s plugin runner runs, and it serves the repository\'s schema', () => {
    const plugin = path.join(program, 'node_modules', 'toolhive-constructs', 'pulumi-plugin');
    expect(fs.readFileSync(path.join(plugin, 'PulumiPlugin.yaml'), 'utf8')).toMatch(/^runtime: nodejs$/m);
    const script = [
      `const entry = require(${JSON.stringify(plugin)});`,
      'if (typeof entry !== "function") throw new Error("the plugin entry is not a function: " + typeof entry);',
      'const { ToolhiveComponentProvider } = require("toolhive-constructs/pulumi");',
      `const host = new ToolhiveComponentProvider(${JSON.stringify(plugin)});`,
      'host.getSchema().then((s) => process.stdout.write(JSON.stringify({ name: host.name, version: host.version, schema: JSON.parse(s) })));',
    ].join('\n');
    const served = JSON.parse(run(process.execPath, ['-e', script], { cwd: program }));
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'pulumi-plugin', 'schema.json'), 'utf8'));
    expect(served).toEqual({ name: 'toolhive-constructs', version: schema.version, schema });
  });

  test('runs (Pulumi mocks) and registers exactly the resources the library\'s own example registers', () => {
    run(path.join(program, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: program });
    fs.writeFileSync(path.join(work, 'runner.js'), PULUMI_MOCK_RUNNER);
    const config = path.join(work, 'config.json');
    fs.writeFileSync(config, JSON.stringify(Object.fromEntries(clusters.map((c) => [`${project}:kubeconfig-${c}`, `kubeconfig of ${c}`]))));
    const node = process.execPath;
    const env = { ...process.env, TOOLHIVE_UPSTREAM_DIR: upstreamDir };
    const got = JSON.parse(run(node, [path.join(work, 'runner.js'), 'bin/index.js', project, config], { cwd: program, env }));
    const expected = JSON.parse(run(node, [
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register',
      path.join(work, 'runner.js'), 'examples/pulumi-multi-cluster/index.ts', project, config,
    ], { cwd: REPO_ROOT, env: { ...env, TS_NODE_PROJECT: 'tsconfig.dev.json' } }));
    expect(got.length).toBeGreaterThan(20);
    expect(got.filter((r: any) => r.type === 'pulumi:providers:kubernetes').map((r: any) => r.name).sort()).toEqual([...clusters].sort());
    expect(got).toEqual(expected);
  });
});
