/*
 * The binaries the cluster tests run are built from Go modules at pins that agree with each
 * other and with the library: the operator at its pinned ToolHive release (OPERATOR_BINARY_RELEASE,
 * the newest the Go module proxy can build), one the library supports; the API server at the
 * Kubernetes release the schema tests use and the operator's client libraries target, etcd at
 * the version that Kubernetes release requires.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { ensureTools } from './harness/cluster';
import { OPERATOR_BINARY_RELEASE, operatorRelease } from './harness/operator';
import { RENDERED_TOOLHIVE_VERSIONS } from '../../src';
import { KUBERNETES_VERSION } from '../support/k8s-openapi';
import { REPO_ROOT } from '../support/paths';

/** The version a wrapper module (tools/<dir>) resolves for a module. */
function moduleVersion(dir: string, module: string): string {
  return execFileSync('go', ['list', '-m', '-f', '{{.Version}}', module], {
    cwd: path.join(REPO_ROOT, 'tools', dir),
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
    encoding: 'utf8',
  }).trim();
}

const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');

describe('pinned binaries', () => {
  const tools = ensureTools();

  test(`the operator is built at its pinned ToolHive release (${OPERATOR_BINARY_RELEASE}), one the library supports`, () => {
    expect(tools.versions.toolhive).toBe(`v${OPERATOR_BINARY_RELEASE}`);
    expect(moduleVersion('toolhive', 'github.com/stacklok/toolhive')).toBe(`v${OPERATOR_BINARY_RELEASE}`);
    expect(RENDERED_TOOLHIVE_VERSIONS).toContain(OPERATOR_BINARY_RELEASE);
    // What the tests that run the operator plan.
    expect(operatorRelease()).toBe(OPERATOR_BINARY_RELEASE);
  });

  test('kube-apiserver is the Kubernetes release of the schema tests, and says so', () => {
    expect(tools.versions.kubernetes).toBe(KUBERNETES_VERSION);
    expect(execFileSync(tools.kubeApiserver, ['--version'], { encoding: 'utf8' }).trim()).toBe(`Kubernetes ${KUBERNETES_VERSION}`);
  });

  test('kubectl is the same Kubernetes release, with its kustomize', () => {
    const v = JSON.parse(execFileSync(tools.kubectl, ['version', '--client', '--output', 'json'], { encoding: 'utf8' }));
    expect(v.clientVersion.gitVersion).toBe(KUBERNETES_VERSION);
    expect(v.kustomizeVersion).toBe(moduleVersion('kube', 'sigs.k8s.io/kustomize/kustomize/v5'));
  });

  test("the operator's client libraries target the same Kubernetes minor", () => {
    // client-go v0.X.Y goes with Kubernetes v1.X.Y.
    expect(minor(moduleVersion('toolhive', 'k8s.io/client-go')).replace(/^0\./, '1.')).toBe(minor(KUBERNETES_VERSION));
  });

  test('etcd is the version that Kubernetes release requires', () => {
    expect(tools.versions.etcd).toBe(moduleVersion('kube', 'go.etcd.io/etcd/client/v3'));
    expect(execFileSync(tools.etcd, ['--version'], { encoding: 'utf8' })).toContain(`etcd Version: ${tools.versions.etcd.replace(/^v/, '')}`);
  });
});
