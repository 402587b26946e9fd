import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { CrdDownloadError, CrdSource, renderCrdsChart, TOOLHIVE_CRDS, ToolhiveValidationError } from '../../src';
import { _fetch } from '../../src/core/_fetch';
import { expectValidObjects } from '../support/k8s-validate';
import { toolhiveUpstream } from '../support/upstream';

const upstream = toolhiveUpstream();
const release = { releaseName: 'toolhive-operator-crds', namespace: 'toolhive-system' };
const source = CrdSource.fromDirectory(upstream.crdsDir);

describe('renderCrdsChart', () => {
  const crds = renderCrdsChart({}, release, source);

  test('renders the 14 CRDs in template order', () => {
    expect(crds.map((c) => c.metadata.name)).toEqual(TOOLHIVE_CRDS.map((c) => `${c.plural}.toolhive.stacklok.dev`));
    expect(crds).toHaveLength(14);
  });

  test('the keep annotation comes first; labels and the rest are the upstream file\'s', () => {
    for (const crd of crds) {
      expect(Object.entries(crd.metadata.annotations!)).toEqual([
        ['helm.sh/resource-policy', 'keep'],
        ['controller-gen.kubebuilder.io/version', 'v0.17.3'],
      ]);
      expect(crd.metadata.labels).toEqual({ 'toolhive.stacklok.dev/auto-migrate-storage-version': 'true' });
      const file = parse(fs.readFileSync(path.join(upstream.crdsDir, `toolhive.stacklok.dev_${crd.spec.names.plural}.yaml`), 'utf8'));
      expect(crd.spec).toEqual(file.spec);
    }
  });

  test('storage versions are the catalogue\'s', () => {
    for (const [i, crd] of crds.entries()) {
      const storage = crd.spec.versions.filter((v: any) => v.storage).map((v: any) => v.name);
      expect(storage).toEqual([TOOLHIVE_CRDS[i].storageVersion]);
      expect(crd.spec.names.kind).toBe(TOOLHIVE_CRDS[i].kind);
    }
  });

  test('crds.keep=false drops only the annotation; crds.install=false renders nothing', () => {
    const unkept = renderCrdsChart({ crds: { keep: false } }, release, source);
    expect(unkept[0].metadata.annotations).toEqual({ 'controller-gen.kubebuilder.io/version': 'v0.17.3' });
    expect(renderCrdsChart({ crds: { install: false } }, release, source)).toEqual([]);
  });

  test('every CRD passes the Kubernetes schema (CustomResourceDefinition, strict)', () => {
    expectValidObjects(crds);
  });

  test('unknown values are rejected', () => {
    expect(() => renderCrdsChart({ crds: { instal: false } } as any, release, source)).toThrow(/crds\.instal: unknown key/);
  });
});

/** A loopback port nothing listens on (one the system just handed out and took back). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('CrdSource', () => {
  test('fromDirectory names every missing file at once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    fs.copyFileSync(path.join(upstream.crdsDir, 'toolhive.stacklok.dev_mcpservers.yaml'), path.join(dir, 'toolhive.stacklok.dev_mcpservers.yaml'));
    fs.writeFileSync(path.join(dir, 'toolhive.stacklok.dev_mcpgroups.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    try {
      renderCrdsChart({}, release, CrdSource.fromDirectory(dir));
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ToolhiveValidationError);
      const issues = (e as ToolhiveValidationError).issues;
      expect(issues).toHaveLength(12);
      expect(issues.map((i) => i.path)).not.toContain('crds.source.mcpservers');
      expect(issues.map((i) => i.path)).not.toContain('crds.source.mcpgroups');
    }
    fs.copyFileSync(path.join(upstream.crdsDir, 'toolhive.stacklok.dev_mcpservers.yaml'), path.join(dir, 'x'));
    for (const c of TOOLHIVE_CRDS) {
      if (!['mcpservers', 'mcpgroups'].includes(c.plural)) fs.copyFileSync(path.join(upstream.crdsDir, `toolhive.stacklok.dev_${c.plural}.yaml`), path.join(dir, `toolhive.stacklok.dev_${c.plural}.yaml`));
    }
    expect(() => CrdSource.fromDirectory(dir).load()).toThrow(/crds\.source\.mcpgroups: expected exactly one CustomResourceDefinition/);
  });

  test('fromRelease downloads the tagged upstream files once, into the cache', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cache-'));
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    delete process.env.TOOLHIVE_UPSTREAM_DIR;
    const spy = jest.spyOn(_fetch, 'fetchText').mockImplementation((url: string) => {
      const file = url.split('/').pop()!;
      return fs.readFileSync(path.join(upstream.crdsDir, file), 'utf8');
    });
    try {
      const crds = renderCrdsChart({}, release, CrdSource.fromRelease('0.44.0', { cacheDir }));
      expect(crds).toHaveLength(14);
      expect(spy).toHaveBeenCalledTimes(14);
      expect(spy.mock.calls[0][0]).toBe('https://raw.githubusercontent.com/stacklok/toolhive/refs/tags/v0.44.0/deploy/charts/operator-crds/files/crds/toolhive.stacklok.dev_embeddingservers.yaml');
      // A second source reads the cache: no more downloads.
      renderCrdsChart({}, release, CrdSource.fromRelease('0.44.0', { cacheDir }));
      expect(spy).toHaveBeenCalledTimes(14);
      expect(fs.readdirSync(path.join(cacheDir, 'crds', '0.44.0'))).toHaveLength(14);
    } finally {
      spy.mockRestore();
      if (saved !== undefined) process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });

  test('offline, a failed download is one clear error naming the URL and both ways out', async () => {
    const port = await closedPort();
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-mirror-'));
    // The real downloader, sent to a closed loopback port: what a machine without the network gets.
    const real = _fetch.fetchText.bind(_fetch);
    const spy = jest.spyOn(_fetch, 'fetchText').mockImplementation(() => real(`http://127.0.0.1:${port}/unreachable.yaml`));
    try {
      const e = catchError(() => CrdSource.fromRelease('0.44.0', { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'c-')) }).load());
      expect(e).toBeInstanceOf(CrdDownloadError);
      expect(spy).toHaveBeenCalledTimes(1);
      const url = CrdSource.releaseFileUrl('0.44.0', 'embeddingservers');
      expect((e as CrdDownloadError).url).toBe(url);
      const lines = e.message.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Could not download the ToolHive 0\\.44\\.0 CRDs: ${url.replace(/[.]/g, '\\.')}: .*ECONNREFUSED`));
      expect(e.message).toContain('set TOOLHIVE_UPSTREAM_DIR to a folder holding toolhive-v0.44.0/crds/');
      expect(e.message).toContain(`(TOOLHIVE_UPSTREAM_DIR is ${process.env.TOOLHIVE_UPSTREAM_DIR}, which holds no toolhive-v0.44.0/crds/ folder)`);
      expect(e.message).toContain('CrdSource.fromDirectory(');
      expect(e.message).not.toMatch(/at \S+ \(|src\/core/);
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });

  test('fromRelease refuses versions the library does not render, naming the ones it does', () => {
    expect(() => CrdSource.fromRelease('0.43.0').load()).toThrow(/not a version the library renders; rendered versions: 0\.44\.0/);
  });

  test('fromRelease uses an offline mirror named by TOOLHIVE_UPSTREAM_DIR', () => {
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(upstream.crdsDir));
    const spy = jest.spyOn(_fetch, 'fetchText');
    try {
      expect(CrdSource.fromRelease('0.44.0', { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'c-')) }).load().size).toBe(14);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });
});
