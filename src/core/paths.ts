/*
 * The paths of validation issues, as the user wrote them: `a.b`, `a[0]`, `a["key with spaces"]`.
 * One home for joining them, used by every rule (through errors.ts and rules/keys.ts) and by the
 * CRD validator (which is bundled apart from errors.ts, so it imports this file directly).
 */

/**
 * Joins path segments: `joinPath('a', 'b')` is `a.b`, `joinPath('a', '[0]')` is `a[0]`.
 * (Not exported by the package's entry points, yet kept in the declarations: errors.d.ts imports it.)
 */
export function joinPath(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** A key as a path segment: `.key`, or `["key"]` when it is not a plain identifier-like word. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
}
