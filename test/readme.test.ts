/*
 * Every TypeScript code block of README.md compiles (strict, against the library's entry points),
 * so no snippet can rot. A block that uses a helper it does not define declares it in an HTML
 * comment just above the fence: `<!-- declare: declare function f(...): T; -->`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CACHE_DIR, REPO_ROOT } from './support/paths';

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
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    if (fence[1] === 'ts' || fence[1] === 'typescript') {
      const before = i > 0 ? /^<!-- declare: ([\s\S]*) -->$/.exec(lines[i - 1]) : null;
      out.push({ line: i + 1, declarations: before ? before[1] : '', code: lines.slice(i + 1, end).join('\n') });
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
