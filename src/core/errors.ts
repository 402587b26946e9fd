import { joinPath } from './paths';

/**
 * One problem found while validating input: where it is, and what would be valid.
 */
export interface ValidationIssue {
  /** Dotted path of the offending field, for example `operator.rbac.allowedNamespaces[1]`. */
  readonly path: string;
  /** What is wrong and what would be valid. */
  readonly message: string;
}

/**
 * The one error the library throws for bad input. It lists every problem found,
 * each with its path, and is thrown before anything is rendered or written.
 */
export class ToolhiveValidationError extends Error {
  /**
   * `instanceof ToolhiveValidationError` also holds for the adapters' errors that carry the
   * same issues but must extend another class (the Pulumi adapter's `ToolhiveResourceError` is a
   * `pulumi.ResourceError`); they mark themselves with `__toolhiveValidationError`.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === ToolhiveValidationError && typeof value === 'object' && value !== null
      && (value as { __toolhiveValidationError?: unknown }).__toolhiveValidationError === true;
  }

  /** Every problem found, in a stable order (sorted by path, then message). */
  public readonly issues: ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], subject = 'ToolHive configuration') {
    const sorted = sortIssues(issues);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(`Invalid ${subject} (${count}):\n${sorted.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ToolhiveValidationError';
    this.issues = sorted;
  }
}

function sortIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  const unique: ValidationIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push({ path: issue.path, message: issue.message });
    }
  }
  return unique.sort((a, b) => (a.path === b.path ? cmp(a.message, b.message) : cmp(a.path, b.path)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Collects problems so that validation reports all of them at once.
 * @internal
 */
export class IssueCollector {
  private readonly list: ValidationIssue[] = [];

  /** Records a problem at `path`. */
  public add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  /** Records every issue of another collector or error, optionally under a path prefix. */
  public addAll(issues: readonly ValidationIssue[], prefix?: string): void {
    for (const issue of issues) {
      this.add(prefix ? joinPath(prefix, issue.path) : issue.path, issue.message);
    }
  }

  public get issues(): readonly ValidationIssue[] {
    return this.list;
  }

  public get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one {@link ToolhiveValidationError} listing every problem, if there is any. */
  public throwIfAny(subject?: string): void {
    if (this.list.length > 0) {
      throw new ToolhiveValidationError(this.list, subject);
    }
  }
}

// Paths of issues are joined by paths.ts (its one home; re-exported here, where the issues are).
/** @internal */
export { joinPath };

/**
 * Runs `fn`, turning a thrown {@link ToolhiveValidationError} into issues under `prefix`.
 * @internal
 */
export function collectFrom<T>(issues: IssueCollector, prefix: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ToolhiveValidationError) {
      issues.addAll(e.issues, prefix);
      return undefined;
    }
    throw e;
  }
}
