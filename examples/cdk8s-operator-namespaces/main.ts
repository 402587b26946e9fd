/*
 * The ToolHive operator in namespace mode for two team namespaces, as raw manifests
 * (identical to what the upstream charts render), CRDs first.
 *
 *   npm run synth        # writes dist/cdk8s-operator-namespaces/*.yaml
 */
import { App, Chart, YamlOutputType } from 'cdk8s';
import { RbacScope } from 'toolhive-constructs';
import { ToolhiveOperator } from 'toolhive-constructs/cdk8s';

/** Builds the example app; `outdir` is where `app.synth()` writes. */
export function buildApp(outdir: string): App {
  const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, 'toolhive');

  new ToolhiveOperator(chart, 'operator', {
    // The operator only watches, and is only bound in, these namespaces.
    rbac: RbacScope.namespaces(['team-a', 'team-b']),
    replicas: 2,
    // Workloads the operator creates pull through this Secret (it must exist in each team namespace).
    workloadImagePullSecrets: ['registry-credentials'],
  });

  return app;
}

if (require.main === module) {
  buildApp(process.env.CDK8S_OUTDIR ?? 'dist/cdk8s-operator-namespaces').synth();
}
