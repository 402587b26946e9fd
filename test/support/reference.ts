import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/**
 * A research note from ../shared/reference beside the checkout (CI always has it).
 * Returns undefined outside CI when it is absent; in CI its absence is a failure.
 */
export function sharedReference(name: string): string | undefined {
  const file = path.resolve(REPO_ROOT, '..', 'shared', 'reference', name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  if (process.env.CI) throw new Error(`${file} is missing: CI runs with ../shared beside the checkout`);
  return undefined;
}

/** The first fenced code block after the heading that starts with `heading`. */
export function codeBlockAfter(markdown: string, heading: string): string {
  const at = markdown.indexOf(heading);
  if (at < 0) throw new Error(`heading ${heading} not found`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(markdown.slice(at));
  if (!m) throw new Error(`no code block after ${heading}`);
  return m[1];
}
