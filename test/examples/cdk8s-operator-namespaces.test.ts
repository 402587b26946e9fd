import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildApp } from '../../examples/cdk8s-operator-namespaces/main';
import { expectValidObjects } from '../support/k8s-validate';
import { keys, snapshotYaml } from '../support/objects';
import { restrictedViolations } from '../support/pod-security';
import { toolhiveUpstream } from '../support/upstream';

function synth(): { files: string[]; text: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  buildApp(outdir).synth();
  const files = fs.readdirSync(outdir).sort();
  return { files, text: files.map((f) => fs.readFileSync(path.join(outdir, f), 'utf8')).join('') };
}

describe('examples/cdk8s-operator-namespaces', () => {
  // The example reads the CRDs of the pinned release; tests point it at the resolved upstream data.
  const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
  beforeAll(() => {
    process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
    else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
  });

  test('synthesizes one file: namespace, CRDs, then the namespace-mode operator', () => {
    const { files, text } = synth();
    expect(files).toEqual(['toolhive.yaml']);
    const objects = parseAllDocuments(text).map((d) => d.toJS());
    const k = keys(objects);
    expect(k[0]).toBe('Namespace/toolhive-system');
    expect(k.slice(1, 15).every((x) => x.startsWith('CustomResourceDefinition/'))).toBe(true);
    expect(k.slice(15)).toEqual([
      'ServiceAccount/toolhive-system/toolhive-operator',
      'ClusterRole/toolhive-operator-manager-role',
      'Role/toolhive-system/toolhive-operator-leader-election-role',
      'RoleBinding/team-a/toolhive-operator-manager-rolebinding',
      'RoleBinding/team-b/toolhive-operator-manager-rolebinding',
      'RoleBinding/toolhive-system/toolhive-operator-leader-election-rolebinding',
      'Deployment/toolhive-system/toolhive-operator',
    ]);
    const deployment = objects[objects.length - 1];
    const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.WATCH_NAMESPACE).toBe('team-a,team-b');
    expect(env.TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR).toBe('false');
    expect(env.TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS).toBe('registry-credentials');
    expect(deployment.spec.replicas).toBe(2);
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('synthesis is byte-for-byte deterministic', () => {
    expect(synth().text).toBe(synth().text);
  });

  test('snapshot (CRD schemas shown as digests)', () => {
    const objects = parseAllDocuments(synth().text).map((d) => d.toJS());
    expect(snapshotYaml(objects)).toMatchSnapshot();
  });
});

describe('npm run synth', () => {
  test('the README\'s synth command writes the example to dist/ with the same content as buildApp', () => {
    const root = path.resolve(__dirname, '..', '..');
    const out = execFileSync(path.join(root, 'node_modules', '.bin', 'ts-node'), [
      '--transpile-only', '-r', 'tsconfig-paths/register', '-P', 'tsconfig.dev.json', 'scripts/synth.ts',
    ], { cwd: root, encoding: 'utf8', env: { ...process.env, TOOLHIVE_UPSTREAM_DIR: path.dirname(path.dirname(toolhiveUpstream().crdsDir)) } });
    expect(out.trim().split('\n')).toEqual([
      'dist/cdk8s-operator-namespaces/toolhive.yaml',
      ...['ap-south', 'control', 'dev', 'eu-west', 'staging', 'us-east'].map((c) => `dist/cdk8s-multi-cluster/${c}.yaml`),
    ]);
    const written = fs.readFileSync(path.join(root, 'dist', 'cdk8s-operator-namespaces', 'toolhive.yaml'), 'utf8');
    const saved = process.env.TOOLHIVE_UPSTREAM_DIR;
    process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
    try {
      expect(written).toBe(synth().text);
    } finally {
      if (saved === undefined) delete process.env.TOOLHIVE_UPSTREAM_DIR;
      else process.env.TOOLHIVE_UPSTREAM_DIR = saved;
    }
  });
});
