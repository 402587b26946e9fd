/*
 * A component is one file: a fake seventh component, registered through the same API as the five
 * umbrella components (a test-only list handed to the planner), is shape-checked, planned on the
 * roles it allows, refused on the others at its path, and appears in the umbrella's values and
 * in the diagram. The public default does not know it.
 */
import { planPlatform, PlatformSpec, platformPlanDiagram } from '../../../src';
import { ComponentDescriptor } from '../../../src/core/platform/descriptor';
import { planPlatformWith } from '../../../src/core/platform/plan';
import { PLATFORM_COMPONENT_REGISTRY } from '../../../src/core/platform/registered';
import { positiveDurationProblem } from '../../../src/core/rules/durations';
import { S } from '../../../src/core/rules/shape';
import { issuesOf } from '../../support/errors';
import { centralized } from '../../support/platform-fixtures';

/** The fake component: one descriptor, nothing else. */
const observer: ComponentDescriptor = {
  name: 'observer',
  title: 'Observer',
  roles: ['control', 'workload'],
  enterpriseOnly: true,
  shape: S.object({ retention: S.ruled(positiveDurationProblem) }, 'observer options { retention }'),
  compile: (ctx, name) => (ctx.usable(name, 'observer')
    ? { values: { retention: (ctx.clusters.get(name) as any).observer.retention ?? '7d' } }
    : undefined),
  umbrella: { key: 'stacklok-observer', values: (_i, own) => own },
  diagram: { node: 'observer', label: ({ cluster }) => ['Observer', `keeps ${(cluster.spec as any).observer.retention ?? '7d'}`] },
};

/** Registered through the same list the five are, for this test only. */
const COMPONENTS: readonly ComponentDescriptor[] = [...PLATFORM_COMPONENT_REGISTRY, observer];

function withObserver(where: Record<string, unknown>): PlatformSpec {
  const spec = centralized();
  const clusters = Object.fromEntries(Object.entries(spec.clusters).map(([n, c]) => [n, where[n] === undefined ? c : { ...c, observer: where[n] }]));
  return { ...spec, clusters } as PlatformSpec;
}

const umbrellaValuesOf = (plan: ReturnType<typeof planPlatform>, cluster: string) => {
  const d = plan.clusters.find((c) => c.cluster === cluster)!.deliverables.find((x) => x.type === 'helm-release')!;
  return d.type === 'helm-release' ? d.release.values as Record<string, any> : {};
};

describe('a component is one descriptor and one registration line', () => {
  test('the five umbrella components are registered, each once', () => {
    expect(PLATFORM_COMPONENT_REGISTRY.map((d) => d.name)).toEqual(['toolhiveOperator', 'registryServer', 'enterpriseManager', 'cloudUi', 'aiGateway']);
  });

  test('planned on the roles it allows: its enable flag and its subchart\'s values in the umbrella release', () => {
    const plan = planPlatformWith(withObserver({ 'control': {}, 'eu-west': { retention: '24h' } }), COMPONENTS);
    expect(umbrellaValuesOf(plan, 'control')).toMatchObject({ 'observer': { enabled: true }, 'stacklok-observer': { retention: '7d' } });
    expect(umbrellaValuesOf(plan, 'eu-west')).toMatchObject({ 'observer': { enabled: true }, 'stacklok-observer': { retention: '24h' } });
    // A cluster without it: disabled, no subchart values.
    expect(umbrellaValuesOf(plan, 'us-east').observer).toEqual({ enabled: false });
    expect(umbrellaValuesOf(plan, 'us-east')['stacklok-observer']).toBeUndefined();
    expect(plan.clusters.find((c) => c.cluster === 'eu-west')!.components.map((c) => c.name)).toEqual(['toolhiveOperator', 'observer']);
  });

  test('shape-checked at the path the user wrote', () => {
    expect(issuesOf(() => planPlatformWith(withObserver({ 'eu-west': { retention: 5, keep: true } }), COMPONENTS))).toEqual([
      { path: 'clusters.eu-west.observer.keep', message: expect.stringContaining('unknown key') },
      { path: 'clusters.eu-west.observer.retention', message: expect.stringContaining('expected a string') },
    ]);
    expect(issuesOf(() => planPlatformWith(withObserver({ 'eu-west': 'yes' }), COMPONENTS)))
      .toEqual([{ path: 'clusters.eu-west.observer', message: expect.stringContaining('expected observer options { retention }') }]);
  });

  test('refused on a role that does not run it, and in the open source edition, with a clear path', () => {
    const spec = centralized();
    const registryCluster = { ...spec, clusters: { ...spec.clusters, reg: { role: 'registry', registryServer: spec.clusters.control.registryServer, observer: {} } } } as PlatformSpec;
    expect(issuesOf(() => planPlatformWith(registryCluster, COMPONENTS))).toEqual([{
      path: 'clusters.reg.observer',
      message: 'a registry cluster does not run the observer (it runs toolhiveOperator, registryServer)',
    }]);
    const openSource = { edition: 'open-source', clusters: { w: { role: 'workload', toolhiveOperator: {}, observer: {} } } } as PlatformSpec;
    expect(issuesOf(() => planPlatformWith(openSource, COMPONENTS)))
      .toEqual([{ path: 'clusters.w.observer', message: expect.stringContaining('observer is an enterprise component') }]);
  });

  test('drawn in the diagram, which reads the plan', () => {
    const text = platformPlanDiagram(planPlatformWith(withObserver({ 'control': {}, 'eu-west': { retention: '24h' } }), COMPONENTS));
    expect(text).toContain('    cl_control__observer["Observer<br/>keeps 7d"]');
    expect(text).toContain('    cl_eu_west__observer["Observer<br/>keeps 24h"]');
  });

  test('the public default does not know it', () => {
    expect(issuesOf(() => planPlatform(withObserver({ 'eu-west': {} })))).toEqual([
      { path: 'clusters.eu-west.observer', message: expect.stringContaining('unknown key') },
    ]);
  });
});
