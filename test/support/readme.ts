/*
 * The README's code blocks that tests run as written: each is announced by an HTML comment just
 * above its fence, `<!-- run: <name> -->`, and a test runs it by that name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/** A named block of README.md: its language, the line of its fence, and its code (unindented). */
export interface RunnableBlock {
  readonly name: string;
  readonly lang: string;
  readonly line: number;
  readonly code: string;
}

/** Every `<!-- run: name -->` block of a markdown text, by name (a name used twice is an error). */
export function runnableBlocks(markdown: string): Map<string, RunnableBlock> {
  const lines = markdown.split('\n');
  const out = new Map<string, RunnableBlock>();
  for (let i = 1; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    const marker = /^\s*<!-- run: ([a-z0-9-]+) -->\s*$/.exec(lines[i - 1]);
    if (!fence || !marker) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    if (out.has(marker[1])) throw new Error(`README.md:${i}: the run name ${marker[1]} is used twice`);
    const code = lines.slice(i + 1, end).map((l) => (l.startsWith(fence[1]) ? l.slice(fence[1].length) : l)).join('\n');
    out.set(marker[1], { name: marker[1], lang: fence[2], line: i + 1, code });
  }
  return out;
}

/** The named block `name` of the repository's README.md. */
export function readmeBlock(name: string): RunnableBlock {
  const block = runnableBlocks(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).get(name);
  if (!block) throw new Error(`README.md has no block marked <!-- run: ${name} -->`);
  return block;
}

/** A TypeScript block of the README: its code and the declarations its `<!-- declare: ... -->` comment gives. */
export interface ReadmeTsBlock {
  readonly line: number;
  readonly declarations: string;
  readonly code: string;
}

/** The first TypeScript block under `heading` (e.g. `## Pulumi`) of the repository's README.md. */
export function readmeTsBlock(heading: string): ReadmeTsBlock {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no heading ${heading}`);
  for (let i = start + 1; i < lines.length && !/^#{1,6} /.test(lines[i]); i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    const declare = /^<!-- declare: ([\s\S]*) -->$/.exec(lines[i - 1]);
    return { line: i + 1, declarations: declare ? declare[1] : '', code: lines.slice(i + 1, end).join('\n') };
  }
  throw new Error(`README.md has no TypeScript block under ${heading}`);
}
