/*
 * The fleet the three fleet examples deliver: one control cluster running the Registry Server
 * and any number of workload clusters, each running the ToolHive operator for its teams'
 * namespaces. Raw manifests, open source edition: everything renders offline.
 */
import { PlatformSpec, RbacScope, RegistryServerOptions } from 'toolhive-constructs';

/** The workload clusters' names: `<region>-<nnnn>`, spread over three regions. */
export function workloadNames(count: number): string[] {
  const regions = ['eu-west', 'us-east', 'ap-south'];
  return Array.from({ length: count }, (_, i) => `${regions[i % regions.length]}-${String(Math.floor(i / regions.length)).padStart(4, '0')}`);
}

/** The control cluster's Registry Server: its own managed catalog, OAuth, the database password by reference. */
export function controlRegistryServer(): RegistryServerOptions {
  return {
    externalUrl: 'https://registry.example.com',
    config: {
      database: { host: 'postgres.control.internal', port: 5432, user: 'registry', database: 'registry', sslMode: 'verify-full' },
      auth: { mode: 'oauth', oauth: { providers: [{ name: 'corp-idp', issuerUrl: 'https://idp.example.com', audience: 'registry' }] } },
      sources: [{ name: 'catalog', managed: {} }],
      registries: [{ name: 'main', sources: ['catalog'] }],
    },
    passwordSecret: { name: 'registry-db-credentials', key: 'password' },
  };
}

/** The fleet: 1 control cluster and `workloads` workload clusters. */
export function fleet(workloads: number): PlatformSpec {
  const clusters: { [name: string]: PlatformSpec['clusters'][string] } = {
    control: { role: 'control', registryServer: controlRegistryServer() },
  };
  for (const name of workloadNames(workloads)) {
    clusters[name] = { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a', 'team-b']) } };
  }
  return { edition: 'open-source', delivery: 'manifests', clusters };
}
