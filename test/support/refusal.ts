/*
 * Checkers for hostile-input tables and garbage sweeps. Each states an outcome and returns the
 * ways a call missed it, as text: an empty list is a pass. They never call `expect` themselves, so
 * a sweep can be run against a stub that accepts everything (its meta-test) and must then report
 * failures: a sweep that passes when the library silently accepts garbage proves nothing.
 */
import { ToolhiveValidationError, ValidationIssue } from '../../src';

/** What a call did: returned, threw the one validation error, or threw anything else. */
export type CallOutcome =
  | { readonly kind: 'accepted'; readonly value: unknown }
  | { readonly kind: 'refused'; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: 'crashed'; readonly error: unknown };

/** Runs `fn` and says what it did. */
export function outcomeOf(fn: () => unknown): CallOutcome {
  try {
    return { kind: 'accepted', value: fn() };
  } catch (e) {
    if (e instanceof ToolhiveValidationError) return { kind: 'refused', issues: e.issues };
    return { kind: 'crashed', error: e };
  }
}

/** The distinct issue paths, sorted. */
export function pathsOf(issues: readonly ValidationIssue[]): string[] {
  return [...new Set(issues.map((i) => i.path))].sort();
}

/** True when `path` is `root` or lies below it (`root.x`, `root[0]`). */
export function isAtOrBelow(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

/**
 * A path as the library writes it, from its segments: `['a', 0, 'b-c', 'd e']` is
 * `a[0].b-c["d e"]`.
 */
export function userPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function describeCrash(error: unknown): string {
  const e = error as Error | undefined;
  return `${e?.constructor?.name ?? typeof error}: ${String(e?.message ?? error).split('\n')[0]}`;
}

/** What a refusal must look like. */
export interface ExpectedRefusal {
  /** The exact set of issue paths (order does not matter). */
  readonly paths?: readonly string[];
  /** At least one issue lies at or below one of these paths (the garbage's own path). */
  readonly under?: readonly string[];
  /** Every issue lies at or below one of these paths. */
  readonly only?: readonly string[];
  /** Some issue message matches this. */
  readonly about?: RegExp;
}

/** How `outcome` misses the refusal `expected`; empty when it is that refusal. */
export function refusalProblems(outcome: CallOutcome, expected: ExpectedRefusal): string[] {
  if (outcome.kind === 'crashed') return [`threw ${describeCrash(outcome.error)}, not a ToolhiveValidationError`];
  if (outcome.kind === 'accepted') return ['accepted silently: expected a ToolhiveValidationError'];
  const problems: string[] = [];
  const paths = pathsOf(outcome.issues);
  if (paths.length === 0) problems.push('a ToolhiveValidationError without issues');
  if (expected.paths && JSON.stringify(paths) !== JSON.stringify([...expected.paths].sort())) {
    problems.push(`refused at ${JSON.stringify(paths)}, expected ${JSON.stringify([...expected.paths].sort())}`);
  }
  if (expected.under && !paths.some((p) => expected.under!.some((u) => isAtOrBelow(p, u)))) {
    problems.push(`refused at ${JSON.stringify(paths)}, none at or below ${JSON.stringify(expected.under)}`);
  }
  if (expected.only) {
    const stray = paths.filter((p) => !expected.only!.some((u) => isAtOrBelow(p, u)));
    if (stray.length > 0) problems.push(`refused at ${JSON.stringify(stray)}, outside ${JSON.stringify(expected.only)}`);
  }
  if (expected.about && !outcome.issues.some((i) => expected.about!.test(i.message))) {
    problems.push(`no issue message matches ${expected.about}: ${JSON.stringify(outcome.issues.map((i) => i.message))}`);
  }
  if (outcome.issues.some((i) => i.message.trim() === '')) problems.push('an issue without a message');
  return problems;
}

/**
 * How `outcome` misses an acceptance; `check` reads the returned value and says what is wrong
 * with it (undefined when nothing is).
 */
export function acceptanceProblems(outcome: CallOutcome, check?: (value: unknown) => string | undefined): string[] {
  if (outcome.kind === 'crashed') return [`threw ${describeCrash(outcome.error)}, expected acceptance`];
  if (outcome.kind === 'refused') return [`refused at ${JSON.stringify(pathsOf(outcome.issues))}, expected acceptance: ${outcome.issues[0]?.message}`];
  const wrong = check?.(outcome.value);
  return wrong ? [`accepted, but ${wrong}`] : [];
}

/** Fails unless `fn` throws one ToolhiveValidationError as `expected` says. */
export function expectRefused(fn: () => unknown, expected: ExpectedRefusal): void {
  expect(refusalProblems(outcomeOf(fn), expected)).toEqual([]);
}

/** Fails unless `fn` returns, and `check` finds nothing wrong with what it returns. */
export function expectAccepted(fn: () => unknown, check?: (value: unknown) => string | undefined): void {
  expect(acceptanceProblems(outcomeOf(fn), check)).toEqual([]);
}

/** A stand-in for any function under test that accepts everything and returns something plausible. */
export function acceptsEverything(value: unknown = {}): (...args: unknown[]) => any {
  return () => value;
}
