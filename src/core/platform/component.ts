/*
 * Phase two of planning a cluster, once the whole platform is valid: each component's planner,
 * behind one small interface, returns its deliverables and the facts adapters publish
 * (namespace, release names, endpoints); a problem found while rendering is recorded at the
 * user's path. planPlatform only orchestrates.
 */
import { ComponentPlan, ComponentPlanner, NOTHING, runPlanners } from '../component';
import { collectFrom, IssueCollector } from '../errors';
import { imagesIn } from '../k8s/images';
import { installLabelValue, withInstallLabel } from '../k8s/install-label';
import { restrictedNamespace } from '../k8s/namespace';
import { KubeObject } from '../k8s/objects';
import { planOperatorInstall } from '../operator/plan';
import { Deliverable } from '../plan';
import { REGISTRY_SERVER_RELEASE, registryServerDeliverable } from '../registry/plan';
import { JsonObject, sortedKeys } from '../util';
import { CompiledCluster, operatorVersionOf } from './cluster';
import { COMPONENTS, PlatformContext } from './context';
import { ENDPOINTS_CONFIGMAP, ENTERPRISE_CHART, PLATFORM_DELIVERABLES, PlatformEndpoints } from './model';
import { Edition, GlobalOptions } from './spec';
import { clusterPath, omitUndefined } from './support';
import { umbrellaValues } from './umbrella';

/** What a platform component plans from: the platform and one compiled cluster. @internal */
export interface PlatformComponentInput {
  readonly ctx: PlatformContext;
  readonly cluster: CompiledCluster;
}

/** The planner of one platform component. @internal */
export type PlatformComponent = ComponentPlanner<PlatformComponentInput>;

/** The platform's namespace, first on every cluster. */
const namespaceComponent: PlatformComponent = {
  runsOn: () => true,
  plan: ({ ctx: { namespace, edition } }) => ({
    deliverables: [{
      type: 'manifests',
      id: PLATFORM_DELIVERABLES.namespace,
      description: `Namespace ${namespace}`,
      dependsOn: [],
      retainOnDelete: false,
      objects: withInstallLabel([platformNamespace(namespace, edition)], installLabelValue(namespace, 'platform')),
    }],
    facts: { namespace },
  }),
};

function platformNamespace(name: string, edition: Edition): KubeObject {
  // Open source pods are known to meet "restricted", so it is enforced; the enterprise charts'
  // pods cannot be checked here, so violations are only warned about and audited.
  if (edition === 'open-source') return restrictedNamespace(name);
  const labels = { 'kubernetes.io/metadata.name': name, 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' };
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** The enterprise edition: one umbrella release per cluster. */
const umbrellaComponent: PlatformComponent = {
  runsOn: ({ ctx }) => ctx.edition === 'enterprise',
  plan: ({ ctx: { ent, namespace, releaseName }, cluster }, issues) =>
    umbrellaPlan(ent, namespace, releaseName, cluster, sortedKeys(umbrellaValues(ent, cluster, issues))),
};

function umbrellaPlan(ent: PlatformContext['ent'], namespace: string, releaseName: string, cluster: CompiledCluster, values: JsonObject): ComponentPlan {
  return {
    deliverables: [{
      type: 'helm-release',
      id: PLATFORM_DELIVERABLES.umbrella,
      description: `Stacklok Enterprise Platform ${ent?.version ?? ''} (${COMPONENTS.filter((k) => cluster.spec[k]).join(', ')})`,
      dependsOn: [PLATFORM_DELIVERABLES.namespace],
      retainOnDelete: false,
      release: {
        chart: ENTERPRISE_CHART.name,
        repository: ENTERPRISE_CHART.repository(ent?.channel ?? ''),
        version: ent?.version ?? '',
        releaseName,
        namespace,
        values,
        skipCrds: false,
        images: imagesIn(values),
      },
    }],
    facts: { namespace, releases: { [PLATFORM_DELIVERABLES.umbrella]: releaseName } },
  };
}

/** The open source operator (and its CRDs), planned by the operator's own planner. */
const operatorComponent: PlatformComponent = {
  runsOn: ({ ctx, cluster }) => ctx.edition === 'open-source' && !!cluster.spec.toolhiveOperator,
  plan: ({ ctx, cluster: { name, spec: c } }, issues) => {
    const { namespace, delivery, spec } = ctx;
    const op = c.toolhiveOperator!;
    const opNamespace = op.namespace ?? namespace;
    const allowDefaultNamespace = op.allowDefaultNamespace ?? (opNamespace === namespace && spec.allowDefaultNamespace === true);
    const version = operatorVersionOf(ctx, name);
    const options = {
      ...op,
      ...(version !== undefined ? { version } : {}),
      namespace: opNamespace,
      createNamespace: op.createNamespace ?? (opNamespace !== namespace),
      ...(allowDefaultNamespace ? { allowDefaultNamespace } : {}),
    };
    const plan = collectFrom(issues, '', () => planOperatorInstall(options, { delivery, cluster: name, path: clusterPath(name, 'toolhiveOperator') }));
    if (!plan) return NOTHING;
    const deliverables = plan.deliverables.map((d) => ({ ...d, dependsOn: [PLATFORM_DELIVERABLES.namespace, ...d.dependsOn] } as Deliverable));
    return { deliverables, facts: { namespace: opNamespace, releases: plan.releases ?? {} } };
  },
};

/** The open source Registry Server, in the platform's namespace. */
const registryComponent: PlatformComponent = {
  runsOn: ({ ctx, cluster }) => ctx.edition === 'open-source' && !!cluster.spec.registryServer && !!cluster.values.registryServer,
  plan: ({ ctx: { namespace, delivery }, cluster: { name, global, values } }, issues) => {
    const d = registryServerDeliverable(withGlobalPostgres(values.registryServer!, global), namespace, delivery, [PLATFORM_DELIVERABLES.namespace], issues, clusterPath(name, 'registryServer.values'));
    return d ? { deliverables: [d], facts: { namespace, releases: { [d.id]: REGISTRY_SERVER_RELEASE } } } : NOTHING;
  },
};

function withGlobalPostgres(values: JsonObject, global: GlobalOptions): JsonObject {
  if (!global.postgres) return values;
  const { host, port, sslMode } = global.postgres;
  return { ...values, global: { postgres: omitUndefined({ host, port, sslMode }) } };
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

/** A cluster's components, in apply order. @internal */
export const PLATFORM_COMPONENTS: readonly PlatformComponent[] = [
  namespaceComponent, umbrellaComponent, operatorComponent, registryComponent, endpointsComponent,
];

/** Every component's plan on one cluster, in apply order. @internal */
export function planComponents(ctx: PlatformContext, cluster: CompiledCluster, issues: IssueCollector): ComponentPlan[] {
  return runPlanners(PLATFORM_COMPONENTS, { ctx, cluster }, issues);
}
