/*
 * Small helpers the platform's planners share.
 */
import { IssueCollector, joinPath } from '../errors';
import { keySegment } from '../rules/keys';
import { secretRefProblems } from '../rules/secrets';
import { isPlainObject } from '../util';

/** `o` without its undefined members. @internal */
export function omitUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Records the problems of a Secret reference (the rule kit's), and a missing one when it is
 * required. Its shape was checked already, so what is left is a missing name.
 * @internal
 */
export function checkSecretRef(ref: unknown, path: string, issues: IssueCollector, required: boolean): void {
  if (ref === undefined) {
    if (required) issues.add(path, 'required: a reference to an existing Secret key ({ name, key })');
    return;
  }
  for (const { field, problem } of secretRefProblems(ref)) issues.add(joinPath(path, field), problem);
}

/** `value` when it is a plain map, else undefined (for reading input whose shape may be wrong). @internal */
export function mapOrUndefined(value: unknown): Record<string, any> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** `value` when it is a list, else an empty one. @internal */
export function listOrEmpty(value: unknown): readonly any[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a string, else undefined. @internal */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The path of cluster `name` (and of `rest` in it), as the shape check writes it. @internal */
export function clusterPath(name: string, rest = ''): string {
  return joinPath(joinPath('clusters', keySegment(name)), rest);
}
