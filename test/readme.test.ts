/*
 * Every TypeScript code block of README.md compiles (strict, against the library's entry points),
 * so no snippet can rot. A block that uses a helper it does not define declares it in an HTML
 * comment just above the fence: `<!-- declare: declare function f(...): T; -->`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { registryServer, buildApp as buildMultiCluster } from '../examples/cdk8s-multi-cluster/main';
import {
  compareVersions, mirrorList, mirrorListText, platformDiagram, planOperatorInstall, planPlatform, RbacScope, TOOLHIVE_RELEASES, TOOLHIVE_VERSION,
  ToolhiveValidationError, upgradeReport, upgradeReportText,
} from '../src';
import { ControlCluster, ToolhiveOperator, ToolhivePlatform } from '../src/cdk8s';
import { ToolhivePlatform as PulumiPlatform } from '../src/pulumi';
import { issuesOf } from './support/errors';
import { expectValidObjects } from './support/k8s-validate';
import { CACHE_DIR, REPO_ROOT } from './support/paths';
import { standaloneRegistryServer } from './support/platform-fixtures';
import { installPulumiMocks, summarize, valueOf } from './support/pulumi-mocks';
import { runnableBlocks } from './support/readme';

interface Snippet {
  readonly line: number;
  readonly declarations: string;
  readonly code: string;
}

/** The ```ts blocks of a markdown text, with the declarations announced above each. */
export function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Fences may be indented (a block inside a list item): the block's lines lose that indent.
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    if (fence[2] === 'ts' || fence[2] === 'typescript') {
      const before = i > 0 ? /^\s*<!-- declare: ([\s\S]*) -->$/.exec(lines[i - 1]) : null;
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(fence[1]) ? l.slice(fence[1].length) : l)).join('\n');
      out.push({ line: i + 1, declarations: before ? before[1] : '', code });
    }
    i = end;
  }
  return out;
}

describe('README.md', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const snippets = tsBlocks(readme);

  test('has TypeScript blocks for cdk8s, Pulumi and the core', () => {
    const all = snippets.map((s) => s.code).join('\n');
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    for (const entry of ["'toolhive-constructs'", "'toolhive-constructs/cdk8s'", "'toolhive-constructs/pulumi'"]) expect(all).toContain(entry);
  });

  test('every TypeScript block compiles (strict), with only what the README declares above it', () => {
    const dir = path.join(CACHE_DIR, 'readme-snippets');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const files = snippets.map((s) => {
      const file = path.join(dir, `readme-line-${s.line}.ts`);
      // Each block is its own module (`export {}`), so blocks never see each other's names.
      fs.writeFileSync(file, `${s.declarations}\n${s.code}\nexport {};\n`);
      return file;
    });
    const config = ts.readConfigFile(path.join(REPO_ROOT, 'tsconfig.dev.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT);
    // Snippets show values they do not use; everything else is the project's strict settings.
    const program = ts.createProgram(files, { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false });
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const snippet = snippets[files.indexOf(path.resolve(d.file!.fileName))];
        // Line 1 of the file holds the declarations; the block's first line is line 2.
        return `README.md:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });
});

describe('README.md: what it shows is what runs', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  test('the Bad input block throws exactly the error printed below it', () => {
    const section = readme.slice(readme.indexOf('## Bad input'), readme.indexOf('## The core on its own'));
    const shown = /```text\n([\s\S]*?)\n```/.exec(section)![1];
    const chart = new Chart(new App(), 'toolhive');
    let message: string | undefined;
    try {
      runBlock(tsBlocks(section)[0], 'bad-input', { chart });
    } catch (e) {
      expect(e).toBeInstanceOf(ToolhiveValidationError);
      message = (e as Error).message;
    }
    expect(message).toBe(shown);
  });

  test('every measured figure (the **Fast.** bullets) is one BENCHMARKS.md reports', () => {
    const bench = fs.readFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), 'utf8');
    const bullets = [...readme.matchAll(/^- \*\*Fast\.\*\*([\s\S]*?)(?=\n- |\n\n)/gm)].map((m) => m[1].replace(/\s+/g, ' '));
    const figures = bullets.flatMap((b) => [...b.matchAll(/\d[\d,.]*(?:×| ms| s| MB)/g)].map((m) => m[0]));
    expect(figures.length).toBeGreaterThanOrEqual(4);
    expect(figures.filter((f) => !bench.includes(f))).toEqual([]);
  });
});

describe('README.md: shell blocks marked to run', () => {
  test('every `<!-- run: name -->` block is run by a cluster or consumer test (`runReadme(name)` or `readmeShell(name)`), and each name a test runs is in the README', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const named = [...runnableBlocks(readme).keys()].sort();
    const suites = [['cluster', '.cluster.ts'], ['consumer', '.consumer.ts']].flatMap(([folder, suffix]) => {
      const dir = path.join(REPO_ROOT, 'test', folder);
      return fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
    });
    const run = new Set(suites.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/(?:runReadme|readmeShell)\('([a-z0-9-]+)'/g)].map((m) => m[1])));
    expect(named.length).toBeGreaterThanOrEqual(6);
    expect(named).toEqual([...run].sort());
  });
});

/**
 * Runs a README block as its reader would, with the names its `declare` comment announces given
 * as `declared` (the block is transpiled to CommonJS; its imports resolve to the library's source).
 */
function runBlock(block: Snippet, name: string, declared: Record<string, unknown>): Record<string, any> {
  RAN.add(block.code);
  const dir = path.join(CACHE_DIR, 'readme-run');
  fs.mkdirSync(dir, { recursive: true });
  const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = path.join(dir, `${name}-${process.pid}.js`);
  const names = Object.keys(declared);
  // The block's top-level constants (exported or not), handed back to the test.
  const bound = [...block.code.matchAll(/^(?:export\s+)?(?:const|let)\s+(?:(\w+)|\{([^}]*)\})/gm)]
    .flatMap((m) => (m[1] ? [m[1]] : m[2].split(',').map((n) => n.trim().split(':').pop()!.trim()).filter(Boolean)));
  const out = `\nglobalThis.__readmeBlockOut = { ${bound.map((n) => `${n}: typeof ${n} === 'undefined' ? exports.${n} : ${n}`).join(', ')} };`;
  fs.writeFileSync(file, `const { ${names.join(', ')} } = globalThis.__readmeBlock;\n${js}${out}`);
  (globalThis as any).__readmeBlock = declared;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    return (globalThis as any).__readmeBlockOut;
  } finally {
    delete (globalThis as any).__readmeBlock;
    delete (globalThis as any).__readmeBlockOut;
  }
}

/** The code of the blocks run so far (the last test checks that every block of the README ran). */
const RAN = new Set<string>();

/** Runs `f` with a fresh temporary folder as the working directory (blocks write relative paths). */
function inTempDir<T>(f: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-block-'));
  const before = process.cwd();
  process.chdir(dir);
  try {
    return f(dir);
  } finally {
    process.chdir(before);
  }
}

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** The section of the README from `heading` to the next heading of the same or a higher level. */
function sectionOf(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no heading ${heading}`);
  const level = heading.split(' ')[0];
  const next = [...README.slice(start + heading.length + 2).matchAll(/^(#+) /gm)].find((m) => m[1].length <= level.length);
  return README.slice(start, next ? start + heading.length + 2 + next.index! : undefined);
}
/**
 * The TypeScript blocks of the README section under `heading`, with their README line numbers
 * (what the last test checks against).
 */
function blocksIn(heading: string): Snippet[] {
  const section = sectionOf(heading);
  const first = README.slice(0, README.indexOf(section)).split('\n').length;
  const last = first + section.split('\n').length - 1;
  return tsBlocks(README).filter((b) => b.line >= first && b.line <= last);
}
const yamlDocs = (file: string): any[] => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON());

describe('README.md: Supported versions', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Supported versions'), readme.indexOf('### Adding the next release'));

  test('the table lists every supported release with its date, the default marked; nothing else', () => {
    const rows = [...section.matchAll(/\| (?:\*\*)?(\d+\.\d+\.\d+)(?:\*\*)?( \(default\))? \| (\d{4}-\d{2}-\d{2}) \|/g)]
      .map((m) => ({ version: m[1], date: m[3], isDefault: !!m[2] }));
    const byVersion = [...rows].sort((a, b) => compareVersions(a.version, b.version));
    expect(byVersion).toEqual(TOOLHIVE_RELEASES.map((r) => ({ version: r.version, date: r.date, isDefault: r.version === TOOLHIVE_VERSION })));
  });

  test('the messages shown are what the library prints', () => {
    const shown = /```text\n([\s\S]*?)\n\s*```/.exec(section)![1].split('\n').map((l) => l.trim());
    const cr = {
      apiVersion: 'toolhive.stacklok.dev/v1beta1',
      kind: 'MCPServer',
      metadata: { name: 'fetch', namespace: 'toolhive-system' },
      spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1', proxyReadTimeout: '30s' },
    };
    const printed = [
      ...issuesOf(() => planOperatorInstall({ version: '0.44.0', values: { operator: { defaultRedis: { addr: 'r:6379', tls: { enabled: true } } } } as any }, { path: '' })),
      ...issuesOf(() => planOperatorInstall({ version: '0.44.0', customResources: [cr as any] })),
    ].map((i) => `${i.path.replace(/^values\./, '')}: ${i.message}`);
    expect(printed).toEqual(shown);
  });

  test('the pinning block runs: each chart and cluster renders its own release', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'readme-pin-')) });
    runBlock(tsBlocks(section)[0], 'pinning', { app });
    const versionsOf = (chart: Chart) => new Set(Testing.synth(chart)
      .filter((o: any) => o.kind === 'Deployment').map((o: any) => o.metadata.labels['app.kubernetes.io/version']));
    const charts = app.node.findAll().filter((c): c is Chart => c instanceof Chart);
    const byId = Object.fromEntries(charts.filter((c) => [...versionsOf(c)].length > 0).map((c) => [c.node.path, [...versionsOf(c)]]));
    expect(byId).toEqual({ 'pinned': ['0.59.0'], 'eu-1': ['0.63.0'], 'eu-2': ['0.66.0'] });
  });
});

describe('README.md: Upgrading', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Upgrading'), readme.indexOf('## A platform of many clusters'));

  test('the waves block runs: three waves written in turn, each naming its clusters', () => {
    const clusters = Object.fromEntries(['eu-1', ...Array.from({ length: 150 }, (_, i) => `w${i}`)].map((n) => [n, { role: 'workload', toolhiveOperator: {} }]));
    const outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-waves-')), 'clusters');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      runBlock(tsBlocks(section)[0], 'waves', { fleet: { version: '0.44.0', clusters }, outDir });
      expect(log.mock.calls.map((c) => String(c[0]).split(':')[0])).toEqual(['wave 1', 'wave 2', 'wave 3']);
      expect(log.mock.calls[0][0]).toBe('wave 1: eu-1');
    } finally {
      log.mockRestore();
    }
    // After the last wave every cluster's folder holds 0.66.0.
    const kustomization = fs.readFileSync(path.join(outDir, 'w0', 'kustomization.yaml'), 'utf8');
    expect(kustomization).toBeDefined();
    const files = fs.readdirSync(path.join(outDir, 'w149')).map((f) => fs.readFileSync(path.join(outDir, 'w149', f), 'utf8')).join('\n');
    expect(files).toContain('app.kubernetes.io/version: 0.66.0');
    expect(files).not.toContain('app.kubernetes.io/version: 0.44.0');
  });

  const checkBlock = () => tsBlocks(section).find((b) => b.code.includes('checkVersionChange('))!;
  test('the check block runs: with the stored versions of a 0.44.0 cluster it prints the report', () => {
    const storedVersions = { 'mcpservers.toolhive.stacklok.dev': ['v1beta1'], 'mcpwebhookconfigs.toolhive.stacklok.dev': ['v1alpha1'] };
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      runBlock(checkBlock(), 'check', { storedVersions });
      expect(log.mock.calls).toEqual([[upgradeReportText(upgradeReport('0.44.0', '0.66.0'), { maxItems: 5 })]]);
    } finally {
      log.mockRestore();
    }
  });

  test('the check block throws, with the reason, when objects stored at a version 0.66.0 does not serve would be orphaned', () => {
    const storedVersions = { 'mcpservers.toolhive.stacklok.dev': ['v1beta1', 'v1alpha0'] };
    let error: unknown;
    try {
      runBlock(checkBlock(), 'check-refused', { storedVersions });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect((error as ToolhiveValidationError).issues.map((i) => i.path)).toEqual(['storedVersions["mcpservers.toolhive.stacklok.dev"]']);
    expect((error as Error).message).toContain('objects stored at v1alpha0 would be orphaned: ToolHive 0.66.0 no longer serves v1alpha0');
  });
});

describe('README.md: every other block runs', () => {
  const recorded = installPulumiMocks({
    'toolhive:kubeconfig-control': 'unused', 'toolhive:kubeconfig-eu-west': 'unused', 'toolhive:cluster': 'eu-west', 'toolhive:kubeconfig': 'unused',
  });

  test('Install the operator with cdk8s: synthesized, in apply order', () => {
    const block = blocksIn('## Install the operator with cdk8s')[0];
    inTempDir((dir) => {
      runBlock(block, 'install', {});
      const objects = yamlDocs(path.join(dir, 'dist', 'toolhive.k8s.yaml'));
      expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'toolhive-system' } });
      expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(14);
      expect(objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(2);
      expect(objects.filter((o) => o.kind === 'RoleBinding' && o.roleRef.name === 'toolhive-operator-manager-role').map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
    });
  });

  test('A platform of many clusters: one file per cluster, as its comment says', () => {
    const block = blocksIn('## A platform of many clusters')[0];
    inTempDir((dir) => {
      runBlock(block, 'platform', { registryServer });
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['control.k8s.yaml', 'dev.k8s.yaml', 'eu-west.k8s.yaml', 'staging.k8s.yaml', 'us-east.k8s.yaml']);
      expect(yamlDocs(path.join(dir, 'dist', 'eu-west.k8s.yaml')).some((o) => o.kind === 'Deployment' && o.metadata.name === 'toolhive-operator')).toBe(true);
    });
  });

  test('The manifest writer: 1,000 clusters written, with Flux and with Argo CD objects for the management cluster', () => {
    const block = blocksIn('### The manifest writer')[0];
    inTempDir((dir) => {
      runBlock(block, 'writer', {});
      const out = path.join(dir, 'clusters');
      expect(fs.readdirSync(out).filter((d) => d.startsWith('workload-'))).toHaveLength(1000);
      // The CRDs are shared (_shared/), so the cluster's own files skip their number.
      expect(fs.readdirSync(path.join(out, 'workload-999')).sort()).toEqual(['01-platform-namespace.yaml', '03-toolhive-operator.yaml', 'kustomization.yaml']);
      // The last call wins: the management cluster holds Argo CD's ApplicationSets.
      const management = fs.readdirSync(path.join(out, 'management')).map((f) => fs.readFileSync(path.join(out, 'management', f), 'utf8')).join('\n');
      expect(management).toContain('kind: ApplicationSet');
      expect(fs.readdirSync(dir)).toEqual(['clusters']);
    });
  });

  test('Exposing the external URLs: the Ingress routes the control cluster\'s externalUrl host to the Registry Server Service and its http port', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-expose-'));
    const app = buildMultiCluster(outdir);
    const control = app.node.findAll().find((c): c is ControlCluster => c instanceof ControlCluster)!;
    runBlock(blocksIn('### Exposing the external URLs')[0], 'expose', { control });
    app.synth();
    const objects = yamlDocs(path.join(outdir, `${control.node.id}.yaml`)).filter((o) => o);
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expectValidObjects([ingress]);
    const { host, http } = ingress.spec.rules[0];
    expect(`https://${host}`).toBe(registryServer('production', 'https://registry.example.com').externalUrl);
    expect(ingress.spec.tls[0].hosts).toEqual([host]);
    const backend = http.paths[0].backend.service;
    // The Service it names exists, in the Ingress's namespace, with that port; the port reaches the container's http port (8080), not internal-http.
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === backend.name && o.metadata.namespace === ingress.metadata.namespace);
    expect(service).toBeDefined();
    expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    const port = service.spec.ports.find((p: any) => p.name === backend.port.name);
    expect(port).toMatchObject({ port: 8080, targetPort: 'http' });
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === service.metadata.namespace
      && Object.entries(service.spec.selector).every(([k, v]) => o.spec.template.metadata.labels[k] === v));
    expect(deployment.spec.template.spec.containers[0].ports.find((p: any) => p.name === 'http').containerPort).toBe(8080);
    // Nothing of the library's exposes anything: the only Ingress is the block's, every Service is ClusterIP.
    expect(objects.filter((o) => ['Ingress', 'Gateway', 'HTTPRoute'].includes(o.kind))).toEqual([ingress]);
    expect(objects.filter((o) => o.kind === 'Service' && (o.spec.type ?? 'ClusterIP') !== 'ClusterIP')).toEqual([]);
  });

  test('cdk8s at scale: the deliverable ids its comment lists, and a dependency on the CRDs', () => {
    const block = blocksIn('### cdk8s at scale')[0];
    const chart = new Chart(new App(), 'toolhive');
    const operator = new ToolhiveOperator(chart, 'operator', {});
    const mine = new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } });
    const { ids } = runBlock(block, 'at-scale', { operator, mine });
    expect(ids).toEqual(['toolhive-operator-namespace', 'toolhive-operator-crds', 'toolhive-operator']);
    expect(mine.node.dependencies).toContain(operator.deliverable('toolhive-operator-crds'));
  });

  test('Diagrams: the block writes the flowchart, and the one shown is the multi-cluster example\'s', () => {
    const section = sectionOf('### Diagrams');
    const spec = { edition: 'open-source' as const, clusters: { east: { role: 'workload' as const, toolhiveOperator: {} } } };
    inTempDir((dir) => {
      const { mermaid } = runBlock(tsBlocks(section)[0], 'diagram', { spec });
      expect(mermaid).toBe(platformDiagram(spec));
      expect(fs.readFileSync(path.join(dir, 'platform.md'), 'utf8')).toContain(`\`\`\`mermaid\n${mermaid}\`\`\``);
      // The second block draws the same text from the plan.
      const { fromPlan } = runBlock(tsBlocks(section)[1], 'diagram-plan', { spec });
      expect(fromPlan).toBe(mermaid);
    });
    const shown = /```mermaid\n([\s\S]*?)```/.exec(section)![1];
    const app = buildMultiCluster(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-diagram-')));
    const platform = app.node.findAll().find((c): c is ToolhivePlatform => c instanceof ToolhivePlatform)!;
    expect(platform.diagram()).toBe(shown);
  });

  test('What to mirror: mirror.txt holds every image and chart the list names', () => {
    // Helm delivery: helm pulls the CRD chart and the operator chart, so both are listed.
    const plan = planPlatform({ edition: 'open-source', delivery: 'helm', clusters: { east: { role: 'workload', toolhiveOperator: { rbac: RbacScope.cluster() } } } });
    inTempDir((dir) => {
      const { images, charts } = runBlock(blocksIn('### What to mirror')[0], 'mirror', { plan });
      expect({ images, charts }).toEqual(mirrorList(plan));
      const text = fs.readFileSync(path.join(dir, 'mirror.txt'), 'utf8');
      for (const i of images) expect(text).toContain(`image ${i.image}`);
      expect(images.length).toBeGreaterThan(3);
      expect(charts.length).toBe(2);
    });
  });

  test('What to mirror: the sample lines shown are what the list writes for the air-gapped plan of "Pointing the library at the mirror"', () => {
    const shown = /to copy it from:\n\s*```\n([\s\S]*?)\n\s*```/.exec(sectionOf('### What to mirror'))![1].split('\n').map((l) => l.trim());
    expect(shown).toHaveLength(2);
    inTempDir((dir) => {
      fs.mkdirSync(path.join(dir, 'certs'));
      fs.writeFileSync(path.join(dir, 'certs', 'internal-ca.pem'), '-----BEGIN CERTIFICATE-----\n');
      const { plan } = runBlock(blocksIn('### Pointing the library at the mirror')[0], 'airgap-sample', {});
      const written = mirrorListText(mirrorList(plan)).split('\n');
      for (const line of shown) expect(written).toContain(line);
    });
  });

  test('Pointing the library at the mirror: charts and images from the mirror, the CA file read where it is', () => {
    inTempDir((dir) => {
      fs.mkdirSync(path.join(dir, 'certs'));
      fs.writeFileSync(path.join(dir, 'certs', 'internal-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const { plan } = runBlock(blocksIn('### Pointing the library at the mirror')[0], 'airgap', {});
      const releases = plan.clusters[0].deliverables.filter((d: any) => d.type === 'helm-release').map((d: any) => d.release);
      expect(releases.map((r: any) => r.repository)).toEqual([
        'oci://registry.internal/mirror/stacklok/toolhive/toolhive-operator-crds', 'oci://registry.internal/mirror/stacklok/toolhive/toolhive-operator',
      ]);
      expect(JSON.stringify(releases[1].values)).toContain('registry.internal/mirror/stacklok/toolhive/operator');
    });
  });

  test('Pulumi: the program runs under Pulumi\'s mocks, each cluster through its own provider', async () => {
    const before = recorded.length;
    const { platform } = runBlock(blocksIn('## Pulumi')[0], 'pulumi', { registryServer });
    expect(platform).toBeInstanceOf(PulumiPlatform);
    for (let stable = 0, count = -1; stable < 3;) {
      await new Promise((r) => setTimeout(r, 20));
      stable = recorded.length === count ? stable + 1 : 0;
      count = recorded.length;
    }
    const groups = recorded.slice(before).map(summarize).filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
    const byProvider = (p: string) => groups.filter((g) => g.provider === p).flatMap((g) => g.inputs.objs);
    expect(byProvider('eu-west')).toContain('Deployment/toolhive-system/toolhive-operator');
    expect(byProvider('control').some((o: string) => o.startsWith('Deployment/') && o.includes('registry'))).toBe(true);
    expect(new Set(groups.map((g) => g.provider))).toEqual(new Set(['control', 'eu-west']));
  }, 120_000); // the Pulumi mocks' settling loop runs in real time: 5 s is too short on a loaded CI machine

  test('One stack per cluster: the stack deploys only its cluster, through its provider, and knows the whole platform\'s endpoints', async () => {
    const definition = {
      edition: 'open-source' as const,
      clusters: {
        'control': { role: 'control' as const, registryServer: standaloneRegistryServer('p', 'https://registry.example.com') },
        'eu-west': { role: 'workload' as const, toolhiveOperator: { rbac: { scope: 'namespace' as const, allowedNamespaces: ['payments'] } } },
      },
    };
    const before = recorded.length;
    const { platform, endpoints } = runBlock(blocksIn('### One stack per cluster')[0], 'one-stack', { definition });
    expect(platform).toBeInstanceOf(PulumiPlatform);
    for (let stable = 0, count = -1; stable < 3;) {
      await new Promise((r) => setTimeout(r, 20));
      stable = recorded.length === count ? stable + 1 : 0;
      count = recorded.length;
    }
    const resources = recorded.slice(before).map(summarize);
    const clusterComponents = resources.filter((r) => /^toolhive-constructs:index:(Control|Workload|Registry)Cluster$/.test(r.type)).map((r) => r.name);
    expect(clusterComponents).toEqual(['acme-eu-west']);
    expect(new Set(resources.filter((r) => r.provider !== undefined).map((r) => r.provider))).toEqual(new Set(['eu-west']));
    expect(await valueOf(endpoints)).toEqual({ controlCluster: 'control', registryServer: 'https://registry.example.com' });
  }, 120_000);

  test('MCP workloads as typed custom resources: synthesized after the operator, as its comment says', () => {
    inTempDir((dir) => {
      runBlock(blocksIn('## MCP workloads as typed custom resources')[0], 'workloads', {});
      const kinds = yamlDocs(path.join(dir, 'dist', 'toolhive.k8s.yaml')).map((o) => o.kind);
      expect(kinds.slice(-2)).toEqual(['MCPGroup', 'MCPServer']);
      expect(kinds.indexOf('Deployment')).toBeLessThan(kinds.indexOf('MCPGroup'));
    });
  });

  test('The core on its own: the chart rendered, and a Helm plan', () => {
    const { objects, plan } = runBlock(blocksIn('## The core on its own')[0], 'core', {});
    expect(objects.find((o: any) => o.kind === 'Deployment').spec.replicas).toBe(2);
    expect(plan.deliverables.map((d: any) => d.type)).toEqual(['manifests', 'helm-release', 'helm-release']);
  });

  test('every TypeScript block of the README was run by one of the tests above', () => {
    // Listed by README line: the blocks no test ran.
    expect(tsBlocks(README).filter((b) => !RAN.has(b.code)).map((b) => b.line)).toEqual([]);
  });
});
