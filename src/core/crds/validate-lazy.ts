/*
 * The custom resource validator, loaded on first use: it brings a CEL engine, RE2 and protobuf
 * runtime, which an entry point should not pay for until custom resources are checked.
 */
import type { ValidationIssue } from '../errors';
import type * as validate from './validate';
import type { KubeObject } from '../k8s/objects';
import { KUBE_OBJECT } from '../rules/kube';
import { assertShape, S } from '../rules/shape';

const CRDS_MAP = S.instance('a Map of the CRD objects by plural', (v) => v instanceof Map);
const CRDS_ARG = S.object({ crds: CRDS_MAP }, 'arguments', ['crds']);
const VALIDATE_ARGS = S.object({ objects: S.list(), crds: CRDS_MAP }, 'arguments', ['objects', 'crds']);
const COVERAGE_ARGS = S.object({ crd: KUBE_OBJECT, version: S.string() }, 'arguments', ['crd']);

let loaded: typeof validate | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const impl = (): typeof validate => (loaded ??= require('./validate') as typeof validate);

/** @see validate.validateCustomResource */
export function validateCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  assertShape({ crds }, CRDS_ARG, '', 'custom resource validation arguments');
  return impl().validateCustomResource(obj, crds);
}

/** @see validate.validateCustomResources */
export function validateCustomResources(objects: readonly unknown[], crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  assertShape({ objects, crds }, VALIDATE_ARGS, '', 'validateCustomResources arguments');
  return impl().validateCustomResources(objects, crds);
}

/** @see validate.checkCustomResource */
export function checkCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): validate.CustomResourceCheck {
  assertShape({ crds }, CRDS_ARG, '', 'custom resource validation arguments');
  return impl().checkCustomResource(obj, crds);
}

/** @see validate.celRuleCoverage */
export function celRuleCoverage(crd: KubeObject, version?: string): validate.CelRuleCoverage[] {
  assertShape({ crd, version }, COVERAGE_ARGS, '', 'celRuleCoverage arguments');
  return impl().celRuleCoverage(crd, version);
}
