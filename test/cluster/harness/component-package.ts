/*
 * The library as a Pulumi component package, installed the way a Python, Go or YAML user
 * installs it: the packed tarball (lib/ built from the current sources) installed with npm
 * beside @pulumi/pulumi and @pulumi/kubernetes into a folder of its own, whose
 * node_modules/toolhive-constructs/pulumi-plugin is the plugin a program's Pulumi.yaml names;
 * and the SDKs the real Pulumi CLI generates from it (`pulumi package gen-sdk`), with the
 * language hosts built by tools/build.sh.
 *
 * One install per tarball: the folder is under the git-ignored cache, named by the tarball's
 * digest, and reused by every suite of the run.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { languageEnv, LanguageTools } from './languages';
import { tail } from './processes';
import { ensureLibBuilt } from './pulumi';
import { REPO_ROOT } from '../../support/paths';

/** The installed package: its folder and the plugin's. */
export interface InstalledComponentPackage {
  /** The folder npm installed into. */
  readonly root: string;
  /** node_modules/toolhive-constructs/pulumi-plugin: what `pulumi package add` and a Pulumi.yaml's `packages` name. */
  readonly pluginDir: string;
  /** The package's version (the plugin's and the SDKs'). */
  readonly version: string;
  /** The tarball it was installed from (what a user installs from the npm registry). */
  readonly tarball: string;
}

function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${tail(`${e.stdout ?? ''}${e.stderr ?? ''}`, 60)}`);
  }
}

/** Packs the library and installs the tarball with its Pulumi peers (the repository's pinned versions), once per tarball. */
export function installComponentPackage(): InstalledComponentPackage {
  ensureLibBuilt();
  const cache = path.join(REPO_ROOT, '.cache', 'component-package');
  const packs = path.join(cache, 'packs', String(process.pid));
  fs.mkdirSync(packs, { recursive: true });
  // lib/ is current (ensureLibBuilt): no prepack build again.
  const packed = JSON.parse(exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], REPO_ROOT));
  const tarball = path.join(packs, packed[0].filename);
  const digest = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
  const root = path.join(cache, digest);
  const pluginDir = path.join(root, 'node_modules', 'toolhive-constructs', 'pulumi-plugin');
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const done = path.join(root, '.installed');
  if (!fs.existsSync(done)) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(tarball, path.join(root, 'toolhive-constructs.tgz'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({
      name: 'toolhive-component-package',
      private: true,
      dependencies: {
        'toolhive-constructs': 'file:toolhive-constructs.tgz',
        '@pulumi/pulumi': pkg.devDependencies['@pulumi/pulumi'],
        '@pulumi/kubernetes': pkg.devDependencies['@pulumi/kubernetes'],
      },
    }, null, 2));
    exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], root);
    fs.writeFileSync(done, `${tarball}\n`);
  }
  fs.rmSync(packs, { recursive: true, force: true });
  if (!fs.existsSync(path.join(pluginDir, 'PulumiPlugin.yaml'))) throw new Error(`the installed package has no plugin (${pluginDir})`);
  return { root, pluginDir, version: pkg.version, tarball: path.join(root, 'toolhive-constructs.tgz') };
}

/**
 * `pulumi package gen-sdk <plugin> --language <language> --out <out>`: the SDK the real CLI
 * generates from the installed package (the schema the plugin serves), under `out/<language>`.
 */
export function generateSdk(tools: LanguageTools, pkg: InstalledComponentPackage, language: 'python' | 'go', out: string): string {
  const home = path.join(out, '.home');
  fs.mkdirSync(path.join(home, 'state'), { recursive: true });
  const env = languageEnv(tools, home, path.join(home, 'state'));
  exec(tools.pulumi, ['package', 'gen-sdk', pkg.pluginDir, '--language', language, '--out', out], out, env);
  fs.rmSync(home, { recursive: true, force: true });
  return path.join(out, language);
}

/**
 * A virtualenv for a Python program of the package (`venv` in `project`): the Pulumi SDKs of
 * tools/python-sdk.sh's venv (a .pth file, nothing downloaded) and the SDK generated from the
 * package, installed with pip as `pulumi package add` installs it (a Python SDK needs its
 * package metadata: it reads its own version from it).
 */
export function pythonVirtualenv(tools: LanguageTools, project: string, sdk: string): string {
  const venv = linkedVirtualenv(tools, project);
  exec(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--no-deps', sdk], project);
  return venv;
}

/** `venv` in `project`, with the Pulumi SDKs of tools/python-sdk.sh's venv (a .pth file, nothing downloaded). */
export function linkedVirtualenv(tools: LanguageTools, project: string): string {
  const venv = path.join(project, 'venv');
  exec(tools.python.interpreter, ['-m', 'venv', venv], project);
  const sitePackages = (python: string) => exec(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], project).trim();
  fs.writeFileSync(path.join(sitePackages(path.join(venv, 'bin', 'python')), 'pulumi-sdks.pth'), `${sitePackages(tools.python.interpreter)}\n`);
  return venv;
}
