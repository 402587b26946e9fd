/*
 * Helm delivery from a real OCI chart mirror: the Distribution registry on loopback (TLS, a test
 * CA), the charts of ../shared pushed to it with the real helm. Then
 *   - cdk8s `delivery: 'helm'` synthesizes through the real helm, pulling from the mirror, and
 *     gives the same objects as the raw-manifest delivery of the same options;
 *   - the Pulumi `helm.v3.Release` and `helm.v4.Chart` deliveries (examples/pulumi-airgap) run
 *     under the real engine against the test kube-apiserver from the mirror: up, preview with
 *     no change, destroy keeping the CRDs.
 * This machine cannot reach ghcr.io (checked below), so a chart that was not pulled from the
 * mirror fails the test.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AirGapOptions, INSTALL_LABEL, KubeObject, planOperatorInstall, RbacScope, ToolhiveOperatorOptions, TOOLHIVE_VERSION } from '../../src';
import { ToolhiveOperator, ToolhivePlatform } from '../../src/cdk8s';
import { standaloneRegistryServer } from '../support/platform-fixtures';
import { TestCluster } from './harness/cluster';
import { ChartMirror, helm, HELM, startChartMirror } from './harness/oci-registry';
import { Supervisor } from './harness/processes';
import { ensureLibBuilt, finalizingNamespaces, lifecycle, PulumiStack } from './harness/pulumi';

let workDir: string;
let supervisor: Supervisor;
let mirror: ChartMirror;
let helmWrapper: string;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolhive-airgap-'));
  supervisor = new Supervisor(workDir);
  mirror = await startChartMirror(supervisor, workDir);
  // cdk8s runs `helmExecutable` with its own environment: the wrapper gives helm the mirror's.
  helmWrapper = path.join(workDir, 'helm');
  const env = Object.entries(mirror.helmEnv).filter(([k]) => k.startsWith('HELM_')).map(([k, v]) => `export ${k}='${v}'`).join('\n');
  fs.writeFileSync(helmWrapper, `#!/bin/sh\n${env}\nexec '${HELM}' "$@"\n`, { mode: 0o755 });
}, 120_000);
afterAll(async () => {
  await supervisor?.stopAll();
  if (workDir && process.env.TOOLHIVE_CLUSTER_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
});

const airGap = (): AirGapOptions => ({ chartMirror: mirror.base, caFile: mirror.caFile, imageRegistry: 'registry.internal/mirror', imagePullSecrets: ['mirror-pull'] });

/** An object without what only one delivery adds: the library's install label (README: deliberate differences). */
function comparable(o: any): any {
  const { [INSTALL_LABEL]: _, ...labels } = o.metadata.labels ?? {};
  return { ...o, metadata: { ...o.metadata, labels } };
}
const byKey = (objects: readonly any[]) => Object.fromEntries(objects.map((o) => [`${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, comparable(o)]));

describe('the chart mirror (a real OCI registry)', () => {
  test('holds the charts the real helm pushed, at their public paths; the public registry is unreachable here', () => {
    expect(mirror.pushed.map((p) => [p.repository.replace(mirror.base, '<mirror>'), p.version])).toEqual([
      ['<mirror>/stacklok/toolhive/toolhive-operator-crds', TOOLHIVE_VERSION],
      ['<mirror>/stacklok/toolhive/toolhive-operator', TOOLHIVE_VERSION],
      ['<mirror>/stacklok/toolhive-registry-server', '1.5.1'],
    ]);
    for (const p of mirror.pushed) {
      expect(helm(mirror, ['show', 'chart', p.repository, '--version', p.version, '--ca-file', mirror.caFile])).toContain(`version: ${p.version}`);
    }
    // Without the CA, helm refuses the mirror's certificate: the CA option is what makes it work.
    expect(() => helm(mirror, ['show', 'chart', mirror.pushed[0].repository, '--version', TOOLHIVE_VERSION])).toThrow(/certificate/);
    expect(() => helm(mirror, ['show', 'chart', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator', '--version', TOOLHIVE_VERSION])).toThrow();
  });
});

describe('cdk8s delivery: "helm" through the real helm, from the mirror', () => {
  function synthOperator(options: ToolhiveOperatorOptions, delivery: 'helm' | 'manifests'): any[] {
    const app = new App({ outdir: fs.mkdtempSync(path.join(workDir, 'cdk8s-')) });
    const chart = new Chart(app, 'cluster');
    new ToolhiveOperator(chart, 'toolhive', { ...options, delivery, helmExecutable: helmWrapper });
    return chart.toJson();
  }

  test('the operator and its CRDs: the same objects as the raw manifests of the same options', () => {
    const options: ToolhiveOperatorOptions = { rbac: RbacScope.namespaces(['team-a', 'team-b']), airGap: airGap(), createNamespace: false };
    const viaHelm = synthOperator(options, 'helm');
    const raw = synthOperator(options, 'manifests');
    expect(viaHelm.length).toBeGreaterThan(20);
    expect(byKey(viaHelm)).toEqual(byKey(raw));
    const operator = viaHelm.find((o) => o.kind === 'Deployment');
    expect(operator.spec.template.spec.containers[0].image).toBe(`registry.internal/mirror/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
    expect(operator.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  test('a platform (Registry Server and operator clusters): each cluster\'s objects the same in both deliveries', () => {
    const synth = (delivery: 'helm' | 'manifests') => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(workDir, 'cdk8s-')) });
      const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source', delivery, airGap: airGap(), helmExecutable: helmWrapper });
      const control = platform.addControlCluster('control', { registryServer: standaloneRegistryServer('control', 'https://registry.example.com') });
      const east = platform.addWorkloadCluster('east', { toolhiveOperator: { rbac: RbacScope.cluster() } });
      app.synth();
      return { control: control.toJson(), east: east.toJson() };
    };
    const viaHelm = synth('helm');
    const raw = synth('manifests');
    expect(byKey(viaHelm.control)).toEqual(byKey(raw.control));
    expect(byKey(viaHelm.east)).toEqual(byKey(raw.east));
    expect(viaHelm.control.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].image).toBe('registry.internal/mirror/stacklok/thv-registry-api:v1.5.1');
  });
});

const isCrd = (o: { kind: string }) => o.kind === 'CustomResourceDefinition';

describe.each(['release', 'chart'])('examples/pulumi-airgap, helmResource %s, under the real Pulumi engine, from the mirror', (helmResource) => {
  let cluster: TestCluster;
  let stack: PulumiStack;
  const step = lifecycle();
  const planned = (): KubeObject[] => planOperatorInstall({ rbac: RbacScope.namespaces(['team-a']), airGap: airGap() })
    .deliverables.flatMap((d) => (d.type === 'helm-release' ? [] : [...d.objects]));

  beforeAll(async () => {
    ensureLibBuilt();
    cluster = await TestCluster.start(`airgap-${helmResource}`);
    await cluster.ensureNamespaces(['team-a']);
    stack = PulumiStack.create('pulumi-airgap', helmResource);
    stack.setConfig('kubeconfig', cluster.kubeconfig(), { secret: true });
    stack.setConfig('chartMirror', mirror.base);
    if (helmResource === 'chart') {
      stack.setConfig('chartMirrorCaFile', mirror.caFile);
    } else {
      // helm.v3.Release cannot take a CA file (the component refuses it, saying so): the mirror's
      // CA is trusted where Pulumi runs, as a system trust store would hold it.
      stack.extraEnv.SSL_CERT_FILE = mirror.caFile;
    }
    stack.setConfig('imageRegistry', 'registry.internal/mirror');
    stack.setConfig('helmResource', helmResource);
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
    stack?.remove();
  });

  step('up installs both charts from the mirror: every object the raw manifests would hold, the images from the registry', async () => {
    await stack.up();
    const expected = planned().filter((o) => o.kind !== 'Namespace');
    for (const o of expected) {
      const live = await cluster.admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      expect(live ? `${o.kind} ${o.metadata.name}` : `missing: ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).toBe(`${o.kind} ${o.metadata.name}`);
    }
    const deployment = await cluster.admin.get('apps/v1', 'Deployment', 'toolhive-operator', 'toolhive-system');
    expect(deployment.spec.template.spec.containers[0].image).toBe(`registry.internal/mirror/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
    expect((await cluster.admin.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).filter((c: any) => c.metadata.name.endsWith('.toolhive.stacklok.dev'))).toHaveLength(14);
    expect(stack.outputs().releaseNames).toEqual({ operator: 'toolhive-operator', crds: 'toolhive-operator-crds' });
  });

  step('preview after up plans no change', async () => {
    await stack.previewNoChanges();
  });

  step('destroy removes the operator and keeps the 14 CRDs', async () => {
    await finalizingNamespaces([cluster.admin], () => stack.destroy());
    const crds = (await cluster.admin.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).filter((c: any) => c.metadata.name.endsWith('.toolhive.stacklok.dev'));
    expect(crds).toHaveLength(14);
    expect(await cluster.admin.get('apps/v1', 'Deployment', 'toolhive-operator', 'toolhive-system')).toBeUndefined();
    expect(stack.resources().filter((r) => !r.type.startsWith('pulumi:'))).toEqual([]);
    expect(planned().filter(isCrd)).toHaveLength(14);
  });
});
