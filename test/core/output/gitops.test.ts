/*
 * The Flux and Argo CD emitters: what they plan for a platform, every object checked against
 * the real Flux and Argo CD CRDs (structural schema and CEL rules), and their generated types
 * fresh from those CRDs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GITOPS_GENERATED_DIR, generateGitopsTypes } from '../../../scripts/gen-crd-types';
import { checkCustomResource, KubeObject, planArgoCd, planFlux, planPlatform, renderManifestFiles, TOOLHIVE_VERSION } from '../../../src';
import { issuesOf } from '../../support/errors';
import { gitopsCrds, gitopsPlatform } from '../../support/gitops';
import { centralized } from '../../support/platform-fixtures';
import { gitopsUpstream } from '../../support/upstream';

const CRDS = gitopsCrds();

/** Every object valid against its CRD, with every CEL rule on the way evaluated (none skipped). */
function expectValidGitopsObjects(objects: readonly KubeObject[]): number {
  let rules = 0;
  for (const o of objects) {
    const check = checkCustomResource(o, CRDS);
    expect({ object: `${o.kind}/${o.metadata.name}`, issues: check.issues, skipped: check.skippedRules }).toEqual({ object: `${o.kind}/${o.metadata.name}`, issues: [], skipped: [] });
    rules += check.evaluatedRules;
  }
  return rules;
}

const platform = gitopsPlatform;
const byKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const objectsOf = (plan: { deliverables: readonly any[] }): KubeObject[] => plan.deliverables.flatMap((d) => d.objects);
/** The Flux source of a ToolHive chart at the default release: `toolhive-operator-0-66-0`. */
const toolhiveSource = (chart: string) => `${chart}-${TOOLHIVE_VERSION.replace(/\./g, '-')}`;

describe('planFlux', () => {
  test('an air gap\'s plain-HTTP chart mirror: each OCIRepository is insecure (Flux\'s --plain-http); a TLS mirror\'s is not', () => {
    const spec = (plainHttp: boolean) => ({
      edition: 'open-source' as const,
      delivery: 'helm' as const,
      airGap: plainHttp ? { chartMirror: 'oci://127.0.0.1:5000/m', plainHttp } : { chartMirror: 'oci://mirror.internal/m' },
      clusters: { east: { role: 'workload' as const, toolhiveOperator: {} } },
    });
    const sources = (plainHttp: boolean) => byKind(objectsOf(planFlux(planPlatform(spec(plainHttp)), { cluster: 'east', source: { kind: 'GitRepository', name: 'p' } })), 'OCIRepository');
    expect(sources(true).map((o) => [o.spec.url, o.spec.insecure])).toEqual([
      ['oci://127.0.0.1:5000/m/stacklok/toolhive/toolhive-operator-crds', true], ['oci://127.0.0.1:5000/m/stacklok/toolhive/toolhive-operator', true],
    ]);
    expect(sources(false).map((o) => 'insecure' in o.spec)).toEqual([false, false]);
    expect(expectValidGitopsObjects(sources(true))).toBeGreaterThanOrEqual(0);
  });

  test('Helm delivery: a HelmRelease per release, the operator\'s after the CRDs\', workload clusters through their kubeconfig Secret', () => {
    const plan = planPlatform(platform('helm'));
    const flux = planFlux(plan, { source: { kind: 'GitRepository', name: 'platform' }, path: 'clusters' });
    expect(flux.cluster).toBe('control');
    expect(flux.deliverables.map((d) => d.id)).toEqual(['flux-chart-sources', 'flux-helm-releases', 'flux-kustomizations']);
    const objects = objectsOf(flux);
    expect(byKind(objects, 'OCIRepository').map((o) => [o.metadata.name, o.spec.url, o.spec.ref])).toEqual([
      ['toolhive-registry-server-1-5-1', 'oci://ghcr.io/stacklok/toolhive-registry-server', { tag: '1.5.1' }],
      [toolhiveSource('toolhive-operator-crds'), 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds', { tag: TOOLHIVE_VERSION }],
      [toolhiveSource('toolhive-operator'), 'oci://ghcr.io/stacklok/toolhive/toolhive-operator', { tag: TOOLHIVE_VERSION }],
    ]);
    const releases = byKind(objects, 'HelmRelease');
    const operator = releases.find((r) => r.metadata.name === 'eu-west-toolhive-operator')!;
    expect(operator.spec).toMatchObject({
      releaseName: 'toolhive-operator',
      targetNamespace: 'toolhive-system',
      chartRef: { kind: 'OCIRepository', name: toolhiveSource('toolhive-operator'), namespace: 'flux-system' },
      dependsOn: [{ name: 'eu-west-toolhive-operator-crds' }],
      kubeConfig: { secretRef: { name: 'eu-west-kubeconfig', key: 'value' } },
      install: { crds: 'Skip', createNamespace: true },
    });
    const euPlan = plan.clusters.find((c) => c.cluster === 'eu-west')!;
    expect(operator.spec.values).toEqual((euPlan.deliverables.find((d) => d.id === 'toolhive-operator') as any).release.values);
    // Flux's own cluster is reached directly.
    expect(releases.find((r) => r.metadata.name === 'control-toolhive-registry-server')!.spec.kubeConfig).toBeUndefined();
    // Every cluster's raw manifests (the namespace, the endpoints) come from its folder.
    const kustomizations = byKind(objects, 'Kustomization');
    expect(kustomizations.map((k) => [k.metadata.name, k.spec.path, k.spec.kubeConfig?.secretRef?.name])).toEqual([
      ['control-manifests', './clusters/control', undefined], ['eu-west-manifests', './clusters/eu-west', 'eu-west-kubeconfig'],
      ['us-east-manifests', './clusters/us-east', 'us-east-kubeconfig'],
    ]);
    expect(expectValidGitopsObjects(objects)).toBeGreaterThan(0);
  });

  test('raw manifests: a Kustomization per cluster folder, pruning everything but the CRDs', () => {
    const flux = planFlux(planPlatform(platform('manifests')), { source: { kind: 'OCIRepository', name: 'manifests', namespace: 'gitops' }, interval: '5m' });
    const objects = objectsOf(flux);
    expect(byKind(objects, 'HelmRelease')).toEqual([]);
    const eu = objects.find((o) => o.metadata.name === 'eu-west-manifests')!;
    expect(eu.spec).toMatchObject({ interval: '5m', path: './eu-west', prune: true, sourceRef: { kind: 'OCIRepository', name: 'manifests', namespace: 'gitops' } });
    expect(eu.spec.patches).toHaveLength(1);
    expect(eu.spec.patches[0].target.kind).toBe('CustomResourceDefinition');
    expect(eu.spec.patches[0].patch).toContain('kustomize.toolkit.fluxcd.io/prune: disabled');
    expect(eu.spec.patches[0].target.name.split('|')).toHaveLength(14);
    expect(objects.find((o) => o.metadata.name === 'control-manifests')!.spec.patches).toBeUndefined();
    expectValidGitopsObjects(objects);
  });

  test('bad options: every problem at once, with the path written', () => {
    const plan = planPlatform(platform('manifests'));
    expect(issuesOf(() => planFlux(plan, { interval: '-5m', source: { kind: 'Git' as any, name: 'Bad_Name' }, kubeConfigSecrets: { 'eu-west': { name: 'x', key: 'a/b' } } }))
      .map((i) => i.path)).toEqual(['interval', 'kubeConfigSecrets.eu-west.key', 'source.kind', 'source.name']);
    expect(issuesOf(() => planFlux(plan, {}))).toEqual([
      { path: 'source', message: expect.stringContaining('cluster control has raw manifests') },
      { path: 'source', message: expect.stringContaining('cluster eu-west has raw manifests') },
      { path: 'source', message: expect.stringContaining('cluster us-east has raw manifests') },
    ]);
    expect(issuesOf(() => planFlux(plan.clusters.slice(1), { source: { kind: 'GitRepository', name: 'g' }, kubeConfigSecrets: { nowhere: { name: 's' } } })).map((i) => i.path))
      .toEqual(['cluster', 'kubeConfigSecrets.nowhere']);
    expect(issuesOf(() => planFlux(42 as any)).map((i) => i.path)).toEqual(['plan']);
  });
});

describe('planArgoCd', () => {
  test('an ApplicationSet per component, selecting clusters by label; CRDs in the first waves and kept; server-side apply', () => {
    const plan = planPlatform(platform('manifests'));
    const argo = planArgoCd(plan, { repoURL: 'https://git.example.com/platform/clusters.git', path: 'clusters' });
    const sets = objectsOf(argo);
    // Each named by its component and variant: the label value its clusters carry (stable when a second variant appears).
    const variantOf = (id: string) => Object.values(argo.clusterLabels).map((l) => l[`toolhive.stacklok.dev/${id}`]).find((v) => v);
    const ids = ['platform-endpoints', 'platform-namespace', 'toolhive-operator', 'toolhive-operator-crds', 'toolhive-registry-server'];
    expect(sets.map((s) => s.metadata.name)).toEqual(ids.map((id) => `toolhive-${id}-${variantOf(id)}`));
    expect(ids.every((id) => /^[0-9a-f]{10}$/.test(variantOf(id)!))).toBe(true);
    const crds = sets.find((s) => s.metadata.name === `toolhive-toolhive-operator-crds-${variantOf('toolhive-operator-crds')}`)!;
    const files = renderManifestFiles(plan);
    const sharedDir = files.clusters.get('eu-west')!.find((d) => d.id === 'toolhive-operator-crds')!.directory;
    expect(crds.spec.template.spec.source).toEqual({
      repoURL: 'https://git.example.com/platform/clusters.git', targetRevision: 'HEAD', path: `clusters/${sharedDir}`, directory: { include: 'toolhive-operator-crds.yaml' },
    });
    expect(crds.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(crds.spec.template.metadata.finalizers).toBeUndefined();
    expect(crds.spec.template.spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] });
    const operator = sets.find((s) => s.metadata.name === `toolhive-toolhive-operator-${variantOf('toolhive-operator')}`)!;
    expect(operator.spec.template.spec.source.path).toBe('clusters/{{.name}}');
    expect(operator.spec.template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    const wave = (s: KubeObject) => Number(s.spec.template.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave(crds)).toBeLessThan(wave(operator));
    expect(argo.clusterLabels['eu-west']).toEqual({
      'toolhive.stacklok.dev/platform': 'toolhive',
      'toolhive.stacklok.dev/platform-namespace': expect.any(String),
      'toolhive.stacklok.dev/toolhive-operator-crds': crds.spec.generators[0].clusters.selector.matchLabels['toolhive.stacklok.dev/toolhive-operator-crds'],
      'toolhive.stacklok.dev/toolhive-operator': operator.spec.generators[0].clusters.selector.matchLabels['toolhive.stacklok.dev/toolhive-operator'],
      'toolhive.stacklok.dev/platform-endpoints': expect.any(String),
    });
    expect(argo.clusterLabels.control['toolhive.stacklok.dev/toolhive-operator']).toBeUndefined();
    expectValidGitopsObjects(sets);
  });

  test('Helm releases: the chart from its registry, the values file the writer wrote for the cluster', () => {
    const argo = planArgoCd(planPlatform(centralized()), { repoURL: 'git@git.example.com:platform/clusters.git' });
    const sets = objectsOf(argo);
    const umbrella = sets.find((s) => s.metadata.name.startsWith('toolhive-stacklok-enterprise-platform'))!;
    expect(umbrella.spec.template.spec.sources).toEqual([
      {
        repoURL: 'oci.stacklok.com/stacklok-enterprise/stable',
        chart: 'stacklok-enterprise-platform',
        targetRevision: '1.4.0',
        helm: { releaseName: 'stacklok-enterprise', valueFiles: ['$values/{{.name}}/02-stacklok-enterprise-platform.values.yaml'], skipCrds: false },
      },
      { repoURL: 'git@git.example.com:platform/clusters.git', targetRevision: 'HEAD', ref: 'values' },
    ]);
    expect(umbrella.spec.template.spec.destination).toEqual({ server: '{{.server}}', namespace: 'stacklok-system' });
    expect(umbrella.spec.template.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true', 'CreateNamespace=true']);
    expectValidGitopsObjects(sets);
  });

  test('bad options: credentials in the URL and the rest, every problem at once', () => {
    const plan = planPlatform(platform('manifests'));
    expect(issuesOf(() => planArgoCd(plan, { repoURL: 'https://me:secret@git.example.com/x.git', path: '../up', platform: 'Not OK' }))).toEqual([
      { path: 'path', message: expect.stringContaining('no "..")') },
      { path: 'platform', message: expect.stringContaining('DNS-1123 label') },
      { path: 'repoURL', message: expect.stringContaining('holds credentials') },
    ]);
    // A token as the URL's user is a credential too (the rule every other URL uses); ssh's git user and scp-like git@host:path are not.
    for (const repoURL of ['https://x-access-token@github.com/org/repo.git', 'https://ghp_abc123@github.com/org/repo.git', 'ssh://me:pw@git.example.com/x.git']) {
      expect(issuesOf(() => planArgoCd(plan, { repoURL, path: 'clusters' }))).toEqual([{ path: 'repoURL', message: expect.stringContaining('holds credentials') }]);
    }
    for (const repoURL of ['ssh://git@git.example.com/x.git', 'git@git.example.com:platform/x.git', 'https://git.example.com/x.git']) {
      expect(() => planArgoCd(plan, { repoURL, path: 'clusters' })).not.toThrow();
    }
    expect(issuesOf(() => planArgoCd(plan, undefined as any))[0].path).toBe('(options)');
    expect(issuesOf(() => planArgoCd(plan, {} as any))[0].path).toBe('repoURL');
  });
});

describe('the GitOps objects against their CRDs', () => {
  test('a broken object is refused (the check can fail)', () => {
    const flux = objectsOf(planFlux(planPlatform(platform('helm')), { source: { kind: 'GitRepository', name: 'g' } }));
    const release = flux.find((o) => o.kind === 'HelmRelease')!;
    expect(checkCustomResource({ ...release, spec: { ...release.spec, interval: 'often' } }, CRDS).issues.map((i) => i.path)).toEqual(['spec.interval']);
    // CEL: kubeConfig needs exactly one of secretRef and configMapRef.
    const cel = checkCustomResource({ ...release, spec: { ...release.spec, kubeConfig: {} } }, CRDS);
    expect(cel.issues).not.toEqual([]);
  });

  test('the generated types are what the CRDs generate (run `npx projen gen:crd-types` when this fails)', () => {
    for (const [name, content] of generateGitopsTypes(gitopsUpstream())) expect(fs.readFileSync(path.join(GITOPS_GENERATED_DIR, name), 'utf8')).toBe(content);
  });
});
