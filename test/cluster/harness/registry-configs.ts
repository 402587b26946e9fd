/*
 * The Registry Servers the examples and the test fixtures emit, as their Deployments would run
 * them: the configuration file (the ConfigMap's `config.yaml` the container's `--config` reads),
 * the environment (database passwords from Secret references), and the pgpass Secret when the
 * Deployment mounts one.
 */
import * as path from 'path';
import { parse } from 'yaml';
import { cdk8sExamples, exampleStacks } from './stacks';
import { KubeObject, planPlatform, planRegistryServer, renderRegistryServerChart } from '../../../src';
import { REPO_ROOT } from '../../support/paths';
import { centralized, layered, standaloneRegistryServer } from '../../support/platform-fixtures';
import { installPulumiMocks } from '../../support/pulumi-mocks';
import { toolhiveUpstream } from '../../support/upstream';

/** One container env entry (a value, or a Secret key reference). */
export interface EnvEntry {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

/** One emitted Registry Server. */
export interface EmittedRegistryServer {
  /** Where it comes from, for test names. */
  readonly source: string;
  /** The configuration file's text. */
  readonly configYaml: string;
  readonly config: any;
  readonly env: readonly EnvEntry[];
  /** The Secret key the pgpass file comes from, when the Deployment mounts one. */
  readonly pgpassSecret?: { readonly name: string; readonly key: string };
}

/** The Registry Servers among rendered objects: each Deployment running `serve --config`, with its ConfigMap. */
export function registryServersIn(source: string, objects: readonly KubeObject[]): EmittedRegistryServer[] {
  const out: EmittedRegistryServer[] = [];
  for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) {
    const spec = d.spec.template.spec;
    const container = spec.containers.find((c: any) => (c.args ?? [])[0] === 'serve' && (c.args ?? []).includes('--config'));
    if (!container) continue;
    const configPath: string = container.args[container.args.indexOf('--config') + 1];
    const mount = (container.volumeMounts ?? []).find((m: any) => configPath.startsWith(`${m.mountPath}/`));
    const volume = (spec.volumes ?? []).find((v: any) => v.name === mount?.name);
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume?.configMap?.name && o.metadata.namespace === d.metadata.namespace) as any;
    const file = configPath.slice(mount.mountPath.length + 1);
    const configYaml = configMap?.data?.[file];
    if (typeof configYaml !== 'string') throw new Error(`${source}: Deployment ${d.metadata.name} reads ${configPath}, which no ConfigMap here provides`);
    const pgpassVolume = (spec.volumes ?? []).find((v: any) => v.secret && /pgpass/i.test(v.name));
    const pgpassItem = pgpassVolume?.secret?.items?.[0];
    out.push({
      source: `${source}: ${d.metadata.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata.name}`,
      configYaml,
      config: parse(configYaml),
      env: container.env ?? [],
      ...(pgpassVolume ? { pgpassSecret: { name: pgpassVolume.secret.secretName, key: pgpassItem?.key ?? 'pgpass' } } : {}),
    });
  }
  return out;
}

/** Every Registry Server the cdk8s examples, the platform fixtures and the standalone fixtures emit. */
export function emittedRegistryServers(): EmittedRegistryServer[] {
  const out: EmittedRegistryServer[] = [];
  for (const example of cdk8sExamples()) {
    for (const stack of exampleStacks(example)) out.push(...registryServersIn(`examples/${example} ${stack.name}`, stack.objects));
  }
  // Enterprise platforms deliver the umbrella chart: its Registry Server subchart's values, rendered.
  for (const [name, spec] of [['fixture centralized', centralized()], ['fixture layered', layered()]] as const) {
    for (const cluster of planPlatform(spec).clusters) {
      for (const d of cluster.deliverables) {
        if (d.type !== 'helm-release') continue;
        const upstream = (d.release.values as any)['toolhive-registry-server']?.upstream;
        if (!upstream) continue;
        const objects = renderRegistryServerChart(upstream, { releaseName: 'toolhive-registry-server', namespace: d.release.namespace });
        out.push(...registryServersIn(`${name} cluster ${cluster.cluster}`, objects));
      }
    }
  }
  const standalone = standaloneRegistryServer('production', 'https://registry.example.com');
  const variants: [string, Parameters<typeof planRegistryServer>[0]][] = [
    ['standalone (password Secret)', standalone],
    ['standalone (pgpass Secret)', { ...standalone, passwordSecret: undefined, pgpassSecret: { name: 'registry-pgpass', key: 'pgpass' } }],
    ['standalone (migration user)', {
      ...standalone,
      config: { ...standalone.config, database: { ...standalone.config.database, migrationUser: 'registry_migrator' } },
      migrationPasswordSecret: { name: 'registry-migrator', key: 'password' },
    }],
  ];
  for (const [name, options] of variants) {
    const plan = planRegistryServer(options);
    out.push(...registryServersIn(`fixture ${name}`, plan.deliverables.flatMap((d) => ('objects' in d ? [...d.objects] : []))));
  }
  return out;
}

/**
 * The Registry Servers of the Pulumi platform example (examples/pulumi-multi-cluster), as its
 * ConfigGroups hand them to the provider: the program run under Pulumi's mocks.
 */
export async function pulumiExampleRegistryServers(): Promise<EmittedRegistryServer[]> {
  const clusters = ['control', 'eu-west', 'us-east', 'staging', 'dev'];
  const previous = process.env.TOOLHIVE_UPSTREAM_DIR;
  process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
  try {
    const recorded = installPulumiMocks(Object.fromEntries(clusters.map((c) => [`toolhive:kubeconfig-${c}`, `kubeconfig of ${c}`])));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(REPO_ROOT, 'examples', 'pulumi-multi-cluster', 'index'));
    // Children of children register asynchronously: wait until the mocks have seen them all.
    for (let stable = 0, count = -1; stable < 5;) {
      await new Promise((r) => setTimeout(r, 20));
      stable = recorded.length === count ? stable + 1 : 0;
      count = recorded.length;
    }
    return clusters.flatMap((c) => registryServersIn(`examples/pulumi-multi-cluster cluster ${c}`, recorded
      .filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup' && r.name.startsWith(`acme-${c}-`))
      .flatMap((r) => r.inputs.objs as KubeObject[])));
  } finally {
    if (previous === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
    else process.env.TOOLHIVE_UPSTREAM_DIR = previous;
  }
}
