/*
 * Child processes run compiled JavaScript, not TypeScript through ts-node: a user imports the
 * package's lib/, and transpiling the sources on import would be most of what a cold import
 * measures. src/ and bench/ are transpiled with tsconfig.json's compiler options into a
 * temporary folder that mirrors the checkout (src/..., bench/...), so relative imports work as
 * they do here; its node_modules is a link to the checkout's.
 *
 * Transpilation is per file (ts.transpileModule, as `isolatedModules` would compile): the
 * JavaScript is what tsc emits for this code base (no const enums, no namespaces), it takes
 * seconds instead of a type check, and work in progress with type errors still compiles.
 * Then the entry points are bundled as lib/ is (scripts/bundle-lib.ts, the post-compile step):
 * the tree's src/ holds what the package's lib/ holds.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { bundleLib } from '../../scripts/bundle-lib';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The compiled tree: its root, and the paths of the three entry points (the package's exports). */
export interface CompiledTree {
  readonly root: string;
  readonly entryPoints: { readonly core: string; readonly cdk8s: string; readonly pulumi: string };
  /** A compiled bench file, e.g. `children/pulumi-program`. */
  script(name: string): string;
  remove(): void;
}

/** Transpiles src/ and bench/ into a fresh temporary folder, and bundles the entry points as in lib/. */
export async function compileTree(): Promise<CompiledTree> {
  const configFile = path.join(REPO_ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT, undefined, configFile);
  const compilerOptions: ts.CompilerOptions = { ...options, declaration: false, noEmit: false };
  delete compilerOptions.outDir;
  delete compilerOptions.rootDir;

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-bench-'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const dir of ['src', 'bench']) {
    for (const file of tsFiles(path.join(REPO_ROOT, dir))) {
      const rel = path.relative(REPO_ROOT, file);
      const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: false });
      const target = path.join(root, rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, out.outputText);
    }
  }
  await bundleLib(path.join(root, 'src'));
  return {
    root,
    entryPoints: {
      core: path.join(root, 'src', 'index.js'),
      cdk8s: path.join(root, 'src', 'cdk8s', 'index.js'),
      pulumi: path.join(root, 'src', 'pulumi', 'index.js'),
    },
    script: (name) => path.join(root, 'bench', `${name}.js`),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
