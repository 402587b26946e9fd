/*
 * Post-compile: replaces tsc's JavaScript in lib/ with one esbuild bundle per entry point, so
 * an import reads and compiles a few files instead of about 60. tsc's .d.ts files are kept.
 *
 * - lib/index.js holds the only copy of the core. lib/cdk8s/index.js and lib/pulumi/index.js
 *   bundle only their own folder and require the core as '../index.js' (src/cdk8s and
 *   src/pulumi import the core only through src/index.ts), so classes such as
 *   ToolhiveValidationError are one class for all entry points and `instanceof` works.
 * - The CEL validator (src/core/crds/validate.ts) stays loaded on first use: it is a bundle of
 *   its own, lib/core/crds/validate.js, that an import does not read. It shares no class with
 *   the core, only pure helpers (copied into it).
 * - The adapters load the core on first use, not on import (`lazyCore`): importing
 *   `toolhive-constructs/cdk8s` costs about what cdk8s costs; the core's load moves to the first
 *   construct. The informative bench row "then the core" shows the two together.
 * - Only the declarations the three entry points reach are kept (`pruneDeclarations`): every
 *   shipped .d.ts is one a consumer's compiler reads, so the consumer suite checks them all.
 * - Dependencies and peers stay external (`require('cdk8s')`, `require('yaml')`, ...).
 *
 * Usage: ts-node --transpile-only scripts/bundle-lib.ts [outDir]
 * (default lib/; the benchmarks pass their own tree, laid out as lib/ is).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src');
/** Modules that other bundles require instead of copying: source path (no extension) -> output. */
const SHARED: Record<string, string> = {
  [path.join(src, 'index')]: 'index.js',
  [path.join(src, 'core', 'crds', 'validate')]: 'core/crds/validate.js',
};

const inCore = (f: string) => f.startsWith('src/') && !f.startsWith('src/cdk8s/') && !f.startsWith('src/pulumi/');
/** The bundles (outputs relative to outDir) and which source files each may contain. */
const BUNDLES: { out: string; entry: string; owns: (file: string) => boolean }[] = [
  { out: 'index.js', entry: 'index.ts', owns: (f) => inCore(f) && f !== 'src/core/crds/validate.ts' },
  { out: 'core/crds/validate.js', entry: 'core/crds/validate.ts', owns: (f) => inCore(f) && f !== 'src/index.ts' && !f.startsWith('src/core/errors') },
  { out: 'cdk8s/index.js', entry: 'cdk8s/index.ts', owns: (f) => f.startsWith('src/cdk8s/') },
  { out: 'pulumi/index.js', entry: 'pulumi/index.ts', owns: (f) => f.startsWith('src/pulumi/') },
];

/** A relative import of a shared module (from another bundle) stays a `require` of its output. */
function sharedModules(out: string): esbuild.Plugin {
  return {
    name: 'shared-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = path.resolve(args.resolveDir, args.path).replace(/\.ts$/, '');
        const shared = SHARED[target];
        if (!shared || shared === out) return undefined;
        const rel = path.posix.relative(path.posix.dirname(out), shared);
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

/**
 * esbuild's CommonJS entry copies its exports object into a second one, with one more getter
 * per export (`__toCommonJS`; about 1 ms for the core's 90 exports in a cold process). The
 * exports object has its getters already: export it as it is.
 */
function exportDirectly(code: string, out: string): string {
  const m = /^module\.exports = __toCommonJS\((\w+)\);$/m.exec(code);
  if (!m) throw new Error(`${out}: esbuild's module.exports line not found (did esbuild change?)`);
  return code.replace(m[0], `__defProp(${m[1]}, "__esModule", { value: true });\nmodule.exports = ${m[1]};`);
}

/**
 * `import * as fs from 'fs'` of an external module becomes `__toESM(require('fs'))`, which
 * copies every export of the module into a new object with a getter each (fs alone has about
 * 100), on import: about 1 ms for the core's fs, os and path. Where the bundle never reads the
 * namespace's `default`, the module object itself does the same job.
 */
function namespacesDirectly(code: string): string {
  return code.replace(/^var (\w+) = __toESM\((require\("[^"]+"\))\);$/gm, (line, name: string, req: string) =>
    new RegExp(`\\b${name}\\.default\\b`).test(code) ? line : `var ${name} = ${req};`);
}

/**
 * An adapter bundle requires the core once per source file (`var import__2 =
 * require("../index.js");`) and uses it only as `import__2.name`. Those become one cached,
 * lazy require: the core's module object, the same one every entry point shares.
 */
function lazyCore(code: string, out: string): string {
  const names = [...code.matchAll(/^var (import_\w*) = require\("\.\.\/index\.js"\);$/gm)].map((m) => m[1]);
  if (names.length === 0) return code;
  let lazy = code;
  for (const name of names) {
    lazy = lazy.replace(new RegExp(`^var ${name} = require\\("\\.\\./index\\.js"\\);\n`, 'm'), '');
    lazy = lazy.replace(new RegExp(`\\b${name}\\.(?=[A-Za-z_$])`, 'g'), '(__core()).');
    if (new RegExp(`\\b${name}\\b`).test(lazy)) throw new Error(`${out}: ${name} is used other than as ${name}.<export>`);
  }
  const header = 'var __coreModule;\nvar __core = () => __coreModule ?? (__coreModule = require("../index.js"));\n';
  return lazy.replace(/^("use strict";\n)/, `$1${header}`);
}

const ENTRY_DECLARATIONS = ['index.d.ts', 'cdk8s/index.d.ts', 'pulumi/index.d.ts'];

/** Deletes the .d.ts files in `outDir` that no entry point's declarations import, directly or not. */
function pruneDeclarations(outDir: string): void {
  if (!fs.existsSync(path.join(outDir, ENTRY_DECLARATIONS[0]))) return;
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from |import\()['"](\.\.?\/[^'"]*)['"]/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const candidates = [`${target}.d.ts`, path.join(target, 'index.d.ts')];
      const found = candidates.find((c) => fs.existsSync(c));
      if (!found) throw new Error(`${path.relative(outDir, file)} imports ${m[1]}, which has no declaration`);
      visit(found);
    }
  };
  for (const entry of ENTRY_DECLARATIONS) visit(path.join(outDir, entry));
  for (const file of fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(outDir, file);
    if (file.endsWith('.d.ts') && !reached.has(full)) fs.rmSync(full);
  }
  removeEmptyFolders(outDir);
}

function removeEmptyFolders(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = path.join(dir, entry.name);
    removeEmptyFolders(sub);
    if (fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
  }
}

export async function bundleLib(outDir = path.join(root, 'lib')): Promise<void> {
  const written = new Set<string>();
  for (const b of BUNDLES) {
    const outfile = path.join(outDir, b.out);
    const result = await esbuild.build({
      entryPoints: [path.join(src, b.entry)],
      outfile,
      absWorkingDir: root,
      tsconfig: path.join(root, 'tsconfig.json'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      packages: 'external',
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      write: false,
      plugins: [sharedModules(b.out)],
    });
    const strays = Object.keys(result.metafile.inputs).filter((f) => !b.owns(f));
    if (strays.length) throw new Error(`${b.out} would hold a copy of ${strays.join(', ')}`);
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    const code = namespacesDirectly(exportDirectly(result.outputFiles[0].text, b.out));
    fs.writeFileSync(outfile, b.out === 'index.js' ? code : lazyCore(code, b.out));
    written.add(outfile);
  }
  // tsc's per-file JavaScript is not used any more, and would be a second copy of the core.
  for (const file of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const js = path.join(outDir, file.replace(/\.ts$/, '.js'));
    if (!written.has(js)) fs.rmSync(js, { force: true });
  }
  pruneDeclarations(outDir);
}

if (require.main === module) {
  bundleLib(process.argv[2] ? path.resolve(process.argv[2]) : undefined).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
