import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { CrdSource, leaderElectionRules, RbacScope, TOOLHIVE_VERSION, ToolhiveValidationError } from '../../src';
import { ToolhiveOperator } from '../../src/cdk8s';
import { expectValidObjects } from '../support/k8s-validate';
import { toolhiveUpstream } from '../support/upstream';

const source = CrdSource.fromDirectory(toolhiveUpstream().crdsDir);
const FAKE_HELM = path.join(__dirname, '..', 'support', 'fake-helm.js');

describe('ToolhiveOperator (manifests delivery)', () => {
  test('synthesizes the namespace, the 14 CRDs, then the operator objects', () => {
    const chart = Testing.chart();
    new ToolhiveOperator(chart, 'toolhive', { rbac: RbacScope.namespaces(['team-a', 'team-b']), crds: { source } });
    const out = Testing.synth(chart);
    const kinds = out.map((o: any) => o.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.slice(1, 15)).toEqual(Array(14).fill('CustomResourceDefinition'));
    expect(kinds.slice(15)).toEqual(['ServiceAccount', 'ClusterRole', 'Role', 'RoleBinding', 'RoleBinding', 'RoleBinding', 'Deployment']);
    expectValidObjects(out);
  });

  test('the plan order is the output order, without construct dependencies; deliverable() takes users\' own', () => {
    // cdk8s writes a chart's objects in creation order; the plan creates them in apply order.
    const chart = Testing.chart();
    const op = new ToolhiveOperator(chart, 'toolhive', { crds: { source }, createNamespace: false });
    expect(op.deliverableIds()).toEqual(['toolhive-operator-crds', 'toolhive-operator']);
    expect(op.node.children.map((c) => c.node.id)).toEqual(op.deliverableIds());
    expect(op.node.findAll().flatMap((c) => c.node.dependencies)).toEqual([]);
    const kinds = Testing.synth(chart).map((o: any) => o.kind);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('ServiceAccount'));

    // A user's object declared first, depending on the CRDs, comes after them.
    const other = Testing.chart();
    const mine = new ApiObject(other, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } });
    const op2 = new ToolhiveOperator(other, 'toolhive', { crds: { source }, createNamespace: false });
    expect(Testing.synth(other)[0].kind).toBe('ConfigMap');
    mine.node.addDependency(op2.deliverable('toolhive-operator-crds'));
    const order = Testing.synth(other).map((o: any) => o.kind);
    expect(order.indexOf('ConfigMap')).toBeGreaterThan(order.lastIndexOf('CustomResourceDefinition'));
    expect(order.indexOf('ConfigMap')).toBeLessThan(order.indexOf('ServiceAccount'));
    expect(() => op2.deliverable('crds')).toThrow(new RegExp('no deliverable "crds" in ToolhiveOperator; its deliverables are "toolhive-operator-crds", "toolhive-operator"'));
    expect(() => op2.deliverable(7 as any)).toThrow(ToolhiveValidationError);
  });

  test('the objects equal the core plan\'s, key order aside', () => {
    const chart = Testing.chart();
    const op = new ToolhiveOperator(chart, 'toolhive', { crds: { source } });
    const planned = op.plan.deliverables.flatMap((d) => (d.type === 'manifests' ? d.objects : []));
    expect(Testing.synth(chart)).toEqual(JSON.parse(JSON.stringify(planned, (_k, v) => (v === null ? undefined : v))));
  });

  test('bad props throw one validation error listing every problem, and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'c');
    let error: unknown;
    try {
      new ToolhiveOperator(chart, 'toolhive', { rbac: RbacScope.namespaces(['ok', 'Not_OK']), replicas: -2, crds: { source } });
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect((error as ToolhiveValidationError).issues.map((i) => i.path)).toEqual(['operator.rbac.allowedNamespaces[1]', 'operator.replicas']);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('ToolhiveOperator (helm delivery)', () => {
  // A per-test `helm` wrapper: the environment of jest's sandbox does not reach child processes.
  let log: string;
  let helm: string;
  beforeEach(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-'));
    log = path.join(dir, 'calls.jsonl');
    helm = path.join(dir, 'helm');
    fs.writeFileSync(helm, `#!/bin/sh\nFAKE_HELM_LOG='${log}' exec node '${FAKE_HELM}' "$@"\n`, { mode: 0o755 });
  });
  const calls = () => fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  test('runs helm template for the CRD chart, then the operator chart: OCI, pinned version, namespace, release, values', () => {
    const chart = Testing.chart();
    new ToolhiveOperator(chart, 'toolhive', {
      delivery: 'helm',
      helmExecutable: helm,
      rbac: RbacScope.namespaces(['team-a']),
    });
    const [crds, operator] = calls();
    const withoutValuesFile = (args: string[]) => args.map((a, i) => (args[i - 1] === '-f' ? '<values>' : a));
    expect(withoutValuesFile(crds.args)).toEqual([
      'template', '-f', '<values>', '--version', TOOLHIVE_VERSION, '--namespace', 'toolhive-system',
      'toolhive-operator-crds', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds',
    ]);
    expect(parse(crds.values)).toEqual({ crds: { install: true, keep: true } });
    expect(withoutValuesFile(operator.args)).toEqual([
      'template', '-f', '<values>', '--version', TOOLHIVE_VERSION, '--namespace', 'toolhive-system',
      'toolhive-operator', 'oci://ghcr.io/stacklok/toolhive/toolhive-operator',
    ]);
    expect(parse(operator.values)).toEqual({
      operator: { leaderElectionRole: { rules: leaderElectionRules() }, rbac: { scope: 'namespace', allowedNamespaces: ['team-a'] }, features: { storageVersionMigrator: false } },
    });

    const out = Testing.synth(chart);
    expect(out.map((o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//toolhive-system',
      'ConfigMap/toolhive-system/toolhive-operator-crds-rendered',
      'Deployment/toolhive-system/toolhive-operator-crds-no-namespace',
      'ConfigMap/toolhive-system/toolhive-operator-rendered',
      'Deployment/toolhive-system/toolhive-operator-no-namespace',
    ]);
  });

  test('another version goes through Helm with the values passed unchanged', () => {
    const chart = Testing.chart();
    new ToolhiveOperator(chart, 'toolhive', { delivery: 'helm', helmExecutable: helm, version: '0.45.1', values: { operator: { futureKey: 1 } } as any });
    const operator = calls()[1];
    expect(operator.args).toContain('0.45.1');
    expect(parse(operator.values)).toEqual({ operator: { futureKey: 1 } });
  });

  test('validation happens before helm is run', () => {
    const chart = Testing.chart();
    expect(() => new ToolhiveOperator(chart, 'toolhive', { delivery: 'helm', helmExecutable: helm, namespace: 'Nope' })).toThrow(ToolhiveValidationError);
    expect(fs.existsSync(log)).toBe(false);
  });
});
