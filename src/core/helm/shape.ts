import { IssueCollector, joinPath } from '../errors';
import { checkForbiddenKeys, FORBIDDEN_KEYS, forbiddenKeyMessage } from '../rules/keys';
import { isPlainObject } from '../util';

/**
 * The shape of a chart's values, used to reject unknown keys and wrong types
 * before anything is rendered. Kubernetes sub-objects the chart copies verbatim
 * (probes, affinity, volumes...) are checked as maps or lists only; the rendered
 * objects are schema-checked as a whole.
 * @internal
 */
export type Shape =
  | { readonly kind: 'string'; readonly enum?: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min?: number }
  | { readonly kind: 'object'; readonly fields: { readonly [key: string]: Shape } }
  | { readonly kind: 'map'; readonly values?: Shape }
  | { readonly kind: 'list'; readonly items?: Shape }
  | { readonly kind: 'any' };

/** @internal */
export const S = {
  string: (values?: readonly string[]): Shape => ({ kind: 'string', enum: values }),
  boolean: (): Shape => ({ kind: 'boolean' }),
  integer: (min?: number): Shape => ({ kind: 'integer', min }),
  object: (fields: { [key: string]: Shape }): Shape => ({ kind: 'object', fields }),
  map: (values?: Shape): Shape => ({ kind: 'map', values }),
  list: (items?: Shape): Shape => ({ kind: 'list', items }),
  any: (): Shape => ({ kind: 'any' }),
};

/**
 * Checks `value` against `shape`, recording each problem under `path`.
 * `null` is accepted anywhere: in Helm values it deletes the default.
 * @internal
 */
export function checkShape(value: unknown, shape: Shape, path: string, issues: IssueCollector): void {
  if (value === null || value === undefined) return;
  switch (shape.kind) {
    case 'any':
      checkForbiddenKeys(value, path, issues);
      return;
    case 'string':
      if (typeof value !== 'string') {
        issues.add(path, `expected a string, got ${describeValue(value)}`);
      } else if (shape.enum && !shape.enum.includes(value)) {
        issues.add(path, `${JSON.stringify(value)} is not valid; expected one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.add(path, `expected true or false, got ${describeValue(value)}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        issues.add(path, `expected a whole number, got ${describeValue(value)}`);
      } else if (shape.min !== undefined && value < shape.min) {
        issues.add(path, `expected a number of at least ${shape.min}, got ${value}`);
      }
      return;
    case 'list':
      if (!Array.isArray(value)) {
        issues.add(path, `expected a list, got ${describeValue(value)}`);
        return;
      }
      if (shape.items) value.forEach((item, i) => checkShape(item, shape.items!, `${path}[${i}]`, issues));
      else checkForbiddenKeys(value, path, issues);
      return;
    case 'map':
      if (!isPlainObject(value)) {
        issues.add(path, `expected a map, got ${describeValue(value)}`);
        return;
      }
      for (const [k, v] of Object.entries(value)) {
        if (FORBIDDEN_KEYS.has(k)) issues.add(joinPath(path, k), forbiddenKeyMessage(k));
        else if (shape.values) checkShape(v, shape.values, joinPath(path, k), issues);
        else checkForbiddenKeys(v, joinPath(path, k), issues);
      }
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        issues.add(path, `expected a map, got ${describeValue(value)}`);
        return;
      }
      const known = Object.keys(shape.fields);
      for (const [k, v] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(shape.fields, k) ? shape.fields[k] : undefined;
        if (FORBIDDEN_KEYS.has(k)) {
          issues.add(joinPath(path, k), forbiddenKeyMessage(k));
        } else if (!field) {
          issues.add(joinPath(path, k), `unknown key; valid keys here are ${known.join(', ')}`);
        } else {
          checkShape(v, field, joinPath(path, k), issues);
        }
      }
      return;
    }
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}
