/*
 * Writing a manifest tree to disk: all or nothing. The files are rendered (and the input
 * validated) first, written into a fresh folder in a git-ignored work folder beside the output,
 * and only then swapped in for the previous output, so a failed run leaves the previous output
 * as it was and a cluster removed from the platform leaves no stale folder. A directory the
 * writer did not create is refused.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ToolhiveValidationError } from '../errors';
import { MANIFESTS_MARKER, ManifestFiles, ManifestsInput, renderManifestFiles } from './manifests';

/** What {@link writeManifests} wrote. */
export interface WrittenManifests {
  /** The output directory (absolute). */
  readonly directory: string;
  /** The clusters written, sorted. */
  readonly clusters: readonly string[];
  /** How many files the directory holds. */
  readonly fileCount: number;
}

function refuse(message: string): never {
  throw new ToolhiveValidationError([{ path: 'directory', message }], 'manifest output');
}

/** Whether `dir` may be replaced: absent, empty, or holding the writer's marker. */
function checkReplaceable(dir: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (!stat.isDirectory()) refuse(`${dir} exists and is not a directory: name a new directory, or one writeManifests wrote before`);
  const entries = fs.readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MANIFESTS_MARKER)) {
    refuse(`${dir} holds files writeManifests did not write (it has no ${MANIFESTS_MARKER} file): refusing to replace them; name a new or empty directory`);
  }
  return true;
}

/**
 * Writes the manifest tree of `input` (a platform's plan, or cluster plans) to `directory`,
 * replacing what a previous run wrote there, completely. Nothing is written when the input
 * is invalid (one validation error lists every problem) or when `directory` holds files the
 * writer did not write.
 */
export function writeManifests(input: ManifestsInput | ManifestFiles, directory: string): WrittenManifests {
  if (typeof directory !== 'string' || directory.trim() === '') refuse('expected the path of the output directory (a non-empty string)');
  const rendered = isManifestFiles(input) ? input : renderManifestFiles(input);
  // Files handed in whole (renderManifestFiles' result, or a look-alike) stay inside the directory.
  const outside = [...rendered.files.keys()].filter((f) => typeof f !== 'string' || f === '' || path.isAbsolute(f) || f.split(/[\\/]/).some((seg) => seg === '..' || seg === ''));
  if (outside.length > 0) {
    throw new ToolhiveValidationError(outside.map((f) => ({ path: `files[${JSON.stringify(String(f))}]`, message: 'not a relative path inside the output directory' })), 'manifest output');
  }
  const target = path.resolve(directory);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const work = path.join(parent, WORK_DIR);
  recoverCrashedRuns(target, work);
  const exists = checkReplaceable(target);
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const staging = path.join(work, `${path.basename(target)}.new-${id}`);
  const old = path.join(work, `${path.basename(target)}.old-${id}`);
  try {
    makeWorkDir(work);
    // Not mkdtemp: its folder is private (0700), and the output is an ordinary folder.
    fs.mkdirSync(staging);
    const made = new Set<string>([staging]);
    for (const [file, content] of rendered.files) {
      const full = path.join(staging, file);
      const dir = path.dirname(full);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(full, content);
    }
    if (exists) swap(target, staging, old);
    else fs.renameSync(staging, target);
  } catch (e) {
    bestEffort(() => fs.rmSync(staging, { recursive: true, force: true }));
    throw e;
  } finally {
    removeWorkDirIfEmpty(work);
  }
  return { directory: target, clusters: [...rendered.clusters.keys()], fileCount: rendered.files.size };
}

/**
 * The folder beside the output where a run stages the new tree and parks the previous one:
 * one hidden folder whose `.gitignore` ignores everything in it (itself included), so that
 * nothing a run leaves there, even when the process dies, is picked up by `git add -A`.
 */
const WORK_DIR = '.toolhive-constructs.tmp';

function makeWorkDir(work: string): void {
  fs.mkdirSync(work, { recursive: true });
  const ignore = path.join(work, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Written by toolhive-constructs: the manifest writer\'s scratch space, never committed.\n*\n');
}

function removeWorkDirIfEmpty(work: string): void {
  bestEffort(() => {
    if (fs.readdirSync(work).every((e) => e === '.gitignore')) fs.rmSync(work, { recursive: true, force: true });
  });
}

/**
 * Puts the new tree in place of the previous one: the previous tree is renamed away, the new one
 * renamed in, and the previous one deleted. When the second rename fails, the previous tree is
 * renamed back, so the target holds the old tree or the new one. (A directory cannot be swapped
 * in one step from Node.js; a process killed between the two renames leaves the previous tree in
 * the work folder, which the next run restores: {@link recoverCrashedRuns}.)
 */
function swap(target: string, staging: string, old: string): void {
  fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    fs.renameSync(old, target);
    throw e;
  }
  // The new tree is in place: a previous tree that cannot be deleted now is deleted by the next run.
  bestEffort(() => fs.rmSync(old, { recursive: true, force: true }));
}

/**
 * What runs for `target` that died left in the work folder: when the target is missing and a
 * previous tree was parked, it is put back first; then every leftover of a process no longer
 * running is deleted.
 */
function recoverCrashedRuns(target: string, work: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(work);
  } catch {
    return;
  }
  const base = path.basename(target);
  const leftovers = entries
    .map((e) => ({ e, m: /^(.*)\.(new|old)-(\d+)-[0-9a-f]{12}$/.exec(e) }))
    .filter(({ m }) => m !== null && m[1] === base && !isRunning(Number(m[3])))
    .map(({ e, m }) => ({ full: path.join(work, e), kind: m![2] }));
  const parked = leftovers.filter((l) => l.kind === 'old');
  if (parked.length > 0 && !fs.existsSync(target)) {
    const newest = parked.map((l) => ({ ...l, at: fs.statSync(l.full).mtimeMs })).sort((a, b) => b.at - a.at)[0];
    fs.renameSync(newest.full, target);
  }
  for (const l of leftovers) if (fs.existsSync(l.full)) fs.rmSync(l.full, { recursive: true, force: true });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // this process runs one write at a time: its leftovers are from a failed run
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bestEffort(f: () => void): void {
  try {
    f();
  } catch {
    // Left for the next run to clean up.
  }
}

function isManifestFiles(v: unknown): v is ManifestFiles {
  return typeof v === 'object' && v !== null && (v as ManifestFiles).files instanceof Map && (v as ManifestFiles).clusters instanceof Map;
}
