/*
 * Every TypeScript code block of README.md compiles (strict, against the library's entry points),
 * so no snippet can rot. A block that uses a helper it does not define declares it in an HTML
 * comment just above the fence: `<!-- declare: declare function f(...): T; -->`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { compareVersions, planOperatorInstall, TOOLHIVE_RELEASES, TOOLHIVE_VERSION, ToolhiveValidationError, upgradeReport, upgradeReportText } from '../src';
import { issuesOf } from './support/errors';
import { CACHE_DIR, REPO_ROOT } from './support/paths';
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
  test('every `<!-- run: name -->` block is run by a cluster test (`runReadme(name)` or `readmeShell(name)`), and each name a test runs is in the README', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const named = [...runnableBlocks(readme).keys()].sort();
    const dir = path.join(REPO_ROOT, 'test', 'cluster');
    const run = new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.cluster.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:runReadme|readmeShell)\('([a-z0-9-]+)'/g)].map((m) => m[1])));
    expect(named.length).toBeGreaterThanOrEqual(6);
    expect(named).toEqual([...run].sort());
  });
});

/**
 * Runs a README block as its reader would, with the names its `declare` comment announces given
 * as `declared` (the block is transpiled to CommonJS; its imports resolve to the library's source).
 */
function runBlock(block: Snippet, name: string, declared: Record<string, unknown>): void {
  const dir = path.join(CACHE_DIR, 'readme-run');
  fs.mkdirSync(dir, { recursive: true });
  const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = path.join(dir, `${name}-${process.pid}.js`);
  const names = Object.keys(declared);
  fs.writeFileSync(file, `const { ${names.join(', ')} } = globalThis.__readmeBlock;\n${js}`);
  (globalThis as any).__readmeBlock = declared;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
  } finally {
    delete (globalThis as any).__readmeBlock;
  }
}

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
