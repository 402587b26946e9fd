/*
 * A ToolHive platform across six clusters (open source edition, raw manifests):
 *
 *   control            Registry Server aggregating development, staging and production
 *   eu-west, us-east,
 *   ap-south           the ToolHive operator in namespace mode, for two team namespaces each
 *   dev, staging       one Registry Server per lower environment
 *
 * Promotion goes development -> staging -> production in one catalog file of a Git repository,
 * each entry tagged with its environments (`env:<environment>`): the open source Registry Server
 * cannot sync from another Registry Server.
 * Each cluster is a Chart: `app.synth()` writes one file per cluster.
 */
import { App, YamlOutputType } from 'cdk8s';
import { RbacScope, RegistryServerOptions } from 'toolhive-constructs';
import { ToolhivePlatform } from 'toolhive-constructs/cdk8s';

/** A Registry Server of one environment: its own PostgreSQL, OAuth with claim-based authorization. */
export function registryServer(environment: string, externalUrl: string): RegistryServerOptions {
  return {
    externalUrl,
    config: {
      database: { host: `postgres.${environment}.internal`, port: 5432, user: 'registry', migrationUser: 'registry_migrator', database: 'registry', sslMode: 'verify-full' },
      auth: {
        mode: 'oauth',
        oauth: {
          resourceUrl: externalUrl,
          providers: [{ name: 'corp-idp', issuerUrl: 'https://idp.example.com', audience: `registry-${environment}` }],
        },
        authz: {
          roles: {
            superAdmin: [{ roles: 'platform-admin' }],
            manageEntries: [{ groups: 'mcp-publishers' }],
          },
        },
      },
    },
    passwordSecret: { name: 'registry-db-credentials', key: 'password' },
    migrationPasswordSecret: { name: 'registry-db-migrator-credentials', key: 'password' },
  };
}

/** Builds the example app; `outdir` is where `app.synth()` writes. */
export function buildApp(outdir: string): App {
  const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });

  const platform = new ToolhivePlatform(app, 'acme', {
    edition: 'open-source',
    registryLayering: {
      promotion: 'git',
      catalog: { repository: 'https://git.example.com/platform/mcp-catalog.git', path: 'registry.json' },
      environments: [
        { name: 'production', cluster: 'control', promotesFrom: 'staging', claims: { org: 'acme' } },
        { name: 'staging', cluster: 'staging', promotesFrom: 'development', claims: { groups: ['mcp-reviewers', 'mcp-developers'] } },
        { name: 'development', cluster: 'dev', claims: { groups: ['mcp-developers', 'mcp-reviewers'] } },
      ],
    },
  });

  platform.addControlCluster('control', { registryServer: registryServer('production', 'https://registry.example.com') });
  for (const [region, teams] of Object.entries({ 'eu-west': ['payments', 'search'], 'us-east': ['checkout', 'search'], 'ap-south': ['payments', 'support'] })) {
    platform.addWorkloadCluster(region, { toolhiveOperator: { rbac: RbacScope.namespaces(teams) } });
  }
  platform.addRegistryCluster('staging', { registryServer: registryServer('staging', 'https://registry.staging.example.com') });
  platform.addRegistryCluster('dev', { registryServer: registryServer('development', 'https://registry.dev.example.com') });

  return app;
}

if (require.main === module) {
  buildApp(process.env.CDK8S_OUTDIR ?? 'dist/cdk8s-multi-cluster').synth();
}
