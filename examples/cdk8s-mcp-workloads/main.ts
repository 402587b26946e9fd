/*
 * A workload cluster running a team's MCP servers: the ToolHive operator in namespace mode,
 * then (after the CRDs and the operator) a group of MCP servers with a tool config and an
 * external auth config, aggregated by a VirtualMCPServer.
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import { teamWorkloads } from './workloads';
import { RbacScope } from 'toolhive-constructs';
import { ToolhiveOperator } from 'toolhive-constructs/cdk8s';

/** Builds the example app; `outdir` is where `app.synth()` writes. */
export function buildApp(outdir: string): App {
  const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, 'research');
  new ToolhiveOperator(chart, 'toolhive', {
    rbac: RbacScope.namespaces(['research']),
    customResources: teamWorkloads('research'),
    // The team creates this Secret itself.
    externalResources: [],
  });
  return app;
}

if (require.main === module) {
  buildApp(process.env.CDK8S_OUTDIR ?? 'dist/cdk8s-mcp-workloads').synth();
}
