/*
 * The MCP workloads of one team: a group of MCP servers sharing a tool config and an external
 * auth config, aggregated by a VirtualMCPServer. Typed by the props generated from the CRDs;
 * shared by the cdk8s and Pulumi examples.
 */
import {
  customResource, MCP_EXTERNAL_AUTH_CONFIG_RESOURCE, MCP_GROUP_RESOURCE, MCP_SERVER_RESOURCE, MCP_TOOL_CONFIG_RESOURCE,
  registryExportAnnotations, ToolhiveCustomResource, VIRTUAL_MCP_SERVER_RESOURCE,
} from 'toolhive-constructs';

/** The team's resources in `namespace`. */
export function teamWorkloads(namespace: string): ToolhiveCustomResource[] {
  const metadata = (name: string, annotations?: { [key: string]: string }) => ({ name, namespace, ...(annotations ? { annotations } : {}) });
  return [
    customResource(MCP_GROUP_RESOURCE, { metadata: metadata('research'), spec: { description: 'Research tools' } }),
    customResource(MCP_TOOL_CONFIG_RESOURCE, { metadata: metadata('read-only-tools'), spec: { toolsFilter: ['fetch', 'search_repositories', 'get_file_contents'] } }),
    customResource(MCP_EXTERNAL_AUTH_CONFIG_RESOURCE, {
      metadata: metadata('github-token'),
      spec: { type: 'headerInjection', headerInjection: { headerName: 'Authorization', valueSecretRef: { name: 'github-token', key: 'header' } } },
    }),
    customResource(MCP_SERVER_RESOURCE, {
      metadata: metadata('fetch'),
      spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1', transport: 'streamable-http', groupRef: { name: 'research' }, toolConfigRef: { name: 'read-only-tools' } },
    }),
    customResource(MCP_SERVER_RESOURCE, {
      metadata: metadata('github', registryExportAnnotations({ url: 'https://mcp.example.com/research/github', description: 'GitHub, read-only', tools: ['search_repositories', 'get_file_contents'] })),
      spec: {
        image: 'ghcr.io/github/github-mcp-server:v0.20.2',
        transport: 'stdio',
        groupRef: { name: 'research' },
        toolConfigRef: { name: 'read-only-tools' },
        externalAuthConfigRef: { name: 'github-token' },
      },
    }),
    customResource(VIRTUAL_MCP_SERVER_RESOURCE, {
      metadata: metadata('research-gateway'),
      spec: { groupRef: { name: 'research' }, incomingAuth: { type: 'anonymous' } },
    }),
  ];
}
