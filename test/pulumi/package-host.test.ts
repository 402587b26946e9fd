/*
 * The component package's provider host (pulumi-plugin/, src/pulumi/package-host.ts), as the
 * engine drives it for a Python, Go or YAML program: the schema it serves, a component built from
 * the inputs the engine deserialized, and a validation error as the message that crosses the
 * language boundary (the engine shows a construct error's message; nothing else of it).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { PLUGIN_DIR } from '../../scripts/gen-pulumi-schema';
import { PACKAGE_COMPONENTS, ToolhiveComponentProvider } from '../../src/pulumi';
import { installPulumiMocks, valueOf } from '../support/pulumi-mocks';

jest.setTimeout(60_000);
installPulumiMocks();

const OPERATOR = 'toolhive-constructs:index:ToolhiveOperator';

describe('the component package\'s provider host', () => {
  const host = new ToolhiveComponentProvider(PLUGIN_DIR);

  test('serves the generated schema, as the package name and version', async () => {
    expect(await host.getSchema()).toBe(fs.readFileSync(path.join(PLUGIN_DIR, 'schema.json'), 'utf8'));
    expect([host.version, Object.keys(PACKAGE_COMPONENTS).sort()]).toEqual([
      JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')).version,
      ['RegistryServer', 'ToolhiveOperator', 'ToolhivePlatform'],
    ]);
  });

  test('constructs a component from the engine\'s inputs and returns its outputs, as the schema names them', async () => {
    const provider = new kubernetes.Provider('host-cluster', { kubeconfig: 'unused' });
    const result = await host.construct('host-op', OPERATOR, { provider, rbac: { scope: 'namespace', allowedNamespaces: ['team-a'] } }, {});
    expect(Object.keys(result.state).sort()).toEqual(['namespace', 'releaseNames']);
    expect(await valueOf(result.state.namespace as pulumi.Output<string>)).toBe('toolhive-system');
    expect(await valueOf(result.state.releaseNames as pulumi.Output<unknown>)).toEqual({ operator: 'toolhive-operator', crds: 'toolhive-operator-crds' });
  });

  test('a validation error is the library\'s message, every problem with its path, and no Node.js stack', async () => {
    const provider = new kubernetes.Provider('host-bad', { kubeconfig: 'unused' });
    const error = await host.construct('bad-op', OPERATOR, { provider, delivery: 'kustomize', rbac: { scope: 'namespace', allowedNamespaces: [] } }, {})
      .then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = error!.message;
    expect(message.split('\n')[0]).toBe('Invalid ToolhiveOperator "bad-op" (2 problems):');
    expect(message).toMatch(/^ {2}- delivery: .*"manifests".*"helm"/m);
    expect(message).toMatch(/^ {2}- operator\.rbac\.allowedNamespaces: namespace scope needs at least one namespace/m);
    expect(message).not.toMatch(/^\s+at /m);
    expect(message).not.toMatch(/\.js:\d+/);
  });

  test('an unknown component type is refused', async () => {
    await expect(host.construct('x', 'toolhive-constructs:index:Nope', {}, {})).rejects.toThrow(/Component class not found for 'Nope'/);
  });
});
