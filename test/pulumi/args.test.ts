import * as fs from 'fs';
import { ARGS_FILE, generatePulumiArgs } from '../../scripts/gen-pulumi-args';
import {
  AiGatewayOptions, CloudUiOptions, EnterpriseManagerOptions, EnterpriseReleaseOptions, GlobalOptions, IRbacScope, OperatorChartValues,
  RegistryLayeringOptions, RegistryServerChartValues, RegistryServerConfig, ToolhiveCustomResource,
} from '../../src';
import {
  AiGatewayArgs, CloudUiArgs, EnterpriseManagerArgs, EnterpriseReleaseArgs, GlobalArgs, OperatorChartValuesArgs, OperatorSettingsArgs,
  PlatformClusterArgs, RbacScopeArgs, RegistryLayeringArgs, RegistryServerChartValuesArgs, RegistryServerConfigArgs, RegistryServerSettingsArgs,
  ToolhiveCustomResourceArgs, ToolhivePlatformArgs,
} from '../../src/pulumi';

jest.setTimeout(60_000);

describe('Pulumi args are generated from the core\'s option types', () => {
  test('src/pulumi/core-args.ts is what scripts/gen-pulumi-args.ts generates (run it when this fails)', () => {
    expect(fs.readFileSync(ARGS_FILE, 'utf8')).toBe(generatePulumiArgs());
  });

  test('every generated args type is a valid core type (compile-time: a core type change that the args miss fails to compile)', () => {
    // Each line compiles only while the args are assignable to the core's type.
    const asCore = {
      enterpriseManager: (a: EnterpriseManagerArgs): EnterpriseManagerOptions => a,
      cloudUi: (a: CloudUiArgs): CloudUiOptions => a,
      aiGateway: (a: AiGatewayArgs): AiGatewayOptions => a,
      global: (a: GlobalArgs): GlobalOptions => a,
      enterprise: (a: EnterpriseReleaseArgs): EnterpriseReleaseOptions => a,
      registryLayering: (a: RegistryLayeringArgs): RegistryLayeringOptions => a,
      registryConfig: (a: RegistryServerConfigArgs): RegistryServerConfig => a,
      operatorValues: (a: OperatorChartValuesArgs): OperatorChartValues => a,
      registryValues: (a: RegistryServerChartValuesArgs): RegistryServerChartValues => a,
      customResource: (a: ToolhiveCustomResourceArgs): ToolhiveCustomResource => a,
      rbac: (a: RbacScopeArgs): IRbacScope => a,
    };
    expect(Object.keys(asCore)).toHaveLength(11);
  });

  test('the args name the core\'s types where the hand copies had `{ [key: string]: any }`', () => {
    // Compile-time: typed members are checked (an unknown key or a wrong enum value does not compile).
    const cluster: Omit<PlatformClusterArgs, 'provider'> = {
      role: 'control',
      enterpriseManager: {
        idp: { issuer: 'https://idp.example.com', audience: 'em', type: 'okta' },
        signing: { existingSecret: 'em-signing' },
        resourceUrl: 'https://config.example.com',
        clientId: 'em',
      },
      global: { postgres: { host: 'pg', sslMode: 'verify-full' } },
    };
    const platform: Omit<ToolhivePlatformArgs, 'clusters'> = {
      registryLayering: { promotion: 'git', environments: [{ name: 'production', cluster: 'control', claims: { org: 'acme' } }] },
    };
    const operator: OperatorSettingsArgs = { crds: { directory: '/crds', keep: true }, rbac: { scope: 'namespace', allowedNamespaces: ['a'] } };
    const registry: RegistryServerSettingsArgs['config'] = { database: { host: 'pg', port: 5432, user: 'registry', database: 'registry', sslMode: 'require' }, auth: { mode: 'anonymous' } };
    expect([cluster.role, platform.registryLayering!.promotion, operator.crds!.directory, registry.database!.sslMode]).toEqual(['control', 'git', '/crds', 'require']);
  });
});
