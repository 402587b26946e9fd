/*
 * The GitOps objects on a real kube-apiserver: the Flux and Argo CD CRDs installed, then every
 * object planFlux and planArgoCd emit for raw-manifest, Helm and enterprise platforms applied
 * server-side (the API server's structural schemas and CEL rules), and applied again unchanged.
 */
import { KubeObject, planArgoCd, planFlux, planPlatform } from '../../src';
import { gitopsCrds, gitopsPlatform } from '../support/gitops';
import { centralized } from '../support/platform-fixtures';
import { TestCluster } from './harness/cluster';
import { refOf } from './harness/kube-client';
import { applyStack, dryRunChanges, dryRunRefusal } from './harness/stacks';

const platform = gitopsPlatform;

const objectsOf = (plan: { deliverables: readonly any[] }): KubeObject[] => plan.deliverables.flatMap((d) => d.objects);

const CASES: [string, KubeObject[]][] = [
  ['Flux, raw manifests', objectsOf(planFlux(planPlatform(platform('manifests')), { source: { kind: 'GitRepository', name: 'platform' }, path: 'clusters' }))],
  ['Flux, Helm releases', objectsOf(planFlux(planPlatform(platform('helm')), { source: { kind: 'OCIRepository', name: 'platform' } }))],
  ['Flux, enterprise', objectsOf(planFlux(planPlatform(centralized()), { source: { kind: 'GitRepository', name: 'platform' }, chartRegistrySecrets: { 'oci.stacklok.com': 'stacklok-registry' } }))],
  ['Argo CD, raw manifests', objectsOf(planArgoCd(planPlatform(platform('manifests')), { repoURL: 'https://git.example.com/platform.git', path: 'clusters' }))],
  ['Argo CD, Helm releases', objectsOf(planArgoCd(planPlatform(platform('helm')), { repoURL: 'https://git.example.com/platform.git' }))],
  ['Argo CD, enterprise', objectsOf(planArgoCd(planPlatform(centralized()), { repoURL: 'git@git.example.com:platform/clusters.git' }))],
];

describe('GitOps objects on a real kube-apiserver', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start('gitops');
    await cluster.ensureNamespaces(['flux-system', 'argocd']);
    const report = await applyStack(cluster.admin, [...gitopsCrds().values()]);
    expect(report.errors).toEqual([]);
    expect(report.crds.length).toBe(gitopsCrds().size);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test.each(CASES)('%s: every object accepted by server-side apply, and a second apply changes nothing', async (_name, objects) => {
    expect(objects.length).toBeGreaterThan(2);
    const report = await applyStack(cluster.admin, objects);
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(objects.map(refOf));
    expect(await dryRunChanges(cluster.admin, objects)).toEqual([]);
  });

  test('the API server refuses a broken one (the CRDs are really checking): schema and CEL', async () => {
    const release = CASES[1][1].find((o) => o.kind === 'HelmRelease')!;
    const refusal = (obj: any) => dryRunRefusal(cluster.admin, obj);
    expect(await refusal({ ...release, spec: { ...release.spec, interval: 'often' } })).toMatch(/^422 .*spec\.interval/);
    expect(await refusal({ ...release, spec: { ...release.spec, kubeConfig: { secretRef: { name: 'a' }, configMapRef: { name: 'b' } } } })).toMatch(/^422 /);
  });
});
