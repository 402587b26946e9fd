/*
 * A fleet upgrade in waves (planRollout): each wave's plan, written with the manifest writer,
 * changes exactly that wave's cluster folders; the refusals name the option and the clusters.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mirrorList, planArgoCd, planFlux, planPlatform, planRollout, PlatformPlan, PlatformSpec, writeManifests } from '../../../src';
import { issuesOf } from '../../support/errors';

/** A 300-cluster open source fleet at 0.44.0: workload clusters in three regions, namespace-scoped operators. */
function fleet(): PlatformSpec {
  const clusters: Record<string, any> = {};
  for (let i = 0; i < 300; i++) {
    clusters[`w${String(i).padStart(3, '0')}`] = { role: 'workload', toolhiveOperator: { rbac: { scope: 'namespace', allowedNamespaces: ['team-a'] } } };
  }
  return { version: '0.44.0', clusters };
}

/** A digest of every file under each top-level folder of `dir`. */
function folderDigests(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const top of fs.readdirSync(dir).sort()) {
    const hash = crypto.createHash('sha256');
    const walk = (p: string) => {
      if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
      else hash.update(`${path.relative(dir, p)}\n`).update(fs.readFileSync(p));
    };
    walk(path.join(dir, top));
    out.set(top, hash.digest('hex'));
  }
  return out;
}

/** The keys whose values differ between `a` and `b` (added, removed or changed). */
const changed = (a: Map<string, string>, b: Map<string, string>) => [...new Set([...a.keys(), ...b.keys()])]
  .filter((k) => a.get(k) !== b.get(k)).sort();

describe('planRollout', () => {
  test('300 clusters move from 0.44.0 to 0.66.0 in three waves: after each, exactly that wave\'s folders change', () => {
    const spec = fleet();
    const canary = ['w007', 'w123', 'w250'];
    const waves = planRollout(spec, { to: '0.66.0', canary, batchSize: 150 });
    expect(waves.map((w) => w.clusters.length)).toEqual([3, 150, 147]);
    expect(waves[0].clusters).toEqual(canary);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-')), 'clusters');
    writeManifests(planPlatform(spec), dir);
    let before = folderDigests(dir);
    const sharedBefore = [...before.keys()].filter((k) => k.startsWith('_'));
    for (const wave of waves) {
      writeManifests(wave.plan, dir);
      const after = folderDigests(dir);
      const clusterFolders = changed(before, after).filter((k) => !k.startsWith('_'));
      expect(clusterFolders).toEqual([...wave.clusters].sort());
      // Each moved cluster renders 0.66.0; the others still 0.44.0.
      for (const c of wave.plan.clusters) {
        const version = c.deliverables.find((d) => d.id === 'toolhive-operator')!.description.split(' ')[2];
        expect([c.cluster, version]).toEqual([c.cluster, waves.slice(0, wave.index).some((w) => w.clusters.includes(c.cluster)) ? '0.66.0' : '0.44.0']);
      }
      before = after;
    }
    // The CRD sets under _shared/: 0.44.0's is gone after the last wave, 0.66.0's is the only one.
    const sharedAfter = [...before.keys()].filter((k) => k.startsWith('_'));
    expect(sharedAfter).toEqual(['_shared']);
    expect(sharedBefore).toEqual(['_shared']);
    const sets = fs.readdirSync(path.join(dir, '_shared'));
    expect(sets).toHaveLength(1);
  });

  test('Flux (Helm delivery): a wave changes only its clusters\' HelmReleases; the new release\'s chart sources appear beside the old', () => {
    const spec = {
      version: '0.44.0', delivery: 'helm', clusters: Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, { role: 'workload', toolhiveOperator: {} }])),
    } as PlatformSpec;
    const waves = planRollout(spec, { to: '0.66.0', batchBy: { a: 'eu', b: 'us', c: 'eu', d: 'us' } });
    expect(waves.map((w) => w.clusters)).toEqual([['a', 'c'], ['b', 'd']]);
    const flux = (plan: PlatformPlan) => new Map(planFlux(plan, { cluster: 'a', source: { kind: 'GitRepository', name: 'platform' }, path: 'clusters' })
      .deliverables.flatMap((d) => (d.type === 'helm-release' ? [] : d.objects)).map((o) => [`${o.kind}/${o.metadata.name}`, JSON.stringify(o)]));
    const [base, first, second] = [flux(planPlatform(spec)), flux(waves[0].plan), flux(waves[1].plan)];
    expect(changed(base, first)).toEqual([
      'HelmRelease/a-toolhive-operator', 'HelmRelease/a-toolhive-operator-crds', 'HelmRelease/c-toolhive-operator', 'HelmRelease/c-toolhive-operator-crds',
      'OCIRepository/toolhive-operator-0-66-0', 'OCIRepository/toolhive-operator-crds-0-66-0',
    ]);
    expect(changed(first, second)).toEqual([
      'HelmRelease/b-toolhive-operator', 'HelmRelease/b-toolhive-operator-crds', 'HelmRelease/d-toolhive-operator', 'HelmRelease/d-toolhive-operator-crds',
      'OCIRepository/toolhive-operator-0-44-0', 'OCIRepository/toolhive-operator-crds-0-44-0',
    ]);
  });

  test('Argo CD (Helm delivery): a wave relabels only its clusters; the new release\'s ApplicationSets appear beside the old', () => {
    const spec = {
      version: '0.44.0', delivery: 'helm', clusters: Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, { role: 'workload', toolhiveOperator: {} }])),
    } as PlatformSpec;
    const waves = planRollout(spec, { to: '0.66.0', canary: ['b'] });
    const argo = (plan: PlatformPlan) => planArgoCd(plan, { cluster: 'a', repoURL: 'https://git.example.com/fleet.git', path: 'clusters' });
    const labels = (plan: PlatformPlan) => new Map(Object.entries(argo(plan).clusterLabels).map(([c, l]) => [c, JSON.stringify(l)]));
    const sets = (plan: PlatformPlan) => new Set(argo(plan).deliverables.flatMap((d) => (d.type === 'helm-release' ? [] : d.objects)).map((o) => o.metadata.name));
    const [base, canary, rest] = [planPlatform(spec), waves[0].plan, waves[1].plan];
    expect(changed(labels(base), labels(canary))).toEqual(['b']);
    expect(changed(labels(canary), labels(rest))).toEqual(['a', 'c', 'd']);
    // The canary wave: the old release's ApplicationSets stay (a, c, d use them), the new one's are added.
    const [s0, s1, s2] = [sets(base), sets(canary), sets(rest)];
    expect([...s0].every((n) => s1.has(n))).toBe(true);
    expect(s1.size).toBe(s0.size + 2);
    // After the last wave only the new release's remain.
    expect([...s2].filter((n) => !s1.has(n))).toEqual([]);
    expect(s2.size).toBe(s0.size);
  });

  test('refusals: every problem at once, each at its option', () => {
    const spec = { clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', toolhiveOperator: {} } } } as PlatformSpec;
    expect(issuesOf(() => planRollout(spec, { to: 'v0.66.0', canary: ['a', 'a', 'zz'], batchSize: 0 }))).toEqual([
      { path: 'options.batchSize', message: 'expected a whole number of clusters, 1 or more, got 0' },
      { path: 'options.canary[1]', message: '"a" is listed twice' },
      { path: 'options.canary[2]', message: '"zz" is not a cluster of the platform that runs the ToolHive operator; expected one of: a, b' },
      { path: 'options.to', message: expect.stringContaining('not a chart version') },
    ]);
    expect(issuesOf(() => planRollout(spec, { to: '0.66.0', batchBy: { a: 'eu' } }))).toEqual([
      { path: 'options.batchBy', message: 'every cluster outside the canary needs a value; missing: b' },
    ]);
    expect(issuesOf(() => planRollout(null as any, null as any)).map((i) => i.path)).toEqual(['spec']);
  });
});

describe('a mixed-version fleet\'s mirror list', () => {
  test('every release in use: its operator, proxy runner, vMCP and Registry API images, its CRDs\' default image, and (Helm delivery) both charts', () => {
    const spec = (delivery: 'manifests' | 'helm') => ({
      version: '0.44.0', delivery, clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', version: '0.66.0', toolhiveOperator: {} } },
    } as PlatformSpec);
    const raw = mirrorList(planPlatform(spec('manifests')));
    expect(raw.images.map((i) => i.image)).toEqual([
      'ghcr.io/huggingface/text-embeddings-inference:cpu-latest', 'ghcr.io/stacklok/thv-registry-api:v1.3.0', 'ghcr.io/stacklok/thv-registry-api:v1.5.3',
      'ghcr.io/stacklok/toolhive/operator:v0.44.0', 'ghcr.io/stacklok/toolhive/operator:v0.66.0',
      'ghcr.io/stacklok/toolhive/proxyrunner:v0.44.0', 'ghcr.io/stacklok/toolhive/proxyrunner:v0.66.0',
      'ghcr.io/stacklok/toolhive/vmcp:v0.44.0', 'ghcr.io/stacklok/toolhive/vmcp:v0.66.0',
    ]);
    const helm = mirrorList(planPlatform(spec('helm')));
    expect(helm.charts.map((c) => `${c.repository.split('/').pop()} ${c.version}`)).toEqual([
      'toolhive-operator 0.44.0', 'toolhive-operator 0.66.0', 'toolhive-operator-crds 0.44.0', 'toolhive-operator-crds 0.66.0',
    ]);
    expect(helm.images).toEqual(raw.images);
  });
});
