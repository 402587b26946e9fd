/*
 * Label and annotation keys and values, as the API server validates them.
 */
import { describe } from './describe';
import { dns1123SubdomainProblem } from './names';

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `key` is not a qualified name (`[prefix/]name`): what label and annotation keys must be. */
export function qualifiedNameProblem(key: unknown, what = 'label key'): string | undefined {
  if (typeof key !== 'string') return `expected a ${what}, got ${describe(key)}`;
  const parts = key.split('/');
  if (parts.length > 2) return `${JSON.stringify(key)} is not a valid ${what}: at most one '/' (prefix/name)`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return `${JSON.stringify(key)} is not a valid ${what}: the prefix before '/' is empty`;
    if (dns1123SubdomainProblem(parts[0])) return `${JSON.stringify(key)} is not a valid ${what}: the prefix must be a DNS subdomain (lower-case letters, digits, '-' and '.')`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `${JSON.stringify(key)} is not a valid ${what}: the name must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid label value. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `expected a string label value, got ${describe(value)}`;
  if (value === '') return undefined;
  if (value.length > 63 || !NAME_PART.test(value)) {
    return `${JSON.stringify(value)} is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid annotation value. */
export function annotationValueProblem(value: unknown): string | undefined {
  return typeof value === 'string' ? undefined : `expected a string annotation value, got ${describe(value)}`;
}

/**
 * Every problem of a label map, as `[key, problem]` pairs: `what` is "label" or "annotation".
 */
export function metadataMapProblems(map: unknown, what: 'label' | 'annotation'): { key?: string; problem: string }[] {
  if (map === undefined) return [];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return [{ problem: `expected a map of ${what}s, got ${describe(map)}` }];
  const out: { key?: string; problem: string }[] = [];
  for (const [k, v] of Object.entries(map)) {
    const keyProblem = qualifiedNameProblem(k, `${what} key`);
    if (keyProblem) out.push({ key: k, problem: keyProblem });
    const valueProblem = what === 'label' ? labelValueProblem(v) : annotationValueProblem(v);
    if (valueProblem) out.push({ key: k, problem: valueProblem });
  }
  return out;
}
