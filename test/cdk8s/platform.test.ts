import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { RbacScope, RegistryEnvironmentOptions, ToolhiveValidationError } from '../../src';
import { ToolhivePlatform, WorkloadCluster } from '../../src/cdk8s';
import { issuesOf } from '../support/errors';
import { cloudUi, enterpriseManager, standaloneRegistryServer } from '../support/platform-fixtures';

const FAKE_HELM = path.join(__dirname, '..', 'support', 'fake-helm.js');

function fakeHelm(): { helm: string; calls: () => any[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-'));
  const log = path.join(dir, 'calls.jsonl');
  const helm = path.join(dir, 'helm');
  fs.writeFileSync(helm, `#!/bin/sh\nFAKE_HELM_LOG='${log}' exec node '${FAKE_HELM}' "$@"\n`, { mode: 0o755 });
  return { helm, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []) };
}

function synthFiles(app: App): Map<string, string> {
  app.synth();
  return new Map(fs.readdirSync(app.outdir).sort().map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
}

describe('ToolhivePlatform (enterprise)', () => {
  test('one Chart per cluster, so synth writes one file per cluster; one umbrella release each', () => {
    const { helm, calls } = fakeHelm();
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')), outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const platform = new ToolhivePlatform(app, 'acme', { edition: 'enterprise', enterprise: { version: '1.4.0', channel: 'stable' }, helmExecutable: helm });
    platform.addWorkloadCluster('eu-west', { toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']) } });
    platform.addControlCluster('control', { enterpriseManager: enterpriseManager(), cloudUi: cloudUi(), registryServer: standaloneRegistryServer('c', 'https://registry.example.com') });
    const files = synthFiles(app);
    expect([...files.keys()]).toEqual(['control.yaml', 'eu-west.yaml']);

    const releases = calls();
    expect(releases.map((c) => c.args.filter((_: string, i: number, a: string[]) => a[i - 1] !== '-f'))).toEqual([
      ['template', '-f', '--version', '1.4.0', '--namespace', 'stacklok-system', 'stacklok-enterprise', 'oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform'],
      ['template', '-f', '--version', '1.4.0', '--namespace', 'stacklok-system', 'stacklok-enterprise', 'oci://oci.stacklok.com/stacklok-enterprise/stable/stacklok-enterprise-platform'],
    ]);
    const flags = releases.map((c) => parse(c.values))
      .map((v) => ['toolhiveOperator', 'enterpriseManager', 'cloudUi', 'registryServer', 'aiGateway'].map((f) => v[f].enabled));
    expect(flags).toEqual([[false, true, true, true, false], [true, false, false, false, false]]);

    const eu = parseAllDocuments(files.get('eu-west.yaml')!).map((d) => d.toJS());
    expect(eu.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/stacklok-system',
      'ConfigMap/stacklok-enterprise-rendered',
      'Deployment/stacklok-enterprise-no-namespace',
      'ConfigMap/toolhive-platform-endpoints',
    ]);
    expect(eu[3].data).toEqual({ cloudUiUrl: 'https://ui.example.com', controlCluster: 'control', enterpriseManagerUrl: 'https://config.example.com', registryServerUrl: 'https://registry.example.com' });
  });

  test('every problem of every cluster is reported before anything is written (and before helm runs)', () => {
    const { helm, calls } = fakeHelm();
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')) });
    const platform = new ToolhivePlatform(app, 'acme', { edition: 'enterprise', enterprise: { version: '1.4.0', channel: 'stable' }, helmExecutable: helm });
    platform.addWorkloadCluster('eu-west', { toolhiveOperator: { rbac: RbacScope.namespaces(['Team_A']) } });
    platform.addWorkloadCluster('us-east', { toolhiveOperator: { replicas: -1 } });
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect((error as ToolhiveValidationError).issues.map((i) => i.path)).toEqual(['clusters.eu-west.toolhiveOperator.rbac.allowedNamespaces[0]', 'clusters.us-east.toolhiveOperator.replicas']);
    expect(fs.readdirSync(app.outdir)).toEqual([]);
    expect(calls()).toEqual([]);
  });

  test('the Options/Props split: a cluster construct made directly joins the platform', () => {
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source' });
    const eu = new WorkloadCluster(app, 'eu-west', { platform, toolhiveOperator: {} });
    expect(eu.role).toBe('workload');
    expect(platform.plan().clusters.map((c) => c.cluster)).toEqual(['eu-west']);
    const kinds = Testing.synth(eu).map((o: any) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.filter((k: string) => k === 'CustomResourceDefinition')).toHaveLength(14);
    expect(kinds[kinds.length - 1]).toBe('Deployment');
  });

  test('a cluster name is used once: a validation error at the cluster, naming the clusters there are', () => {
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme');
    platform.addWorkloadCluster('a', { toolhiveOperator: {} });
    const other = new Construct(app, 'elsewhere');
    for (const add of [() => platform.addRegistryCluster('a', {}), () => new WorkloadCluster(other, 'a', { platform, toolhiveOperator: {} })]) {
      expect(issuesOf(add)).toEqual([{
        path: 'clusters.a', message: 'the platform already has a cluster named "a" (its clusters: "a"); each cluster needs its own name',
      }]);
    }
    expect(platform.plan().clusters.map((c) => c.cluster)).toEqual(['a']);
  });

  test('a cluster added once the platform is planned is a validation error, and the output does not change', () => {
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme');
    const east = platform.addWorkloadCluster('east', { toolhiveOperator: {} });
    const before = east.toJson();
    expect(issuesOf(() => platform.addWorkloadCluster('west', { toolhiveOperator: {} }))).toEqual([{
      path: 'clusters.west',
      message: 'cannot join: the platform is already planned (by synthesis, deliverable() or deliverableIds()); add every cluster before any of those',
    }]);
    expect(app.node.tryFindChild('west')).toBeUndefined();
    expect(east.toJson()).toEqual(before);
  });
});

describe('air gap', () => {
  test('helm pulls every chart from the mirror, with --plain-http for a loopback mirror', () => {
    const { helm, calls } = fakeHelm();
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme', {
      edition: 'open-source', delivery: 'helm', helmExecutable: helm, airGap: { chartMirror: 'oci://127.0.0.1:5000/mirror', plainHttp: true },
    });
    platform.addWorkloadCluster('east', { toolhiveOperator: {} });
    app.synth();
    expect(calls().map((c) => c.args.filter((a: string) => a.startsWith('oci://') || a === '--plain-http'))).toEqual([
      ['--plain-http', 'oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator-crds'],
      ['--plain-http', 'oci://127.0.0.1:5000/mirror/stacklok/toolhive/toolhive-operator'],
    ]);
  });
});

describe('deliverables of a cluster', () => {
  test('each deliverable\'s construct, in apply order, for users\' own dependencies; no construct dependencies of ours', () => {
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source', delivery: 'manifests' });
    const control = platform.addControlCluster('control', { registryServer: standaloneRegistryServer('c', 'https://registry.example.com') });
    const east = platform.addWorkloadCluster('east', { toolhiveOperator: {} });
    const mine = new ApiObject(east, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine', namespace: 'toolhive-system' } });
    expect(east.deliverableIds()).toEqual(platform.plan().clusters.find((c) => c.cluster === 'east')!.deliverables.map((d) => d.id));
    mine.node.addDependency(east.deliverable('toolhive-operator'));
    expect(app.node.findAll().filter((c) => c !== mine).flatMap((c) => c.node.dependencies)).toEqual([]);
    const kinds = east.toJson().map((o: any) => o.kind);
    expect(kinds.indexOf('ConfigMap')).toBeGreaterThan(kinds.indexOf('Deployment'));
    expect(control.deliverableIds()).toEqual(['platform-namespace', 'toolhive-registry-server']);
    expect(() => control.deliverable('toolhive-operator')).toThrow(/no deliverable "toolhive-operator" in cluster control; its deliverables are "platform-namespace", "toolhive-registry-server"/);
  });
});

describe('determinism', () => {
  function build(reverse: boolean): Map<string, string> {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'det-')), outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const order = <T>(xs: T[]) => (reverse ? [...xs].reverse() : xs);
    const envs: RegistryEnvironmentOptions[] = [
      { name: 'production', cluster: 'control', promotesFrom: 'staging', claims: { org: 'acme' } },
      { name: 'staging', cluster: 'staging', claims: { groups: ['reviewers'] } },
    ];
    const platform = new ToolhivePlatform(app, 'acme', {
      edition: 'open-source',
      registryLayering: { promotion: 'git', catalog: { repository: 'https://git.example.com/c.git' }, environments: order(envs) },
    });
    const adds = [
      () => platform.addControlCluster('control', { registryServer: { ...standaloneRegistryServer('p', 'https://registry.example.com'), config: { ...standaloneRegistryServer('p').config, sources: [], registries: [] } } }),
      () => platform.addRegistryCluster('staging', { registryServer: { ...standaloneRegistryServer('s', 'https://registry.staging.example.com'), config: { ...standaloneRegistryServer('s').config, sources: [], registries: [] } } }),
      () => platform.addWorkloadCluster('eu-west', { toolhiveOperator: { rbac: RbacScope.namespaces(order(['team-a', 'team-b', 'team-c'])) } }),
      () => platform.addWorkloadCluster('us-east', { toolhiveOperator: { imagePullSecrets: ['regcred'] } }),
    ];
    for (const add of order(adds)) add();
    return synthFiles(app);
  }

  test('the same platform declared in a different order gives byte-identical files', () => {
    const a = build(false);
    const b = build(true);
    expect([...a.keys()]).toEqual(['control.yaml', 'eu-west.yaml', 'staging.yaml', 'us-east.yaml']);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [file, text] of a) expect(b.get(file)).toBe(text);
  });
});
