import { IssueCollector, joinPath, ToolhiveValidationError } from '../errors';
import { keySegment } from '../paths';
import { isPlainObject } from '../util';

/**
 * Keys no user map may hold: assigning them while copying or merging would reach
 * `Object.prototype` (prototype pollution) or a constructor.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The problem with a forbidden key. @internal */
export function forbiddenKeyMessage(key: string): string {
  return `the key ${JSON.stringify(key)} is not allowed in a map (it would reach the object prototype when the map is copied or merged)`;
}

/**
 * Whether `value` is a map a user wrote: a map (util's one rule) made by a literal or without a
 * prototype, not a class instance (providers, sources, scopes are not entered).
 */
function isUserMap(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A key as a path segment: its home is paths.ts.
/** @internal */
export { keySegment };

/**
 * Records every forbidden key (`__proto__`, `constructor`, `prototype`) in the maps and lists
 * below `value`, each at its path. Class instances (providers, sources, scopes) are not entered;
 * cycles are followed once.
 * @internal
 */
export function checkForbiddenKeys(value: unknown, path: string, issues: IssueCollector): void {
  // Paths are built only for what is reported: this walk runs over every user map.
  const segments: string[] = [];
  const at = () => segments.reduce((p, seg) => (seg.startsWith('[') ? `${p}${seg}` : joinPath(p, seg)), path);
  const seen = new Set<object>();
  /** Walks `v`; true when it is deeply frozen and clean (then remembered, and never walked again). */
  const walk = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) return true;
    if (FROZEN_CLEAN.has(v)) return true;
    if (seen.has(v)) return false;
    seen.add(v);
    let frozen = Object.isFrozen(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'object' || v[i] === null) continue;
        segments.push(`[${i}]`);
        frozen = walk(v[i]) && frozen;
        segments.pop();
      }
    } else {
      if (!isUserMap(v)) return false;
      for (const key of Object.keys(v)) {
        const child = v[key];
        if (!FORBIDDEN_KEYS.has(key) && (typeof child !== 'object' || child === null)) continue;
        segments.push(keySegment(key));
        if (FORBIDDEN_KEYS.has(key)) {
          issues.add(at(), forbiddenKeyMessage(key));
          frozen = false;
        } else {
          frozen = walk(child) && frozen;
        }
        segments.pop();
      }
    }
    if (frozen) FROZEN_CLEAN.add(v);
    return frozen;
  };
  walk(value);
}

/**
 * Deeply frozen subtrees found free of forbidden keys: they cannot change, so they are walked
 * once per process (the CRDs' schemas, shared by every cluster's plan).
 */
const FROZEN_CLEAN = new WeakSet<object>();

/** Freezes `value` and everything below it (shared data no caller may change). @internal */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Throws a {@link ToolhiveValidationError} when `value` holds a forbidden key. @internal */
export function assertNoForbiddenKeys(value: unknown, path: string, subject: string): void {
  const issues = new IssueCollector();
  checkForbiddenKeys(value, path, issues);
  if (!issues.empty) throw new ToolhiveValidationError(issues.issues, subject);
}
