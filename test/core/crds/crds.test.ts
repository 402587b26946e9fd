import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { CrdDownloadError, CrdSource, renderCrdsChart, TOOLHIVE_CRDS, TOOLHIVE_RELEASES, ToolhiveValidationError } from '../../../src';
import { _fetch } from '../../../src/core/_fetch';
import { expectValidObjects } from '../../support/k8s-validate';
import { toolhiveUpstream } from '../../support/upstream';

const upstream = toolhiveUpstream();
/** The oldest release's files: what the download tests serve for 0.44.0. */
const oldest = toolhiveUpstream('0.44.0');
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
      return fs.readFileSync(path.join(oldest.crdsDir, file), 'utf8');
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

  test('offline, a failed download is one clear error naming the URL and every way out', async () => {
    const port = await closedPort();
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    delete process.env.TOOLHIVE_UPSTREAM_DIR;
    // The real downloader, sent to a closed loopback port: what a machine without the network gets.
    const real = _fetch.fetchText.bind(_fetch);
    const spy = jest.spyOn(_fetch, 'fetchText').mockImplementation(() => real(`http://127.0.0.1:${port}/unreachable.yaml`));
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c-'));
    try {
      const e = catchError(() => CrdSource.fromRelease('0.44.0', { cacheDir }).load());
      expect(e).toBeInstanceOf(CrdDownloadError);
      expect(spy).toHaveBeenCalledTimes(1);
      const url = CrdSource.releaseFileUrl('0.44.0', 'embeddingservers');
      expect((e as CrdDownloadError).url).toBe(url);
      const lines = e.message.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Could not download the ToolHive 0\\.44\\.0 CRDs: ${url.replace(/[.]/g, '\\.')}: .*ECONNREFUSED`));
      expect(lines.slice(1)).toEqual([
        'Get them another way:',
        '  - reach raw.githubusercontent.com through a proxy: set HTTPS_PROXY (and NO_PROXY for hosts to reach directly);',
        '  - set TOOLHIVE_UPSTREAM_DIR to a folder holding toolhive-v0.44.0/crds/ with the release\'s 14 CRD files (each checked against the digest the library pins);',
        '  - pass crds: { source: CrdSource.fromDirectory(\'<folder with the CRD files>\') };',
        `  - or copy the 14 files into the download cache, ${path.join(cacheDir, 'crds', '0.44.0')} (TOOLHIVE_CONSTRUCTS_CACHE moves it), where they are checked the same way.`,
      ]);
      expect(e.message).not.toMatch(/at \S+ \(|src\/core/);
    } finally {
      spy.mockRestore();
      if (saved !== undefined) process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });

  test('a TOOLHIVE_UPSTREAM_DIR without the release is an error naming what it holds, never a silent download', () => {
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    const spy = jest.spyOn(_fetch, 'fetchText');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-mirror-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'other-mirror-'));
    fs.mkdirSync(path.join(other, 'toolhive-v0.45.0', 'crds'), { recursive: true });
    fs.mkdirSync(path.join(other, 'toolhive-v0.44.0')); // the release, but no crds/ in it
    try {
      const cases: [string, string][] = [
        [empty, 'it holds nothing'],
        [path.join(empty, 'missing'), 'it does not exist'],
        [other, 'it holds toolhive-v0.44.0, toolhive-v0.45.0'],
      ];
      for (const [mirror, found] of cases) {
        process.env.TOOLHIVE_UPSTREAM_DIR = mirror;
        const e = catchError(() => CrdSource.fromRelease('0.44.0', { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'c-')) }).load());
        expect(e.name).toBe('CrdMirrorError');
        expect(e.message).toBe(`TOOLHIVE_UPSTREAM_DIR is ${mirror}, but ${path.join(mirror, 'toolhive-v0.44.0', 'crds')} is not a folder (${found}).\n`
          + 'A mirror holds one folder per release, toolhive-v<version>/crds/ with its 14 CRD files: add toolhive-v0.44.0/crds/, '
          + 'or unset TOOLHIVE_UPSTREAM_DIR to download them (the mirror, when set, is the only source).');
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });

  test('fromRelease refuses versions the library does not render, naming the ones it does', () => {
    expect(() => CrdSource.fromRelease('0.43.0').load()).toThrow(/not a version the library renders; rendered versions: 0\.44\.0, 0\.45\.0, .*0\.66\.0/);
    expect(() => CrdSource.fromRelease('0.64.0').load()).toThrow(/"0\.64\.0" is not a version the library renders/);
  });

  describe('every file is checked against the digests the release table pins, before it is used or cached', () => {
    const withDownloads = (serve: (file: string) => string, run: (cacheDir: string, calls: () => number) => void) => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-digest-'));
      const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
      delete process.env.TOOLHIVE_UPSTREAM_DIR;
      const spy = jest.spyOn(_fetch, 'fetchText').mockImplementation((url: string) => serve(url.split('/').pop()!));
      try {
        run(cacheDir, () => spy.mock.calls.length);
      } finally {
        spy.mockRestore();
        if (saved !== undefined) process.env.TOOLHIVE_UPSTREAM_DIR = saved;
      }
    };
    const real = (file: string) => fs.readFileSync(path.join(oldest.crdsDir, file), 'utf8');

    test('a download that differs from the pinned file is refused, named, and not cached', () => {
      withDownloads((file) => (file.includes('mcpgroups') ? real(file).replace('MCPGroup', 'MCPGroup ') : real(file)), (cacheDir) => {
        const e = catchError(() => CrdSource.fromRelease('0.44.0', { cacheDir }).load());
        expect(e).toBeInstanceOf(ToolhiveValidationError);
        expect((e as ToolhiveValidationError).issues).toEqual([{
          path: 'crds.source.mcpgroups',
          message: expect.stringMatching(/toolhive\.stacklok\.dev_mcpgroups\.yaml has sha256 [0-9a-f]{64}, but the release pins [0-9a-f]{64}: not the released file/),
        }]);
        expect(fs.existsSync(path.join(cacheDir, 'crds', '0.44.0', 'toolhive.stacklok.dev_mcpgroups.yaml'))).toBe(false);
      });
    });

    test('a cached file changed on disk is downloaded again, not used', () => {
      withDownloads(real, (cacheDir, calls) => {
        CrdSource.fromRelease('0.44.0', { cacheDir }).load();
        expect(calls()).toBe(14);
        const file = path.join(cacheDir, 'crds', '0.44.0', 'toolhive.stacklok.dev_mcpservers.yaml');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('type: object', 'type: string'));
        CrdSource.fromRelease('0.44.0', { cacheDir }).load();
        expect(calls()).toBe(15);
        expect(fs.readFileSync(file, 'utf8')).toBe(real('toolhive.stacklok.dev_mcpservers.yaml'));
      });
    });

    test('a mirror (TOOLHIVE_UPSTREAM_DIR) holding another release\'s files is refused, file by file', () => {
      const mirror = fs.mkdtempSync(path.join(os.tmpdir(), 'wrong-mirror-'));
      // 0.66.0's files where 0.44.0's are expected: seven kinds differ.
      fs.cpSync(toolhiveUpstream('0.66.0').crdsDir, path.join(mirror, 'toolhive-v0.44.0', 'crds'), { recursive: true });
      const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
      process.env.TOOLHIVE_UPSTREAM_DIR = mirror;
      try {
        const e = catchError(() => CrdSource.fromRelease('0.44.0', { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'c-')) }).load());
        expect(e).toBeInstanceOf(ToolhiveValidationError);
        const paths = (e as ToolhiveValidationError).issues.map((i) => i.path);
        expect(paths).toEqual(expect.arrayContaining(['crds.source.mcpservers', 'crds.source.virtualmcpservers', 'crds.source.mcpexternalauthconfigs']));
        expect(paths).not.toContain('crds.source.mcpregistries');
        expect(e.message).toContain(`TOOLHIVE_UPSTREAM_DIR, ${path.join(mirror, 'toolhive-v0.44.0', 'crds')}`);
      } finally {
        process.env.TOOLHIVE_UPSTREAM_DIR = saved;
      }
    });

    test.each(TOOLHIVE_RELEASES.map((r) => r.version))('%s: the verified release files load, 14 CRDs', (version) => {
      const crds = CrdSource.fromRelease(version).load();
      expect([...crds.keys()].sort()).toEqual(TOOLHIVE_CRDS.map((c) => c.plural).sort());
    });
  });

  test('fromRelease uses an offline mirror named by TOOLHIVE_UPSTREAM_DIR', () => {
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(oldest.dir);
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
