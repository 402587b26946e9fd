import { ToolhiveValidationError } from '../errors';
import { describe } from '../rules/describe';
import { assertNoForbiddenKeys, FORBIDDEN_KEYS } from '../rules/keys';
import { deepClone, isPlainObject } from '../util';

/**
 * Merges user values over chart defaults with Helm's rules: maps merge key by key,
 * lists and scalars replace the default wholesale, and `null` deletes the key.
 *
 * Neither input is modified. Throws a {@link ToolhiveValidationError} when the overrides hold a
 * `__proto__`, `constructor` or `prototype` key (copies never assign them from the defaults either).
 */
export function mergeHelmValues<T extends object>(defaults: T, overrides: object | undefined): T {
  // Helm reads a values file that is not a map as an error; so do we (never spread a string's characters).
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    throw new ToolhiveValidationError([{ path: 'overrides', message: `expected a map of values (or nothing), got ${describe(overrides)}` }], 'Helm values');
  }
  assertNoForbiddenKeys(overrides, 'values', 'Helm values');
  const base = deepClone(defaults) as Record<string, unknown>;
  if (!overrides) return base as T;
  return mergeInto(base, overrides as Record<string, unknown>) as T;
}

function mergeInto(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined || FORBIDDEN_KEYS.has(key)) continue;
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
      if (v === null || FORBIDDEN_KEYS.has(k)) delete value[k];
      else stripNulls(v);
    }
  }
  return value;
}

/**
 * Overrides merged over overrides (a `values` escape hatch over the values the typed options
 * produce): maps merge key by key, anything else replaces, and `null`s are kept so that they still
 * delete chart defaults when Helm merges the result. `target` is modified and returned; prototype
 * keys are never assigned.
 * @internal
 */
export function mergeOverrides<T extends object>(target: T, over: object | undefined): T {
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === undefined || FORBIDDEN_KEYS.has(k)) continue;
    const t = target as Record<string, unknown>;
    if (isPlainObject(v) && isPlainObject(t[k])) mergeOverrides(t[k] as object, v);
    else t[k] = deepClone(v);
  }
  return target;
}
