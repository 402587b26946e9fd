import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

describe('toolchain', () => {
  test('tests run on the project\'s own Node 22 or newer', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  test('package.json declares Node 22+ and TypeScript 5.9', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect(pkg.engines.node).toBe('>= 22.0.0');
    expect(pkg.devDependencies.typescript).toBe('~5.9.3');
    expect(ts.version).toMatch(/^5\.9\./);
  });

  test('cdk8s and Pulumi are optional peer dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    for (const dep of ['cdk8s', 'constructs', '@pulumi/pulumi', '@pulumi/kubernetes']) {
      expect(pkg.peerDependencies[dep]).toBeDefined();
      expect(pkg.peerDependenciesMeta[dep]).toEqual({ optional: true });
      expect(pkg.dependencies?.[dep]).toBeUndefined();
    }
    expect(Object.keys(pkg.exports)).toEqual(['.', './cdk8s', './pulumi', './package.json']);
  });
});
