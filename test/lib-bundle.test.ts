/*
 * The published layout: lib/ as the post-compile step bundles it (scripts/bundle-lib.ts), built
 * here into a temporary folder inside the checkout (so that node_modules resolves) and loaded
 * in fresh Node processes. The other tests run the TypeScript sources.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

jest.setTimeout(120_000);
const root = path.resolve(__dirname, '..');
let lib: string;

beforeAll(() => {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
  lib = fs.mkdtempSync(path.join(root, '.cache', 'lib-bundle-'));
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(root, 'scripts', 'bundle-lib.ts'), lib], { cwd: root, stdio: 'pipe' });
});
afterAll(() => fs.rmSync(lib, { recursive: true, force: true }));

/** Runs `body` in a fresh Node process with `lib` (the folder) and `loaded()` in scope; returns its JSON output. */
function run(body: string): any {
  const script = `const lib = ${JSON.stringify(lib)};
    const loaded = () => Object.keys(require.cache).map((f) => f.startsWith(lib + '/') ? f.slice(lib.length + 1) : (f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/) || [])[1]).filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).sort();
    ${body}`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

test('each entry point is one file, over one shared core; the CEL validator is loaded on first use', () => {
  expect(fs.readdirSync(lib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).sort())
    .toEqual(['cdk8s/index.js', 'core/crds/validate.js', 'index.js', 'pulumi/index.js']);
  // The adapters load the core on first use: an import reads cdk8s and the adapter only.
  expect(run(`const { ToolhiveOperator } = require(lib + "/cdk8s/index.js"); const before = loaded();
    try { new ToolhiveOperator(require('cdk8s').Testing.chart(), 'op', { namespace: 'Nope' }); } catch (e) { /* the core judged it */ }
    console.log(JSON.stringify({ before, after: loaded().filter((f) => !before.includes(f)) }));`))
    .toEqual({ before: ['cdk8s', 'cdk8s/index.js', 'constructs'], after: ['index.js'] });
  const pulumi: string[] = run('require(lib + "/pulumi/index.js"); console.log(JSON.stringify(loaded()));');
  expect(pulumi).toEqual(expect.arrayContaining(['pulumi/index.js', '@pulumi/pulumi', '@pulumi/kubernetes']));
  expect(pulumi.filter((p) => p === 'index.js' || p === 'cdk8s' || p === 'constructs' || p === 'core/crds/validate.js')).toEqual([]);
  expect(run(`const core = require(lib + '/index.js'); const before = loaded();
    core.validateCustomResource({ apiVersion: 'v1', kind: 'ConfigMap' }, new Map());
    console.log(JSON.stringify({ before, after: loaded().filter((f) => !before.includes(f)) }));`))
    .toEqual({ before: ['index.js'], after: expect.arrayContaining(['core/crds/validate.js', '@bufbuild/cel']) });
});

test('ToolhiveValidationError from either adapter is the class exported by the core', () => {
  expect(run(`const { Testing } = require('cdk8s');
    const { ToolhiveOperator } = require(lib + '/cdk8s/index.js');
    const { ToolhiveValidationError } = require(lib + '/index.js');
    let error; try { new ToolhiveOperator(Testing.chart(), 'op', { namespace: 'Nope' }); } catch (e) { error = e; }
    console.log(JSON.stringify({ name: error && error.name, same: error instanceof ToolhiveValidationError }));`))
    .toEqual({ name: 'ToolhiveValidationError', same: true });
  expect(run(`const pulumi = require('@pulumi/pulumi');
    void pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + '-id', state: a.inputs }), call: (a) => a.inputs }, 'p', 's', false);
    const provider = new (require('@pulumi/kubernetes').Provider)('k8s', {});
    const { ToolhiveOperator } = require(lib + '/pulumi/index.js');
    const { ToolhiveValidationError } = require(lib + '/index.js');
    let error; try { new ToolhiveOperator('op', { provider, rbac: { scope: 'namespace', allowedNamespaces: ['Nope'] } }); } catch (e) { error = e; }
    console.log(JSON.stringify({ name: error && error.name, same: error instanceof ToolhiveValidationError,
      resourceError: pulumi.ResourceError.isInstance(error), paths: error.issues.map((i) => i.path) }));`))
    .toEqual({ name: 'ToolhiveValidationError', same: true, resourceError: true, paths: ['operator.rbac.allowedNamespaces[0]'] });
});
