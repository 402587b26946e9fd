/*
 * The README's Pulumi block under the real Pulumi engine (CLI, Node.js language host and
 * Kubernetes provider built by tools/build.sh), as written: a program whose index.ts is the
 * block, with the `registryServer` helper it declares taken from the multi-cluster example, and
 * one kube-apiserver per cluster it names, each reached through the provider the block builds
 * from stack configuration. up; every object in its own cluster only; preview with no change;
 * destroy keeps the CRDs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TestCluster } from './harness/cluster';
import { ensureLibBuilt, finalizingNamespaces, lifecycle, PulumiStack, StateResource, stateObjects, ObjectRef as Ref, refKey as key, missingObjects } from './harness/pulumi';
import { crdSource } from './harness/stacks';
import { planOperatorInstall, RbacScope } from '../../src';
import { REPO_ROOT } from '../support/paths';
import { readmeTsBlock } from '../support/readme';

describe('README.md, section Pulumi: the block under the real Pulumi engine, one API server per cluster', () => {
  const step = lifecycle();
  const NAMES = ['control', 'eu-west'];
  const clusters = new Map<string, TestCluster>();
  let stack: PulumiStack;
  let firstUp: StateResource[] = [];
  const api = (name: string) => clusters.get(name)!.admin;

  /** The objects of the state, by the cluster of their provider (the provider is named after its cluster). */
  const byCluster = (resources: readonly StateResource[]) => {
    const out = new Map<string, Ref[]>(NAMES.map((n) => [n, []]));
    for (const r of resources.filter((x) => x.custom && x.type.startsWith('kubernetes:') && x.outputs?.metadata?.name && !x.type.startsWith('kubernetes:helm.sh'))) {
      const cluster = /::([^:]+)::[^:]+$/.exec(r.provider ?? '')?.[1] ?? '';
      if (!out.has(cluster)) throw new Error(`${r.urn}: provider ${r.provider} is not one of the block's providers`);
      out.get(cluster)!.push(...stateObjects([r]));
    }
    return out;
  };

  beforeAll(async () => {
    ensureLibBuilt();
    // The program: the README block as written, after the helper its declare comment names.
    const block = readmeTsBlock('## Pulumi');
    expect(block.declarations).toContain('declare function registryServer(');
    const dir = path.join(REPO_ROOT, '.cache', 'readme-pulumi');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: readme-pulumi\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n');
    // The example's helper gives the core's options; the block declares the Pulumi args (claims as lists), which they hold at run time.
    fs.writeFileSync(path.join(dir, 'index.ts'), [
      "import type { RegistryServerSettingsArgs } from 'toolhive-constructs/pulumi';",
      "import { registryServer as coreRegistryServer } from '../../examples/cdk8s-multi-cluster/main';",
      'const registryServer = (environment: string, externalUrl: string) => coreRegistryServer(environment, externalUrl) as unknown as RegistryServerSettingsArgs;',
      '',
      block.code,
      '',
    ].join('\n'));
    for (const [name, c] of await Promise.all(NAMES.map(async (n) => [n, await TestCluster.start(`readme-pulumi-${n}`)] as const))) clusters.set(name, c);
    // The namespace the block's namespace-mode operator watches exists first, as the README says.
    await clusters.get('eu-west')!.ensureNamespaces(['payments']);
    stack = PulumiStack.fromProgram(dir, 'readme');
    for (const name of NAMES) stack.setConfig(`kubeconfig-${name}`, clusters.get(name)!.kubeconfig(), { secret: true });
  });
  afterAll(async () => {
    await Promise.all([...clusters.values()].map((c) => c.stop()));
    stack?.remove();
  });

  step('up: the Registry Server in control, the CRDs and the namespace-mode operator in eu-west, each only there', async () => {
    await stack.up();
    firstUp = stack.resources();
    const objects = byCluster(firstUp);
    for (const name of NAMES) {
      const mine = objects.get(name)!;
      expect([name, await missingObjects(api(name), mine)]).toEqual([name, []]);
      const other = objects.get(NAMES.find((n) => n !== name)!)!.filter((r) => !mine.some((m) => key(m) === key(r)));
      expect([name, (await missingObjects(api(name), other)).length]).toEqual([name, other.length]);
    }
    const control = objects.get('control')!;
    const euWest = objects.get('eu-west')!;
    expect(control.some((r) => r.kind === 'Deployment' && r.name === 'toolhive-registry-server')).toBe(true);
    expect(control.filter((r) => r.kind === 'CustomResourceDefinition')).toEqual([]);
    expect(euWest.filter((r) => r.kind === 'CustomResourceDefinition')).toHaveLength(14);
    expect(euWest.some((r) => r.kind === 'Deployment' && r.name === 'toolhive-operator')).toBe(true);
    // Namespace mode: exactly the RBAC objects the core plans for an operator watching `payments`.
    const rbac = (refs: readonly Ref[]) => refs.filter((r) => r.apiVersion.startsWith('rbac.authorization.k8s.io/')).map(key).sort();
    const planned = planOperatorInstall({ crds: { source: crdSource() }, rbac: RbacScope.namespaces(['payments']) }).deliverables
      .flatMap((d) => ('objects' in d ? d.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })) : []));
    expect(rbac(euWest)).toEqual(rbac(planned));
    expect(rbac(planned).some((k) => k.startsWith('RoleBinding payments/'))).toBe(true);
  });

  step('preview after up plans no change', async () => {
    await stack.previewNoChanges();
  });

  step('destroy removes everything but the CRDs', async () => {
    await finalizingNamespaces([...clusters.values()].map((c) => c.admin), () => stack.destroy());
    for (const [name, objects] of byCluster(firstUp)) {
      const kept = objects.filter((r) => r.kind === 'CustomResourceDefinition');
      const gone = objects.filter((r) => r.kind !== 'CustomResourceDefinition');
      expect([name, (await missingObjects(api(name), gone)).length]).toEqual([name, gone.length]);
      expect([name, await missingObjects(api(name), kept)]).toEqual([name, []]);
    }
  });
});
