import { ToolhiveValidationError, ValidationIssue } from '../../src';

/** The issues of the validation error `fn` throws; fails when it throws nothing or something else. */
export function issuesOf(fn: () => unknown): ValidationIssue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ToolhiveValidationError);
    return (e as ToolhiveValidationError).issues;
  }
  throw new Error('expected a validation error');
}

/** Expect-free checkers for hostile-input tables and sweeps (see ./refusal). */
export { acceptanceProblems, expectAccepted, expectRefused, outcomeOf, refusalProblems } from './refusal';
