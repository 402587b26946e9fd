/*
 * Rules for raw chart values, where the library's render must equal `helm template` or refuse.
 */
import { IssueCollector, joinPath } from '../errors';
import { keySegment } from './keys';

/**
 * Where a chart's templates handle a deleted default: the keys below a map the chart prints
 * whole (`toYaml`), and keys it only tests (`if`/`with`). A null there renders as helm renders
 * it; the differential test against helm tries nulls at every key.
 * @internal
 */
export interface NullRule {
  /** The chart's defaults (a null deletes one of these; where there is none, helm keeps the null). */
  readonly defaults: unknown;
  /** Whether a null at these keys (from the root of the values) renders as helm renders it. */
  readonly deletable: (keys: readonly string[]) => boolean;
}

const NO_DEFAULT = 'null is not accepted here: the chart has no default to delete, so Helm keeps the null and renders it; leave the key out, or give a value';
const NEEDED = 'null would delete the chart\'s default, and the chart\'s templates cannot render without it (helm fails or prints null); '
  + 'leave the key out to keep the default, or give a value';

/** A deletable-keys test from key prefixes: any key strictly below one of `maps`, or one of `keys` itself. @internal */
export function deletableBelow(maps: readonly string[], keys: readonly string[] = []): (keys: readonly string[]) => boolean {
  const exact = new Set(keys);
  return (k) => exact.has(k.join('.')) || maps.some((m) => k.join('.').startsWith(`${m}.`));
}

/**
 * Records every `null` below `values` (maps and lists) that would not render as helm renders
 * it, each at its path under `path`.
 * @internal
 */
export function checkNulls(values: unknown, path: string, issues: IssueCollector, rule: NullRule): void {
  walk(values, [], path, issues, rule, new Set());
}

function walk(value: unknown, keys: string[], path: string, issues: IssueCollector, rule: NullRule, seen: Set<object>): void {
  if (value === null) {
    if (keys.length === 0) return; // no values at all: the chart's defaults
    const hasDefault = defaultAt(rule.defaults, keys) !== undefined;
    if (!hasDefault) issues.add(path, NO_DEFAULT);
    else if (!rule.deletable(keys)) issues.add(path, NEEDED);
    return;
  }
  if (typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    // A list replaces the default whole: a null in it is kept.
    value.forEach((item, i) => { if (item === null) issues.add(`${path}[${i}]`, NO_DEFAULT); else walk(item, [...keys, String(i)], `${path}[${i}]`, issues, { ...rule, defaults: undefined }, seen); });
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const [k, v] of Object.entries(value)) {
    const seg = keySegment(k);
    walk(v, [...keys, k], seg.startsWith('[') ? `${path}${seg}` : joinPath(path, seg), issues, rule, seen);
  }
}

function defaultAt(defaults: unknown, keys: readonly string[]): unknown {
  let node: unknown = defaults;
  for (const k of keys) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, k)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}
