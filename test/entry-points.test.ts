import { execFileSync } from 'child_process';
import * as path from 'path';

jest.setTimeout(60_000);
const root = path.resolve(__dirname, '..');

/** Loads an entry point in a fresh Node process and lists the packages it pulled in. */
function loadedPackages(entry: string): string[] {
  const script = `require(${JSON.stringify(path.join(root, entry))});
    const pkgs = new Set(Object.keys(require.cache).map((f) => (f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/) || [])[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...pkgs].sort()));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.dev.json') } });
  return JSON.parse(out);
}

describe('entry points load only their own framework', () => {
  test('toolhive-constructs/pulumi never loads cdk8s or constructs', () => {
    const pkgs = loadedPackages('src/pulumi/index.ts');
    expect(pkgs).toContain('@pulumi/pulumi');
    expect(pkgs.filter((p) => p === 'cdk8s' || p === 'constructs')).toEqual([]);
  });

  test('toolhive-constructs/cdk8s never loads @pulumi/*', () => {
    const pkgs = loadedPackages('src/cdk8s/index.ts');
    expect(pkgs).toContain('cdk8s');
    expect(pkgs.filter((p) => p.startsWith('@pulumi/'))).toEqual([]);
  });

  test('the core loads neither', () => {
    const pkgs = loadedPackages('src/index.ts');
    expect(pkgs.filter((p) => p === 'cdk8s' || p === 'constructs' || p.startsWith('@pulumi/'))).toEqual([]);
  });
});
