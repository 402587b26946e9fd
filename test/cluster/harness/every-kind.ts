/*
 * One custom resource of every ToolHive kind, built from the generated types, for the release
 * tests: a set any supported release accepts, and the same set with fields later releases added.
 */
import {
  customResource, EMBEDDING_SERVER_RESOURCE, EmbeddingServerProps, MCP_AUTHZ_CONFIG_RESOURCE, MCP_EXTERNAL_AUTH_CONFIG_RESOURCE,
  MCP_GROUP_RESOURCE, MCP_OIDC_CONFIG_RESOURCE, MCP_REGISTRY_RESOURCE, MCP_REMOTE_PROXY_RESOURCE, MCP_SERVER_ENTRY_RESOURCE,
  MCP_SERVER_RESOURCE, MCP_TELEMETRY_CONFIG_RESOURCE, MCP_TOOL_CONFIG_RESOURCE, MCP_WEBHOOK_CONFIG_RESOURCE, MCPAuthzConfigProps,
  MCPExternalAuthConfigProps, MCPGroupProps, MCPOIDCConfigProps, MCPRegistryProps, MCPRemoteProxyProps, MCPServerEntryProps,
  MCPServerProps, MCPTelemetryConfigProps, MCPToolConfigProps, MCPWebhookConfigProps, ToolhiveCustomResource,
  VIRTUAL_MCP_COMPOSITE_TOOL_DEFINITION_RESOURCE, VIRTUAL_MCP_SERVER_RESOURCE, VirtualMCPCompositeToolDefinitionProps,
  VirtualMCPServerProps,
} from '../../../src';

/**
 * Fields of the objects below that the oldest release does not have, with the release that
 * added each (the library's field history says the same; releases.cluster.ts checks the CRD
 * files), and what a kube-apiserver carrying the oldest release's CRDs does with each, sent by
 * server-side apply: refuses it (500 "field not declared in schema"), or, inside a subtree marked
 * `x-kubernetes-preserve-unknown-fields` (VirtualMCPServer `spec.config`), accepts the object
 * and silently drops the field. The library refuses both for the oldest release.
 */
export const NEWER_FIELDS: readonly { kind: string; field: string; since: string; oldestApiServer: 'refuses' | 'drops' }[] = [
  { kind: 'MCPServer', field: 'spec.proxyReadTimeout', since: '0.48.0', oldestApiServer: 'refuses' },
  { kind: 'MCPServer', field: 'spec.maxRequestBodySize', since: '0.47.0', oldestApiServer: 'refuses' },
  { kind: 'MCPRemoteProxy', field: 'spec.allowPrivateEndpoint', since: '0.45.0', oldestApiServer: 'refuses' },
  { kind: 'MCPTelemetryConfig', field: 'spec.prometheus.metricsOnTransportPort', since: '0.45.0', oldestApiServer: 'refuses' },
  { kind: 'VirtualMCPServer', field: 'spec.config.operational.listChanged', since: '0.50.0', oldestApiServer: 'drops' },
];

/**
 * One custom resource of every kind in `namespace`, typed by the generated props (`satisfies`),
 * referring to each other by name. With `newer`, they also set {@link NEWER_FIELDS}.
 */
export function everyKind(namespace: string, newer: boolean): ToolhiveCustomResource[] {
  const metadata = (name: string) => ({ name, namespace, labels: { 'example.com/team': 'platform' } });
  return [
    customResource(MCP_GROUP_RESOURCE, { metadata: metadata('engineering'), spec: { description: 'Engineering tools' } } satisfies MCPGroupProps),
    customResource(MCP_TOOL_CONFIG_RESOURCE, {
      metadata: metadata('fetch-only'),
      spec: { toolsFilter: ['fetch'], toolsOverride: { fetch: { name: 'web_fetch', description: 'Fetches a web page' } } },
    } satisfies MCPToolConfigProps),
    customResource(MCP_EXTERNAL_AUTH_CONFIG_RESOURCE, {
      metadata: metadata('api-key'),
      spec: { type: 'headerInjection', headerInjection: { headerName: 'X-API-Key', valueSecretRef: { name: 'github-api', key: 'token' } } },
    } satisfies MCPExternalAuthConfigProps),
    customResource(MCP_OIDC_CONFIG_RESOURCE, {
      metadata: metadata('company-idp'),
      spec: { type: 'inline', inline: { issuer: 'https://idp.example.com', clientId: 'toolhive', jwksUrl: 'https://idp.example.com/jwks' } },
    } satisfies MCPOIDCConfigProps),
    customResource(MCP_AUTHZ_CONFIG_RESOURCE, {
      metadata: metadata('read-only'),
      spec: { type: 'cedarv1', config: { policies: ['permit(principal, action == Action::"call_tool", resource);'] } },
    } satisfies MCPAuthzConfigProps),
    customResource(MCP_TELEMETRY_CONFIG_RESOURCE, {
      metadata: metadata('otel'),
      spec: {
        openTelemetry: { enabled: true, endpoint: 'otel-collector.monitoring:4317', insecure: true, resourceAttributes: { 'deployment.environment': 'test' } },
        prometheus: { enabled: true, ...(newer ? { metricsOnTransportPort: true } : {}) },
      },
    } satisfies MCPTelemetryConfigProps),
    customResource(MCP_WEBHOOK_CONFIG_RESOURCE, {
      metadata: metadata('policy'),
      spec: { validating: [{ name: 'policy', url: 'https://policy.example.com/validate' }] },
    } satisfies MCPWebhookConfigProps),
    customResource(EMBEDDING_SERVER_RESOURCE, {
      metadata: metadata('embeddings'),
      spec: { model: 'BAAI/bge-small-en-v1.5', resources: { limits: { cpu: '1', memory: '2Gi' } } },
    } satisfies EmbeddingServerProps),
    customResource(MCP_REGISTRY_RESOURCE, { metadata: metadata('registry'), spec: { configYAML: 'sources: []\n', displayName: 'Team registry' } } satisfies MCPRegistryProps),
    customResource(MCP_SERVER_RESOURCE, {
      metadata: metadata('fetch'),
      spec: {
        image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1',
        transport: 'streamable-http',
        proxyPort: 8080,
        mcpPort: 8080,
        groupRef: { name: 'engineering' },
        toolConfigRef: { name: 'fetch-only' },
        externalAuthConfigRef: { name: 'api-key' },
        oidcConfigRef: { name: 'company-idp', audience: 'fetch' },
        authzConfigRef: { name: 'read-only' },
        telemetryConfigRef: { name: 'otel' },
        webhookConfigRef: { name: 'policy' },
        env: [{ name: 'LOG_LEVEL', value: 'debug' }],
        secrets: [{ name: 'github-api', key: 'token', targetEnvName: 'GITHUB_TOKEN' }],
        // CEL: rate limiting needs Redis session storage, which needs an address.
        sessionStorage: { provider: 'redis', address: 'redis.cache.svc:6379' },
        rateLimiting: { shared: { maxTokens: 100, refillPeriod: '1m' } },
        resources: { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
        ...(newer ? { proxyReadTimeout: '30s', maxRequestBodySize: 1048576 } : {}),
      },
    } satisfies MCPServerProps),
    customResource(MCP_REMOTE_PROXY_RESOURCE, {
      metadata: metadata('remote'),
      spec: {
        remoteUrl: 'https://mcp.example.com/mcp',
        transport: 'streamable-http',
        groupRef: { name: 'engineering' },
        oidcConfigRef: { name: 'company-idp', audience: 'remote' },
        ...(newer ? { allowPrivateEndpoint: true } : {}),
      },
    } satisfies MCPRemoteProxyProps),
    customResource(MCP_SERVER_ENTRY_RESOURCE, {
      metadata: metadata('docs'),
      spec: { groupRef: { name: 'engineering' }, remoteUrl: 'https://docs.example.com/mcp', transport: 'streamable-http' },
    } satisfies MCPServerEntryProps),
    customResource(VIRTUAL_MCP_COMPOSITE_TOOL_DEFINITION_RESOURCE, {
      metadata: metadata('fetch-twice'),
      spec: { name: 'fetch_twice', description: 'Fetches twice', steps: [{ id: 'first', tool: 'fetch.fetch' }, { id: 'second', tool: 'fetch.fetch', dependsOn: ['first'] }] },
    } satisfies VirtualMCPCompositeToolDefinitionProps),
    customResource(VIRTUAL_MCP_SERVER_RESOURCE, {
      metadata: metadata('gateway'),
      spec: {
        groupRef: { name: 'engineering' },
        incomingAuth: { type: 'anonymous' },
        config: {
          compositeToolRefs: [{ name: 'fetch-twice' }],
          ...(newer ? { operational: { listChanged: { enabled: true } } } : {}),
        },
      },
    } satisfies VirtualMCPServerProps),
  ];
}
