import { IssueCollector } from '../errors';
import { TOOLHIVE_CRDS } from './catalogue';
import { CrdSource } from './source';
import { ReleaseContext, checkRelease } from '../helm/release';
import { KubeObject } from '../k8s/objects';
import { checkNulls } from '../rules/helm-values';
import { checkShape, S } from '../rules/shape';

/**
 * Values of the `toolhive-operator-crds` chart.
 * @see https://docs.stacklok.com/toolhive/guides-k8s/deploy-operator#crd-configuration-options
 */
export interface CrdsChartValues {
  /**
   * Whether and how the chart renders the CRDs.
   * @default - the chart's: `{ install: true, keep: true }`
   */
  readonly crds?: {
    /** Render the CRDs at all. @default true */
    readonly install?: boolean;
    /** Annotate them `helm.sh/resource-policy: keep`, so uninstalling leaves them (and every custom resource) in place. @default true */
    readonly keep?: boolean;
  };
}

const CRDS_VALUES_SHAPE = S.object({ crds: S.object({ install: S.boolean(), keep: S.boolean() }) });

/**
 * Renders the `toolhive-operator-crds` chart (0.44.0): the 14 CRDs from `source`, in the
 * chart's template order, with the keep annotation first when `crds.keep` is on.
 */
export function renderCrdsChart(values: CrdsChartValues | undefined, release: ReleaseContext, source: CrdSource): KubeObject[] {
  const issues = new IssueCollector();
  checkShape(values ?? {}, CRDS_VALUES_SHAPE, '', issues, { nulls: true });
  checkNulls(values ?? {}, '', issues, { defaults: { crds: { install: true, keep: true } }, deletable: () => false });
  checkRelease(release, issues);
  issues.throwIfAny('CRD chart values');
  const install = values?.crds?.install ?? true;
  const keep = values?.crds?.keep ?? true;
  if (!install) return [];
  const crds = source.load();
  return TOOLHIVE_CRDS.map((info) => {
    // The schema is shared (parsed once per file): only the metadata is new.
    const crd = crds.get(info.plural)!;
    const annotations: Record<string, string> = {};
    if (keep) annotations['helm.sh/resource-policy'] = 'keep';
    Object.assign(annotations, crd.metadata.annotations ?? {});
    const metadata = { ...crd.metadata, annotations };
    return { ...crd, metadata: orderMetadata(metadata) };
  });
}

function orderMetadata(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const { annotations, labels, name, ...rest } = metadata;
  return { annotations, labels, name, ...rest } as KubeObject['metadata'];
}
