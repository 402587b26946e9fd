/*
 * The air gap is resolved once: each air gap the user wrote is checked once (its shape and the
 * rules across its fields) and handed to the planners; one image mapper serves the open source
 * images, the CRDs' default images and the enterprise umbrella's images.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AirGapOptions, mirroredImage, planOperatorInstall, planPlatform, PlatformSpec } from '../../src';
import * as airgap from '../../src/core/airgap';
import { ImageMirror } from '../../src/core/airgap';
import * as shape from '../../src/core/rules/shape';
import { issuesOf } from '../support/errors';
import { centralized, standaloneRegistryServer } from '../support/platform-fixtures';

afterEach(() => jest.restoreAllMocks());

function openSource(airGap: unknown, extra: Record<string, unknown> = {}): PlatformSpec {
  return {
    edition: 'open-source',
    delivery: 'helm',
    airGap: airGap as AirGapOptions,
    clusters: {
      control: { role: 'control', registryServer: standaloneRegistryServer('c', 'https://r.example.com') },
      east: { role: 'workload', toolhiveOperator: {} },
      west: { role: 'workload', toolhiveOperator: {}, ...extra },
    },
  };
}

describe('the air gap, resolved once', () => {
  test('a platform\'s air gap is checked once for the whole platform (not again for each operator and Registry Server)', () => {
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')), 'ca.pem');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');
    const shapeCheck = jest.spyOn(shape, 'checkShape');
    const resolve = jest.spyOn(airgap, 'resolveAirGap');
    const plan = planPlatform(openSource({ chartMirror: 'oci://mirror.internal', imageRegistry: 'mirror.internal/images', caFile }));
    // One air gap written (the platform's): its shape checked once, resolved once; the components are handed the result.
    expect(shapeCheck.mock.calls.filter(([, s]) => s === airgap.AIR_GAP_SHAPE).map(([, , at]) => at)).toEqual(['airGap']);
    expect(resolve.mock.calls.filter(([written]) => written !== undefined)).toHaveLength(1);
    for (const c of plan.clusters) {
      for (const d of c.deliverables) if (d.type === 'helm-release') expect(d.release).toMatchObject({ repository: expect.stringMatching(/^oci:\/\/mirror\.internal\//), caFile });
    }
  });

  test('a bad platform air gap: each problem once, at the platform\'s path, whatever the number of clusters', () => {
    const issues = issuesOf(() => planPlatform(openSource({ chartMirror: 'https://mirror.internal', imageRegistry: 'mirror', plainHttp: 'yes', extra: 1 })));
    expect(issues.map((i) => i.path)).toEqual(['airGap.chartMirror', 'airGap.extra', 'airGap.imageRegistry', 'airGap.plainHttp']);
  });

  test('a component\'s own air gap is checked at its own path, over the platform\'s (its fields win)', () => {
    const resolve = jest.spyOn(airgap, 'resolveAirGap');
    const plan = planPlatform(openSource({ chartMirror: 'oci://mirror.internal' }, { toolhiveOperator: { airGap: { chartMirror: 'oci://west.internal' } } }));
    expect(resolve.mock.calls.filter(([written]) => written !== undefined).map(([, at]) => at)).toEqual(['airGap', 'clusters.west.toolhiveOperator.airGap']);
    const west = plan.clusters.find((c) => c.cluster === 'west')!;
    expect(west.deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release.repository] : []))).toEqual([
      'oci://west.internal/stacklok/toolhive/toolhive-operator-crds', 'oci://west.internal/stacklok/toolhive/toolhive-operator',
    ]);
    expect(issuesOf(() => planPlatform(openSource({ chartMirror: 'oci://mirror.internal' }, { toolhiveOperator: { airGap: { plainHttp: true } } }))))
      .toEqual([{ path: 'clusters.west.toolhiveOperator.airGap.plainHttp', message: expect.stringContaining('plain HTTP to mirror.internal') }]);
  });

  test('a Registry Server\'s own chart mirror in a platform moves its chart (each planner applies its own resolved air gap)', () => {
    const spec = openSource(undefined);
    const control = { ...spec.clusters.control, registryServer: { ...spec.clusters.control.registryServer!, airGap: { chartMirror: 'oci://charts.internal' } } };
    const plan = planPlatform({ ...spec, airGap: undefined, clusters: { ...spec.clusters, control } });
    const repos = plan.clusters.find((c) => c.cluster === 'control')!.deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release.repository] : []));
    expect(repos).toEqual(['oci://charts.internal/stacklok/toolhive-registry-server']);
  });

  test('the user\'s spec is not rewritten', () => {
    const spec = openSource({ chartMirror: 'oci://mirror.internal', imageRegistry: 'mirror.internal/images' });
    const before = JSON.stringify(spec);
    planPlatform(spec);
    expect(JSON.stringify(spec)).toBe(before);
  });
});

describe('one image mapper', () => {
  const REGISTRY = 'ecr.example.com/stacklok';

  test('an EmbeddingServer\'s default image (open source) and the enterprise umbrella\'s images (enterprise.airGap) map through the same function', () => {
    const image = jest.spyOn(ImageMirror.prototype, 'image');
    const embedding = { apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'EmbeddingServer', metadata: { name: 'e', namespace: 'toolhive-system' }, spec: { model: 'BAAI/bge-small-en-v1.5' } };
    const open = planOperatorInstall({ airGap: { imageRegistry: REGISTRY }, customResources: [embedding as any] });
    const tei = (open.deliverables.find((d) => d.type === 'custom-resources') as any).objects[0].spec.image;
    expect(tei).toBe(`${REGISTRY}/huggingface/text-embeddings-inference:cpu-latest`);
    const enterpriseSpec = centralized();
    const enterprise = planPlatform({ ...enterpriseSpec, enterprise: { ...enterpriseSpec.enterprise!, airGap: { registry: REGISTRY, pullSecret: 'ecr' } } });
    const umbrella = enterprise.clusters.find((c) => c.cluster === 'eu-west')!.deliverables.find((d) => d.type === 'helm-release')!;
    const operatorImage = umbrella.type === 'helm-release' ? (umbrella.release.values as any)['toolhive-operator'].upstream.operator.image : undefined;
    expect(operatorImage).toBe(`${REGISTRY}/operator:1.4.0`);
    // Both came out of the one mapper, for the same registry.
    const results = image.mock.results.map((r) => r.value);
    expect(results).toContain(tei);
    expect(results).toContain(operatorImage);
    expect(new Set(image.mock.instances.map((m) => (m as unknown as ImageMirror).registry))).toEqual(new Set([REGISTRY]));
  });

  test('the same image maps to the same result on either path', () => {
    const enterpriseSpec = centralized();
    const enterprise = planPlatform({ ...enterpriseSpec, enterprise: { ...enterpriseSpec.enterprise!, airGap: { registry: REGISTRY, pullSecret: 'ecr' } } });
    const values = (enterprise.clusters[0].deliverables.find((d) => d.type === 'helm-release') as any).release.values;
    // The open source path's public mapper, given the enterprise image's name, gives what the umbrella was given.
    expect(mirroredImage('cloud-ui:1.4.0', REGISTRY)).toBe(`${values['toolhive-cloud-ui'].image.repository}:${values['toolhive-cloud-ui'].image.tag}`);
    expect(mirroredImage('registry-api:1.4.0', REGISTRY)).toBe(values['toolhive-registry-server'].upstream.image.registryServerUrl);
    expect(new ImageMirror(REGISTRY).image('ghcr.io/huggingface/text-embeddings-inference:cpu-latest'))
      .toBe(mirroredImage('ghcr.io/huggingface/text-embeddings-inference:cpu-latest', REGISTRY));
  });
});
