/*
 * upgradeReport: what changes between two supported releases, from the releases' own CRDs,
 * chart defaults and RBAC (checked here against the CRD files and values.yaml directly).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { checkVersionChange, crdFileName, CrdSource, TOOLHIVE_CRDS, upgradeReport, upgradeReportText } from '../../../src';
import { issuesOf } from '../../support/errors';
import { toolhiveUpstream } from '../../support/upstream';

describe('upgradeReport', () => {
  const up = upgradeReport('0.44.0', '0.66.0');
  const down = upgradeReport('0.66.0', '0.44.0');

  test('0.44.0 -> 0.66.0: the same served and storage versions, no field removed or retyped, 936 added, no migration', () => {
    expect(up.downgrade).toBe(false);
    expect(up.crdVersions).toEqual([]);
    expect(up.fieldsRemovedOrRetyped).toEqual([]);
    expect(up.fieldsAdded).toHaveLength(936);
    expect(up.fieldsAdded).toContain('MCPServer v1beta1 spec.proxyReadTimeout');
    expect(up.storageMigration.required).toBe(false);
    // Served and storage versions, read from the files: the same in both releases.
    for (const crd of TOOLHIVE_CRDS) {
      const versions = (v: string) => parse(fs.readFileSync(path.join(toolhiveUpstream(v).crdsDir, crdFileName(crd.plural)), 'utf8'))
        .spec.versions.map((x: any) => [x.name, x.served, x.storage]);
      expect(versions('0.66.0')).toEqual(versions('0.44.0'));
    }
  });

  test('the one list whose merge key changes (0.55.1): MCPServer spec.secrets', () => {
    expect(up.listSemantics).toEqual([
      { field: 'MCPServer v1alpha1 spec.secrets', from: 'map[name]', to: 'map[name,key]' },
      { field: 'MCPServer v1beta1 spec.secrets', from: 'map[name]', to: 'map[name,key]' },
    ]);
    expect(upgradeReport('0.55.1', '0.66.0').listSemantics).toEqual([]);
    expect(upgradeReport('0.50.0', '0.55.1').listSemantics).toHaveLength(2);
  });

  test('values: the Redis TLS keys and the image defaults, exactly the values.yaml differences', () => {
    expect(up.values).toEqual({
      added: ['operator.defaultRedis.tls.caCertSecretRef.key', 'operator.defaultRedis.tls.caCertSecretRef.name', 'operator.defaultRedis.tls.enabled'],
      removed: [],
      changed: [
        'operator.image: "ghcr.io/stacklok/toolhive/operator:v0.44.0" -> "ghcr.io/stacklok/toolhive/operator:v0.66.0"',
        'operator.toolhiveRunnerImage: "ghcr.io/stacklok/toolhive/proxyrunner:v0.44.0" -> "ghcr.io/stacklok/toolhive/proxyrunner:v0.66.0"',
        'operator.vmcpImage: "ghcr.io/stacklok/toolhive/vmcp:v0.44.0" -> "ghcr.io/stacklok/toolhive/vmcp:v0.66.0"',
        'registryAPI.image: "ghcr.io/stacklok/thv-registry-api:v1.3.0" -> "ghcr.io/stacklok/thv-registry-api:v1.5.3"',
      ],
    });
    expect(up.rbac).toEqual({ added: [], removed: [] });
  });

  test('a downgrade lists the newer fields as removed, and the values keys as removed', () => {
    expect(down.downgrade).toBe(true);
    expect(down.fieldsAdded).toEqual([]);
    expect(down.fieldsRemovedOrRetyped).toHaveLength(936);
    expect(down.fieldsRemovedOrRetyped).toContainEqual({ field: 'MCPServer v1beta1 spec.proxyReadTimeout', from: 'string', to: 'removed' });
    expect(down.values.removed).toEqual(up.values.added);
    expect(upgradeReportText(down).split('\n')[0]).toBe('ToolHive 0.66.0 -> 0.44.0 (a downgrade)');
  });

  test('a storage version change or a version no longer served requires the migrator, and says which CRD', () => {
    // CRD files of 0.44.0 with MCPGroup's storage moved to v1alpha1: what a release that moves storage looks like.
    const real = CrdSource.fromRelease('0.44.0').load();
    const moved = new Map(real);
    const group = real.get('mcpgroups')!;
    moved.set('mcpgroups', { ...group, spec: { ...group.spec, versions: group.spec.versions.map((v: any) => ({ ...v, storage: v.name === 'v1alpha1' })) } });
    const fake = (v: string) => ({ load: () => (v === '0.66.0' ? moved : real) }) as unknown as CrdSource;
    const r = upgradeReport('0.44.0', '0.66.0', { crds: fake });
    expect(r.crdVersions).toEqual([{ crd: 'mcpgroups.toolhive.stacklok.dev', added: [], removed: [], storage: { from: 'v1beta1', to: 'v1alpha1' } }]);
    expect(r.storageMigration).toEqual({ required: true, reason: expect.stringContaining('mcpgroups.toolhive.stacklok.dev: the storage version changes') });
  });

  test('unsupported releases: one validation error naming both', () => {
    expect(issuesOf(() => upgradeReport('0.43.0', 42 as any)).map((i) => i.path)).toEqual(['from', 'to']);
  });
});

describe('checkVersionChange: refusals that protect stored objects', () => {
  test('an upgrade with what the cluster stores now (v1beta1, v1alpha1 for MCPWebhookConfig): safe, the report back', () => {
    const storedVersions = Object.fromEntries(TOOLHIVE_CRDS.map((c) => [`${c.plural}.toolhive.stacklok.dev`, [c.storageVersion]]));
    expect(checkVersionChange('0.44.0', '0.66.0', { storedVersions }).to).toBe('0.66.0');
  });

  test('a stored version the target no longer serves is refused, naming the CRD, the version and what to do', () => {
    const real = CrdSource.fromRelease('0.66.0').load();
    const dropped = new Map(real);
    const group = real.get('mcpgroups')!;
    dropped.set('mcpgroups', { ...group, spec: { ...group.spec, versions: group.spec.versions.filter((v: any) => v.name !== 'v1alpha1') } });
    const crds = (v: string) => ({ load: () => (v === '0.66.0' ? dropped : CrdSource.fromRelease(v).load()) }) as unknown as CrdSource;
    expect(issuesOf(() => checkVersionChange('0.44.0', '0.66.0', { crds, storedVersions: { 'mcpgroups.toolhive.stacklok.dev': ['v1alpha1', 'v1beta1'], 'nope.example.com': [] } }))).toEqual([
      { path: 'storedVersions["mcpgroups.toolhive.stacklok.dev"]', message: expect.stringMatching(/^objects stored at v1alpha1 would be orphaned: ToolHive 0\.66\.0 no longer serves v1alpha1\. Re-store them/) },
      { path: 'storedVersions["nope.example.com"]', message: expect.stringContaining('not a ToolHive CRD') },
    ]);
  });

  test('a downgrade that drops fields is refused unless accepted', () => {
    expect(issuesOf(() => checkVersionChange('0.66.0', '0.44.0', { acceptNameConflicts: true }))).toEqual([
      { path: 'acceptDroppedFields', message: expect.stringContaining('the downgrade from 0.66.0 to 0.44.0 drops or retypes 936 schema fields') },
    ]);
    expect(checkVersionChange('0.66.0', '0.44.0', { acceptDroppedFields: true, acceptNameConflicts: true }).downgrade).toBe(true);
    // Between two releases with the same schemas, a downgrade drops nothing.
    expect(checkVersionChange('0.55.2', '0.55.1').fieldsRemovedOrRetyped).toEqual([]);
  });
});

describe('short names across 0.55.1', () => {
  test('0.55.1 drops the short names MCPGroup and MCPServer shared with their own names; a rollback across it is refused unless accepted', () => {
    expect(upgradeReport('0.50.0', '0.55.1').shortNames).toEqual([
      'mcpgroups.toolhive.stacklok.dev: -mcpgroup',
      'mcpservers.toolhive.stacklok.dev: -mcpserver, -mcpservers',
    ]);
    expect(upgradeReport('0.55.1', '0.66.0').shortNames).toEqual([]);
    expect(issuesOf(() => checkVersionChange('0.55.1', '0.50.0', { acceptDroppedFields: true }))).toEqual([
      { path: 'acceptNameConflicts', message: expect.stringContaining('ShortNamesConflict') },
    ]);
    expect(checkVersionChange('0.55.1', '0.50.0', { acceptDroppedFields: true, acceptNameConflicts: true }).downgrade).toBe(true);
    // Upgrading drops them: nothing to accept.
    expect(checkVersionChange('0.50.0', '0.55.1').shortNames).toHaveLength(2);
  });
});
