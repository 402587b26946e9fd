/*
 * The benchmarked platform: the open source edition, raw manifests (everything renders
 * offline), one control cluster running the Registry Server and N workload clusters running
 * the operator, either cluster-wide or for a few namespaces each.
 */
import { PlatformClusterOptions, PlatformSpec, RbacScope, RegistryServerOptions } from '../../src';

/** How every workload cluster's operator is scoped. */
export type RbacMode = 'cluster' | 'namespace';
export const RBAC_MODES: readonly RbacMode[] = ['cluster', 'namespace'];

/** The namespaces each workload cluster's operator watches in namespace mode. */
export const WATCHED_NAMESPACES = ['team-a', 'team-b', 'team-c'];

export const PLATFORM_NAME = 'acme';
export const CONTROL_CLUSTER = 'control';

/** The control cluster's Registry Server: its own managed catalog, OAuth, passwords by reference. */
export function controlRegistryServer(): RegistryServerOptions {
  const externalUrl = 'https://registry.example.com';
  return {
    externalUrl,
    config: {
      database: { host: 'postgres.production.internal', port: 5432, user: 'registry', migrationUser: 'registry_migrator', database: 'registry', sslMode: 'verify-full' },
      auth: {
        mode: 'oauth',
        oauth: { resourceUrl: externalUrl, providers: [{ name: 'corp-idp', issuerUrl: 'https://idp.example.com', audience: 'registry-production' }] },
        authz: { roles: { superAdmin: [{ roles: 'platform-admin' }], manageEntries: [{ groups: 'mcp-publishers' }] } },
      },
      sources: [{ name: 'catalog', managed: {}, claims: { org: 'acme' } }],
      registries: [{ name: 'main', sources: ['catalog'], claims: { org: 'acme' } }],
    },
    passwordSecret: { name: 'registry-db-credentials', key: 'password' },
    migrationPasswordSecret: { name: 'registry-db-migrator-credentials', key: 'password' },
  };
}

/** Workload cluster names, sorted as the platform sorts them. */
export function workloadNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `workload-${String(i).padStart(4, '0')}`);
}

/** One workload cluster's options. */
export function workloadOptions(mode: RbacMode): PlatformClusterOptions {
  return { toolhiveOperator: { rbac: mode === 'cluster' ? RbacScope.cluster() : RbacScope.namespaces(WATCHED_NAMESPACES) } };
}

/** The operator's RBAC scope as plain data (Pulumi args). */
export function rbacArgs(mode: RbacMode): { scope: 'cluster' | 'namespace'; allowedNamespaces?: string[] } {
  return mode === 'cluster' ? { scope: 'cluster' } : { scope: 'namespace', allowedNamespaces: [...WATCHED_NAMESPACES] };
}

/** The whole platform as the core plans it. */
export function platformSpec(n: number, mode: RbacMode): PlatformSpec {
  const clusters: { [name: string]: PlatformSpec['clusters'][string] } = {
    [CONTROL_CLUSTER]: { role: 'control', registryServer: controlRegistryServer() },
  };
  for (const name of workloadNames(n)) clusters[name] = { role: 'workload', ...workloadOptions(mode) };
  return { edition: 'open-source', delivery: 'manifests', clusters };
}
