/*
 * One mocked Pulumi program, run in a fresh process per measurement (the Pulumi runtime keeps
 * global state). Usage: node pulumi-program.js subject|floor <n> <rbac mode> [plan.json]
 *
 *   subject  the library's ToolhivePlatform component over 1 control + n workload clusters
 *   floor    the same resources created directly from the already computed plan (read
 *            before the clock starts): the platform and cluster components, and one
 *            yaml.v2.ConfigGroup per deliverable with the same objects (with the field
 *            manager the plan fixes), provider, dependencies and retainOnDelete
 *
 * The clock runs from the first resource (the providers) until the runtime's RPC queue has
 * drained. Prints one JSON line: the time, the number of registered resources and a digest
 * of their types, names, providers and inputs (subject and floor must agree).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformPlan } from '../../src';
import { CONTROL_CLUSTER, controlRegistryServer, PLATFORM_NAME, RbacMode, rbacArgs, workloadNames } from '../lib/spec';

const [kind, nArg, modeArg, planFile] = process.argv.slice(2);
const n = Number(nArg);
const mode = modeArg as RbacMode;

interface Registered { type: string; name: string; provider?: string; inputs: any }
const registered: Registered[] = [];
void pulumi.runtime.setMocks({
  newResource: (args) => {
    registered.push({ type: args.type, name: args.name, provider: args.provider, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'toolhive-bench', 'bench', false);

const clusterNames = [CONTROL_CLUSTER, ...workloadNames(n)];
const ROLE_TYPES: { [role: string]: string } = {
  control: 'toolhive-constructs:index:ControlCluster',
  workload: 'toolhive-constructs:index:WorkloadCluster',
  registry: 'toolhive-constructs:index:RegistryCluster',
};

/** A plain component resource (the floor's stand-in for the library's platform and cluster components). */
class Component extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions = {}) {
    super(type, name, {}, opts);
  }

  public done(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}

function newProviders(): Map<string, kubernetes.Provider> {
  return new Map(clusterNames.map((c) => [c, new kubernetes.Provider(`k8s-${c}`, { kubeconfig: 'unused' })]));
}

function subject(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ToolhivePlatform } = require('../../src/pulumi') as typeof import('../../src/pulumi');
  const t0 = performance.now();
  const providers = newProviders();
  const clusters: { [name: string]: any } = {
    [CONTROL_CLUSTER]: { role: 'control', provider: providers.get(CONTROL_CLUSTER), registryServer: controlRegistryServer() },
  };
  for (const name of workloadNames(n)) clusters[name] = { role: 'workload', provider: providers.get(name), toolhiveOperator: { rbac: rbacArgs(mode) } };
  new ToolhivePlatform(PLATFORM_NAME, { edition: 'open-source', delivery: 'manifests', clusters });
  void finish(t0);
}

function floor(): void {
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as PlatformPlan;
  const t0 = performance.now();
  const providers = newProviders();
  const platform = new Component('toolhive-constructs:index:ToolhivePlatform', PLATFORM_NAME);
  for (const cp of plan.clusters) {
    const name = `${PLATFORM_NAME}-${cp.cluster}`;
    const provider = providers.get(cp.cluster)!;
    const component = new Component(ROLE_TYPES[cp.role], name, { parent: platform });
    const created = new Map<string, pulumi.Resource>();
    for (const d of cp.deliverables) {
      if (d.type !== 'manifests') throw new Error(`unexpected ${d.type} deliverable in the open source, raw manifests platform`);
      // The field manager the plan fixes for kept objects, as the provider takes it (an annotation).
      const objs = d.fieldManager === undefined ? d.objects : d.objects.map((o) => ({
        ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), 'pulumi.com/patchFieldManager': d.fieldManager } },
      }));
      created.set(d.id, new kubernetes.yaml.v2.ConfigGroup(`${name}-${d.id}`, { objs: objs as any[] }, {
        parent: component, provider, dependsOn: d.dependsOn.map((id) => created.get(id)!), retainOnDelete: d.retainOnDelete,
      }));
    }
    component.done({ cluster: cp.cluster, endpoints: { ...cp.endpoints }, releaseNames: [] });
  }
  const control = plan.clusters.find((c) => c.role === 'control') ?? plan.clusters[0];
  platform.done({ clusterNames: plan.clusters.map((c) => c.cluster), endpoints: { ...control.endpoints } });
  void finish(t0);
}

async function finish(t0: number): Promise<void> {
  await pulumi.runtime.disconnect();
  const ms = performance.now() - t0;
  const lines = registered.map((r) => JSON.stringify([r.type, r.name, r.provider ?? '', r.inputs])).sort();
  const hash = crypto.createHash('sha256');
  for (const l of lines) hash.update(l).update('\n');
  process.stdout.write(`${JSON.stringify({ ms, resources: registered.length, digest: hash.digest('hex').slice(0, 16) })}\n`);
}

if (kind === 'subject') subject();
else if (kind === 'floor') floor();
else throw new Error(`usage: pulumi-program subject|floor <n> <mode> [plan.json], got ${kind}`);
