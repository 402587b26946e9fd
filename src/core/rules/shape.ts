/*
 * Shapes: what a value of the public API or of a chart's values must look like, checked at run
 * time before anything else reads it (callers write plain JavaScript and JSON too). A wrong type
 * is an issue at the path the user wrote, never a TypeError; an unknown key is an issue naming
 * the nearest valid key. Leaves can carry a rule of the kit (`rule`), which runs only on a value
 * of the right type.
 */
import { describe } from './describe';
import { checkForbiddenKeys, FORBIDDEN_KEYS, forbiddenKeyMessage, keySegment } from './keys';
import { IssueCollector, joinPath, ToolhiveValidationError } from '../errors';
import { isPlainObject } from '../util';

/** A rule of the kit: why a value is not valid, or undefined. */
export type Rule = (value: any) => string | undefined;

/**
 * The shape of a value.
 * @internal
 */
export type Shape =
  | { readonly kind: 'string'; readonly enum?: readonly string[]; readonly rule?: Rule }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number; readonly rule?: Rule }
  | { readonly kind: 'number'; readonly rule?: Rule }
  | { readonly kind: 'object'; readonly fields: { readonly [key: string]: Shape }; readonly what?: string; readonly required?: readonly string[] }
  | { readonly kind: 'map'; readonly values?: Shape; readonly keyRule?: Rule }
  | { readonly kind: 'list'; readonly items?: Shape }
  | { readonly kind: 'oneOf'; readonly shapes: readonly Shape[]; readonly what: string }
  | { readonly kind: 'instance'; readonly what: string; readonly test: (value: unknown) => boolean }
  | { readonly kind: 'custom'; readonly check: (value: unknown, path: string, issues: IssueCollector) => void }
  | { readonly kind: 'any' };

/** Shape constructors. @internal */
export const S = {
  string: (values?: readonly string[], rule?: Rule): Shape => ({ kind: 'string', enum: values, rule }),
  /** A string checked by a rule of the kit. */
  ruled: (rule: Rule): Shape => ({ kind: 'string', rule }),
  boolean: (): Shape => ({ kind: 'boolean' }),
  integer: (min?: number, max?: number): Shape => ({ kind: 'integer', min, max }),
  number: (rule?: Rule): Shape => ({ kind: 'number', rule }),
  object: (fields: { [key: string]: Shape }, what?: string, required?: readonly string[]): Shape => ({ kind: 'object', fields, what, required }),
  map: (values?: Shape, keyRule?: Rule): Shape => ({ kind: 'map', values, keyRule }),
  list: (items?: Shape): Shape => ({ kind: 'list', items }),
  oneOf: (what: string, ...shapes: Shape[]): Shape => ({ kind: 'oneOf', shapes, what }),
  instance: (what: string, test: (value: unknown) => boolean): Shape => ({ kind: 'instance', what, test }),
  custom: (check: (value: unknown, path: string, issues: IssueCollector) => void): Shape => ({ kind: 'custom', check }),
  any: (): Shape => ({ kind: 'any' }),
};

/** How {@link checkShape} treats `null`. */
export interface ShapeMode {
  /** `true` for Helm values, where `null` deletes a default; options refuse it. @default false */
  readonly nulls?: boolean;
}


/**
 * Checks `value` against `shape`, recording each problem under `path`. Undefined is always
 * accepted (the field is optional; required fields are declared on their object).
 * @internal
 */
export function checkShape(value: unknown, shape: Shape, path: string, issues: IssueCollector, mode: ShapeMode = {}): void {
  if (value === undefined) return;
  if (value === null) {
    if (mode.nulls) return;
    // A custom shape says itself what is wrong with null; every other shape refuses it.
    if (shape.kind === 'custom') shape.check(value, path, issues);
    else issues.add(path || '(root)', `expected ${expected(shape)}, got null`);
    return;
  }
  (CHECKS[shape.kind] as Check<Shape>)(value, shape, path, issues, mode);
}

type Check<T extends Shape> = (value: unknown, shape: T, path: string, issues: IssueCollector, mode: ShapeMode) => void;
type KindOf<K extends Shape['kind']> = Extract<Shape, { kind: K }>;

/** Reports a rule's problem with a value of the right type. */
function ruled(rule: Rule | undefined, value: unknown, at: string, issues: IssueCollector): void {
  const problem = rule?.(value);
  if (problem) issues.add(at, problem);
}

/** One check per kind of shape. */
const CHECKS: { readonly [K in Shape['kind']]: Check<KindOf<K>> } = {
  any: (value, _s, path, issues) => checkForbiddenKeys(value, path, issues),
  custom: (value, shape, path, issues) => shape.check(value, path, issues),
  instance: (value, shape, path, issues) => {
    if (!shape.test(value)) issues.add(path || '(root)', `expected ${shape.what}, got ${describe(value)}`);
  },
  string: (value, shape, path, issues) => {
    const at = path || '(root)';
    if (typeof value !== 'string') {issues.add(at, `expected ${expected(shape)}, got ${describe(value)}`);} else if (shape.enum && !shape.enum.includes(value)) {
      issues.add(at, `${JSON.stringify(value)} is not valid; expected one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}${nearest(value, shape.enum, ' (did you mean ', ')')}`);
    } else {ruled(shape.rule, value, at, issues);}
  },
  boolean: (value, _s, path, issues) => {
    if (typeof value !== 'boolean') issues.add(path || '(root)', `expected true or false, got ${describe(value)}`);
  },
  integer: (value, shape, path, issues) => {
    const at = path || '(root)';
    if (typeof value !== 'number' || !Number.isInteger(value)) {issues.add(at, `expected a whole number, got ${describe(value)}`);} else if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) {
      issues.add(at, `expected a whole number ${range(shape.min, shape.max)}, got ${value}`);
    } else {ruled(shape.rule, value, at, issues);}
  },
  number: (value, shape, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) issues.add(path || '(root)', `expected a number, got ${describe(value)}`);
    else ruled(shape.rule, value, path || '(root)', issues);
  },
  list: (value, shape, path, issues, mode) => {
    if (!Array.isArray(value)) issues.add(path || '(root)', `expected ${expected(shape)}, got ${describe(value)}`);
    else if (shape.items) value.forEach((item, i) => checkShape(item, shape.items!, `${path}[${i}]`, issues, mode));
    else checkForbiddenKeys(value, path, issues);
  },
  map: (value, shape, path, issues, mode) => {
    if (!isPlainObject(value)) {
      issues.add(path || '(root)', `expected ${expected(shape)}, got ${describe(value)}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const p = joinPath(path, keySegment(k));
      if (FORBIDDEN_KEYS.has(k)) {
        issues.add(p, forbiddenKeyMessage(k));
        continue;
      }
      ruled(shape.keyRule, k, p, issues);
      if (shape.values) checkShape(v, shape.values, p, issues, mode);
      else checkForbiddenKeys(v, p, issues);
    }
  },
  object: (value, shape, path, issues, mode) => {
    if (!isPlainObject(value)) {
      issues.add(path || '(root)', `expected ${expected(shape)}, got ${describe(value)}`);
      return;
    }
    const known = Object.keys(shape.fields);
    for (const k of shape.required ?? []) {
      if (value[k] === undefined) issues.add(joinPath(path, k), `required (${expected(shape.fields[k])})`);
    }
    for (const [k, v] of Object.entries(value)) {
      const p = joinPath(path, keySegment(k));
      if (FORBIDDEN_KEYS.has(k)) issues.add(p, forbiddenKeyMessage(k));
      else if (!Object.prototype.hasOwnProperty.call(shape.fields, k)) issues.add(p, `unknown key${nearest(k, known, '; did you mean ', '?')}; valid keys here: ${known.join(', ')}`);
      else checkShape(v, shape.fields[k], p, issues, mode);
    }
  },
  oneOf: (value, shape, path, issues, mode) => {
    const fits = shape.shapes.some((s) => {
      const trial = new IssueCollector();
      checkShape(value, s, path, trial, mode);
      return trial.empty;
    });
    if (!fits) issues.add(path || '(root)', `expected ${shape.what}, got ${describe(value)}`);
  },
};

function expected(shape: Shape): string {
  switch (shape.kind) {
    case 'string': return shape.enum ? `one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}` : 'a string';
    case 'boolean': return 'true or false';
    case 'integer': return `a whole number ${range(shape.min, shape.max)}`.trim();
    case 'number': return 'a number';
    case 'object': return shape.what ?? 'a map';
    case 'map': return 'a map';
    case 'list': return 'a list';
    case 'oneOf': return shape.what;
    case 'instance': return shape.what;
    default: return 'a value';
  }
}

function range(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `of at least ${min}`;
  if (max !== undefined) return `of at most ${max}`;
  return '';
}

/** The candidate nearest to `word` (edit distance), wrapped in `before`/`after`, when one is close enough. */
export function nearest(word: string, candidates: readonly string[], before: string, after: string): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= limit) return `${before}${JSON.stringify(best)}${after}`;
  // A word that begins a valid key (`password` for `passwordSecret`).
  const extended = word.length >= 4 ? candidates.find((c) => c.toLowerCase().startsWith(word.toLowerCase())) : undefined;
  return extended !== undefined ? `${before}${JSON.stringify(extended)}${after}` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/**
 * The part of `value` that conforms to `shape`: what fails its shape is left out (a list keeps
 * its length, with `undefined` in place of a bad item, so later checks still name the user's
 * indices). Lets the rules that span fields run, and report, next to the shape's own problems.
 * @internal
 */
export function conforming(value: unknown, shape: Shape, mode: ShapeMode = {}): unknown {
  if (value === undefined || value === null) return mode.nulls ? value : undefined;
  const passes = (v: unknown, s: Shape) => {
    const trial = new IssueCollector();
    checkShape(v, s, '', trial, mode);
    return trial.empty;
  };
  switch (shape.kind) {
    case 'object': {
      if (!isPlainObject(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(shape.fields)) {
        if (!Object.prototype.hasOwnProperty.call(value, k) && !(k in value)) continue;
        const v = conforming((value as Record<string, unknown>)[k], s, mode);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'map': {
      if (!isPlainObject(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (FORBIDDEN_KEYS.has(k) || shape.keyRule?.(k)) continue;
        const c = shape.values ? conforming(v, shape.values, mode) : (passes(v, S.any()) ? v : undefined);
        if (c !== undefined) out[k] = c;
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) return undefined;
      return shape.items ? value.map((v) => conforming(v, shape.items!, mode)) : (passes(value, shape) ? value : undefined);
    default:
      return passes(value, shape) ? value : undefined;
  }
}

/**
 * Throws a {@link ToolhiveValidationError} unless `value` is undefined or a map: for the props
 * of constructs and components, before anything spreads or reads them.
 * @internal
 */
export function assertOptionsMap(value: unknown, path: string, what: string, subject: string): void {
  if (value === undefined || isPlainObject(value)) return;
  throw new ToolhiveValidationError([{ path, message: `expected ${what}, got ${describe(value)}` }], subject);
}

/**
 * Throws one {@link ToolhiveValidationError} listing every problem of `value` against `shape`:
 * the guard of a public function's arguments.
 * @internal
 */
export function assertShape(value: unknown, shape: Shape, path: string, subject: string): void {
  const issues = new IssueCollector();
  if (value === undefined) issues.add(path || '(root)', `required (${expected(shape)})`);
  checkShape(value, shape, path, issues);
  issues.throwIfAny(subject);
}
