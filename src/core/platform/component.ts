/*
 * Phase two of planning a cluster, once the whole platform is valid: each component's planner,
 * behind one small interface, returns its deliverables and the facts adapters publish
 * (namespace, release names, endpoints); a problem found while rendering is recorded at the
 * user's path. planPlatform only orchestrates.
 */
import { ComponentPlan, runPlanners } from '../component';
import { IssueCollector } from '../errors';
import { imagesIn } from '../k8s/images';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { KubeObject } from '../k8s/objects';
import { sortedKeys } from '../util';
import { PlatformContext } from './context';
import { CompiledCluster, ComponentDescriptor, componentsOf, PlatformComponent } from './descriptor';
import { ENDPOINTS_CONFIGMAP, ENTERPRISE_CHART, PLATFORM_DELIVERABLES, PlatformEndpoints } from './model';
import { namespaceDeliverable } from '../plan';
import { umbrellaValues } from './umbrella';

/** The platform's namespace, first on every cluster. */
const namespaceComponent: PlatformComponent = {
  runsOn: () => true,
  plan: ({ ctx: { namespace, edition } }) => ({
    // Open source pods are known to meet "restricted", so it is enforced; the enterprise charts'
    // pods cannot be checked here, so violations are only warned about and audited.
    deliverables: [namespaceDeliverable(PLATFORM_DELIVERABLES.namespace, namespace, edition === 'open-source' ? 'enforce' : 'warn-and-audit',
      installLabelValue(namespace, 'platform'))],
    facts: { namespace },
  }),
};

/** The enterprise edition: one umbrella release per cluster, with each of `components` it runs. */
function umbrellaComponent(components: readonly ComponentDescriptor[]): PlatformComponent {
  return {
    runsOn: ({ ctx }) => ctx.edition === 'enterprise',
    plan: ({ ctx, cluster }) => {
      const { ent, namespace, releaseName, airGap } = ctx;
      const values = sortedKeys(umbrellaValues(ctx, cluster, components));
      return {
        deliverables: [{
          type: 'helm-release',
          id: PLATFORM_DELIVERABLES.umbrella,
          description: `Stacklok Enterprise Platform ${ent?.version ?? ''} (${componentsOf(components, cluster.spec).map((d) => d.name).join(', ')})`,
          dependsOn: [PLATFORM_DELIVERABLES.namespace],
          retainOnDelete: false,
          release: airGap.release({
            chart: ENTERPRISE_CHART.name,
            repository: ENTERPRISE_CHART.repository(ent?.channel ?? ''),
            version: ent?.version ?? '',
            releaseName,
            namespace,
            values,
            skipCrds: false,
            images: imagesIn(values),
          }),
        }],
        facts: { namespace, releases: { [PLATFORM_DELIVERABLES.umbrella]: releaseName } },
      };
    },
  };
}

/** Where the control plane is, for a workload cluster that knows of it. */
const endpointsComponent: PlatformComponent = {
  runsOn: ({ cluster }) => cluster.spec.role === 'workload' && Object.keys(cluster.endpoints).length > 0,
  plan: ({ ctx: { namespace }, cluster: { endpoints } }) => ({
    deliverables: [{
      type: 'manifests',
      id: PLATFORM_DELIVERABLES.endpoints,
      description: 'Where the control plane is (external URLs)',
      dependsOn: [PLATFORM_DELIVERABLES.namespace],
      retainOnDelete: false,
      objects: withInstallLabel([endpointsConfigMap(namespace, endpoints)], installLabelValue(namespace, 'platform')),
    }],
    facts: { namespace, endpoints },
  }),
};

function endpointsConfigMap(namespace: string, e: PlatformEndpoints): KubeObject {
  const data: Record<string, string> = {};
  if (e.controlCluster) data.controlCluster = e.controlCluster;
  if (e.registryServer) data.registryServerUrl = e.registryServer;
  if (e.enterpriseManager) data.enterpriseManagerUrl = e.enterpriseManager;
  if (e.cloudUi) data.cloudUiUrl = e.cloudUi;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ENDPOINTS_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/part-of': 'toolhive-platform' } },
    data,
  };
}

/** A cluster's planners, in apply order: the namespace, the umbrella, each component's own, the endpoints. */
function plannersOf(components: readonly ComponentDescriptor[]): PlatformComponent[] {
  return [namespaceComponent, umbrellaComponent(components), ...components.flatMap((d) => (d.plan ? [d.plan] : [])), endpointsComponent];
}

/** Every component's plan on one cluster, in apply order. @internal */
export function planComponents(
  ctx: PlatformContext, cluster: CompiledCluster, issues: IssueCollector, components: readonly ComponentDescriptor[],
): ComponentPlan[] {
  return runPlanners(plannersOf(components), { ctx, cluster }, issues);
}
