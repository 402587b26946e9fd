/**
 * The mirror list only reads plans (#26 item 2): a Helm release's images are the ones its plan
 * states (`release.images`, set by the planner from the values merged over the chart's
 * defaults), objects' images are read from the objects; nothing is rendered, no chart is
 * recognised by its name. The images of every release delivered by Helm equal those of the same
 * plan delivered as rendered manifests.
 */
import {
  ClusterPlan, Delivery, HelmReleaseDeliverable, mirrorList, planOperatorInstall, planPlatform, RbacScope, RENDERED_TOOLHIVE_VERSIONS,
} from '../../../src';

const images = (plans: ClusterPlan | ClusterPlan[]) => mirrorList(plans).images.map((i) => i.image);

test.each(RENDERED_TOOLHIVE_VERSIONS)('ToolHive %s: the operator delivered by Helm pulls the images its rendered manifests pull', (version) => {
  const options = { version, rbac: RbacScope.namespaces(['team-a']), imageDiscovery: true };
  expect(images(planOperatorInstall(options, { delivery: Delivery.HELM }))).toEqual(images(planOperatorInstall(options)));
});

test('a platform with the Registry Server: Helm and manifests list the same images', () => {
  const spec = (delivery: Delivery): ClusterPlan[] => [...planPlatform({
    edition: 'open-source',
    delivery,
    clusters: {
      control: {
        role: 'control',
        registryServer: {
          config: {
            sources: [{ name: 'c', git: { repository: 'https://github.com/acme/catalog.git' }, syncPolicy: { interval: '30m' } }],
            registries: [{ name: 'default', sources: ['c'] }],
            database: { host: 'pg', port: 5432, user: 'u', database: 'd' },
            auth: { mode: 'anonymous' },
          },
          pgpassSecret: { name: 'pg', key: '.pgpass' },
          externalUrl: 'https://registry.example.com',
        } as any,
      },
      east: { role: 'workload', toolhiveOperator: {} },
    },
  }).clusters];
  const helm = images(spec(Delivery.HELM));
  expect(helm).toEqual(images(spec(Delivery.MANIFESTS)));
  expect(helm).toContain('cgr.dev/chainguard/busybox:latest');
});

test('the list follows what the plan states, rendering nothing: a Helm release\'s images are its `release.images`', () => {
  const plan = planOperatorInstall({}, { delivery: Delivery.HELM });
  const operator = plan.deliverables.find((d) => d.id === 'toolhive-operator') as HelmReleaseDeliverable;
  const edited: ClusterPlan = {
    ...plan,
    deliverables: plan.deliverables.map((d) => (d === operator ? { ...operator, release: { ...operator.release, images: ['registry.example.com/only:1'] } } : d)),
  };
  const listed = images(edited);
  expect(listed).toContain('registry.example.com/only:1');
  expect(listed.filter((i) => i.startsWith('ghcr.io/stacklok/'))).toEqual([]);
});

test('a plan without `release.images` (written before the release carried them): the images its values name', () => {
  const plan = planOperatorInstall({ values: { operator: { image: 'registry.example.com/operator:v1' } } } as any, { delivery: Delivery.HELM });
  const stripped: ClusterPlan = {
    ...plan,
    deliverables: plan.deliverables.map((d) => (d.type === 'helm-release' ? { ...d, release: { ...d.release, images: undefined } } : d)),
  };
  expect(images(stripped).filter((i) => !i.includes('text-embeddings'))).toEqual(['registry.example.com/operator:v1']);
});
