/**
 * Pinned releases the library targets and renders: the supported ToolHive releases are data
 * (release-table.ts); everything here is derived from that table.
 */
import { TOOLHIVE_RELEASES, ToolhiveRelease } from './release-table';

export { ToolhiveRelease, TOOLHIVE_RELEASES } from './release-table';

/** Compares two `X.Y.Z` versions (numerically, part by part). @internal */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map(Number);
  const pb = b.split(/[.+-]/).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] || 0) - (pb[i] || 0);
  return 0;
}

/** Whether `version` is `since` or later. @internal */
export function isAtLeast(version: string, since: string): boolean {
  return compareVersions(version, since) >= 0;
}

/** The ToolHive release the library uses by default: the newest supported one. */
export const TOOLHIVE_VERSION: string = TOOLHIVE_RELEASES[TOOLHIVE_RELEASES.length - 1].version;

/** The oldest supported ToolHive release. */
export const OLDEST_TOOLHIVE_VERSION: string = TOOLHIVE_RELEASES[0].version;

/**
 * ToolHive releases the library supports (oldest first): typed, validated and rendered as raw
 * manifests identical to `helm template`. Other versions go through Helm only.
 */
export const RENDERED_TOOLHIVE_VERSIONS: readonly string[] = TOOLHIVE_RELEASES.map((r) => r.version);

/** The table row of a supported release, or undefined. */
export function toolhiveRelease(version: string): ToolhiveRelease | undefined {
  return TOOLHIVE_RELEASES.find((r) => r.version === version);
}

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

/** Why `version` is not a release the library renders, or undefined when it is. @internal */
export function renderedVersionProblem(version: unknown): string | undefined {
  if (typeof version === 'string' && isRenderedVersion(version)) return undefined;
  const given = typeof version === 'string' ? JSON.stringify(version) : `${version === null ? 'null' : typeof version}`;
  return `${given} is not a ToolHive release the library renders; supported releases: ${supportedVersionsText()}`;
}

/** "0.44.0, 0.45.0, ... 0.66.0": the supported releases, for messages. @internal */
export function supportedVersionsText(): string {
  return RENDERED_TOOLHIVE_VERSIONS.join(', ');
}

/**
 * Why a key or field that exists from `since` on is not available in `version`, or undefined
 * when it is: `not in ToolHive 0.44.0; added in 0.59.0`. @internal
 */
export function sinceProblem(version: string, since: string): string | undefined {
  if (isAtLeast(version, since)) return undefined;
  return `not in ToolHive ${version}; added in ${since} (pin version "${since}" or later to use it)`;
}
