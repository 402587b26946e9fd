/*
 * Mermaid's real parser, run in a child Node process (the `mermaid` package is ESM only and
 * needs a DOM: jsdom). One process parses a batch.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/** The project's Node 22 (jsdom needs it), else the one running. */
const NODE = [path.join(REPO_ROOT, 'node_modules', '.bin', 'node')].find((n) => fs.existsSync(n)) ?? process.execPath;

/** What Mermaid's parser says of each text: the diagram type, or its error. */
export type MermaidParse = { ok: true; type: string } | { ok: false; error: string };

/** Parses each of `texts` with Mermaid's own parser. */
export function parseMermaid(texts: readonly string[]): MermaidParse[] {
  const out = execFileSync(NODE, [path.join(__dirname, 'mermaid-parse.mjs')], {
    input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as MermaidParse[];
}
