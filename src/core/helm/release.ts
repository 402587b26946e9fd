/*
 * The Helm release a chart is rendered for, and the name and label helpers every chart's
 * `_helpers.tpl` defines the same way (`<chart>.name`, `<chart>.fullname`, `<chart>.chart`):
 * one home, used by the operator's and the Registry Server's renderers (and the CRD chart's).
 */
import { IssueCollector } from '../errors';
import { RELEASE } from '../rules/kube';
import { checkShape } from '../rules/shape';
import { truncName } from '../util';

/**
 * Where a chart is rendered: what `helm template <releaseName> -n <namespace>` is given.
 */
export interface ReleaseContext {
  /** Helm release name. */
  readonly releaseName: string;
  /** Release namespace. */
  readonly namespace: string;
}

/** Records the problems of a release context (`{ releaseName, namespace }`, required) under `release`. @internal */
export function checkRelease(release: unknown, issues: IssueCollector): void {
  if (release === undefined) issues.add('release', 'required: { releaseName, namespace }');
  else checkShape(release, RELEASE, 'release', issues);
}

/** A chart's names as its `_helpers.tpl` computes them. @internal */
export interface ChartNames {
  /** `<chart>.name`: `nameOverride` or the chart's name, at most 63 characters. */
  readonly name: string;
  /**
   * `<chart>.fullname`: `fullnameOverride`; else the release name when it contains the name;
   * else `<release>-<name>`; at most 63 characters.
   */
  readonly fullname: string;
  /** `<chart>.chart`: `<chart>-<version>` with `+` as `_`, at most 63 characters (the `helm.sh/chart` label). */
  readonly chartLabel: string;
}

/** The names the standard helpers give a chart for these overrides and this release. @internal */
export function chartNames(
  chart: string, chartVersion: string, overrides: { readonly nameOverride?: string; readonly fullnameOverride?: string }, release: ReleaseContext,
): ChartNames {
  const base = overrides.nameOverride || chart;
  const fullname = overrides.fullnameOverride
    ? truncName(overrides.fullnameOverride)
    : release.releaseName.includes(base) ? truncName(release.releaseName) : truncName(`${release.releaseName}-${base}`);
  return { name: truncName(base), fullname, chartLabel: truncName(`${chart}-${chartVersion}`.replace(/\+/g, '_')) };
}
