/*
 * The ToolHive operator (and its CRDs) on a platform's cluster: planned by the operator's own
 * planner in the open source edition, a subchart of the umbrella in the enterprise edition.
 */
import { resolveAirGap, ResolvedAirGap } from '../../airgap';
import { NOTHING } from '../../component';
import { collectFrom, IssueCollector } from '../../errors';
import { RbacScope } from '../../k8s/rbac-scope';
import { planOperatorInstallWith, operatorValuesWith } from '../../operator/plan';
import { Deliverable } from '../../plan';
import { S } from '../../rules/shape';
import { JsonObject } from '../../util';
import { isRenderedVersion, supportedVersionsText, TOOLHIVE_VERSION } from '../../versions';
import { PlatformContext } from '../context';
import { CompiledComponent, ComponentDescriptor, enterpriseImage, enterprisePullSecrets } from '../descriptor';
import { PLATFORM_DELIVERABLES } from '../model';
import { clusterPath, stringOrUndefined } from '../support';

/** Fields of the operator options the umbrella release decides in the enterprise edition. */
const UMBRELLA_OPERATOR_FIELDS = ['version', 'namespace', 'releaseName', 'crds', 'createNamespace', 'customResources', 'externalResources', 'allowDefaultNamespace'] as const;

/**
 * The ToolHive release a cluster's operator runs (open source edition): the operator's own
 * `version`, else the cluster's, else the platform's; undefined for the library's default.
 * @internal
 */
export function operatorVersionOf(ctx: Pick<PlatformContext, 'spec' | 'clusters'>, name: string): string | undefined {
  const cluster = ctx.clusters.get(name);
  return stringOrUndefined(cluster?.toolhiveOperator?.version) ?? stringOrUndefined(cluster?.version) ?? stringOrUndefined(ctx.spec.version);
}

/** Operator options are validated now, under their air gap resolved once; rendering waits until the whole platform is valid. */
function compileOperatorFor(ctx: PlatformContext, name: string, issues: IssueCollector): CompiledComponent | undefined {
  const cluster = ctx.clusters.get(name);
  if (ctx.edition === 'enterprise' && cluster?.version !== undefined) {
    issues.add(clusterPath(name, 'version'), 'not used in the enterprise edition: the umbrella release pins the ToolHive operator (set enterprise.version)');
  }
  if (!ctx.usable(name, 'toolhiveOperator')) return undefined;
  const op = cluster!.toolhiveOperator!;
  const path = clusterPath(name, 'toolhiveOperator');
  const airGap = resolveAirGap(op.airGap, `${path}.airGap`, issues, ctx.airGap);
  if (ctx.edition !== 'enterprise') return checkOpenSourceOperator(ctx, name, path, airGap, issues);
  for (const field of UMBRELLA_OPERATOR_FIELDS) {
    if ((op as any)[field] !== undefined) issues.add(`${path}.${field}`, 'not used in the enterprise edition: the umbrella release pins and places the operator and its CRDs (set enterprise.version)');
  }
  // The umbrella's images are enterprise.airGap's: the operator's own air gap moves none.
  const values = collectFrom(issues, '', () => operatorValuesWith({ ...op, version: ctx.version ?? '0.0.0' }, path, ResolvedAirGap.NONE) as JsonObject);
  if (values && !ctx.ent?.airGap && !op.images) {
    // The umbrella's own (enterprise) operator images stay in charge.
    const upstream = (values as any).operator;
    if (upstream) for (const k of ['image', 'toolhiveRunnerImage', 'vmcpImage']) delete upstream[k];
    delete (values as any).registryAPI;
  }
  return { values, airGap };
}

/** The open source operator's options, checked (its planner renders them later). */
function checkOpenSourceOperator(
  ctx: PlatformContext, name: string, path: string, airGap: ResolvedAirGap, issues: IssueCollector,
): CompiledComponent | undefined {
  const cluster = ctx.clusters.get(name)!;
  const op = cluster.toolhiveOperator!;
  const own = stringOrUndefined(op.version);
  if (own !== undefined && cluster.version !== undefined && own !== cluster.version) {
    issues.add(`${path}.version`, `${JSON.stringify(own)} differs from the cluster's version ${JSON.stringify(cluster.version)}: pin the cluster's release in one place`);
  }
  const version = operatorVersionOf(ctx, name);
  if (own === undefined && version !== undefined && ctx.delivery === 'manifests' && !isRenderedVersion(version)) {
    // Reported where it was set (the cluster, else the platform), once.
    const at = cluster.version !== undefined ? clusterPath(name, 'version') : 'version';
    if (!issues.issues.some((i) => i.path === at)) issues.add(at, `ToolHive ${version} is not a release the library supports, so it cannot be rendered as raw manifests; supported releases: ${supportedVersionsText()}. Use delivery "helm" for other versions`);
    return undefined;
  }
  collectFrom(issues, '', () => operatorValuesWith(version === undefined ? op : { ...op, version }, path, airGap));
  return { airGap };
}

/** The operator's scope, as a diagram shows it (its namespaces sorted, as the operator's values list them). */
function rbacText(rbac: unknown): string {
  if (rbac instanceof RbacScope && rbac.scope === 'namespace') return `namespaces: ${[...rbac.allowedNamespaces].sort().join(', ')}`;
  return 'cluster-wide';
}

/** The ToolHive operator. @internal */
export const toolhiveOperator: ComponentDescriptor = {
  name: 'toolhiveOperator',
  title: 'ToolHive operator',
  roles: ['control', 'workload', 'registry'],
  enterpriseOnly: false,
  // Checked by the operator's own planner.
  shape: S.map(),
  compile: compileOperatorFor,
  plan: {
    runsOn: ({ ctx, cluster }) => ctx.edition === 'open-source' && !!cluster.spec.toolhiveOperator,
    plan: ({ ctx, cluster: { name, spec: c, compiled } }, issues) => {
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
      const plan = collectFrom(issues, '', () => planOperatorInstallWith(options,
        { delivery, cluster: name, path: clusterPath(name, 'toolhiveOperator') }, compiled.toolhiveOperator?.airGap ?? ctx.airGap));
      if (!plan) return NOTHING;
      const deliverables = plan.deliverables.map((d) => ({ ...d, dependsOn: [PLATFORM_DELIVERABLES.namespace, ...d.dependsOn] } as Deliverable));
      return { deliverables, facts: { namespace: opNamespace, releases: plan.releases ?? {} } };
    },
  },
  umbrella: {
    key: 'toolhive-operator',
    upstream: true,
    values: ({ ctx }, up) => {
      const a = ctx.enterpriseAirGap;
      if (a) {
        up.operator = {
          image: enterpriseImage(a, 'operator'),
          toolhiveRunnerImage: enterpriseImage(a, 'proxyrunner'),
          vmcpImage: enterpriseImage(a, 'vmcp'),
          imagePullSecrets: enterprisePullSecrets(a),
          defaultImagePullSecrets: [a.pullSecret],
          ...(up.operator ?? {}),
        };
        up.registryAPI = { image: enterpriseImage(a, 'registry-api'), ...(up.registryAPI ?? {}) };
      }
      return Object.keys(up).length > 0 ? up : undefined;
    },
  },
  diagram: {
    node: 'operator',
    label: ({ ctx, cluster }) => {
      const release = ctx.edition === 'open-source' ? operatorVersionOf(ctx, cluster.name) ?? TOOLHIVE_VERSION : undefined;
      return [`ToolHive operator${release ? ` ${release}` : ''}`, rbacText(cluster.spec.toolhiveOperator?.rbac)];
    },
  },
};
