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
