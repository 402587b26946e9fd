/*
 * A ToolHive platform over five clusters, one Pulumi provider per cluster from stack
 * configuration (`pulumi config set --secret kubeconfig-<cluster> "$(cat <file>)"`):
 *
 *   control           Registry Server aggregating development, staging and production
 *   eu-west, us-east  the ToolHive operator in namespace mode
 *   staging, dev      one Registry Server per lower environment
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { RbacMode } from 'toolhive-constructs';
import { RegistryServerSettingsArgs, ToolhivePlatform } from 'toolhive-constructs/pulumi';

const config = new pulumi.Config();

// `pulumi config set rbacScope cluster` moves the workload clusters' operators to cluster scope.
const scope = (config.get('rbacScope') ?? 'namespace') as RbacMode;
const rbac = (namespaces: string[]) => (scope === 'namespace' ? { scope, allowedNamespaces: namespaces } : { scope });

/** The cluster's provider: never the ambient kubeconfig. */
function provider(cluster: string): kubernetes.Provider {
  return new kubernetes.Provider(cluster, { kubeconfig: config.requireSecret(`kubeconfig-${cluster}`), enableServerSideApply: true });
}

/** A Registry Server of one environment (its catalog comes from the registry layering). */
function registryServer(environment: string, externalUrl: string): RegistryServerSettingsArgs {
  return {
    externalUrl,
    config: {
      database: { host: `postgres.${environment}.internal`, port: 5432, user: 'registry', database: 'registry', sslMode: 'verify-full' },
      auth: {
        mode: 'oauth',
        oauth: { resourceUrl: externalUrl, providers: [{ name: 'corp-idp', issuerUrl: 'https://idp.example.com', audience: `registry-${environment}` }] },
        authz: { roles: { superAdmin: [{ roles: ['platform-admin'] }], manageEntries: [{ groups: ['mcp-publishers'] }] } },
      },
    },
    passwordSecret: { name: 'registry-db-credentials', key: 'password' },
  };
}

export const platform = new ToolhivePlatform('acme', {
  edition: 'open-source',
  registryLayering: {
    promotion: 'git',
    catalog: { repository: 'https://git.example.com/platform/mcp-catalog.git', path: 'registry.json' },
    environments: [
      { name: 'production', cluster: 'control', promotesFrom: 'staging', claims: { org: ['acme'] } },
      { name: 'staging', cluster: 'staging', promotesFrom: 'development', claims: { groups: ['mcp-reviewers', 'mcp-developers'] } },
      { name: 'development', cluster: 'dev', claims: { groups: ['mcp-developers', 'mcp-reviewers'] } },
    ],
  },
  clusters: {
    'control': { role: 'control', provider: provider('control'), registryServer: registryServer('production', 'https://registry.example.com') },
    'eu-west': { role: 'workload', provider: provider('eu-west'), toolhiveOperator: { rbac: rbac(['payments', 'search']) } },
    'us-east': { role: 'workload', provider: provider('us-east'), toolhiveOperator: { rbac: rbac(['checkout', 'search']) } },
    'staging': { role: 'registry', provider: provider('staging'), registryServer: registryServer('staging', 'https://registry.staging.example.com') },
    'dev': { role: 'registry', provider: provider('dev'), registryServer: registryServer('development', 'https://registry.dev.example.com') },
  },
});

export const clusters = platform.clusterNames;
export const endpoints = platform.endpoints;
