import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ANY_ALLOWED, ARGS_FILE, generatePulumiArgs } from '../../scripts/gen-pulumi-args';
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
      registryLayering: { promotion: 'git', environments: [{ name: 'production', cluster: 'control', claims: { org: ['acme'] } }] },
    };
    const operator: OperatorSettingsArgs = { crds: { directory: '/crds', keep: true }, rbac: { scope: 'namespace', allowedNamespaces: ['a'] } };
    const registry: RegistryServerSettingsArgs['config'] = { database: { host: 'pg', port: 5432, user: 'registry', database: 'registry', sslMode: 'require' }, auth: { mode: 'anonymous' } };
    expect([cluster.role, platform.registryLayering!.promotion, operator.crds!.directory, registry.database!.sslMode]).toEqual(['control', 'git', '/crds', 'require']);
  });

  test('no `any` at the boundary but the documented few (scripts/gen-pulumi-args.ts ANY_ALLOWED): an open map that comes back fails', () => {
    const source = ts.createSourceFile('core-args.ts', fs.readFileSync(ARGS_FILE, 'utf8'), ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.ObjectKeyword) {
        let member: ts.Node = node;
        // The interface's own member (an inline map's index signature belongs to the property).
        const own = (n: ts.Node) => (ts.isPropertySignature(n) || ts.isIndexSignatureDeclaration(n)) && ts.isInterfaceDeclaration(n.parent);
        while (!own(member)) member = member.parent;
        const owner = (member.parent as ts.InterfaceDeclaration).name.text;
        found.push(`${owner}.${ts.isPropertySignature(member) ? member.name.getText() : '[key]'}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(found.sort()).toEqual([
      'AiGatewayArgs.values', 'CloudUiArgs.values', 'EnterpriseManagerArgs.values', // raw chart values, merged last
      'HttpGetActionArgs.port', // a port number or name (IntOrString): no union for other languages
      'RegistryServerChartValuesArgs.initContainers', // @pulumi/kubernetes's Container has IntOrString unions
      'ToolhiveCustomResourceArgs.spec', // the spec of any ToolHive kind
    ]);
    expect(Object.keys(ANY_ALLOWED).sort()).toEqual([
      'AiGatewayOptions.values', 'CloudUiOptions.values', 'EnterpriseManagerOptions.values', 'HttpGetAction.port',
      'RegistryServerChartValues.initContainers', 'ToolhiveCustomResource.spec',
    ]);
  });

  test('Kubernetes structures are @pulumi/kubernetes input types, claims lists of strings (compile-time)', () => {
    const values: RegistryServerChartValuesArgs = {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['mcp'] }] }] } } },
      extraVolumes: [{ name: 'pgpass', secret: { secretName: 'pgpass', defaultMode: 0o600 } }],
      extraVolumeMounts: [{ name: 'pgpass', mountPath: '/pgpass' }],
      extraEnvFrom: [{ secretRef: { name: 'registry-env' } }],
      config: { auth: { authz: { roles: { superAdmin: [{ groups: ['admins', 'sre'] }] } } } },
    };
    const core: RegistryServerChartValues = values;
    expect(core.config?.auth?.authz?.roles?.superAdmin).toEqual([{ groups: ['admins', 'sre'] }]);
  });

  test('every arg of every interface the Pulumi entry point exports has a summary, and every optional one a @default', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'pulumi');
    const missing: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
      for (const decl of source.statements.filter(ts.isInterfaceDeclaration)) {
        if (!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
        for (const m of decl.members.filter(ts.isPropertySignature)) {
          const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
          const summary = docs.some((d) => typeof d.comment === 'string' ? d.comment.trim() !== '' : (d.comment?.length ?? 0) > 0);
          const hasDefault = docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === 'default'));
          const at = `${file}: ${decl.name.text}.${m.name.getText()}`;
          if (!summary) missing.push(`${at} (summary)`);
          if (m.questionToken && !hasDefault) missing.push(`${at} (@default)`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
