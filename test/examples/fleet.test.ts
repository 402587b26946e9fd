/*
 * The fleet examples, run as their users run them, their output snapshot-tested: the manifest
 * writer's tree, the Flux objects, the Argo CD ApplicationSets and cluster labels, the diagram.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { writeArgoCdFleet } from '../../examples/fleet-argocd/main';
import { writeFluxFleet } from '../../examples/fleet-flux/main';
import { workloadNames } from '../../examples/fleet-manifests/fleet';
import { writeFleet } from '../../examples/fleet-manifests/main';
import { checkCustomResource, MANIFESTS_MARKER } from '../../src';
import { readTree } from '../support/consumer';
import { gitopsCrds } from '../support/gitops';
import { expectValidObjects } from '../support/k8s-validate';

const out = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-')), 'clusters');

/** The tree for a snapshot: the 1.1 MB CRD file by its size and hash, every other file whole. */
function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(readTree(dir)).map(([file, text]) => [file, text.length > 200_000
    ? `<${text.length} bytes, sha256 ${createHash('sha256').update(text).digest('hex')}>` : text]));
}
const docsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('examples/fleet-manifests', () => {
  const dir = out();
  const written = writeFleet(dir, 3);
  const tree = readTree(dir);

  test('one folder per cluster, the CRDs once, a diagram beside', () => {
    expect(written.clusters).toEqual(['ap-south-0000', 'control', 'eu-west-0000', 'us-east-0000']);
    expect(Object.keys(tree).filter((f) => f.startsWith('_shared/'))).toHaveLength(2);
    expect(fs.readFileSync(`${dir}.md`, 'utf8')).toMatch(/^# The fleet\n\n```mermaid\nflowchart LR\n/);
    const objects = Object.entries(tree).filter(([f]) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml')).flatMap(([, t]) => docsOf(t));
    expectValidObjects(objects);
  });

  test('snapshot', () => {
    expect(snapshotTree(dir)).toMatchSnapshot();
    expect(fs.readFileSync(`${dir}.md`, 'utf8')).toMatchSnapshot();
  });

  test('at 300 clusters: the same shared CRDs, one folder each, and a rerun with fewer clusters leaves none stale', () => {
    const big = out();
    writeFleet(big, 300);
    expect(fs.readdirSync(big).filter((f) => f !== MANIFESTS_MARKER && f !== '_shared')).toHaveLength(301);
    expect(fs.readdirSync(path.join(big, '_shared'))).toEqual(fs.readdirSync(path.join(dir, '_shared')));
    writeFleet(big, 2);
    expect(fs.readdirSync(big).sort()).toEqual([MANIFESTS_MARKER, '_shared', 'control', ...workloadNames(2)].sort());
  });
});

describe('examples/fleet-flux', () => {
  const dir = out();
  writeFluxFleet(dir, 3);
  const tree = readTree(dir);

  test('the Flux objects in the control cluster\'s folder, listed after its own deliverables, valid against the Flux CRDs', () => {
    const kustomization = docsOf(tree['control/kustomization.yaml'])[0];
    expect(kustomization.resources).toEqual(['01-platform-namespace.yaml', '02-toolhive-registry-server.yaml', '03-flux-kustomizations.yaml']);
    const flux = docsOf(tree['control/03-flux-kustomizations.yaml']);
    expect(flux.map((k) => [k.metadata.name, k.spec.path])).toEqual([
      ['ap-south-0000-manifests', './clusters/ap-south-0000'], ['control-manifests', './clusters/control'],
      ['eu-west-0000-manifests', './clusters/eu-west-0000'], ['us-east-0000-manifests', './clusters/us-east-0000'],
    ]);
    const crds = gitopsCrds();
    for (const o of flux) expect(checkCustomResource(o, crds).issues).toEqual([]);
  });

  test('snapshot', () => {
    expect(snapshotTree(dir)['control/03-flux-kustomizations.yaml']).toMatchSnapshot();
  });
});

describe('examples/fleet-argocd', () => {
  const dir = out();
  const written = writeArgoCdFleet(dir, 3);
  const tree = readTree(dir);

  test('one ApplicationSet per component, valid against the Argo CD CRD; every cluster\'s labels', () => {
    const sets = docsOf(tree['control/03-argocd-application-sets.yaml']);
    expect(sets.map((s) => s.metadata.name.replace(/-[0-9a-f]{10}$/, ''))).toEqual([
      'toolhive-platform-endpoints', 'toolhive-platform-namespace', 'toolhive-toolhive-operator', 'toolhive-toolhive-operator-crds', 'toolhive-toolhive-registry-server',
    ]);
    const crds = gitopsCrds();
    for (const s of sets) expect(checkCustomResource(s, crds).issues).toEqual([]);
    const labels = JSON.parse(fs.readFileSync(written.labelsFile, 'utf8'));
    expect(Object.keys(labels)).toEqual(['ap-south-0000', 'control', 'eu-west-0000', 'us-east-0000']);
    // Every ApplicationSet selects exactly the clusters whose plans hold its deliverable.
    for (const s of sets) {
      const selector = s.spec.generators[0].clusters.selector.matchLabels;
      const selected = Object.keys(labels).filter((c) => Object.entries(selector).every(([k, v]) => labels[c][k] === v));
      const id = s.spec.template.metadata.labels['toolhive.stacklok.dev/deliverable'];
      expect(selected).toEqual(Object.keys(labels).filter((c) => fs.readdirSync(path.join(dir, c)).some((f) => f.includes(id)) || (id.endsWith('crds') && c !== 'control')));
    }
  });

  test('snapshot', () => {
    expect(snapshotTree(dir)['control/03-argocd-application-sets.yaml']).toMatchSnapshot();
    expect(fs.readFileSync(written.labelsFile, 'utf8')).toMatchSnapshot();
  });
});
