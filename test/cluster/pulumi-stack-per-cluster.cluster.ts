/*
 * One stack per cluster under the real Pulumi engine (#27 item 6): the README's "One stack per
 * cluster" program, as written, over a shared platform definition (a control cluster with the
 * Registry Server, a workload cluster with a namespace-mode operator), deployed as two stacks,
 * one per cluster, each given only its own cluster's kubeconfig. Each touches only its own API
 * server; together they create exactly the objects the whole platform's plan holds; each knows
 * the whole platform's endpoints (no StackReference); preview plans no change; destroy keeps the CRDs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TestCluster } from './harness/cluster';
import { ensureLibBuilt, finalizingNamespaces, lifecycle, PulumiStack, StateResource, stateObjects, refKey as key, missingObjects } from './harness/pulumi';
import { crdSource } from './harness/stacks';
import { planPlatform, PlatformSpec } from '../../src';
import { REPO_ROOT } from '../support/paths';
import { standaloneRegistryServer } from '../support/platform-fixtures';
import { readmeTsBlock } from '../support/readme';

/** The shared definition's core spec (what the program's `definition` module says, without providers). */
function definitionSpec(): PlatformSpec {
  return {
    edition: 'open-source',
    clusters: {
      'control': { role: 'control', registryServer: standaloneRegistryServer('p', 'https://registry.example.com') as any },
      'eu-west': { role: 'workload', toolhiveOperator: { crds: { source: crdSource() }, rbac: { scope: 'namespace', allowedNamespaces: ['payments'] } } },
    },
  };
}

describe('One stack per cluster (onlyCluster) under the real Pulumi engine: two stacks, one API server each', () => {
  const step = lifecycle();
  const NAMES = ['control', 'eu-west'];
  const clusters = new Map<string, TestCluster>();
  const stacks = new Map<string, PulumiStack>();
  const states = new Map<string, StateResource[]>();
  const api = (name: string) => clusters.get(name)!.admin;
  const objectsOf = (resources: readonly StateResource[]) =>
    stateObjects(resources.filter((x) => x.custom && x.type.startsWith('kubernetes:') && x.outputs?.metadata?.name && !x.type.startsWith('kubernetes:helm.sh')));
  const providersOf = (resources: readonly StateResource[]) => new Set(resources
    .filter((x) => x.custom && x.type.startsWith('kubernetes:') && !x.type.startsWith('pulumi:providers'))
    .map((x) => /::([^:]+)::[^:]+$/.exec(x.provider ?? '')?.[1]));

  beforeAll(async () => {
    ensureLibBuilt();
    const block = readmeTsBlock('### One stack per cluster');
    expect(block.declarations).toContain('declare const definition');
    const dir = path.join(REPO_ROOT, '.cache', 'stack-per-cluster');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: toolhive\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n');
    // The shared definition: every cluster, no provider (the module every stack's program imports).
    fs.writeFileSync(path.join(dir, 'definition.ts'), [
      "import type { ToolhivePlatformArgs } from 'toolhive-constructs/pulumi';",
      "import { standaloneRegistryServer } from '../../test/support/platform-fixtures';",
      '',
      'export const definition = {',
      "  edition: 'open-source',",
      '  clusters: {',
      "    'control': { role: 'control', registryServer: standaloneRegistryServer('p', 'https://registry.example.com') },",
      "    'eu-west': { role: 'workload', toolhiveOperator: { rbac: { scope: 'namespace', allowedNamespaces: ['payments'] } } },",
      '  },',
      '} as unknown as ToolhivePlatformArgs;',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'index.ts'), `import { definition } from './definition';\n\n${block.code}\n`);
    for (const [name, c] of await Promise.all(NAMES.map(async (n) => [n, await TestCluster.start(`stack-per-cluster-${n}`)] as const))) clusters.set(name, c);
    await clusters.get('eu-west')!.ensureNamespaces(['payments']);
    for (const name of NAMES) {
      const stack = PulumiStack.fromProgram(dir, name);
      // Each stack knows its cluster's name and only that cluster's kubeconfig.
      stack.setConfig('cluster', name);
      stack.setConfig('kubeconfig', clusters.get(name)!.kubeconfig(), { secret: true });
      stacks.set(name, stack);
    }
  });
  afterAll(async () => {
    await Promise.all([...clusters.values()].map((c) => c.stop()));
    for (const s of stacks.values()) s.remove();
  });

  step('up, stack by stack: each creates its cluster\'s objects in its own API server only', async () => {
    for (const name of NAMES) {
      await stacks.get(name)!.up();
      states.set(name, stacks.get(name)!.resources());
      expect([name, [...providersOf(states.get(name)!)]]).toEqual([name, [name]]);
    }
    for (const name of NAMES) {
      const mine = objectsOf(states.get(name)!);
      expect(mine.length).toBeGreaterThan(0);
      expect([name, await missingObjects(api(name), mine)]).toEqual([name, []]);
      const other = NAMES.find((n) => n !== name)!;
      const notMine = mine.filter((r) => !objectsOf(states.get(other)!).some((o) => key(o) === key(r)));
      expect([name, (await missingObjects(api(other), notMine)).length]).toEqual([name, notMine.length]);
    }
  });

  step('together the stacks hold exactly the objects of the whole platform\'s plan, cluster by cluster', async () => {
    const plan = planPlatform(definitionSpec());
    for (const c of plan.clusters) {
      const planned = c.deliverables.flatMap((d) => ('objects' in d ? d.objects.map((o) => key({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })) : []));
      expect([c.cluster, objectsOf(states.get(c.cluster)!).map(key).sort()]).toEqual([c.cluster, [...new Set(planned)].sort()]);
    }
  });

  step('each stack exports the whole platform\'s endpoints, with no StackReference', async () => {
    const endpoints = planPlatform(definitionSpec()).endpoints;
    expect(endpoints).toEqual({ controlCluster: 'control', registryServer: 'https://registry.example.com' });
    for (const name of NAMES) expect([name, stacks.get(name)!.outputs().endpoints]).toEqual([name, endpoints]);
  });

  step('preview after up plans no change, in each stack', async () => {
    for (const name of NAMES) await stacks.get(name)!.previewNoChanges();
  });

  step('destroy, stack by stack, removes everything but the CRDs', async () => {
    for (const name of NAMES) {
      await finalizingNamespaces([api(name)], () => stacks.get(name)!.destroy());
      const objects = objectsOf(states.get(name)!);
      const kept = objects.filter((r) => r.kind === 'CustomResourceDefinition');
      const gone = objects.filter((r) => r.kind !== 'CustomResourceDefinition');
      expect([name, (await missingObjects(api(name), gone)).length]).toEqual([name, gone.length]);
      expect([name, await missingObjects(api(name), kept)]).toEqual([name, []]);
    }
  });
});
