import { deepClone, isPlainObject } from '../util';

/**
 * Merges user values over chart defaults with Helm's rules: maps merge key by key,
 * lists and scalars replace the default wholesale, and `null` deletes the key.
 *
 * Neither input is modified.
 */
export function mergeHelmValues<T extends object>(defaults: T, overrides: object | undefined): T {
  const base = deepClone(defaults) as Record<string, unknown>;
  if (!overrides) return base as T;
  return mergeInto(base, overrides as Record<string, unknown>) as T;
}

function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    if (value === null) {
      delete base[key];
    } else if (isPlainObject(value) && isPlainObject(base[key])) {
      base[key] = mergeInto(base[key] as Record<string, unknown>, value);
    } else {
      base[key] = stripNulls(deepClone(value));
    }
  }
  return base;
}

/** A null nested in a user map that has no default counterpart also disappears, as in Helm. */
function stripNulls(value: unknown): unknown {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else stripNulls(v);
    }
  }
  return value;
}
