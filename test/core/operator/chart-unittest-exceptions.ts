/*
 * The upstream helm-unittest cases the library does not pass, each with the releases it applies
 * to, what the library does instead, and why. The list is strict (test/core/operator/chart-unittest.test.ts):
 * a listed case must still end exactly as stated (refused at that path, or failing only for want of
 * that template) in every release listed, so an exception that no longer applies fails the test.
 */
import { RENDERED_TOOLHIVE_VERSIONS } from '../../../src';

/** A case of an upstream suite the library does not pass, on purpose. */
export interface UnittestException {
  /** The suite file, by chart: `operator/env_precedence_test.yaml`. */
  readonly suite: string;
  /** The case's `it`. */
  readonly it: string;
  /** The releases it applies to. */
  readonly releases: readonly string[];
  /**
   * What the library does instead: refuses the case's values with an issue at `refusedAt`, or
   * renders everything the case checks except `missingTemplate`.
   */
  readonly outcome: { readonly refusedAt: string } | { readonly missingTemplate: string };
  /** Why, in one sentence. */
  readonly reason: string;
}

const ALL = RENDERED_TOOLHIVE_VERSIONS;

export const UNITTEST_EXCEPTIONS: readonly UnittestException[] = [
  {
    suite: 'operator/env_precedence_test.yaml',
    it: 'still emits the chart-managed value when a reserved name collides',
    releases: ALL,
    outcome: { refusedAt: 'operator.env[0].name' },
    reason: 'two values for one env name (operator.env GOGC and the chart\'s own GOGC): helm renders both, the library refuses the duplicate (Kubernetes keeps the last, silently)',
  },
  {
    suite: 'operator/namespace_scope_test.yaml',
    it: 'emits zero bindings when the allowlist is empty',
    releases: ALL,
    outcome: { refusedAt: 'operator.rbac.allowedNamespaces' },
    reason: 'namespace scope with no namespace: helm renders an operator bound to nothing (it gets no permissions at all), the library refuses it',
  },
  {
    suite: 'operator/image_discovery_test.yaml',
    it: 'truncates the Deployment name at 63 characters for a long fullnameOverride',
    releases: ALL,
    outcome: { refusedAt: 'fullnameOverride' },
    reason: 'a fullnameOverride longer than 63 characters: helm silently truncates it (trunc 63), the library refuses it so that resources carry the name asked for (a DNS-1123 label)',
  },
  {
    suite: 'operator/notes_test.yaml',
    it: 'renders release and namespace context',
    releases: ALL,
    outcome: { missingTemplate: 'templates/NOTES.txt' },
    reason: 'NOTES.txt is what `helm install` prints, not a manifest: `helm template` output and the library\'s raw manifests carry no notes',
  },
  {
    suite: 'operator/notes_test.yaml',
    it: 'includes documentation links',
    releases: ALL,
    outcome: { missingTemplate: 'templates/NOTES.txt' },
    reason: 'NOTES.txt is what `helm install` prints, not a manifest: `helm template` output and the library\'s raw manifests carry no notes',
  },
];

