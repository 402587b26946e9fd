const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why `name` is not a valid DNS-1123 label (what namespaces and many names must be),
 * or `undefined` when it is valid.
 */
export function dns1123LabelProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty string';
  if (name.length > 63) return `${JSON.stringify(name)} is longer than 63 characters`;
  if (!DNS1123_LABEL.test(name)) {
    return `${JSON.stringify(name)} is not a valid DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * Why `name` is not a valid DNS-1123 subdomain (what most object names must be),
 * or `undefined` when it is valid.
 */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty string';
  if (name.length > 253) return `${JSON.stringify(name)} is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `${JSON.stringify(name)} is not a valid DNS-1123 subdomain: use lower-case letters, digits, '-' and '.'`;
  }
  return undefined;
}
