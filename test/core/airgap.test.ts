/*
 * Air gap: one option on the platform and on each standalone install moves every chart to the
 * chart mirror and every default image to the image registry; bad input gets the usual error;
 * the mirror list names everything the rendered manifests pull.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AirGapOptions, ClusterPlan, KubeObject, mirrorList, planOperatorInstall, planPlatform, planRegistryServer, RbacScope, renderOperatorChart,
  renderRegistryServerChart, TOOLHIVE_VERSION, writeMirrorList,
} from '../../src';
import { issuesOf } from '../support/errors';
import { centralized, standaloneRegistryServer } from '../support/platform-fixtures';

const MIRROR: AirGapOptions = { chartMirror: 'oci://registry.internal:5000/mirror', imageRegistry: 'registry.internal:5000/mirror', imagePullSecrets: ['mirror-pull'] };
const helmRepos = (plan: ClusterPlan) => plan.deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release.repository] : []));

/** The images pods pull, found the way Kubernetes finds them: pod templates' containers, and the operator's `*_IMAGE` env vars. */
function podImages(objects: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects as any[]) {
    const pod = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      out.add(c.image);
      for (const e of c.env ?? []) if (/_IMAGE$/.test(e.name) && e.value) out.add(e.value);
    }
  }
  return [...out].sort();
}

/** What a plan's clusters run, rendered (Helm releases of the open source charts rendered by the library). */
function renderedObjects(plan: ClusterPlan): KubeObject[] {
  return plan.deliverables.flatMap((d) => {
    if (d.type !== 'helm-release') return [...d.objects];
    const release = { releaseName: d.release.releaseName, namespace: d.release.namespace };
    if (d.release.repository.endsWith('/toolhive-operator')) return renderOperatorChart(d.release.values as any, release);
    if (d.release.repository.endsWith('/toolhive-registry-server')) return renderRegistryServerChart(d.release.values as any, release);
    return [];
  });
}

describe('air gap: charts from the mirror', () => {
  test('the operator\'s two charts, the Registry Server\'s, the umbrella: each at its public path under the mirror', () => {
    expect(helmRepos(planOperatorInstall({ airGap: MIRROR }, { delivery: 'helm' }))).toEqual([
      'oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator-crds', 'oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator',
    ]);
    expect(helmRepos(planRegistryServer({ ...standaloneRegistryServer('x', 'https://r.example.com'), airGap: MIRROR }, { delivery: 'helm' })))
      .toEqual(['oci://registry.internal:5000/mirror/stacklok/toolhive-registry-server']);
    const enterprise = planPlatform({ ...centralized(), airGap: { chartMirror: 'oci://mirror.internal/charts' } });
    expect(enterprise.clusters.flatMap(helmRepos)).toEqual(Array(3).fill('oci://mirror.internal/charts/stacklok-enterprise/stable/stacklok-enterprise-platform'));
    const release = enterprise.clusters[0].deliverables.find((d) => d.type === 'helm-release')!;
    expect(release.type === 'helm-release' && release.release.publicRepository).toBe('oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform');
  });

  test('a platform\'s air gap reaches every cluster, once (not mirrored twice); a component\'s own fields win', () => {
    const plan = planPlatform({
      edition: 'open-source',
      delivery: 'helm',
      airGap: MIRROR,
      clusters: {
        control: { role: 'control', registryServer: standaloneRegistryServer('c', 'https://r.example.com') },
        east: { role: 'workload', toolhiveOperator: {} },
        west: { role: 'workload', toolhiveOperator: { airGap: { chartMirror: 'oci://west-mirror.internal' } } },
      },
    });
    const repos = Object.fromEntries(plan.clusters.map((c) => [c.cluster, helmRepos(c)]));
    expect(repos).toEqual({
      control: ['oci://registry.internal:5000/mirror/stacklok/toolhive-registry-server'],
      east: ['oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator-crds', 'oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator'],
      west: ['oci://west-mirror.internal/stacklok/toolhive/toolhive-operator-crds', 'oci://west-mirror.internal/stacklok/toolhive/toolhive-operator'],
    });
    // The west operator keeps the platform's image registry.
    const west = plan.clusters.find((c) => c.cluster === 'west')!.deliverables.find((d) => d.id === 'toolhive-operator')!;
    expect(west.type === 'helm-release' && (west.release.values as any).operator.image).toBe(`registry.internal:5000/mirror/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
  });

  test('plain HTTP and a CA file travel with the release (for helm --plain-http / --ca-file)', () => {
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')), 'ca.pem');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');
    const tls = planOperatorInstall({ airGap: { chartMirror: 'oci://mirror.internal', caFile } }, { delivery: 'helm' });
    expect(tls.deliverables.flatMap((d) => (d.type === 'helm-release' ? [[d.release.caFile, d.release.plainHttp]] : []))).toEqual([[caFile, undefined], [caFile, undefined]]);
    const http = planOperatorInstall({ airGap: { chartMirror: 'oci://127.0.0.1:5000', plainHttp: true } }, { delivery: 'helm' });
    expect(http.deliverables.flatMap((d) => (d.type === 'helm-release' ? [d.release.plainHttp] : []))).toEqual([true, true]);
    const trusted = planOperatorInstall({ airGap: { chartMirror: 'oci://charts.corp:80/m', plainHttp: true, trustedHttpHosts: ['charts.corp:80'] } }, { delivery: 'helm' });
    expect(helmRepos(trusted)[0]).toBe('oci://charts.corp:80/m/stacklok/toolhive/toolhive-operator-crds');
  });
});

describe('air gap: bad input', () => {
  test.each([
    [{ chartMirror: 'https://mirror.internal' }, 'operator.airGap.chartMirror', 'is not an OCI URL'],
    [{ chartMirror: 'mirror.internal/charts' }, 'operator.airGap.chartMirror', 'is not an OCI URL'],
    [{ chartMirror: 'oci://robot:s3cret@mirror.internal/charts' }, 'operator.airGap.chartMirror', 'has credentials in the URL'],
    [{ chartMirror: 'oci://mirror.internal/charts/stacklok/toolhive/toolhive-operator' }, 'operator.airGap.chartMirror', 'names a chart: give the mirror\'s base'],
    [{ chartMirror: 'oci://mirror.internal/charts/' }, 'operator.airGap.chartMirror', 'ends with "/"'],
    [{ chartMirror: 'oci://mirror.internal/Charts' }, 'operator.airGap.chartMirror', 'not a registry path'],
    [{ chartMirror: 'oci://ghcr.io/stacklok' }, 'operator.airGap.chartMirror', 'is a public registry'],
    [{ chartMirror: 'oci://mirror.internal', plainHttp: true }, 'operator.airGap.plainHttp', 'only for a loopback mirror (localhost, 127.x.y.z or [::1], as written), or a host you list in trustedHttpHosts'],
    // Loopback as written, not as a URL parser or a resolver would read it.
    [{ chartMirror: 'oci://127.1:5000', plainHttp: true }, 'operator.airGap.plainHttp', 'plain HTTP to 127.1:5000'],
    [{ chartMirror: 'oci://localhost.evil.example', plainHttp: true }, 'operator.airGap.plainHttp', 'plain HTTP to localhost.evil.example'],
    [{ chartMirror: 'oci://127.0.0.1.nip.io', plainHttp: true }, 'operator.airGap.plainHttp', 'plain HTTP to 127.0.0.1.nip.io'],
    // Checked as written, since helm gets it as written.
    [{ chartMirror: 'oci://mirror.internal /charts' }, 'operator.airGap.chartMirror', 'contains whitespace or control characters'],
    [{ chartMirror: 'oci://mirror.internal/charts\n' }, 'operator.airGap.chartMirror', 'contains whitespace or control characters'],
    [{ chartMirror: 'oci://mirror.internal/a/../b' }, 'operator.airGap.chartMirror', 'has an empty, "." or ".." path segment'],
    [{ chartMirror: 'oci://mirror.internal//b' }, 'operator.airGap.chartMirror', 'has an empty, "." or ".." path segment'],
    [{ chartMirror: 'oci://mirror.internal:/b' }, 'operator.airGap.chartMirror', 'has an invalid port ""'],
    [{ chartMirror: 'oci://mirror.internal:99999' }, 'operator.airGap.chartMirror', 'has an invalid port "99999"'],
    [{ chartMirror: 'oci://mirror.internal:0' }, 'operator.airGap.chartMirror', 'has an invalid port "0"'],
    [{ chartMirror: 'oci://mirrör.internal' }, 'operator.airGap.chartMirror', 'write an internationalised name in its xn-- form'],
    [{ chartMirror: 'oci://Mirror.Internal/m' }, 'operator.airGap.chartMirror', 'lower-case ASCII letters'],
    [{ chartMirror: 'oci://mirror.internal:05000/m' }, 'operator.airGap.chartMirror', 'has an invalid port "05000": expected 1 to 65535, without leading zeros'],
    [{ imageRegistry: 'registry.internal:99999/m' }, 'operator.airGap.imageRegistry', 'has an invalid port "99999"'],
    [{ imageRegistry: 'registry.internal:0' }, 'operator.airGap.imageRegistry', 'has an invalid port "0"'],
    [{ chartMirror: 'oci://' }, 'operator.airGap.chartMirror', 'does not name a registry host'],
    [{ chartMirror: 'oci://mirror.internal', caFile: os.tmpdir() }, 'operator.airGap.caFile', 'is not a file'],
    [{ imageRegistry: 'mirror' }, 'operator.airGap.imageRegistry', 'images under it would be pulled from Docker Hub (docker.io/mirror/...)'],
    [{ imageRegistry: 'mirror/images' }, 'operator.airGap.imageRegistry', 'does not start with a registry host'],
    [{ plainHttp: true }, 'operator.airGap.plainHttp', 'only with a chartMirror'],
    [{ chartMirror: 'oci://mirror.internal', trustedHttpHosts: ['mirror.internal'] }, 'operator.airGap.trustedHttpHosts', 'only with plainHttp: true'],
    [{ chartMirror: 'oci://mirror.internal', caFile: '/no/such/ca.pem' }, 'operator.airGap.caFile', 'does not exist'],
    [{ imageRegistry: 'https://registry.internal' }, 'operator.airGap.imageRegistry', 'is not a registry host'],
    [{ imagePullSecrets: ['Not_A_Secret'] }, 'operator.airGap.imagePullSecrets[0]', 'is not a valid Secret name'],
    [{ chartMirror: 7 }, 'operator.airGap.chartMirror', 'expected a string, got the number 7'],
    [{ charts: 'oci://x' }, 'operator.airGap.charts', 'unknown'],
  ])('%j', (airGap, at, message) => {
    const issues = issuesOf(() => planOperatorInstall({ airGap: airGap as any }, { delivery: 'helm' }));
    expect(issues).toEqual([{ path: at, message: expect.stringContaining(message) }]);
  });

  test('loopback as written, a trusted host, a registry host without a dot: accepted', () => {
    for (const chartMirror of ['oci://localhost:5000/m', 'oci://127.0.0.1:5000', 'oci://127.10.20.30', 'oci://[::1]:5000/m']) {
      expect(() => planOperatorInstall({ airGap: { chartMirror, plainHttp: true } }, { delivery: 'helm' })).not.toThrow();
    }
    for (const imageRegistry of ['localhost:5000', 'localhost', 'registry:5000/mirror', 'registry.internal']) {
      expect(() => planOperatorInstall({ airGap: { imageRegistry } })).not.toThrow();
    }
  });

  test('an invalid chartMirror with plainHttp: one problem, the chartMirror\'s (not also "only with a chartMirror")', () => {
    expect(issuesOf(() => planOperatorInstall({ airGap: { chartMirror: 'oci://x y', plainHttp: true } }, { delivery: 'helm' })).map((i) => i.path))
      .toEqual(['operator.airGap.chartMirror']);
    expect(issuesOf(() => planOperatorInstall({ airGap: { chartMirror: 'oci://m.internal', plainHttp: true, trustedHttpHosts: 'm.internal' as any } }, { delivery: 'helm' })).map((i) => i.path))
      .toEqual(['operator.airGap.trustedHttpHosts']);
  });

  test('plain JavaScript garbage beside an air gap: one error each, at its path, never a TypeError', () => {
    const paths = (options: unknown) => issuesOf(() => planOperatorInstall(options as any, { delivery: 'helm' })).map((i) => i.path);
    expect(paths({ airGap: { imageRegistry: 'r.example.com/m' }, customResources: [null] })).toEqual(['operator.customResources[0]']);
    expect(paths({ airGap: { imageRegistry: 'r.example.com/m' }, customResources: 'x' })).toEqual(['operator.customResources']);
    expect(paths({ airGap: { chartMirror: 'oci://m.internal', plainHttp: true, trustedHttpHosts: [1] } })).toEqual(['operator.airGap.trustedHttpHosts[0]']);
    expect(paths({ airGap: { chartMirror: 'oci://m.internal', plainHttp: 'yes', caFile: 5 } })).toEqual(['operator.airGap.caFile', 'operator.airGap.plainHttp']);
    expect(paths({ airGap: [] })).toEqual(['operator.airGap']);
    expect(paths({ images: { registry: {} } })).toEqual(['operator.images.registry']);
  });

  test('an unreadable CA file is named', () => {
    if (process.getuid?.() === 0) return; // root reads any file
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')), 'ca.pem');
    fs.writeFileSync(caFile, 'x', { mode: 0o000 });
    expect(issuesOf(() => planOperatorInstall({ airGap: { chartMirror: 'oci://mirror.internal', caFile } }, { delivery: 'helm' })))
      .toEqual([{ path: 'operator.airGap.caFile', message: expect.stringContaining('is not readable') }]);
  });

  test('on a platform: reported once, at the platform\'s path', () => {
    const spec = { edition: 'open-source' as const, airGap: { chartMirror: 'oci://mirror.internal', plainHttp: true }, clusters: { east: { role: 'workload' as const, toolhiveOperator: {} }, west: { role: 'workload' as const, toolhiveOperator: {} } } };
    expect(issuesOf(() => planPlatform(spec)).map((i) => i.path)).toEqual(['airGap.plainHttp']);
    expect(issuesOf(() => planPlatform({ ...spec, airGap: 'oci://x' as any })).map((i) => i.path)).toEqual(['airGap']);
    expect(issuesOf(() => planRegistryServer({ ...standaloneRegistryServer('x', 'https://r.example.com'), airGap: { chartMirror: 'oci://u:p@m.io' } })).map((i) => i.path))
      .toEqual(['registryServer.airGap.chartMirror']);
  });
});

describe('air gap: images from the image registry', () => {
  test('every image the operator\'s pods and workloads pull, the image-discovery Deployment\'s too; pull Secrets everywhere', () => {
    const plan = planOperatorInstall({ airGap: MIRROR, imageDiscovery: true });
    const objects = renderedObjects(plan);
    expect(podImages(objects)).toEqual([
      'registry.internal:5000/mirror/stacklok/thv-registry-api:v1.5.3', `registry.internal:5000/mirror/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`,
      `registry.internal:5000/mirror/stacklok/toolhive/proxyrunner:v${TOOLHIVE_VERSION}`, `registry.internal:5000/mirror/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`,
    ]);
    for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    const operator = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'toolhive-operator') as any;
    expect(operator.spec.template.spec.containers[0].env.find((e: any) => e.name === 'TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS').value).toContain('mirror-pull');
    // Images given explicitly are used as they are.
    const own = renderedObjects(planOperatorInstall({ airGap: MIRROR, images: { operator: 'corp.example.com/operator:v0.44.0' } }));
    expect(podImages(own)).toContain('corp.example.com/operator:v0.44.0');
  });

  test('a pull Secret named twice (on the platform and the component) is referenced once', () => {
    const objects = renderedObjects(planOperatorInstall({ airGap: MIRROR, imagePullSecrets: ['mirror-pull', 'mirror-pull'], workloadImagePullSecrets: ['w', 'w'] } as any));
    const operator = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'toolhive-operator') as any;
    expect(operator.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    const env = operator.spec.template.spec.containers[0].env.find((e: any) => e.name === 'TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS').value;
    expect(env.split(',').sort()).toEqual([...new Set(env.split(','))].sort());
  });

  test('the Registry Server and its pgpass init container', () => {
    const options = { ...standaloneRegistryServer('x', 'https://r.example.com'), passwordSecret: undefined, pgpassSecret: { name: 'pgpass', key: '.pgpass' }, airGap: MIRROR };
    const objects = renderedObjects(planRegistryServer(options as any));
    expect(podImages(objects)).toEqual(['registry.internal:5000/mirror/chainguard/busybox:latest', 'registry.internal:5000/mirror/stacklok/thv-registry-api:v1.5.1']);
  });
});

describe('the mirror list', () => {
  const workloads = {
    control: { role: 'control' as const, registryServer: { ...standaloneRegistryServer('c', 'https://r.example.com'), passwordSecret: undefined, pgpassSecret: { name: 'pg', key: '.pgpass' } } },
    east: { role: 'workload' as const, toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']), imageDiscovery: true } },
    west: { role: 'workload' as const, toolhiveOperator: {} },
  };
  const matrix: [string, () => ClusterPlan[]][] = [
    ['open source, manifests', () => [...planPlatform({ edition: 'open-source', clusters: workloads }).clusters]],
    ['open source, Helm', () => [...planPlatform({ edition: 'open-source', delivery: 'helm', clusters: workloads }).clusters]],
    ['open source, manifests, air-gapped', () => [...planPlatform({ edition: 'open-source', airGap: MIRROR, clusters: workloads }).clusters]],
    ['open source, Helm, air-gapped', () => [...planPlatform({ edition: 'open-source', delivery: 'helm', airGap: MIRROR, clusters: workloads }).clusters]],
    ['standalone operator, air-gapped', () => [planOperatorInstall({ airGap: MIRROR, imageDiscovery: true }, { delivery: 'helm' })]],
  ];

  test.each(matrix)('%s: no image of a rendered pod spec or operator env var is missing', (_name, plans) => {
    const list = mirrorList(plans());
    const listed = list.images.map((i) => i.image);
    const pulled = plans().flatMap((p) => podImages(renderedObjects(p)));
    expect(pulled.length).toBeGreaterThan(3);
    expect(pulled.filter((i) => !listed.includes(i))).toEqual([]);
  });

  test('air-gapped: every image and chart from the mirror, each with the public source to copy', () => {
    const list = mirrorList(matrix[3][1]());
    expect(list.images.every((i) => i.image.startsWith('registry.internal:5000/mirror/') && i.source && !i.source.startsWith('registry.internal'))).toBe(true);
    expect(list.images.find((i) => i.image.endsWith('/busybox:latest'))!.source).toBe('cgr.dev/chainguard/busybox:latest');
    expect(list.charts).toEqual([
      { repository: 'oci://registry.internal:5000/mirror/stacklok/toolhive-registry-server', version: '1.5.1', source: 'oci://ghcr.io/stacklok/toolhive-registry-server' },
      { repository: 'oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator', version: TOOLHIVE_VERSION, source: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator' },
      { repository: 'oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator-crds', version: TOOLHIVE_VERSION, source: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds' },
    ]);
  });

  test('the enterprise umbrella\'s images where its values name them (enterprise.airGap): every image key of every subchart', () => {
    const spec = centralized();
    const plan = planPlatform({ ...spec, enterprise: { ...spec.enterprise!, airGap: { registry: 'ecr.example.com/stacklok', pullSecret: 'ecr' } } });
    const list = mirrorList(plan);
    // Every image the umbrella's values name, by the keys the subcharts read (image strings, *Image keys, image maps).
    expect(list.images.map((i) => i.image).filter((i) => i.startsWith('ecr.example.com/'))).toEqual([
      'ecr.example.com/stacklok/cloud-ui:1.4.0', 'ecr.example.com/stacklok/operator:1.4.0', 'ecr.example.com/stacklok/proxyrunner:1.4.0',
      'ecr.example.com/stacklok/registry-api:1.4.0', 'ecr.example.com/stacklok/toolhive-enterprise:1.4.0', 'ecr.example.com/stacklok/vmcp:1.4.0',
    ]);
    const named = JSON.stringify(plan.clusters.flatMap((c) => c.deliverables.map((d) => (d.type === 'helm-release' ? d.release.values : {}))));
    for (const i of list.images.filter((x) => x.image.startsWith('ecr.example.com/'))) expect(named).toContain(i.image.split(':')[0]);
    expect(list.charts.map((c) => c.repository)).toEqual(['oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform']);
  });

  test('the images the CRDs default to (EmbeddingServer spec.image): public without an air gap, the registry\'s copy with one', () => {
    const open = mirrorList(planOperatorInstall({ rbac: RbacScope.cluster() }));
    expect(open.images).toContainEqual({ image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-latest' });
    const gapped = mirrorList(planOperatorInstall({ airGap: MIRROR }, { delivery: 'helm' }));
    expect(gapped.images).toContainEqual({ image: 'registry.internal:5000/mirror/huggingface/text-embeddings-inference:cpu-latest', source: 'ghcr.io/huggingface/text-embeddings-inference:cpu-latest' });
    expect(gapped.images.filter((i) => !i.image.startsWith('registry.internal:5000/mirror/'))).toEqual([]);
    // Without the CRDs (installed elsewhere), nothing of theirs is listed.
    expect(mirrorList(planOperatorInstall({ crds: { install: false } })).images.map((i) => i.image)).not.toContain('ghcr.io/huggingface/text-embeddings-inference:cpu-latest');
  });

  test('air-gapped: an EmbeddingServer that leaves spec.image to the CRD default gets the registry\'s copy; one that names an image keeps it', () => {
    const embedding = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'EmbeddingServer', metadata: { name, namespace: 'toolhive-system' }, spec: { model: 'BAAI/bge-small-en-v1.5', ...spec },
    });
    const customResources = [embedding('default-image', {}), embedding('own-image', { image: 'corp.example.com/tei:1' })] as any[];
    const plan = planOperatorInstall({ airGap: MIRROR, customResources });
    const planned = plan.deliverables.find((d) => d.type === 'custom-resources')!;
    expect((planned as any).objects.map((o: any) => [o.metadata.name, o.spec.image])).toEqual([
      ['default-image', 'registry.internal:5000/mirror/huggingface/text-embeddings-inference:cpu-latest'], ['own-image', 'corp.example.com/tei:1'],
    ]);
    // The user's objects are not changed; without an air gap nothing is set.
    expect(customResources[0].spec.image).toBeUndefined();
    const publicPlan = planOperatorInstall({ customResources });
    expect((publicPlan.deliverables.find((d) => d.type === 'custom-resources') as any).objects[0].spec.image).toBeUndefined();
    expect(mirrorList(plan).images.map((i) => i.image)).toContain('corp.example.com/tei:1');
  });

  test('the text file a crane or helm script reads; nothing written for invalid input', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-'));
    const file = path.join(dir, 'mirror.txt');
    const list = writeMirrorList(matrix[3][1](), file);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toHaveLength(list.images.length + list.charts.length);
    expect(lines).toContain(`image registry.internal:5000/mirror/stacklok/toolhive/operator:v${TOOLHIVE_VERSION} ghcr.io/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
    expect(lines).toContain(`chart oci://registry.internal:5000/mirror/stacklok/toolhive/toolhive-operator ${TOOLHIVE_VERSION} oci://ghcr.io/stacklok/toolhive/toolhive-operator`);
    expect(() => writeMirrorList('nope' as any, path.join(dir, 'bad.txt'))).toThrow();
    expect(fs.existsSync(path.join(dir, 'bad.txt'))).toBe(false);
  });
});
