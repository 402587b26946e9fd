import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RE2JS } from '@bufbuild/re2';
import { parse } from 'yaml';
import { GENERATED_DIR, writeCrdTypes } from '../../../scripts/gen-crd-types';
import { FIELD_HISTORY_FILE } from '../../../scripts/gen-field-history';
import { CrdSource, crdFileName, TOOLHIVE_API_GROUP, TOOLHIVE_CRDS } from '../../../src';
import * as generated from '../../../src/core/crds/generated';
import {
  EMBEDDING_SERVER_RESOURCE, EmbeddingServerProps, MCP_AUTHZ_CONFIG_RESOURCE, MCP_EXTERNAL_AUTH_CONFIG_RESOURCE, MCP_GROUP_RESOURCE,
  MCP_OIDC_CONFIG_RESOURCE, MCP_REGISTRY_RESOURCE, MCP_REMOTE_PROXY_RESOURCE, MCP_SERVER_ENTRY_RESOURCE, MCP_SERVER_RESOURCE,
  MCP_TELEMETRY_CONFIG_RESOURCE, MCP_TOOL_CONFIG_RESOURCE, MCP_WEBHOOK_CONFIG_RESOURCE, MCPAuthzConfigProps, MCPExternalAuthConfigProps,
  MCPGroupProps, MCPOIDCConfigProps, MCPRegistryProps, MCPRemoteProxyProps, MCPServerEntryProps, MCPServerProps, MCPTelemetryConfigProps,
  MCPToolConfigProps, MCPWebhookConfigProps, VIRTUAL_MCP_COMPOSITE_TOOL_DEFINITION_RESOURCE, VIRTUAL_MCP_SERVER_RESOURCE,
  VirtualMCPCompositeToolDefinitionProps, VirtualMCPServerProps,
} from '../../../src/core/crds/generated';
import { celRuleCoverage, checkCustomResource, validateCustomResource, validateCustomResources } from '../../../src/core/crds/validate';
import { labelValueProblem, qualifiedNameProblem } from '../../../src/core/rules/labels';
import { toolhiveUpstream } from '../../support/upstream';

const upstream = toolhiveUpstream();
const crds = CrdSource.fromDirectory(upstream.crdsDir).load();

/** A custom resource object from its generated type constant and typed props. */
function resource(type: { readonly apiVersion: string; readonly kind: string }, props: { metadata: object; spec: object }): any {
  return { apiVersion: type.apiVersion, kind: type.kind, ...props };
}

const metadata = (name: string) => ({ name, namespace: 'team-a' });

/** One small, valid object of every kind, typed by the generated props. */
const MINIMAL: Record<string, any> = {
  embeddingservers: resource(EMBEDDING_SERVER_RESOURCE, {
    metadata: metadata('embeddings'),
    spec: { model: 'BAAI/bge-small-en-v1.5' },
  } satisfies EmbeddingServerProps),
  mcpauthzconfigs: resource(MCP_AUTHZ_CONFIG_RESOURCE, {
    metadata: metadata('read-only'),
    spec: { type: 'cedarv1', config: { policies: ['permit(principal, action == Action::"call_tool", resource);'] } },
  } satisfies MCPAuthzConfigProps),
  mcpexternalauthconfigs: resource(MCP_EXTERNAL_AUTH_CONFIG_RESOURCE, {
    metadata: metadata('api-key'),
    spec: { type: 'headerInjection', headerInjection: { headerName: 'X-API-Key', valueSecretRef: { name: 'github-api', key: 'token' } } },
  } satisfies MCPExternalAuthConfigProps),
  mcpgroups: resource(MCP_GROUP_RESOURCE, { metadata: metadata('engineering'), spec: { description: 'Engineering tools' } } satisfies MCPGroupProps),
  mcpoidcconfigs: resource(MCP_OIDC_CONFIG_RESOURCE, {
    metadata: metadata('cluster-tokens'),
    spec: { type: 'kubernetesServiceAccount', kubernetesServiceAccount: {} },
  } satisfies MCPOIDCConfigProps),
  mcpregistries: resource(MCP_REGISTRY_RESOURCE, {
    metadata: metadata('registry'),
    spec: { configYAML: 'sources: []\n' },
  } satisfies MCPRegistryProps),
  mcpremoteproxies: resource(MCP_REMOTE_PROXY_RESOURCE, {
    metadata: metadata('remote'),
    spec: { remoteUrl: 'https://mcp.example.com/mcp' },
  } satisfies MCPRemoteProxyProps),
  mcpserverentries: resource(MCP_SERVER_ENTRY_RESOURCE, {
    metadata: metadata('docs'),
    spec: { groupRef: { name: 'engineering' }, remoteUrl: 'https://docs.example.com/mcp', transport: 'streamable-http' },
  } satisfies MCPServerEntryProps),
  mcpservers: resource(MCP_SERVER_RESOURCE, {
    metadata: metadata('fetch'),
    spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1' },
  } satisfies MCPServerProps),
  mcptelemetryconfigs: resource(MCP_TELEMETRY_CONFIG_RESOURCE, {
    metadata: metadata('otel'),
    spec: { openTelemetry: { enabled: true, endpoint: 'otel-collector.monitoring:4317' } },
  } satisfies MCPTelemetryConfigProps),
  mcptoolconfigs: resource(MCP_TOOL_CONFIG_RESOURCE, { metadata: metadata('fetch-only'), spec: { toolsFilter: ['fetch'] } } satisfies MCPToolConfigProps),
  mcpwebhookconfigs: resource(MCP_WEBHOOK_CONFIG_RESOURCE, {
    metadata: metadata('policy'),
    spec: { validating: [{ name: 'policy', url: 'https://policy.example.com/validate' }] },
  } satisfies MCPWebhookConfigProps),
  virtualmcpcompositetooldefinitions: resource(VIRTUAL_MCP_COMPOSITE_TOOL_DEFINITION_RESOURCE, {
    metadata: metadata('fetch-twice'),
    spec: { name: 'fetch_twice', steps: [{ id: 'first', tool: 'fetch.fetch' }, { id: 'second', tool: 'fetch.fetch', dependsOn: ['first'] }] },
  } satisfies VirtualMCPCompositeToolDefinitionProps),
  virtualmcpservers: resource(VIRTUAL_MCP_SERVER_RESOURCE, {
    metadata: metadata('gateway'),
    spec: { groupRef: { name: 'engineering' }, incomingAuth: { type: 'anonymous' } },
  } satisfies VirtualMCPServerProps),
};

/** A deep copy of a minimal object with its spec changed by `patch` (undefined members delete). */
function withSpec(plural: string, patch: Record<string, unknown>): any {
  const obj = JSON.parse(JSON.stringify(MINIMAL[plural]));
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete obj.spec[k];
    else obj.spec[k] = v;
  }
  return obj;
}

describe('generated custom resource types', () => {
  test('are what scripts/gen-crd-types.ts generates from the CRDs (run `npx projen gen:crd-types` when this fails)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-types-'));
    try {
      const written = writeCrdTypes(upstream.crdsDir, out);
      // field-history.ts is the other generator's (scripts/gen-field-history.ts), checked in releases.test.ts.
      const committed = fs.readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.ts') && f !== path.basename(FIELD_HISTORY_FILE)).sort();
      expect(committed).toEqual(written);
      expect(written).toEqual(['index.ts', 'metadata.ts', ...TOOLHIVE_CRDS.map((c) => `${c.plural}.ts`)].sort());
      for (const file of written) {
        expect(`${file}:\n${fs.readFileSync(path.join(GENERATED_DIR, file), 'utf8')}`).toBe(`${file}:\n${fs.readFileSync(path.join(out, file), 'utf8')}`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('generation is deterministic', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-types-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-types-b-'));
    try {
      writeCrdTypes(upstream.crdsDir, a);
      writeCrdTypes(upstream.crdsDir, b);
      for (const file of fs.readdirSync(a)) expect(fs.readFileSync(path.join(b, file), 'utf8')).toBe(fs.readFileSync(path.join(a, file), 'utf8'));
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });

  test('no upstream description text is copied into the generated files', () => {
    const output = fs.readdirSync(GENERATED_DIR).map((f) => fs.readFileSync(path.join(GENERATED_DIR, f), 'utf8')).join('\n');
    let checked = 0;
    for (const { plural } of TOOLHIVE_CRDS) {
      const crd = parse(fs.readFileSync(path.join(upstream.crdsDir, crdFileName(plural)), 'utf8'));
      for (const description of descriptions(crd.spec.versions)) {
        // Sentences of four words or more: short ones ("Name of the secret") could match by chance.
        for (const sentence of description.split(/[.\n]/).map((s) => s.trim()).filter((s) => s.split(/\s+/).length >= 4)) {
          checked++;
          if (output.includes(sentence)) throw new Error(`upstream text copied into the generated types: ${JSON.stringify(sentence)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  test('a constant per kind names the storage version, the kind and the plural', () => {
    const constants = Object.entries(generated).filter(([name]) => name.endsWith('_RESOURCE')).map(([, value]) => value);
    expect(constants).toHaveLength(14);
    for (const crd of TOOLHIVE_CRDS) {
      expect(constants).toContainEqual({ apiVersion: `${TOOLHIVE_API_GROUP}/${crd.storageVersion}`, kind: crd.kind, plural: crd.plural });
    }
    expect(MCP_WEBHOOK_CONFIG_RESOURCE.apiVersion).toBe('toolhive.stacklok.dev/v1alpha1');
    expect(MCP_SERVER_RESOURCE).toEqual({ apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPServer', plural: 'mcpservers' });
  });

  test('MCPRegistry types are deprecated in favour of the Registry Server; no other kind is', () => {
    const text = (plural: string) => fs.readFileSync(path.join(GENERATED_DIR, `${plural}.ts`), 'utf8');
    const registry = text('mcpregistries');
    for (const declaration of ['export const MCP_REGISTRY_RESOURCE', 'export interface MCPRegistryProps', 'export interface MCPRegistrySpec {']) {
      const before = registry.slice(0, registry.indexOf(declaration));
      expect(before.slice(before.lastIndexOf('/**'))).toMatch(/@deprecated .*Registry Server/);
    }
    for (const crd of TOOLHIVE_CRDS.filter((c) => c.kind !== 'MCPRegistry')) expect(text(crd.plural)).not.toContain('@deprecated');
  });

  test('types carry enums, required fields, defaults and constraints', () => {
    const server = fs.readFileSync(path.join(GENERATED_DIR, 'mcpservers.ts'), 'utf8');
    expect(server).toContain('  readonly image: string;');
    expect(server).toContain('  readonly transport?: \'stdio\' | \'streamable-http\' | \'sse\';');
    expect(server).toMatch(/`spec\.proxyPort`: format int32, minimum 1, maximum 65535\.\n {3}\* @default 8080\n {3}\*\/\n {2}readonly proxyPort\?: number;/);
    // required but defaulted by the API server: optional in the types
    expect(server).toMatch(/@default 'MCPExternalAuthConfig'\n {3}\*\/\n {2}readonly kind\?: 'MCPExternalAuthConfig';/);
    expect(server).toContain('readonly env?: MCPServerSpecEnv[];');
    expect(server).toContain('`spec.env`: list keyed by `name`.');
    const vmcp = fs.readFileSync(path.join(GENERATED_DIR, 'virtualmcpservers.ts'), 'utf8');
    // spec.config keeps unknown fields: the type says so
    const config = vmcp.slice(vmcp.indexOf('export interface VirtualMCPServerSpecConfig {'));
    expect(config.slice(0, config.indexOf('\n}\n'))).toMatch(/\n {2}readonly \[key: string\]: unknown;$/);
    const external = fs.readFileSync(path.join(GENERATED_DIR, 'mcpexternalauthconfigs.ts'), 'utf8');
    expect(external).toMatch(/export type MCPExternalAuthConfigSpecType =\n {2}\| 'tokenExchange'\n/);
  });
});

describe('validateCustomResource: the schema', () => {
  test.each(TOOLHIVE_CRDS.map((c) => [c.kind, c.plural]))('a minimal %s passes, with every CEL rule evaluated', (_kind, plural) => {
    const check = checkCustomResource(MINIMAL[plural], crds);
    expect(check.issues).toEqual([]);
    expect(check.skippedRules).toEqual([]);
  });

  test('every schema pattern of every served version compiles as RE2 (the API server\'s regexp syntax)', () => {
    const patterns = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach(collect);
      } else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'pattern' && typeof v === 'string') patterns.add(v);
          else collect(v);
        }
      }
    };
    for (const crd of crds.values()) collect(crd.spec.versions);
    expect(patterns.size).toBeGreaterThan(20);
    for (const pattern of patterns) expect(() => RE2JS.compile(pattern)).not.toThrow();
  });

  test('minimal objects use the storage version of their kind', () => {
    for (const crd of TOOLHIVE_CRDS) {
      expect(MINIMAL[crd.plural].apiVersion).toBe(`${TOOLHIVE_API_GROUP}/${crd.storageVersion}`);
      expect(MINIMAL[crd.plural].kind).toBe(crd.kind);
    }
  });

  test('enum violations are reported with the allowed values', () => {
    expect(validateCustomResource(withSpec('mcpservers', { transport: 'http' }), crds)).toEqual([
      { path: 'spec.transport', message: 'must be one of "stdio", "streamable-http", "sse" (got "http")' },
    ]);
    const vmcp = withSpec('virtualmcpservers', { incomingAuth: { type: 'basic' } });
    expect(validateCustomResource(vmcp, crds)).toContainEqual({ path: 'spec.incomingAuth.type', message: 'must be one of "anonymous", "oidc" (got "basic")' });
  });

  test('unknown fields are rejected at every level, with the known ones listed', () => {
    const obj = withSpec('mcpservers', { imagePullPolicy: 'Always', groupRef: { name: 'engineering', namespace: 'x' } });
    obj.extra = true;
    obj.status = { phase: 'Ready', bogus: 1 };
    obj.metadata.label = { a: 'b' };
    const issues = validateCustomResource(obj, crds);
    expect(issues.map((i) => i.path)).toEqual(['extra', 'metadata.label', 'spec.groupRef.namespace', 'spec.imagePullPolicy', 'status.bogus']);
    expect(issues.find((i) => i.path === 'spec.groupRef.namespace')!.message).toBe('unknown field; expected one of: name');
    expect(issues.find((i) => i.path === 'spec.imagePullPolicy')!.message).toMatch(/^unknown field; expected one of: args, audit, .*, image, .*webhookConfigRef$/);
  });

  test('fields under x-kubernetes-preserve-unknown-fields are free; named ones are still checked', () => {
    const registry = withSpec('mcpregistries', { podTemplateSpec: { spec: { anything: [1, 2] } }, volumes: [{ name: 'x', emptyDir: {} }] });
    expect(validateCustomResource(registry, crds)).toEqual([]);
    const vmcp = withSpec('virtualmcpservers', { config: { somethingNew: { a: 1 }, aggregation: { conflictResolution: 'nope' } } });
    const issues = validateCustomResource(vmcp, crds);
    expect(issues.map((i) => i.path)).toEqual(['spec.config.aggregation.conflictResolution']);
  });

  test('missing required fields are reported at their path, nested ones too', () => {
    expect(validateCustomResource(withSpec('mcpservers', { image: undefined }), crds)).toEqual([
      { path: 'spec.image', message: 'required field is missing' },
    ]);
    const issues = validateCustomResource(withSpec('virtualmcpservers', { groupRef: {}, incomingAuth: undefined }), crds);
    expect(issues).toEqual([
      { path: 'spec.groupRef.name', message: 'required field is missing' },
      { path: 'spec.incomingAuth', message: 'required field is missing' },
    ]);
    const noName = JSON.parse(JSON.stringify(MINIMAL.mcpgroups));
    delete noName.metadata.name;
    expect(validateCustomResource(noName, crds)).toEqual([{ path: 'metadata.name', message: 'required field is missing' }]);
  });

  test('types, bounds, lengths, patterns and formats', () => {
    const obj = withSpec('mcpservers', {
      proxyPort: 70000,
      replicas: 1.5,
      args: 'not-a-list',
      groupRef: { name: '' },
      env: [{ name: 'A', value: 1 }],
    });
    expect(validateCustomResource(obj, crds)).toEqual([
      { path: 'spec.args', message: 'must be an array, got the string "not-a-list"' },
      { path: 'spec.env[0].value', message: 'must be a string, got the number 1' },
      { path: 'spec.groupRef.name', message: 'must be at least 1 characters long (got 0)' },
      { path: 'spec.proxyPort', message: 'must be at most 65535 (got 70000)' },
      { path: 'spec.replicas', message: 'must be an integer, got the number 1.5' },
    ]);
    const vmcp = withSpec('virtualmcpservers', {
      config: { operational: { failureHandling: { circuitBreaker: { enabled: true, timeout: 'soon' } } } },
    });
    expect(validateCustomResource(vmcp, crds)).toContainEqual({
      path: 'spec.config.operational.failureHandling.circuitBreaker.timeout',
      message: 'must match the pattern ^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$ (got "soon")',
    });
  });

  test('list-type map entries are unique by their keys', () => {
    const obj = withSpec('mcpservers', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: '3' }] });
    expect(validateCustomResource(obj, crds)).toEqual([
      { path: 'spec.env[2]', message: 'duplicate entry name="A": entries are keyed by name (also at [0])' },
    ]);
  });

  test('list-type set items are unique', () => {
    const obj = withSpec('mcptoolconfigs', { toolsFilter: ['fetch', 'search', 'fetch'] });
    expect(validateCustomResource(obj, crds)).toEqual([
      { path: 'spec.toolsFilter[2]', message: 'duplicate value "fetch": the list is a set (also at [0])' },
    ]);
  });

  test('schema defaults are applied first, as the API server does: a required field with a default may be omitted', () => {
    // authServerRef.kind is required and defaults to MCPExternalAuthConfig
    expect(validateCustomResource(withSpec('mcpservers', { authServerRef: { name: 'auth' } }), crds)).toEqual([]);
    // authzConfig.type defaults to configMap, so the configMap/type rule applies
    expect(validateCustomResource(withSpec('mcpservers', { authzConfig: {} }), crds)).toEqual([
      { path: 'spec.authzConfig', message: 'configMap must be set when type is \'configMap\', and must not be set otherwise' },
    ]);
    expect(validateCustomResource(withSpec('mcpservers', { authzConfig: { configMap: { name: 'authz' } } }), crds)).toEqual([]);
  });

  test('null means unset for non-nullable fields (pruned by the API server)', () => {
    expect(validateCustomResource(withSpec('mcpservers', { groupRef: null }), crds)).toEqual([]);
    expect(validateCustomResource(withSpec('mcpservers', { image: null }), crds)).toEqual([{ path: 'spec.image', message: 'required field is missing' }]);
  });

  test('metadata is checked as ObjectMeta', () => {
    const obj = JSON.parse(JSON.stringify(MINIMAL.mcpservers));
    obj.metadata = { name: 'Fetch_Server', namespace: 'team-a', labels: { 'app.kubernetes.io/name': 'fetch server' }, annotations: { note: 1 } };
    expect(validateCustomResource(obj, crds).map((i) => i.path)).toEqual([
      'metadata.annotations.note',
      'metadata.labels["app.kubernetes.io/name"]',
      'metadata.name',
    ]);
  });

  test('label and annotation keys and label values: the rule kit\'s rules and messages (rules/labels.ts), as for every other label', () => {
    const obj = JSON.parse(JSON.stringify(MINIMAL.mcpservers));
    obj.metadata = { name: 'fetch', namespace: 'team-a', labels: { 'a/b/c': 'ok', 'team': '-bad-' }, annotations: { '/empty-prefix': 'x', 'fine.example.com/note': 'any text at all' } };
    expect(validateCustomResource(obj, crds)).toEqual([
      { path: 'metadata.annotations["/empty-prefix"]', message: qualifiedNameProblem('/empty-prefix', 'annotation key') },
      { path: 'metadata.labels.team', message: labelValueProblem('-bad-') },
      { path: 'metadata.labels["a/b/c"]', message: qualifiedNameProblem('a/b/c', 'label key') },
    ]);
    expect(qualifiedNameProblem('a/b/c', 'label key')).toMatch(/at most one '\/'/);
  });

  test('apiVersion and kind must name a served version of a ToolHive CRD', () => {
    const obj = { ...MINIMAL.mcpservers, apiVersion: 'toolhive.stacklok.dev/v2' };
    expect(validateCustomResource(obj, crds)).toEqual([{
      path: 'apiVersion',
      message: 'MCPServer is not served at toolhive.stacklok.dev/v2; served versions: toolhive.stacklok.dev/v1alpha1, toolhive.stacklok.dev/v1beta1',
    }]);
    expect(validateCustomResource({ ...MINIMAL.mcpservers, kind: 'MCPServerz' }, crds)[0].message).toMatch(/^no CRD defines MCPServerz in toolhive\.stacklok\.dev; known kinds: EmbeddingServer, /);
    expect(validateCustomResource('x', crds)).toEqual([{ path: '', message: 'a custom resource must be an object' }]);
  });

  test('a deprecated served version validates against its own schema and warns', () => {
    const check = checkCustomResource({ ...MINIMAL.mcpservers, apiVersion: 'toolhive.stacklok.dev/v1alpha1' }, crds);
    expect(check.issues).toEqual([]);
    expect(check.warnings).toEqual(['toolhive.stacklok.dev/v1alpha1 MCPServer is deprecated: toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1']);
    expect(checkCustomResource(MINIMAL.mcpregistries, crds).warnings).toHaveLength(1);
  });

  test('validateCustomResources prefixes each issue with the object', () => {
    const bad = withSpec('mcpservers', { transport: 'http' });
    expect(validateCustomResources([MINIMAL.mcpgroups, bad], crds)).toEqual([
      { path: 'MCPServer/team-a/fetch.spec.transport', message: 'must be one of "stdio", "streamable-http", "sse" (got "http")' },
    ]);
  });

  test('the input object is not modified (defaults go into a copy)', () => {
    const obj = withSpec('mcpservers', { authServerRef: { name: 'auth' } });
    const before = JSON.stringify(obj);
    validateCustomResource(obj, crds);
    expect(JSON.stringify(obj)).toBe(before);
  });
});

function descriptions(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => descriptions(v, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'description' && typeof v === 'string') out.push(v);
      else descriptions(v, out);
    }
  }
  return out;
}

describe('validateCustomResource: CEL rules of the ToolHive CRDs', () => {
  const issues = (obj: unknown) => validateCustomResource(obj, crds);

  test('MCPServer: authzConfig and authzConfigRef are mutually exclusive', () => {
    const both = withSpec('mcpservers', { authzConfig: { type: 'configMap', configMap: { name: 'authz' } }, authzConfigRef: { name: 'shared' } });
    expect(issues(both)).toEqual([{
      path: 'spec',
      message: 'authzConfig and authzConfigRef are mutually exclusive; use authzConfigRef to reference a shared MCPAuthzConfig',
    }]);
    expect(issues(withSpec('mcpservers', { authzConfigRef: { name: 'shared' } }))).toEqual([]);
  });

  test('VirtualMCPServer: incomingAuth type oidc requires oidcConfigRef', () => {
    expect(issues(withSpec('virtualmcpservers', { incomingAuth: { type: 'oidc' } }))).toEqual([
      { path: 'spec.incomingAuth', message: 'spec.incomingAuth.oidcConfigRef is required when type is oidc' },
    ]);
    const ok = withSpec('virtualmcpservers', { incomingAuth: { type: 'oidc', oidcConfigRef: { name: 'corp-idp', audience: 'gateway' } } });
    expect(issues(ok)).toEqual([]);
  });

  test('MCPExternalAuthConfig: the configuration block matches the type, and unauthenticated takes none', () => {
    expect(issues(withSpec('mcpexternalauthconfigs', { type: 'tokenExchange', headerInjection: undefined }))).toEqual([
      { path: 'spec', message: 'tokenExchange configuration must be set if and only if type is \'tokenExchange\'' },
    ]);
    expect(issues(withSpec('mcpexternalauthconfigs', { type: 'unauthenticated' }))).toEqual([
      { path: 'spec', message: 'headerInjection configuration must be set if and only if type is \'headerInjection\'' },
      { path: 'spec', message: 'no configuration must be set when type is \'unauthenticated\'' },
    ]);
    expect(issues(withSpec('mcpexternalauthconfigs', { type: 'unauthenticated', headerInjection: undefined }))).toEqual([]);
  });

  test('MCPExternalAuthConfig: a rule on list items reports the item\'s path', () => {
    const obj = withSpec('mcpexternalauthconfigs', {
      type: 'embeddedAuthServer',
      headerInjection: undefined,
      embeddedAuthServer: {
        issuer: 'https://auth.example.com',
        upstreamProviders: [{ name: 'corp', type: 'oidc', oauth2Config: { clientId: 'x', authorizationEndpoint: 'https://idp.example.com/auth', tokenEndpoint: 'https://idp.example.com/token' } }],
      },
    });
    expect(issues(obj)).toContainEqual({
      path: 'spec.embeddedAuthServer.upstreamProviders[0]',
      message: 'type must be \'oidc\' or \'oauth2\'; oidcConfig must be set when type is \'oidc\' and oauth2Config must be set when type is \'oauth2\' (and the other must not be set)',
    });
  });

  test('MCPServer: rate limiting needs Redis session storage, per-user limits need authentication', () => {
    const limited = withSpec('mcpservers', { rateLimiting: { perUser: { maxTokens: 10, refillPeriod: '1m' }, tools: [{ name: 'fetch' }] } });
    expect(issues(limited)).toEqual([
      { path: 'spec', message: 'rateLimiting requires sessionStorage with provider \'redis\'' },
      { path: 'spec', message: 'rateLimiting.perUser requires authentication (oidcConfigRef or externalAuthConfigRef)' },
      { path: 'spec.rateLimiting.tools[0]', message: 'at least one of shared or perUser must be configured' },
    ]);
    const fixed = withSpec('mcpservers', {
      rateLimiting: { perUser: { maxTokens: 10, refillPeriod: '1m' }, tools: [{ name: 'fetch', shared: { maxTokens: 100, refillPeriod: '1m' } }] },
      sessionStorage: { provider: 'redis' },
      oidcConfigRef: { name: 'corp-idp', audience: 'fetch' },
    });
    expect(issues(fixed)).toEqual([{ path: 'spec.sessionStorage', message: 'address is required' }]);
    expect(issues({ ...fixed, spec: { ...fixed.spec, sessionStorage: { provider: 'redis', address: 'redis:6379' } } })).toEqual([]);
  });

  test('MCPOIDCConfig: inline settings iff type inline', () => {
    expect(issues(withSpec('mcpoidcconfigs', { type: 'inline' }))).toEqual([
      { path: 'spec', message: 'inline must be set when type is \'inline\', and must not be set otherwise' },
      { path: 'spec', message: 'kubernetesServiceAccount must be set when type is \'kubernetesServiceAccount\', and must not be set otherwise' },
    ]);
    expect(issues(withSpec('mcpoidcconfigs', { type: 'inline', kubernetesServiceAccount: undefined, inline: { issuer: 'https://idp.example.com' } }))).toEqual([]);
  });

  test('MCPWebhookConfig: at least one webhook', () => {
    expect(issues(withSpec('mcpwebhookconfigs', { validating: undefined }))).toEqual([
      { path: 'spec', message: 'at least one validating or mutating webhook must be defined' },
    ]);
  });

  test('VirtualMCPServer: circuit breaker timeout of at least 1s (CEL duration())', () => {
    const timeout = (value: string) => withSpec('virtualmcpservers', {
      config: { operational: { failureHandling: { circuitBreaker: { enabled: true, timeout: value } } } },
    });
    expect(issues(timeout('500ms'))).toEqual([
      { path: 'spec.config.operational.failureHandling.circuitBreaker.timeout', message: 'timeout must be >= 1s' },
    ]);
    expect(issues(timeout('1s'))).toEqual([]);
    expect(issues(timeout('1h30m'))).toEqual([]);
  });

  test('VirtualMCPServer: optimizer embedding headers (matches(), lowerAscii(), all())', () => {
    const optimizer = (embeddingHeaders: Record<string, string>, embeddingProvider = 'openai') =>
      withSpec('virtualmcpservers', { config: { optimizer: { embeddingProvider, embeddingHeaders } } });
    expect(issues(optimizer({ 'X-Team': 'a' }))).toEqual([]);
    const message = 'embeddingHeaders names must be valid HTTP header names and must not include Authorization or Content-Type';
    expect(issues(optimizer({ AUTHORIZATION: 'x' }))).toEqual([{ path: 'spec.config.optimizer', message }]);
    expect(issues(optimizer({ 'Bad Header': 'x' }))).toEqual([{ path: 'spec.config.optimizer', message }]);
    expect(issues(optimizer({ 'X-Team': 'a' }, 'tei'))).toEqual([
      { path: 'spec.config.optimizer', message: 'embeddingHeaders is only supported when embeddingProvider is \'openai\'' },
    ]);
  });

  test('MCPTelemetryConfig: a header cannot be both plain and sensitive (`in` on a map)', () => {
    const telemetry = (headers: Record<string, string>) => withSpec('mcptelemetryconfigs', {
      openTelemetry: {
        endpoint: 'otel-collector.monitoring:4317',
        headers,
        sensitiveHeaders: [{ name: 'x-api-key', secretKeyRef: { name: 'otel', key: 'key' } }],
      },
    });
    expect(issues(telemetry({ 'x-api-key': 'plain' }))).toEqual([
      { path: 'spec.openTelemetry', message: 'a header name cannot appear in both headers and sensitiveHeaders' },
    ]);
    expect(issues(telemetry({ 'x-tenant': 'a' }))).toEqual([]);
  });

  test('v1alpha1 objects are checked against the v1alpha1 rules', () => {
    const obj = { ...withSpec('virtualmcpservers', { incomingAuth: { type: 'oidc' } }), apiVersion: 'toolhive.stacklok.dev/v1alpha1' };
    expect(issues(obj)).toEqual([{ path: 'spec.incomingAuth', message: 'spec.incomingAuth.oidcConfigRef is required when type is oidc' }]);
  });

  test('rules above a value of the wrong type are not evaluated (reported as skipped); rules elsewhere still are', () => {
    const obj = withSpec('mcpservers', {
      proxyPort: 'eighty',
      authzConfig: { type: 'configMap', configMap: { name: 'authz' } },
      authzConfigRef: { name: 'shared' },
      sessionStorage: { provider: 'redis' },
    });
    const check = checkCustomResource(obj, crds);
    expect(check.issues).toEqual([
      { path: 'spec.proxyPort', message: 'must be an integer, got the string "eighty"' },
      { path: 'spec.sessionStorage', message: 'address is required' },
    ]);
    expect(check.skippedRules).toHaveLength(4);
    expect(new Set(check.skippedRules.map((s) => `${s.path}: ${s.reason}`))).toEqual(new Set(['spec: not evaluated: spec.proxyPort has the wrong type']));
  });
});

describe('CEL rule coverage', () => {
  /** The counts below are those of the 0.44.0 CRDs: pinned to that release. */
  const crds044 = CrdSource.fromDirectory(toolhiveUpstream('0.44.0').crdsDir).load();

  /** Rules per CRD: at the storage version, over all served versions, and how many of those are skipped. */
  function table() {
    const out: Record<string, { storage: number; served: number; skipped: number }> = {};
    for (const crd of TOOLHIVE_CRDS) {
      const all = celRuleCoverage(crds044.get(crd.plural)!);
      out[crd.plural] = {
        storage: all.filter((r) => r.version === crd.storageVersion).length,
        served: all.length,
        skipped: all.filter((r) => r.skipReason !== undefined).length,
      };
    }
    return out;
  }

  test('every CEL rule of the 0.44.0 CRDs is evaluated: standard CEL, strings extension, duration()', () => {
    expect(table()).toEqual({
      embeddingservers: { storage: 0, served: 0, skipped: 0 },
      mcpauthzconfigs: { storage: 0, served: 0, skipped: 0 },
      mcpexternalauthconfigs: { storage: 23, served: 46, skipped: 0 },
      mcpgroups: { storage: 0, served: 0, skipped: 0 },
      mcpoidcconfigs: { storage: 2, served: 4, skipped: 0 },
      mcpregistries: { storage: 0, served: 0, skipped: 0 },
      mcpremoteproxies: { storage: 4, served: 8, skipped: 0 },
      mcpserverentries: { storage: 0, served: 0, skipped: 0 },
      mcpservers: { storage: 9, served: 18, skipped: 0 },
      mcptelemetryconfigs: { storage: 1, served: 2, skipped: 0 },
      mcptoolconfigs: { storage: 0, served: 0, skipped: 0 },
      mcpwebhookconfigs: { storage: 1, served: 1, skipped: 0 },
      virtualmcpcompositetooldefinitions: { storage: 0, served: 0, skipped: 0 },
      virtualmcpservers: { storage: 28, served: 56, skipped: 0 },
    });
    const skipped = [...crds044.values()].flatMap((crd) => celRuleCoverage(crd)).filter((r) => r.skipReason);
    expect(skipped).toEqual([]);
  });

  test('no rule uses transition rules (oldSelf), messageExpression or a Kubernetes-only library', () => {
    const rules = [...crds044.values()].flatMap((crd) => celRuleCoverage(crd)).map((r) => r.rule);
    expect(rules).toHaveLength(135);
    expect(rules.filter((r) => /oldSelf|quantity\(|url\(|isURL|ip\(|cidr\(|format\.|semver|isSorted|sets\./.test(r.rule))).toEqual([]);
    expect(rules.filter((r) => r.messageExpression || r.fieldPath || r.reason)).toEqual([]);
    expect(rules.filter((r) => !r.message)).toEqual([]);
  });

  describe('rules the CEL library cannot evaluate are skipped and counted, never passed or failed', () => {
    // MCPGroup with rules added to its spec: what a future CRD could use.
    const RULES = [
      { rule: '!has(self.description) || isQuantity(self.description)', message: 'quantity' },
      { rule: '!has(self.description) || url(self.description).getScheme() == \'https\'', message: 'url' },
      { rule: '!has(self.description) || !format.dns1123Label().validate(self.description).hasValue()', message: 'format' },
      { rule: 'self.description == oldSelf.description', message: 'transition' },
      { rule: 'self.?description.orValue(\'\') != \'x\'', message: 'optional syntax' },
      { rule: '[3, 1].isSorted()', message: 'lists library' },
      { rule: 'sets.contains([1], [1])', message: 'sets library' },
      { rule: '[1, 2].indexOf(2) == 1', message: 'lists indexOf (same name as the strings function)' },
      { rule: '!has(self.description) || self.description.indexOf(\'forbidden\') < 0', message: 'description must not say forbidden' },
      { rule: '!has(self.description) || self.description != \'x\'', messageExpression: '\'description \' + self.description + \' is reserved\'' },
      { rule: '!has(self.description) || size(self.description) > 1', message: 'too short', fieldPath: '.description' },
      { rule: 'self.description.startsWith(\'team\')', message: 'must start with team' },
    ];
    const group = JSON.parse(JSON.stringify(crds.get('mcpgroups')));
    group.spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = RULES;
    const synthetic = new Map(crds);
    synthetic.set('mcpgroups', group);
    const object = (description?: string) => ({ ...MINIMAL.mcpgroups, spec: description === undefined ? {} : { description } });

    test('the coverage lists each skipped rule with why', () => {
      const coverage = celRuleCoverage(group, 'v1beta1');
      expect(coverage.map((c) => [c.rule.message ?? c.rule.messageExpression, c.schemaPath, c.skipReason])).toEqual([
        ['quantity', 'spec', 'uses isQuantity(), which the CEL library does not implement (a Kubernetes CEL extension)'],
        ['url', 'spec', 'uses getScheme(), url(), which the CEL library does not implement (a Kubernetes CEL extension)'],
        ['format', 'spec', 'uses format.dns1123Label(), hasValue(), validate(), which the CEL library does not implement (a Kubernetes CEL extension)'],
        ['transition', 'spec', 'transition rule: it compares with the stored object (oldSelf) and only runs on update'],
        ['optional syntax', 'spec', expect.stringMatching(/^the CEL library cannot parse it \(/)],
        ['lists library', 'spec', 'uses isSorted(), which the CEL library does not implement (a Kubernetes CEL extension)'],
        ['sets library', 'spec', 'uses sets.contains(), which the CEL library does not implement (a Kubernetes CEL extension)'],
        // decided at run time: indexOf exists for strings, not for lists
        ['lists indexOf (same name as the strings function)', 'spec', undefined],
        ['description must not say forbidden', 'spec', undefined],
        ['\'description \' + self.description + \' is reserved\'', 'spec', undefined],
        ['too short', 'spec', undefined],
        ['must start with team', 'spec', undefined],
      ]);
    });

    test('validation reports them as skipped, evaluates the others, and fails only on real violations', () => {
      const check = checkCustomResource(object('team forbidden'), synthetic);
      expect(check.issues).toEqual([{ path: 'spec', message: 'description must not say forbidden' }]);
      expect(check.evaluatedRules).toBe(4);
      expect(check.skippedRules.map((s) => s.rule)).toEqual(RULES.slice(0, 8).map((r) => r.rule));
      expect(check.skippedRules[7].reason).toMatch(/^the CEL library cannot evaluate it \(found no matching overload for 'indexOf'/);
    });

    test('messageExpression, fieldPath and runtime errors', () => {
      expect(validateCustomResource(object('x'), synthetic)).toEqual([
        { path: 'spec', message: 'description x is reserved' },
        { path: 'spec', message: 'must start with team' },
        { path: 'spec.description', message: 'too short' },
      ]);
      // a runtime error on valid data fails the rule, as in the API server
      expect(validateCustomResource(object(), synthetic)).toEqual([
        { path: 'spec', message: 'rule `self.description.startsWith(\'team\')` could not be evaluated: field not found: description' },
      ]);
    });
  });
});
