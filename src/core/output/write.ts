/*
 * Writing a manifest tree to disk: all or nothing. The files are rendered (and the input
 * validated) first, written into a fresh sibling folder, and only then swapped in for the
 * previous output, so a failed run leaves the previous output as it was and a cluster removed
 * from the platform leaves no stale folder. A directory the writer did not create is refused.
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
  const exists = checkReplaceable(target);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  // Not mkdtemp: its folder is private (0700), and the output is an ordinary folder.
  const staging = path.join(parent, `.${path.basename(target)}.new-${process.pid}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(staging);
  try {
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
    if (exists) {
      const old = `${staging}.old`;
      fs.renameSync(target, old);
      fs.renameSync(staging, target);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(staging, target);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return { directory: target, clusters: [...rendered.clusters.keys()], fileCount: rendered.files.size };
}

function isManifestFiles(v: unknown): v is ManifestFiles {
  return typeof v === 'object' && v !== null && (v as ManifestFiles).files instanceof Map && (v as ManifestFiles).clusters instanceof Map;
}
