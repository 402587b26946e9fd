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
    [{ chartMirror: 'oci://mirror.internal', plainHttp: true }, 'operator.airGap.plainHttp', 'only for a loopback mirror, or a host you list in trustedHttpHosts'],
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

  test('the enterprise umbrella\'s images where its values name them (enterprise.airGap)', () => {
    const spec = centralized();
    const list = mirrorList(planPlatform({ ...spec, enterprise: { ...spec.enterprise!, airGap: { registry: 'ecr.example.com/stacklok', pullSecret: 'ecr' } } }));
    expect(list.images.map((i) => i.image)).toEqual(expect.arrayContaining(['ecr.example.com/stacklok/toolhive-enterprise:1.4.0', 'ecr.example.com/stacklok/cloud-ui:1.4.0']));
    expect(list.charts.map((c) => c.repository)).toEqual(['oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform']);
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
