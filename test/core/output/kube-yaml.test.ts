/*
 * The manifest writer's YAML emitter against the `yaml` package with cdk8s's options, byte for
 * byte: on every object the library plans in its fixtures, and on seeded random objects built
 * from the characters and shapes that decide YAML styles.
 */
import { stringify } from 'yaml';
import { planOperatorInstall, planPlatform, planRegistryServer, RbacScope } from '../../../src';
import { CDK8S_YAML_OPTIONS, KubeYamlEmitter, kubeYaml } from '../../../src/core/output/kube-yaml';
import { prng } from '../../support/differential';
import { centralized, layered, standaloneRegistryServer } from '../../support/platform-fixtures';

const reference = (o: unknown) => stringify(o, { ...CDK8S_YAML_OPTIONS, keepUndefined: true });

const FRAGMENTS = ['word', 'a b', 'ghcr.io/stacklok/toolhive/operator:v0.44.0', 'http://x.example:8080/p?q=1#f', '-', '- ', '?', '? ', ':', ': ', '#', ' #',
  '# x', ' ', '  ', '\t', '🚀', '日本語', 'é', '\u00a0', '\u0085', '\u0007', '123', '1.5', '1e3', '0x1F', '0777', '08', '1_000', '-7', '+3', '.5', '2024-01-15',
  '10:30', '1:20', 'true', 'yes', 'Yes', 'No', 'on', 'OFF', 'y', 'n', 'null', 'Null', '~', '"', '\'', '\\', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>',
  '%', '@', '`', '---', '...', '=', '<<', '.inf', '.NaN'];
const SEPARATORS = ['', ' ', '\n', '  ', '\n\n', ' \n', '\n ', '\n\n\n', '\t'];
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'app.kubernetes.io/name', 'helm.sh/chart', 'a-b', 'a_b', 'y', 'on', 'null', '1', '10', '-', '?x',
  ' a', 'a b', 'key: v', '#k', '', 'é', '<<', '---', 'a\nb', 'x'.repeat(1100)];

function randomObject(rand: () => number): Record<string, unknown> {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const text = (): string => {
    let s = rand() < 0.3 ? pick(['', ' ', '\n', '- ', '  x']) : '';
    const parts = 1 + int(5);
    for (let i = 0; i < parts; i++) s += (i ? pick(SEPARATORS) : '') + pick(FRAGMENTS);
    return s + (rand() < 0.2 ? pick(['\n', '\n\n', ' ', '\n ']) : '');
  };
  const value = (depth: number): unknown => {
    const r = rand();
    const key = () => (rand() < 0.8 ? pick(KEYS.slice(0, 7)) + int(3) : pick(KEYS));
    if (depth < 4 && r < 0.22) return Object.fromEntries(Array.from({ length: int(4) }, () => [key(), value(depth + 1)]));
    if (depth < 4 && r < 0.38) return Array.from({ length: int(4) }, () => value(depth + 1));
    if (r < 0.8) return text();
    if (r < 0.93) return pick([0, 1, -1, 42, 2 ** 53, 1.5, -0.25, 1e21, 1e-7, -0, 65535]);
    return pick([true, false, null]);
  };
  return Object.fromEntries(Array.from({ length: 1 + int(4) }, () => [pick(KEYS.slice(0, 4)) + int(9), value(0)]));
}

describe('KubeYamlEmitter', () => {
  test('writes what the yaml package writes for every object the library plans', () => {
    const plans = [
      ...[centralized(), layered(), {
        edition: 'open-source' as const,
        delivery: 'manifests' as const,
        clusters: {
          control: { role: 'control' as const, registryServer: standaloneRegistryServer('production', 'https://registry.example.com') },
          east: { role: 'workload' as const, toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']) } },
          west: { role: 'workload' as const, toolhiveOperator: { rbac: RbacScope.cluster() } },
        },
      }].flatMap((spec) => planPlatform(spec).clusters),
      planOperatorInstall({ rbac: RbacScope.namespaces(['team-a', 'team-b']) }),
      planOperatorInstall({ rbac: RbacScope.cluster() }),
      planRegistryServer(standaloneRegistryServer('staging', 'https://registry.staging.example.com')),
    ];
    const objects = plans.flatMap((c) => c.deliverables).flatMap((d): unknown[] => ('objects' in d ? [...d.objects] : [{ values: d.release.values }]));
    expect(objects.length).toBeGreaterThan(50);
    const emitter = new KubeYamlEmitter();
    for (const o of objects) expect(emitter.document(o)).toBe(reference(o));
    expect(emitter.slowDocuments).toBe(0); // all on the fast path
    expect(kubeYaml(objects)).toBe(objects.map(reference).join('---\n'));
  });

  test('writes what the yaml package writes for 3,000 seeded random objects', () => {
    const rand = prng(20261202);
    const emitter = new KubeYamlEmitter();
    for (let i = 0; i < 3000; i++) {
      const o = randomObject(rand);
      const ours = emitter.document(o);
      if (ours !== reference(o)) throw new Error(`object ${i} differs:\n${JSON.stringify(o)}\nours:\n${ours}\nyaml:\n${reference(o)}`);
    }
    // Most take the fast path, so the comparison tests it, not the fallback.
    expect(emitter.slowDocuments).toBeLessThan(1500);
  });

  test('emits a shared top-level value once and reuses it under any key', () => {
    const spec = { group: 'x.example', names: { kind: 'X' }, versions: [{ name: 'v1', served: true }] };
    const a = { apiVersion: 'v1', kind: 'A', metadata: { name: 'a' }, spec };
    const b = { apiVersion: 'v1', kind: 'B', metadata: { name: 'b' }, other: spec };
    const emitter = new KubeYamlEmitter();
    expect(emitter.document(a)).toBe(reference(a));
    expect(emitter.document(b)).toBe(reference(b));
  });

  test('values JSON has no equivalent for go to the yaml package whole, with the same result', () => {
    for (const o of [{ a: undefined }, { a: [1, , 2] }, { a: new Date(0) }, { a: 1n }, { a: 'x\n\n\n' }, { 'a\nb': 1 }, { a: ' x\n\t' }, { a: '\u0007\nb' }]) {
      expect(new KubeYamlEmitter().document(o)).toBe(stringify(o, { ...CDK8S_YAML_OPTIONS, keepUndefined: true }));
    }
    expect(new KubeYamlEmitter().document([1, 2])).toBe(reference([1, 2]));
  });
});
