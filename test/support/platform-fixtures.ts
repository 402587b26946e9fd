import {
  CloudUiOptions, EnterpriseManagerOptions, PlatformSpec, RbacScope, RegistryServerOptions,
} from '../../src';

/** A Registry Server with OAuth and claim-based authorization. */
export function registryServer(env: string, externalUrl?: string, extra: Partial<RegistryServerOptions> = {}): RegistryServerOptions {
  return {
    ...(externalUrl ? { externalUrl } : {}),
    config: {
      database: { host: `postgres.${env}.example.com`, port: 5432, user: 'registry', database: 'registry' },
      auth: {
        mode: 'oauth',
        oauth: { providers: [{ name: 'corp-idp', issuerUrl: 'https://idp.example.com', audience: `registry-${env}` }] },
        authz: { roles: { superAdmin: [{ roles: 'platform-admin' }] } },
      },
    },
    passwordSecret: { name: 'registry-db-credentials', key: 'password' },
    ...extra,
  };
}

export const enterpriseManager = (): EnterpriseManagerOptions => ({
  idp: { issuer: 'https://idp.example.com', audience: 'enterprise-manager', type: 'okta' },
  signing: { existingSecret: 'enterprise-manager-signing-key' },
  resourceUrl: 'https://config.example.com',
  clientId: 'stacklok-cli',
});

export const cloudUi = (extra: Partial<CloudUiOptions> = {}): CloudUiOptions => ({
  url: 'https://ui.example.com',
  oidc: { issuerUrl: 'https://idp.example.com', clientId: 'cloud-ui', clientSecret: { name: 'cloud-ui-oidc', key: 'client-secret' } },
  authSecret: { name: 'cloud-ui-auth', key: 'secret' },
  ...extra,
});

/** A Registry Server serving its own managed catalog (no layering). */
export function standaloneRegistryServer(env: string, externalUrl?: string): RegistryServerOptions {
  const rs = registryServer(env, externalUrl);
  return {
    ...rs,
    config: {
      ...rs.config,
      sources: [{ name: 'catalog', managed: {}, claims: { org: 'acme' } }],
      registries: [{ name: 'main', sources: ['catalog'], claims: { org: 'acme' } }],
    },
  };
}

/** The seed's centralized topology: a control cluster and workload clusters (enterprise). */
export function centralized(): PlatformSpec {
  return {
    edition: 'enterprise',
    enterprise: { version: '1.4.0', channel: 'stable' },
    clusters: {
      'control': { role: 'control', enterpriseManager: enterpriseManager(), cloudUi: cloudUi(), registryServer: standaloneRegistryServer('control', 'https://registry.example.com') },
      'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a', 'team-b']) } },
      'us-east': { role: 'workload', toolhiveOperator: {} },
    },
  };
}

/** The seed's layered topology: development and staging Registry Servers, production with the Cloud UI. */
export function layered(): PlatformSpec {
  return {
    edition: 'enterprise',
    enterprise: { version: '1.4.0', channel: 'stable' },
    registryLayering: {
      environments: [
        { name: 'production', cluster: 'prod', promotesFrom: 'staging', claims: { org: 'acme' } },
        { name: 'staging', cluster: 'staging', promotesFrom: 'development', claims: { groups: ['mcp-reviewers', 'mcp-developers'] } },
        { name: 'development', cluster: 'dev', claims: { groups: ['mcp-developers', 'mcp-reviewers'] } },
      ],
    },
    clusters: {
      prod: { role: 'control', enterpriseManager: enterpriseManager(), cloudUi: cloudUi(), registryServer: registryServer('production', 'https://registry.example.com') },
      staging: { role: 'registry', registryServer: registryServer('staging', 'https://registry.staging.example.com') },
      dev: { role: 'registry', registryServer: registryServer('development', 'https://registry.dev.example.com') },
    },
  };
}
