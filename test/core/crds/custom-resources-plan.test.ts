import { teamWorkloads } from '../../../examples/cdk8s-mcp-workloads/workloads';
import {
  customResource, MCP_GROUP_RESOURCE, MCP_SERVER_RESOURCE, ManifestsDeliverable, planOperatorInstall, planPlatform, RbacScope,
  registryExportAnnotations, ToolhiveCustomResource, ToolhiveOperatorOptions, VIRTUAL_MCP_SERVER_RESOURCE,
} from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { centralized } from '../../support/platform-fixtures';

const plan = (o: ToolhiveOperatorOptions) => planOperatorInstall(o);
const group = (ns: string) => customResource(MCP_GROUP_RESOURCE, { metadata: { name: 'research', namespace: ns }, spec: {} });
const server = (ns: string, spec: any = {}, annotations?: Record<string, string>) => customResource(MCP_SERVER_RESOURCE, {
  metadata: { name: 'fetch', namespace: ns, ...(annotations ? { annotations } : {}) },
  spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1', groupRef: { name: 'research' }, ...spec },
});

describe('custom resources in the operator plan', () => {
  test('applied after the CRDs and the operator, in an order that does not depend on declaration order', () => {
    const resources = teamWorkloads('research');
    const a = plan({ rbac: RbacScope.namespaces(['research']), customResources: resources });
    const b = plan({ rbac: RbacScope.namespaces(['research']), customResources: [...resources].reverse() });
    const last = a.deliverables[a.deliverables.length - 1] as ManifestsDeliverable;
    expect(last.id).toBe('toolhive-custom-resources');
    expect(last.dependsOn).toEqual(['toolhive-operator-namespace', 'toolhive-operator-crds', 'toolhive-operator']);
    expect(last.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'MCPGroup/research', 'MCPToolConfig/read-only-tools', 'MCPExternalAuthConfig/github-token', 'MCPServer/fetch', 'MCPServer/github', 'VirtualMCPServer/research-gateway',
    ]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expectValidObjects(last.objects);
  });

  test('a reference to an object that is neither in the plan nor declared external', () => {
    expect(issuesOf(() => plan({ customResources: [server('team-a')] }))).toEqual([
      { path: 'operator.customResources[0].spec.groupRef', message: expect.stringContaining('no MCPGroup named "research" in namespace "team-a"') },
    ]);
    expect(() => plan({ customResources: [server('team-a')], externalResources: [{ kind: 'MCPGroup', name: 'research', namespace: 'team-a' }] })).not.toThrow();
    expect(issuesOf(() => plan({ customResources: [group('team-b'), server('team-a')] })).map((i) => i.path)).toEqual(['operator.customResources[1].spec.groupRef']);
  });

  test.each([
    ['toolConfigRef', 'MCPToolConfig'], ['externalAuthConfigRef', 'MCPExternalAuthConfig'], ['authServerRef', 'MCPExternalAuthConfig'],
    ['oidcConfigRef', 'MCPOIDCConfig'], ['authzConfigRef', 'MCPAuthzConfig'], ['telemetryConfigRef', 'MCPTelemetryConfig'], ['webhookConfigRef', 'MCPWebhookConfig'],
  ])('an MCPServer whose %s names no %s in the plan is refused at that path; declared external, it is not', (field, kind) => {
    const s = server('team-a', { [field]: { name: 'missing' } });
    const at = `operator.customResources[1].spec.${field}`;
    expect(issuesOf(() => plan({ customResources: [group('team-a'), s] }))).toContainEqual({ path: at, message: expect.stringContaining(`no ${kind} named "missing"`) });
    let external: { path: string }[] = [];
    try {
      plan({ customResources: [group('team-a'), s], externalResources: [{ kind: kind as any, name: 'missing', namespace: 'team-a' }] });
    } catch (e: any) {
      external = e.issues ?? [];
    }
    expect(external.filter((i) => i.path === at && /no .* named/.test((i as any).message))).toEqual([]);
  });

  test('VirtualMCPServer references (group, incoming OIDC config) are checked too', () => {
    const vmcp = customResource(VIRTUAL_MCP_SERVER_RESOURCE, {
      metadata: { name: 'gw', namespace: 'team-a' },
      spec: { groupRef: { name: 'research' }, incomingAuth: { type: 'oidc', oidcConfigRef: { name: 'corp', audience: 'gw' } } },
    });
    expect(issuesOf(() => plan({ customResources: [group('team-a'), vmcp] })).map((i) => i.path)).toEqual(['operator.customResources[1].spec.incomingAuth.oidcConfigRef']);
  });

  test('a resource in a namespace the operator does not watch would never be reconciled', () => {
    const issues = issuesOf(() => plan({ rbac: RbacScope.namespaces(['team-a']), customResources: [group('team-b')] }));
    expect(issues).toEqual([{ path: 'operator.customResources[0].metadata.namespace', message: expect.stringContaining('not watched by this cluster\'s operator') }]);
  });

  test('schema and CEL problems carry the object\'s path', () => {
    const bad = [group('team-a'), server('team-a', { transport: 'carrier-pigeon', authzConfig: { type: 'inline', inline: { policies: ['p'] } }, authzConfigRef: { name: 'x' } })] as ToolhiveCustomResource[];
    const issues = issuesOf(() => plan({ customResources: bad, externalResources: [{ kind: 'MCPAuthzConfig', name: 'x', namespace: 'team-a' }] }));
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['operator.customResources[1].spec.transport', 'operator.customResources[1].spec']));
    // Each message names the object.
    for (const issue of issues) expect(issue.message).toMatch(/^MCPServer\/team-a\/fetch: /);
  });

  test('a non-ToolHive kind, a missing namespace, a duplicate', () => {
    const notToolhive = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } } as any;
    const noNamespace = customResource(MCP_GROUP_RESOURCE, { metadata: { name: 'g' }, spec: {} });
    expect(issuesOf(() => plan({ customResources: [notToolhive, noNamespace, group('a'), group('a')] })).map((i) => i.path)).toEqual([
      'operator.customResources[0].kind', 'operator.customResources[1].metadata.namespace', 'operator.customResources[3].metadata.name',
    ]);
  });

  test('registry export annotations: the typed props produce the trio and JSON values; the rules hold on raw annotations', () => {
    expect(registryExportAnnotations({ url: 'https://mcp.example.com/fetch', description: 'Fetch', tools: ['fetch'], version: 'v1.2.3', authzClaims: { groups: ['a'] } })).toEqual({
      'toolhive.stacklok.dev/authz-claims': '{"groups":["a"]}',
      'toolhive.stacklok.dev/registry-description': 'Fetch',
      'toolhive.stacklok.dev/registry-export': 'true',
      'toolhive.stacklok.dev/registry-url': 'https://mcp.example.com/fetch',
      'toolhive.stacklok.dev/registry-version': 'v1.2.3',
      'toolhive.stacklok.dev/tools': '["fetch"]',
    });
    expect(() => registryExportAnnotations({ url: 'not a url', description: 'x', version: '1.2' })).toThrow(/registry-url.*\n.*registry-version|registry-version[\s\S]*registry-url/);
    const raw = { 'toolhive.stacklok.dev/registry-export': 'true', 'toolhive.stacklok.dev/tools': 'fetch' };
    expect(issuesOf(() => plan({ customResources: [group('a'), server('a', {}, raw)] })).map((i) => i.path)).toEqual([
      'operator.customResources[1].metadata.annotations["toolhive.stacklok.dev/registry-description"]',
      'operator.customResources[1].metadata.annotations["toolhive.stacklok.dev/registry-url"]',
      'operator.customResources[1].metadata.annotations["toolhive.stacklok.dev/tools"]',
    ]);
  });

  test('the enterprise edition does not take custom resources (yet)', () => {
    const spec = centralized();
    const bad = { ...spec, clusters: { ...spec.clusters, 'us-east': { role: 'workload' as const, toolhiveOperator: { customResources: [group('a')] } } } };
    expect(issuesOf(() => planPlatform(bad)).map((i) => i.path)).toEqual(['clusters.us-east.toolhiveOperator.customResources']);
  });
});
