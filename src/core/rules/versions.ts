/*
 * Versions: chart versions (SemVer 2, as Helm requires them).
 */
import { describe } from './describe';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Why `version` is not a chart version `X.Y.Z[-pre][+build]` (no leading `v`). */
export function chartVersionProblem(version: unknown, example: string): string | undefined {
  if (typeof version !== 'string') return `expected a chart version such as "${example}", got ${describe(version)}`;
  return SEMVER.test(version) ? undefined : `${JSON.stringify(version)} is not a chart version; expected X.Y.Z, e.g. "${example}"`;
}

const ENTRY_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Why `version` is not a registry entry version `MAJOR.MINOR.PATCH[-pre]` (a leading `v` allowed, as image tags have it). */
export function entryVersionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string') return `expected a version such as "1.0.0", got ${describe(version)}`;
  return ENTRY_VERSION.test(version) ? undefined : `${JSON.stringify(version)} is not MAJOR.MINOR.PATCH[-pre] (an optional leading v)`;
}
