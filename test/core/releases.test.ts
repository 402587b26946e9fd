/*
 * ToolHive releases as data: the release table against the releases' Go modules (fetched and
 * verified into the cache by scripts/upstream.ts), the chart defaults and keys of every release
 * against its own values.yaml, and the per-release refusals (a key or field the pinned release
 * does not have yet names the release that added it).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FIELD_HISTORY_FILE, generateFieldHistory } from '../../scripts/gen-field-history';
import { readFetched } from '../../scripts/upstream';
import { releaseChanges, rendererWork } from '../../scripts/upstream-add';
import {
  celRuleCoverage, CRD_DEFAULT_IMAGES, CrdSource, OPERATOR_DELIVERABLES, operatorChartDefaults, planOperatorInstall, planPlatform,
  renderOperatorChart, RENDERED_TOOLHIVE_VERSIONS,
  TOOLHIVE_RELEASES, TOOLHIVE_VERSION, ToolhiveValidationError,
} from '../../src';
import { FIELD_HISTORY } from '../../src/core/crds/generated/field-history';
import { issuesOf } from '../support/errors';
import { expectValidObjects } from '../support/k8s-validate';
import { REPO_ROOT } from '../support/paths';
import { toolhiveUpstream } from '../support/upstream';

const VERSIONS = TOOLHIVE_RELEASES.map((r) => r.version);
const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };

describe('the release table', () => {
  test('the 17 releases downloadable on 2026-12-07, oldest first; the default is the newest, 0.66.0', () => {
    expect(VERSIONS).toEqual([
      '0.44.0', '0.45.0', '0.46.0', '0.47.0', '0.48.0', '0.50.0', '0.55.1', '0.55.2', '0.56.0',
      '0.57.0', '0.58.0', '0.59.0', '0.60.0', '0.61.0', '0.62.0', '0.63.0', '0.66.0',
    ]);
    expect(TOOLHIVE_VERSION).toBe('0.66.0');
    expect(RENDERED_TOOLHIVE_VERSIONS).toEqual(VERSIONS);
    expect(TOOLHIVE_RELEASES[0].date).toBe('2026-08-18');
    expect(TOOLHIVE_RELEASES[TOOLHIVE_RELEASES.length - 1].date).toBe('2026-11-16');
    const dates = TOOLHIVE_RELEASES.map((r) => r.date);
    expect([...dates].sort()).toEqual(dates);
  });

  test.each(VERSIONS)('%s: every pin equals the release fetched from its Go module (go.sum hash, chart versions, 14 CRD digests)', (version) => {
    toolhiveUpstream(version);
    const row = TOOLHIVE_RELEASES.find((r) => r.version === version)!;
    const fetched = readFetched(version);
    expect(fetched).toEqual({ ...row, crdDigests: { ...row.crdDigests } });
    expect(Object.keys(row.crdDigests)).toHaveLength(14);
    expect(row.goSum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
  });

  test('the published charts: appVersion without the v (the module\'s Chart.yaml has it), chart version = release', () => {
    for (const version of VERSIONS) {
      const chart = parse(fs.readFileSync(path.join(toolhiveUpstream(version).dir, 'charts', 'operator', 'Chart.yaml'), 'utf8'));
      expect({ version: chart.version, appVersion: chart.appVersion }).toEqual({ version, appVersion: version });
    }
  });

  test('the field history is what the releases\' CRDs generate (run `npx projen gen:crd-types` when this fails)', () => {
    expect(fs.readFileSync(FIELD_HISTORY_FILE, 'utf8')).toBe(generateFieldHistory());
  });

  test('upstream.ts refuses a release that is not in the table, naming the command that adds it', () => {
    const out = (() => {
      try {
        execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/upstream.ts', 'fetch', '0.64.0'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (e: any) {
        return String(e.stderr);
      }
    })();
    expect(out).toContain('ToolHive 0.64.0 is not in the release table (src/core/release-table.ts); add it with `npm run upstream:add -- 0.64.0`');
  });
});

describe('typed values per release', () => {
  test.each(VERSIONS)('%s: the chart defaults the library merges over are that release\'s values.yaml, key for key', (version) => {
    const upstream = parse(fs.readFileSync(toolhiveUpstream(version).operatorValuesFile, 'utf8'));
    expect(operatorChartDefaults(version)).toEqual(upstream);
  });

  test('operator.defaultRedis.tls: refused before 0.59.0 naming the release that added it, rendered from 0.59.0', () => {
    const values = { operator: { defaultRedis: { addr: 'redis:6379', tls: { enabled: true, caCertSecretRef: { name: 'redis-ca' } } } } };
    for (const version of VERSIONS.filter((v) => v < '0.59.0')) {
      expect(issuesOf(() => renderOperatorChart(values, release, version))).toEqual([
        { path: 'operator.defaultRedis.tls', message: `not in ToolHive ${version}; added in 0.59.0 (pin version "0.59.0" or later to use it)` },
      ]);
    }
    for (const version of VERSIONS.filter((v) => v >= '0.59.0')) {
      const deployment = renderOperatorChart(values, release, version).find((o) => o.kind === 'Deployment')!;
      const env = (deployment as any).spec.template.spec.containers[0].env as { name: string; value?: string }[];
      expect(env.slice(-4)).toEqual([
        { name: 'TOOLHIVE_DEFAULT_REDIS_ADDR', value: 'redis:6379' },
        { name: 'TOOLHIVE_DEFAULT_REDIS_TLS_ENABLED', value: 'true' },
        { name: 'TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_NAME', value: 'redis-ca' },
        { name: 'TOOLHIVE_DEFAULT_REDIS_TLS_CA_SECRET_KEY', value: 'ca.crt' },
      ]);
    }
  });

  test('the chart\'s TLS rules (0.59.0 on), each refused with its path', () => {
    const tls = (t: object, addr = 'redis:6379') => ({ operator: { defaultRedis: { addr, tls: t } } });
    expect(issuesOf(() => renderOperatorChart(tls({ enabled: true }, ''), release))).toEqual([
      { path: 'operator.defaultRedis.tls.enabled', message: expect.stringContaining('needs its address') },
    ]);
    expect(issuesOf(() => renderOperatorChart(tls({ caCertSecretRef: { name: 'ca' } }), release))).toEqual([
      { path: 'operator.defaultRedis.tls.caCertSecretRef.name', message: expect.stringContaining('needs operator.defaultRedis.tls.enabled: true') },
    ]);
    expect(issuesOf(() => renderOperatorChart(tls({ enabled: true, caCertSecretRef: { name: 'ca', key: '' } }), release))).toEqual([
      { path: 'operator.defaultRedis.tls.caCertSecretRef.key', message: expect.stringContaining('must be non-empty when name is set') },
    ]);
    expect(issuesOf(() => renderOperatorChart(tls({ enabled: true, caCertSecretRef: { key: 'x.pem' } }), release))).toEqual([
      { path: 'operator.defaultRedis.tls.caCertSecretRef.key', message: expect.stringContaining('needs a Secret') },
    ]);
    expect(issuesOf(() => renderOperatorChart(tls({ enabled: 'yes', extra: 1 }), release))).toEqual([
      { path: 'operator.defaultRedis.tls.enabled', message: 'expected true or false, got the string "yes"' },
      { path: 'operator.defaultRedis.tls.extra', message: expect.stringContaining('unknown') },
    ]);
  });

  test('the typed option defaultRedis.tls: compiled to the chart\'s keys from 0.59.0, refused before', () => {
    const plan = planOperatorInstall({ version: '0.59.0', defaultRedis: { address: 'redis:6379', tls: { caCertSecret: { name: 'redis-ca', key: 'ca.pem' } } } }, { delivery: 'helm' });
    const operator = plan.deliverables.find((d) => d.id === OPERATOR_DELIVERABLES.operator)!;
    expect(operator.type === 'helm-release' && operator.release.values).toMatchObject({
      operator: { defaultRedis: { addr: 'redis:6379', tls: { enabled: true, caCertSecretRef: { name: 'redis-ca', key: 'ca.pem' } } } },
    });
    expect(issuesOf(() => planOperatorInstall({ version: '0.58.0', defaultRedis: { address: 'redis:6379', tls: {} } }))).toEqual([
      { path: 'operator.defaultRedis.tls', message: 'not in ToolHive 0.58.0; added in 0.59.0 (pin version "0.59.0" or later to use it)' },
    ]);
  });

  test('a version that is not supported is refused for raw manifests, naming every supported release', () => {
    const e = (() => {
      try {
        planOperatorInstall({ version: '0.64.0' });
      } catch (err) {
        return err as ToolhiveValidationError;
      }
      throw new Error('accepted');
    })();
    expect(e.issues[0].path).toBe('operator.version');
    expect(e.issues[0].message).toContain(`supported releases: ${VERSIONS.join(', ')}`);
    expect(() => renderOperatorChart({}, release, '0.64.0')).toThrow(/"0\.64\.0" is not a ToolHive release the library renders/);
  });
});

describe('every release, planned as raw manifests', () => {
  test.each(VERSIONS)('%s: its images, chart labels and CRDs; every object valid', (version) => {
    const plan = planOperatorInstall({ version });
    const objects = plan.deliverables.flatMap((d) => (d.type === 'helm-release' ? [] : d.objects));
    const deployment = objects.find((o) => o.kind === 'Deployment') as any;
    expect(deployment.spec.template.spec.containers[0].image).toBe(`ghcr.io/stacklok/toolhive/operator:v${version}`);
    expect(deployment.metadata.labels['helm.sh/chart']).toBe(`toolhive-operator-${version}`);
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe(version);
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds).toHaveLength(14);
    // The CRDs are this release's files.
    const mcpservers = parse(fs.readFileSync(path.join(toolhiveUpstream(version).crdsDir, 'toolhive.stacklok.dev_mcpservers.yaml'), 'utf8'));
    expect((crds.find((c) => c.metadata.name === 'mcpservers.toolhive.stacklok.dev') as any).spec).toEqual(mcpservers.spec);
    expectValidObjects(objects);
  });
});

describe('typed custom resources per release', () => {
  const server = (spec: object) => ({
    apiVersion: 'toolhive.stacklok.dev/v1beta1',
    kind: 'MCPServer',
    metadata: { name: 'fetch', namespace: 'toolhive-system' },
    spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1', ...spec },
  });

  test('a field the pinned release lacks is refused, naming the first release that has it; accepted from that release on', () => {
    const cr = server({ proxyReadTimeout: '30s' });
    expect(issuesOf(() => planOperatorInstall({ version: '0.44.0', customResources: [cr as any] }))).toEqual([{
      path: 'operator.customResources[0].spec.proxyReadTimeout',
      message: 'MCPServer/toolhive-system/fetch: not in ToolHive 0.44.0; added in 0.48.0 (pin version "0.48.0" or later to use it)',
    }]);
    expect(() => planOperatorInstall({ version: '0.48.0', customResources: [cr as any] })).not.toThrow();
  });

  test('a field inside a list item is looked up by its schema path; a field no release has stays an unknown field', () => {
    const cr = server({ secrets: [{ name: 'gh', key: 'token', targetEnvName: 'GITHUB_TOKEN' }], notAField: 1 });
    const issues = issuesOf(() => planOperatorInstall({ version: '0.66.0', customResources: [cr as any] }));
    expect(issues).toEqual([{ path: 'operator.customResources[0].spec.notAField', message: expect.stringContaining('MCPServer/toolhive-system/fetch: unknown field; expected one of') }]);
  });

  test('every history entry is a field its release has and the release before lacks', () => {
    // Spot-check against the CRD files: one entry per kind.
    const history = FIELD_HISTORY;
    const has = (version: string, plural: string, served: string, fieldPath: string): boolean => {
      const crd = parse(fs.readFileSync(path.join(toolhiveUpstream(version).crdsDir, `toolhive.stacklok.dev_${plural}.yaml`), 'utf8'));
      let node = crd.spec.versions.find((v: any) => v.name === served).schema.openAPIV3Schema;
      for (const part of fieldPath.replace(/\[\]/g, '.[]').split('.')) {
        if (!node) return false;
        node = part === '[]' ? node.items : part === '*' ? node.additionalProperties : node.properties?.[part];
      }
      return node !== undefined;
    };
    const plurals: Record<string, string> = {
      MCPServer: 'mcpservers',
      VirtualMCPServer: 'virtualmcpservers',
      MCPRemoteProxy: 'mcpremoteproxies',
      MCPExternalAuthConfig: 'mcpexternalauthconfigs',
    };
    for (const [kind, plural] of Object.entries(plurals)) {
      const [fieldPath, since] = Object.entries(history[kind].v1beta1)[0];
      const before = VERSIONS[VERSIONS.indexOf(since) - 1];
      expect([kind, fieldPath, has(since, plural, 'v1beta1', fieldPath)]).toEqual([kind, fieldPath, true]);
      expect([kind, fieldPath, has(before, plural, 'v1beta1', fieldPath)]).toEqual([kind, fieldPath, false]);
    }
  });
});

describe('one prop pins the release: the operator, the platform and each cluster', () => {
  const descriptions = (spec: object) => Object.fromEntries(
    planPlatform(spec as any).clusters.map((c) => [c.cluster, c.deliverables.map((d) => d.description)]),
  );

  test('the platform\'s version reaches every cluster; a cluster\'s own version wins for that cluster', () => {
    expect(descriptions({
      version: '0.44.0',
      clusters: { west: { role: 'workload', toolhiveOperator: {} }, east: { role: 'workload', version: '0.66.0', toolhiveOperator: {} } },
    })).toEqual({
      east: ['Namespace toolhive-system, enforcing the Pod Security "restricted" profile', 'ToolHive CRDs 0.66.0', 'ToolHive operator 0.66.0 (cluster scope)'],
      west: ['Namespace toolhive-system, enforcing the Pod Security "restricted" profile', 'ToolHive CRDs 0.44.0', 'ToolHive operator 0.44.0 (cluster scope)'],
    });
  });

  test('without a version, every cluster gets the newest release; the operator\'s own version pins it too', () => {
    expect(descriptions({ clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', toolhiveOperator: { version: '0.50.0' } } } })).toEqual({
      a: ['Namespace toolhive-system, enforcing the Pod Security "restricted" profile', `ToolHive CRDs ${TOOLHIVE_VERSION}`, `ToolHive operator ${TOOLHIVE_VERSION} (cluster scope)`],
      b: ['Namespace toolhive-system, enforcing the Pod Security "restricted" profile', 'ToolHive CRDs 0.50.0', 'ToolHive operator 0.50.0 (cluster scope)'],
    });
  });

  test('refusals at the path the user wrote: two different pins for one cluster, an unsupported release, the enterprise edition', () => {
    expect(issuesOf(() => planPlatform({ clusters: { west: { role: 'workload', version: '0.59.0', toolhiveOperator: { version: '0.60.0' } } } }))).toEqual([
      { path: 'clusters.west.toolhiveOperator.version', message: '"0.60.0" differs from the cluster\'s version "0.59.0": pin the cluster\'s release in one place' },
    ]);
    expect(issuesOf(() => planPlatform({ version: '0.64.0', clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', toolhiveOperator: {} } } }))).toEqual([
      { path: 'version', message: expect.stringContaining('ToolHive 0.64.0 is not a release the library supports') },
    ]);
    expect(issuesOf(() => planPlatform({ clusters: { a: { role: 'workload', version: 'v0.50.0', toolhiveOperator: {} } } })).map((i) => i.path)).toEqual(['clusters.a.version']);
    expect(issuesOf(() => planPlatform({
      edition: 'enterprise',
      version: '0.50.0',
      enterprise: { version: '1.0.0', channel: 'stable' },
      clusters: { west: { role: 'workload', version: '0.50.0', toolhiveOperator: {} } },
    }))).toEqual([
      { path: 'clusters.west.version', message: expect.stringContaining('not used in the enterprise edition') },
      { path: 'version', message: expect.stringContaining('not used in the enterprise edition') },
    ]);
  });

  test('the release shows in custom resource checks of a platform cluster', () => {
    const cr = {
      apiVersion: 'toolhive.stacklok.dev/v1beta1',
      kind: 'MCPServer',
      metadata: { name: 'fetch', namespace: 'toolhive-system' },
      spec: { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1', proxyReadTimeout: '30s' },
    };
    expect(issuesOf(() => planPlatform({ version: '0.47.0', clusters: { west: { role: 'workload', toolhiveOperator: { customResources: [cr] } } } }))).toEqual([{
      path: 'clusters.west.toolhiveOperator.customResources[0].spec.proxyReadTimeout',
      message: 'MCPServer/toolhive-system/fetch: not in ToolHive 0.47.0; added in 0.48.0 (pin version "0.48.0" or later to use it)',
    }]);
  });
});

describe('what changes between releases (upstream:add\'s report)', () => {
  test('0.44.0 to 0.66.0: three values keys (Redis TLS), one template, fields added and none removed, the same served versions', () => {
    const c = releaseChanges('0.44.0', '0.66.0');
    expect(c.values.added).toEqual([
      'operator: operator.defaultRedis.tls.caCertSecretRef.key',
      'operator: operator.defaultRedis.tls.caCertSecretRef.name',
      'operator: operator.defaultRedis.tls.enabled',
    ]);
    expect(c.values.removed).toEqual([]);
    expect(c.values.changed).toContain('operator: registryAPI.image: "ghcr.io/stacklok/thv-registry-api:v1.3.0" -> "ghcr.io/stacklok/thv-registry-api:v1.5.3"');
    expect(c.templates).toEqual({ added: [], removed: [], changed: ['operator/templates/deployment.yaml'] });
    expect(c.crds.versions).toEqual([]);
    expect(c.crds.fieldsRemoved).toEqual([]);
    expect(c.crds.fieldsAdded).toContain('MCPServer v1beta1 spec.proxyReadTimeout');
    // Property paths over both served versions (`[]` list items, `.*` map values).
    expect(c.crds.fieldsAdded).toHaveLength(936);
  });

  test('every step between supported releases is modelled: no values key or template the renderer does not know from its release', () => {
    const unmodelled: string[] = [];
    for (let i = 1; i < VERSIONS.length; i++) {
      for (const work of rendererWork(releaseChanges(VERSIONS[i - 1], VERSIONS[i]))) unmodelled.push(`${VERSIONS[i]}: ${work}`);
    }
    expect(unmodelled).toEqual([]);
  });

  test('a step with a change the renderer does not model yet is reported as work to do', () => {
    // As if 0.59.0 were new: its template change is modelled from 0.59.0, not from a later release.
    const c = releaseChanges('0.58.0', '0.59.0');
    expect(rendererWork({ ...c, to: '0.60.0' })).toEqual([
      'templates to model in src/core/operator/render.ts (from 0.60.0 on): operator/templates/deployment.yaml',
    ]);
  });

  test('`upstream:add -- <release> --dry-run` prints the report and writes nothing', () => {
    const table = fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'release-table.ts'), 'utf8');
    const out = execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/upstream-add.ts', 'add', '0.59.0', '--dry-run'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toContain('ToolHive 0.59.0 against 0.58.0');
    expect(out).toContain('values keys added (3):\n  operator: operator.defaultRedis.tls.caCertSecretRef.key');
    expect(out).toContain('The renderer needs no change');
    expect(fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'release-table.ts'), 'utf8')).toBe(table);
  });

  test('`upstream:add` of a release the module proxy does not serve fails with the Go command\'s reason, writing nothing', () => {
    const table = fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'release-table.ts'), 'utf8');
    let stderr = '';
    try {
      execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/upstream-add.ts', 'add', '0.64.0'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (e: any) {
      stderr = String(e.stderr);
    }
    expect(stderr).toMatch(/^upstream: could not download github\.com\/stacklok\/toolhive@v0\.64\.0 with the Go command \(the module proxy\): /);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'release-table.ts'), 'utf8')).toBe(table);
  });
});

describe('CEL rules of every release', () => {
  test.each(VERSIONS)('%s: every x-kubernetes-validations rule compiles in the validator (none skipped)', (version) => {
    const crds = CrdSource.fromRelease(version).load();
    const rules = [...crds.values()].flatMap((c) => celRuleCoverage(c));
    expect(rules.filter((r) => r.skipReason)).toEqual([]);
    // What the validator does not model is not used by any release: transition rules, Kubernetes-only libraries, messageExpression.
    const texts = rules.map((r) => r.rule);
    expect(texts.filter((r) => /oldSelf|quantity\(|url\(|isURL|ip\(|cidr\(|format\.|semver|isSorted|sets\./.test(r.rule))).toEqual([]);
    expect(texts.filter((r) => r.messageExpression || r.fieldPath || r.reason)).toEqual([]);
    // 135 rules at 0.44.0 and 347 at 0.66.0 (228 added, 16 removed, over both served versions).
    if (version === '0.44.0') expect(rules).toHaveLength(135);
    if (version === '0.66.0') expect(rules).toHaveLength(347);
  });
});

describe('images the CRDs default to', () => {
  /** Every property named `image` or `…Image` with a string default, in every served version's schema. */
  function defaultImages(schema: any, at: string, out: Set<string>, kind: string): void {
    if (typeof schema !== 'object' || schema === null) return;
    for (const [name, prop] of Object.entries<any>(schema.properties ?? {})) {
      const field = at ? `${at}.${name}` : name;
      if ((name === 'image' || /[a-z]Image$/.test(name)) && typeof prop?.default === 'string') out.add(`${kind} ${field} ${prop.default}`);
      defaultImages(prop, field, out, kind);
    }
    defaultImages(schema.items, at, out, kind);
    defaultImages(schema.additionalProperties, at, out, kind);
  }

  test.each(VERSIONS)('%s: exactly CRD_DEFAULT_IMAGES (what the mirror list and the air gap use)', (version) => {
    const found = new Set<string>();
    for (const crd of CrdSource.fromRelease(version).load().values()) {
      for (const v of (crd as any).spec.versions) defaultImages(v.schema.openAPIV3Schema, '', found, (crd as any).spec.names.kind);
    }
    expect([...found].sort()).toEqual(CRD_DEFAULT_IMAGES.map((d) => `${d.kind} ${d.field} ${d.image}`).sort());
  });
});
