/**
 * A JSON-like value: what chart values and Kubernetes objects are made of.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A plain JSON object.
 */
export interface JsonObject {
  [key: string]: any;
}

/** Keys that copying must never assign (see rules/keys.ts, which refuses them in input). */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const toStringTag = Object.prototype.toString;

/**
 * Whether `value` is a map: an object that is not a list and not one of JavaScript's other
 * built-in objects (a Date, RegExp, Map, Set, Promise, Error, typed array, boxed primitive), which
 * a user may hand over by mistake and which hold no keys of their own. Class instances the
 * library takes in place of maps (an `RbacScope`, a `CrdSource`) are maps here.
 * The one "is a plain map" rule of the library.
 * @internal
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && toStringTag.call(value) === '[object Object]';
}

/** Deep copy of a JSON-like value (undefined members are dropped). @internal */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepClone(v)) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Defense in depth (validation refuses these keys first): never assign a prototype key.
      if (v !== undefined && !UNSAFE_KEYS.has(k)) out[k] = deepClone(v);
    }
    return out as T;
  }
  return value;
}

/**
 * Deep copy with every map's keys in alphabetical order, as Helm's `toYaml` writes them.
 * @internal
 */
export function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortedKeys(v)) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (value[k] !== undefined && !UNSAFE_KEYS.has(k)) out[k] = sortedKeys(value[k]);
    }
    return out as T;
  }
  return value;
}

/**
 * Helm/Go template truthiness: false, 0, "", null, empty lists and empty maps are false.
 * @internal
 */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Go's `trunc 63 | trimSuffix "-"` as the charts' name helpers use it. @internal */
export function truncName(name: string, max = 63): string {
  const cut = name.length > max ? name.slice(0, max) : name;
  return cut.endsWith('-') ? cut.slice(0, -1) : cut;
}

/** Renders a value the way `{{ x | quote }}` or `"{{ x }}"` does in a Helm template. @internal */
export function goString(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  return String(value);
}
