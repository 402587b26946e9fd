/*
 * Kubernetes names: DNS-1123 labels and subdomains, namespaces (and the system namespaces no
 * install may use), Secret names and keys, environment variable names. Each function returns why
 * its input is not valid, or undefined when it is.
 */
import { describe } from './describe';
import { plainScalarType } from './yaml';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why `name` is not a valid DNS-1123 label (what namespaces and many names must be),
 * or `undefined` when it is valid.
 */
export function dns1123LabelProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${describe(name)}`;
  if (name.length === 0) return 'must be a non-empty string';
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
export function dns1123SubdomainProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${describe(name)}`;
  if (name.length === 0) return 'must be a non-empty string';
  if (name.length > 253) return `${JSON.stringify(name)} is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `${JSON.stringify(name)} is not a valid DNS-1123 subdomain: use lower-case letters, digits, '-' and '.'`;
  }
  return undefined;
}

/**
 * Why a name the charts print without quotes (release names, namespaces) would not come out as
 * a string: YAML reads `123`, `0x1f`, `1e5`, `yes`, `on` or `null` as a number, a boolean or
 * null, and the API server refuses the object.
 */
export function unquotedNameProblem(name: string): string | undefined {
  const type = plainScalarType(name);
  return type ? `${JSON.stringify(name)} reads as ${type} in YAML (the charts print it without quotes), so the API server would refuse the objects; choose a name with a letter that is not a YAML keyword` : undefined;
}

/**
 * Why `name`, printed by a chart without quotes as an object's name, is not one: a DNS-1123
 * subdomain that YAML reads as a string.
 */
export function unquotedObjectNameProblem(name: unknown): string | undefined {
  return dns1123SubdomainProblem(name) ?? unquotedNameProblem(name as string);
}

/**
 * Why an override the charts print without quotes in names and label values (`nameOverride`,
 * `fullnameOverride`, a ServiceAccount name defaulted by the chart) is not one: empty (the
 * chart's default) or a DNS-1123 label that YAML reads as a string.
 */
export function nameOverrideProblem(name: unknown): string | undefined {
  if (name === '') return undefined;
  return dns1123LabelProblem(name) ?? unquotedNameProblem(name as string);
}

/** Why `name` is not a valid namespace name. */
export function namespaceProblem(name: unknown): string | undefined {
  const problem = dns1123LabelProblem(name);
  if (problem) return typeof name === 'string' ? `${JSON.stringify(name)} is not a valid namespace name (${problem})` : problem;
  return unquotedNameProblem(name as string);
}

/** Why `name` is not a valid Helm release name (what `helm install` accepts, printed unquoted by the charts). */
export function releaseNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a release name, got ${describe(name)}`;
  const problem = dns1123SubdomainProblem(name);
  if (problem) return `not a valid Helm release name (${problem})`;
  if (name.length > 53) return `${JSON.stringify(name)} is longer than Helm's limit of 53 characters`;
  return unquotedNameProblem(name);
}

/** The namespaces Kubernetes itself uses: no install goes there. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Why `name` cannot be an install namespace: an invalid name, a Kubernetes system namespace
 * (its Namespace object would be relabelled, its workloads mixed with the platform's), or
 * `default` unless `allowDefault`.
 */
export function installNamespaceProblem(name: unknown, allowDefault = false): string | undefined {
  const problem = namespaceProblem(name);
  if (problem) return problem;
  if (SYSTEM_NAMESPACES.includes(name as string)) {
    return `${JSON.stringify(name)} is a Kubernetes system namespace: installing there would relabel it (Pod Security "restricted" on the system's own pods) and mix the platform with the cluster's components; use a namespace of its own, e.g. "toolhive-system"`;
  }
  if (name === 'default' && !allowDefault) {
    return '"default" is the namespace of everything that names none: installing there mixes the platform with unrelated workloads and relabels it for Pod Security; use a namespace of its own, or set allowDefaultNamespace: true';
  }
  return undefined;
}

/** Why `name` is not a valid Secret (or ConfigMap) name. */
export function secretNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a Secret name, got ${describe(name)}`;
  return dns1123SubdomainProblem(name) ? `${JSON.stringify(name)} is not a valid Secret name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')` : undefined;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `key` is not a valid key of a Secret or ConfigMap. */
export function secretKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `expected a Secret key, got ${describe(key)}`;
  if (key.length === 0 || key.length > 253 || !CONFIG_KEY.test(key) || key === '.' || key === '..') {
    return `${JSON.stringify(key)} is not a valid Secret key (letters, digits, '-', '_' and '.', at most 253 characters)`;
  }
  return undefined;
}

const C_IDENTIFIER_LIKE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Why `name` is not a portable environment variable name. */
export function envVarNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'an env var needs a name';
  if (!C_IDENTIFIER_LIKE.test(name)) {
    return `${JSON.stringify(name)} is not a valid env var name: letters, digits, '_', '-' and '.', not starting with a digit`;
  }
  return undefined;
}
