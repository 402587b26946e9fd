/**
 * Pinned releases the library targets and renders.
 */

/** The ToolHive release whose charts the library renders itself (operator and CRD charts). */
export const TOOLHIVE_VERSION = '0.44.0';

/** ToolHive chart versions the library can render as raw manifests. Other versions go through Helm only. */
export const RENDERED_TOOLHIVE_VERSIONS: readonly string[] = [TOOLHIVE_VERSION];

/** A Helm chart published in an OCI registry. */
export interface ChartReference {
  /** Chart name. */
  readonly name: string;
  /** The chart's full OCI reference, without the version (what `helm install` takes). */
  readonly repository: string;
}

/** The ToolHive operator chart. */
export const OPERATOR_CHART: ChartReference = {
  name: 'toolhive-operator',
  repository: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator',
};

/** The ToolHive CRD chart. */
export const OPERATOR_CRDS_CHART: ChartReference = {
  name: 'toolhive-operator-crds',
  repository: 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds',
};

/** Release names and namespace the ToolHive documentation uses. */
export const DEFAULT_OPERATOR_NAMESPACE = 'toolhive-system';
/** @see DEFAULT_OPERATOR_NAMESPACE */
export const DEFAULT_OPERATOR_RELEASE = 'toolhive-operator';
/** @see DEFAULT_OPERATOR_NAMESPACE */
export const DEFAULT_CRDS_RELEASE = 'toolhive-operator-crds';

/** Whether the library renders `version` itself. @internal */
export function isRenderedVersion(version: string): boolean {
  return RENDERED_TOOLHIVE_VERSIONS.includes(version);
}
