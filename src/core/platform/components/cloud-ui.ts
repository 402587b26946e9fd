/*
 * The Enterprise Cloud UI (enterprise edition): a subchart of the umbrella, pointed at the
 * aggregating Registry Server and at the Enterprise Manager.
 */
import { IssueCollector } from '../../errors';
import { isServiceDnsUrl } from '../../rules/urls';
import { PlatformContext } from '../context';
import { CompiledComponent, ComponentDescriptor, withEnterpriseImage } from '../descriptor';
import { compileCloudUi } from '../enterprise-components';
import { CLOUD_UI_SHAPE } from '../shape';
import { clusterPath } from '../support';

/** A URL one component uses to reach another: Service DNS only within the same cluster. */
function checkReference(
  ctx: PlatformContext, url: string | undefined, path: string, from: string, target: string | undefined, what: string, issues: IssueCollector,
): void {
  if (url === undefined || !isServiceDnsUrl(url, ctx.topology.platformNamespaces)) return;
  if (target === undefined || target !== from) {
    issues.add(path, `${JSON.stringify(url)} is in-cluster Service DNS, but cluster ${JSON.stringify(from)} reaches the ${what}`
      + `${target ? ` in cluster ${JSON.stringify(target)}` : ' in another cluster'}: use its external (ingress) URL`);
  }
}

/** The Cloud UI: pointed at the aggregating Registry Server and at the Enterprise Manager. */
function compileCloudUiFor(ctx: PlatformContext, name: string, issues: IssueCollector): CompiledComponent | undefined {
  if (!ctx.usable(name, 'cloudUi')) return undefined;
  const c = ctx.clusters.get(name)!;
  const ui = c.cloudUi!;
  const { aggregator, aggregatorUrl, emCluster, urls, serviceUrl } = ctx.topology;
  const target = aggregator ?? (c.registryServer ? name : undefined);
  const wiredApi = target === name ? serviceUrl.registry : aggregatorUrl;
  if (ui.apiBaseUrl === undefined && wiredApi === undefined) {
    if (aggregator) issues.add(clusterPath(aggregator, 'registryServer.externalUrl'), `required: the Cloud UI in cluster ${JSON.stringify(name)} reaches this Registry Server across clusters`);
    else issues.add(clusterPath(name, 'cloudUi.apiBaseUrl'), 'required: no Registry Server runs in the platform to point the Cloud UI at');
  }
  checkReference(ctx, ui.apiBaseUrl, clusterPath(name, 'cloudUi.apiBaseUrl'), name, target, 'aggregating Registry Server', issues);
  checkReference(ctx, ui.enterpriseManagerUrl, clusterPath(name, 'cloudUi.enterpriseManagerUrl'), name, emCluster, 'Enterprise Manager', issues);
  const wiredEm = emCluster === name ? serviceUrl.em : urls.enterpriseManager;
  return { values: compileCloudUi(ui, clusterPath(name, 'cloudUi'), issues, { apiBaseUrl: wiredApi, enterpriseManagerUrl: wiredEm }) };
}

/** The Cloud UI. @internal */
export const cloudUi: ComponentDescriptor = {
  name: 'cloudUi',
  title: 'Cloud UI',
  roles: ['control'],
  enterpriseOnly: true,
  shape: CLOUD_UI_SHAPE,
  endpoint: { name: 'cloudUi', field: 'url' },
  compile: compileCloudUiFor,
  umbrella: {
    key: 'toolhive-cloud-ui',
    values: ({ ctx }, ui) => withEnterpriseImage(ctx, ui, 'cloud-ui'),
  },
  diagram: { node: 'ui', label: ({ cluster }) => ['Cloud UI', cluster.spec.cloudUi?.url] },
};
