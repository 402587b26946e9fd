/*
 * The custom resource validator, loaded on first use: it brings a CEL engine, RE2 and protobuf
 * runtime, which an entry point should not pay for until custom resources are checked.
 */
import type { ValidationIssue } from '../errors';
import type * as validate from './validate';
import type { KubeObject } from '../k8s/objects';

let loaded: typeof validate | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const impl = (): typeof validate => (loaded ??= require('./validate') as typeof validate);

/** @see validate.validateCustomResource */
export function validateCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  return impl().validateCustomResource(obj, crds);
}

/** @see validate.validateCustomResources */
export function validateCustomResources(objects: readonly unknown[], crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  return impl().validateCustomResources(objects, crds);
}

/** @see validate.checkCustomResource */
export function checkCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): validate.CustomResourceCheck {
  return impl().checkCustomResource(obj, crds);
}

/** @see validate.celRuleCoverage */
export function celRuleCoverage(crd: KubeObject, version?: string): validate.CelRuleCoverage[] {
  return impl().celRuleCoverage(crd, version);
}
