/*
 * The manifest writer from the outside: the files it writes for a platform, read back as
 * kubectl would, byte-identical across runs and declaration orders, all or nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ClusterPlan, MANIFESTS_MARKER, PlatformSpec, planOperatorInstall, planPlatform, RbacScope, renderManifestFiles, writeManifests,
} from '../../../src';
import { ToolhiveOperator } from '../../../src/cdk8s';
import { readTree } from '../../support/consumer';
import { issuesOf } from '../../support/errors';
import { centralized, standaloneRegistryServer } from '../../support/platform-fixtures';

function ossPlatform(workloads: readonly string[], reverse = false): PlatformSpec {
  const clusters: Record<string, any> = {};
  const entries: [string, any][] = [
    ['control', { role: 'control', registryServer: standaloneRegistryServer('control', 'https://registry.example.com') }],
    ...workloads.map((w, i): [string, any] => [w, { role: 'workload', toolhiveOperator: { rbac: i % 2 ? RbacScope.cluster() : RbacScope.namespaces(['team-a']) } }]),
  ];
  for (const [name, options] of reverse ? entries.reverse() : entries) clusters[name] = options;
  return { edition: 'open-source', delivery: 'manifests', clusters };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('renderManifestFiles', () => {
  const plan = planPlatform(ossPlatform(['east', 'west']));
  const { files, clusters } = renderManifestFiles(plan);

  test('one folder per cluster, the deliverables in apply order, the CRDs once', () => {
    expect([...files.keys()]).toEqual([
      MANIFESTS_MARKER,
      expect.stringMatching(/^_shared\/toolhive-operator-crds-[0-9a-f]{12}\/kustomization\.yaml$/),
      expect.stringMatching(/^_shared\/toolhive-operator-crds-[0-9a-f]{12}\/toolhive-operator-crds\.yaml$/),
      'control/01-platform-namespace.yaml', 'control/02-toolhive-registry-server.yaml', 'control/kustomization.yaml',
      'east/01-platform-namespace.yaml', 'east/03-toolhive-operator.yaml', 'east/04-platform-endpoints.yaml', 'east/kustomization.yaml',
      'west/01-platform-namespace.yaml', 'west/03-toolhive-operator.yaml', 'west/04-platform-endpoints.yaml', 'west/kustomization.yaml',
    ]);
    const shared = [...files.keys()].find((f) => f.endsWith('/toolhive-operator-crds.yaml'))!;
    const east = docs(files.get('east/kustomization.yaml')!)[0];
    expect(east).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['01-platform-namespace.yaml', `../${path.posix.dirname(shared)}`, '03-toolhive-operator.yaml', '04-platform-endpoints.yaml'],
      sortOptions: { order: 'fifo' },
    });
    expect(clusters.get('east')!.map((d) => `${d.directory}/${d.file}`)).toEqual([
      'east/01-platform-namespace.yaml', shared, 'east/03-toolhive-operator.yaml', 'east/04-platform-endpoints.yaml',
    ]);
  });

  test('each file holds its deliverable\'s objects, byte for byte as cdk8s\'s YAML writer (Yaml.stringify) writes them', () => {
    for (const cluster of plan.clusters) {
      for (const [i, d] of cluster.deliverables.entries()) {
        const placed = clusters.get(cluster.cluster)![i];
        const text = files.get(`${placed.directory}/${placed.file}`)!;
        if (!('objects' in d)) throw new Error('the OSS platform has no Helm release');
        expect(text).toBe(Yaml.stringify(...JSON.parse(JSON.stringify(d.objects))));
        expect(docs(text)).toEqual(JSON.parse(JSON.stringify(d.objects)));
      }
    }
  });

  test('cdk8s synth of the same install: the same objects in the same order; cdk8s sorts keys, the writer keeps the plan\'s order', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    new ToolhiveOperator(new Chart(app, 'toolhive'), 'operator', { rbac: RbacScope.cluster() });
    app.synth();
    const synthesized = docs(fs.readFileSync(path.join(outdir, 'toolhive.k8s.yaml'), 'utf8')).filter((o) => o);
    const written = renderManifestFiles([planOperatorInstall({ rbac: RbacScope.cluster() })]);
    const placed = [...written.clusters.values()][0];
    const objects = placed.flatMap((d) => docs(written.files.get(`${d.directory}/${d.file}`)!)).filter((o) => o);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(synthesized.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(objects).toEqual(synthesized); // (toEqual ignores key order)
    // Key order is where they differ (JSON.stringify keeps it): cdk8s sorts, so its bytes are not the writer's.
    expect(objects.map((o) => JSON.stringify(o))).not.toEqual(synthesized.map((o) => JSON.stringify(o)));
  });

  test('the same bytes whatever order the clusters are declared in', () => {
    const reversed = renderManifestFiles(planPlatform(ossPlatform(['east', 'west'], true)));
    expect([...reversed.files]).toEqual([...files]);
  });

  test('a Helm release is written as its values, with the chart it goes to', () => {
    const enterprise = renderManifestFiles(planPlatform(centralized()));
    const control = [...enterprise.files.keys()].filter((f) => f.startsWith('control/'));
    expect(control).toEqual(['control/01-platform-namespace.yaml', 'control/02-stacklok-enterprise-platform.values.yaml', 'control/kustomization.yaml']);
    const values = enterprise.files.get('control/02-stacklok-enterprise-platform.values.yaml')!;
    expect(values.split('\n')[1]).toBe('# helm upgrade --install stacklok-enterprise oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform'
      + ' --version 1.4.0 --namespace stacklok-system --values <this file>');
    const release = planPlatform(centralized()).clusters.find((c) => c.cluster === 'control')!.deliverables.find((d) => d.type === 'helm-release')!;
    expect(docs(values)[0]).toEqual((release as any).release.values);
    expect(docs(enterprise.files.get('control/kustomization.yaml')!)[0].resources).toEqual(['01-platform-namespace.yaml']);
  });

  test('plans of one cluster are merged; a deliverable id used twice in a cluster is refused', () => {
    const operator = planOperatorInstall({}, { cluster: 'east' } as any);
    const merged = renderManifestFiles([operator]);
    expect([...merged.clusters.keys()]).toEqual([operator.cluster]);
    const issues = issuesOf(() => renderManifestFiles([operator, operator]));
    expect(issues).toEqual(operator.deliverables.map((_, j) => ({ path: `plans[1].deliverables[${j}].id`, message: expect.stringContaining('already') })));
  });

  test('bad input: every problem at once, with the path written', () => {
    expect(issuesOf(() => renderManifestFiles('plan' as any))).toEqual([{ path: 'plan', message: expect.stringContaining('got the string "plan"') }]);
    const bad: ClusterPlan[] = [
      { cluster: 'Not_A_Name', deliverables: [] },
      { cluster: 'ok', deliverables: [{ id: 'UPPER', type: 'manifests', description: '', dependsOn: [], retainOnDelete: false, objects: [] }] },
      { cluster: 'x', deliverables: 7 } as any,
      null as any,
    ];
    expect(issuesOf(() => renderManifestFiles(bad)).map((i) => i.path)).toEqual(['plans[0].cluster', 'plans[1].deliverables[0].id', 'plans[2].deliverables', 'plans[3]']);
  });
});

describe('writeManifests', () => {
  test('writes the tree; a second run replaces it completely (a removed cluster leaves nothing)', () => {
    const root = tmp();
    const out = path.join(root, 'clusters');
    const first = writeManifests(planPlatform(ossPlatform(['east', 'west', 'north'])), out);
    expect(first.clusters).toEqual(['control', 'east', 'north', 'west']);
    const tree = readTree(out);
    expect(Object.keys(tree)).toHaveLength(first.fileCount);
    writeManifests(planPlatform(ossPlatform(['east', 'west', 'north'])), out);
    expect(readTree(out)).toEqual(tree); // byte-identical across runs
    writeManifests(planPlatform(ossPlatform(['east', 'west'])), out);
    expect(fs.readdirSync(out).sort()).toEqual([MANIFESTS_MARKER, '_shared', 'control', 'east', 'west']);
    expect(fs.readdirSync(root)).toEqual(['clusters']); // no staging folder left
    fs.mkdirSync(path.join(root, 'plain'));
    expect(fs.statSync(out).mode).toBe(fs.statSync(path.join(root, 'plain')).mode); // an ordinary folder, not a private temp one
  });

  test('files handed in whole cannot leave the directory', () => {
    const root = tmp();
    const files = { files: new Map([['../escape.yaml', 'x'], ['/etc/passwd', 'x'], ['ok/a.yaml', 'x']]), clusters: new Map() };
    expect(issuesOf(() => writeManifests(files, path.join(root, 'out'))).map((i) => i.path)).toEqual(['files["../escape.yaml"]', 'files["/etc/passwd"]']);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('writes nothing when the input is invalid', () => {
    const root = tmp();
    const out = path.join(root, 'clusters');
    writeManifests(planPlatform(ossPlatform(['east'])), out);
    const before = readTree(out);
    expect(() => writeManifests([{ cluster: 'BAD', deliverables: [] }], out)).toThrow(/plans\[0\]\.cluster/);
    expect(readTree(out)).toEqual(before);
    expect(() => writeManifests([{ cluster: 'BAD', deliverables: [] }], path.join(root, 'new'))).toThrow();
    expect(fs.existsSync(path.join(root, 'new'))).toBe(false);
  });

  test('refuses a directory it did not write, and leaves it as it was', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'notes.txt'), 'mine');
    expect(issuesOf(() => writeManifests(planPlatform(ossPlatform(['east'])), root))).toEqual([
      { path: 'directory', message: expect.stringContaining(`holds files writeManifests did not write (it has no ${MANIFESTS_MARKER} file)`) },
    ]);
    expect(fs.readdirSync(root)).toEqual(['notes.txt']);
    const file = path.join(root, 'notes.txt');
    expect(issuesOf(() => writeManifests(planPlatform(ossPlatform(['east'])), file))[0].message).toContain('is not a directory');
    expect(issuesOf(() => writeManifests(planPlatform(ossPlatform(['east'])), '' as any))[0].path).toBe('directory');
    // An empty directory is taken.
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    writeManifests(planPlatform(ossPlatform(['east'])), empty);
    expect(fs.existsSync(path.join(empty, 'east', 'kustomization.yaml'))).toBe(true);
  });
});
