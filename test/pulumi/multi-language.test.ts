import * as path from 'path';
import { Analyzer } from '@pulumi/pulumi/provider/experimental/analyzer';

jest.setTimeout(120_000);

/*
 * Pulumi's own analyzer (what `pulumi package add` runs to generate SDKs for Python, Go, C#...)
 * must accept every component's args and outputs: interfaces, enums as named constants, no
 * unions besides `T | undefined`, no inline object types.
 */
describe('Pulumi components are analyzable for other languages', () => {
  const root = path.resolve(__dirname, '..', '..');
  const analyze = () => new Analyzer(root, 'toolhive-constructs', { name: 'toolhive-constructs', main: 'src/pulumi/index.js' },
    new Set(['ToolhiveOperator', 'RegistryServer', 'ToolhivePlatform'])).analyze();

  test('ToolhiveOperator, RegistryServer and ToolhivePlatform: args and outputs', () => {
    const result = analyze();
    expect(Object.keys(result.components).sort()).toEqual(['RegistryServer', 'ToolhiveOperator', 'ToolhivePlatform']);
    const op = result.components.ToolhiveOperator as any;
    expect(Object.keys(op.inputs)).toEqual(expect.arrayContaining(['provider', 'delivery', 'rbac', 'crds', 'images', 'values']));
    expect(op.inputs.provider.$ref ?? op.inputs.provider.ref).toMatch(/kubernetes/);
    expect(Object.keys(op.outputs).sort()).toEqual(['namespace', 'releaseNames']);
    expect(Object.keys((result.components.ToolhivePlatform as any).outputs).sort()).toEqual(['clusterNames', 'endpoints']);
  });
});
