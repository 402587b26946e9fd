/*
 * The Enterprise Manager (enterprise edition): a subchart of the umbrella, whose registry policy
 * points the clients at the aggregating Registry Server's external URL.
 */
import { IssueCollector } from '../../errors';
import { isServiceDnsUrl, trimSlash } from '../../rules/urls';
import { PlatformContext } from '../context';
import { CompiledComponent, ComponentDescriptor, withEnterpriseImage } from '../descriptor';
import { compileEnterpriseManager, RegistryPolicyValue } from '../enterprise-components';
import { ENTERPRISE_MANAGER_SHAPE } from '../shape';
import { clusterPath } from '../support';

/** The Enterprise Manager: clients (outside every cluster) get the registry's external URL. */
function compileEnterpriseManagerFor(ctx: PlatformContext, name: string, issues: IssueCollector): CompiledComponent | undefined {
  if (!ctx.usable(name, 'enterpriseManager')) return undefined;
  const em = ctx.clusters.get(name)!.enterpriseManager!;
  const { aggregator, aggregatorUrl, layering, platformNamespaces } = ctx.topology;
  const reg = em.policies?.registry?.value;
  for (const [field, url] of Object.entries({ apiUrl: reg?.apiUrl, serverApiUrl: reg?.serverApiUrl })) {
    if (url !== undefined && isServiceDnsUrl(url, platformNamespaces)) {
      issues.add(clusterPath(name, `enterpriseManager.policies.registry.value.${field}`), `${JSON.stringify(url)} is in-cluster Service DNS, but the Stacklok clients read this policy outside every cluster${aggregator ? ` and reach the Registry Server of cluster ${JSON.stringify(aggregator)}` : ''}: use its external (ingress) URL`);
    }
  }
  const registryDefault: RegistryPolicyValue | undefined = aggregatorUrl
    ? { apiUrl: layering ? `${trimSlash(aggregatorUrl)}/registry/${layering.top}` : trimSlash(aggregatorUrl), serverApiUrl: trimSlash(aggregatorUrl) }
    : undefined;
  return { values: compileEnterpriseManager(em, clusterPath(name, 'enterpriseManager'), issues, registryDefault) };
}

/** The Enterprise Manager. @internal */
export const enterpriseManager: ComponentDescriptor = {
  name: 'enterpriseManager',
  title: 'Enterprise Manager',
  roles: ['control'],
  enterpriseOnly: true,
  shape: ENTERPRISE_MANAGER_SHAPE,
  endpoint: { name: 'enterpriseManager', field: 'resourceUrl', link: 'Enterprise Manager' },
  compile: compileEnterpriseManagerFor,
  umbrella: {
    key: 'enterprise-manager',
    values: ({ ctx }, em) => withEnterpriseImage(ctx, em, 'toolhive-enterprise'),
  },
  diagram: { node: 'manager', label: ({ cluster }) => ['Enterprise Manager', cluster.spec.enterpriseManager?.resourceUrl] },
};
