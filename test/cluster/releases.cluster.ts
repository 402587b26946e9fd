/*
 * Every supported ToolHive release on one real kube-apiserver (structural schemas, CEL rules,
 * server-side apply), as the library plans it:
 *   - the custom resources of every one of the 14 kinds, built from the generated types and
 *     planned for the oldest release, are accepted and read back with that release's CRDs;
 *   - a field a later release added is refused for the oldest one by the library (naming the
 *     release that added it); the API server carrying the oldest CRDs refuses it too, or, inside
 *     a subtree that preserves unknown fields, silently drops it;
 *   - the CRDs of every release, applied in turn from the oldest to the newest, are updated in
 *     place (same uid), Established, and serve and store the versions their files declare;
 *   - every kind, with fields added after the oldest release, is accepted and read back with the
 *     newest release's CRDs, and the objects created at the oldest release are still there, unchanged.
 * The tests run in file order on one API server: the CRDs are cluster-wide, so each release's
 * custom resources live in their own namespace.
 */
import { TestCluster } from './harness/cluster';
import { everyKind, NEWER_FIELDS } from './harness/every-kind';
import { KubeClient, refOf } from './harness/kube-client';
import { crdFile, expectCrdsAt, planObjects, readBackProblems, schemaOf } from './harness/releases';
import { applyStack, dryRunRefusal } from './harness/stacks';
import {
  OLDEST_TOOLHIVE_VERSION, planOperatorInstall, RENDERED_TOOLHIVE_VERSIONS, TOOLHIVE_CRDS, TOOLHIVE_VERSION, ToolhiveCustomResource,
  ToolhiveValidationError,
} from '../../src';

const OLDEST = OLDEST_TOOLHIVE_VERSION;
const NEWEST = TOOLHIVE_VERSION;
/** The namespace of a release's custom resources. */
const namespaceOf = (version: string) => `release-${version.replace(/\./g, '-')}`;

describe('every supported ToolHive release on one kube-apiserver', () => {
  let cluster: TestCluster;
  let admin: KubeClient;
  /** The release whose CRDs the API server carries. */
  let current: string | undefined;
  /** The uid of each CRD when it was created: every later release must update it in place. */
  const crdUids = new Map<string, string>();
  /** The objects created at the oldest release, and their uids (applied once, by the first test that needs them). */
  let oldest: Promise<{ objects: ToolhiveCustomResource[]; uids: Map<string, string> }> | undefined;

  beforeAll(async () => {
    cluster = await TestCluster.start('releases');
    admin = cluster.admin;
    await cluster.ensureNamespaces([namespaceOf(OLDEST), namespaceOf(NEWEST)]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /**
   * Server-side applies the plan of `version` (namespace, CRDs, operator, then the custom
   * resources), each CRD run waited for until Established, and checks the 14 CRDs: Established,
   * the same uid as when they were created, and the versions, schemas and stored versions of
   * the release's files.
   */
  async function applyRelease(version: string, customResources: ToolhiveCustomResource[] = []): Promise<void> {
    const { objects, crds } = planObjects(version, customResources);
    const report = await applyStack(admin, objects);
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(objects.map(refOf));
    current = version;

    // The 14 CRDs, Established, updated in place, the release's files; one field manager owns
    // each CRD's spec (applied, never replaced by another writer).
    await expectCrdsAt(admin, version, { planned: crds, uids: crdUids, managers: ['toolhive-constructs Apply'] });
  }

  /** The CRDs of `version` on the API server (applied when another release's are there). */
  async function atRelease(version: string): Promise<void> {
    if (current !== version) await applyRelease(version);
  }

  /** Each object reads back, at every version its CRD serves, as sent plus the schema's defaults. */
  async function expectReadBack(objects: readonly ToolhiveCustomResource[], version: string): Promise<void> {
    expect(await readBackProblems(admin, objects, version)).toEqual([]);
  }

  const applyOldest = () => (oldest ??= (async () => {
    const objects = everyKind(namespaceOf(OLDEST), false);
    await applyRelease(OLDEST, objects);
    const uids = new Map<string, string>();
    for (const o of objects) uids.set(refOf(o), (await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)).metadata.uid);
    return { objects, uids };
  })());

  test(`the oldest release (${OLDEST}): one custom resource of every kind, planned and applied, is accepted and read back`, async () => {
    const { objects } = await applyOldest();
    expect(new Set(objects.map((o) => o.kind)).size).toBe(TOOLHIVE_CRDS.length);
    await expectReadBack(objects, OLDEST);
  });

  test(`a field added after ${OLDEST} is refused for ${OLDEST}: by the library, naming the release that added it, and by the API server`, async () => {
    const newer = everyKind(namespaceOf(NEWEST), true);
    // The CRD files agree with the release each field is said to come from.
    for (const { kind, field, since } of NEWER_FIELDS) {
      const { plural } = TOOLHIVE_CRDS.find((c) => c.kind === kind)!;
      const has = (version: string) => field.split('.').reduce((s: any, p) => s?.properties?.[p], schemaOf(crdFile(version, plural), 'v1beta1')) !== undefined;
      const before = RENDERED_TOOLHIVE_VERSIONS[RENDERED_TOOLHIVE_VERSIONS.indexOf(since) - 1];
      expect([kind, field, has(before), has(since), has(NEWEST)]).toEqual([kind, field, false, true, true]);
    }

    let error: unknown;
    try {
      planOperatorInstall({ version: OLDEST, customResources: newer });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    const issues = (error as ToolhiveValidationError).issues.map((i) => `${i.path}: ${i.message}`).sort();
    expect(issues).toEqual(NEWER_FIELDS.map(({ kind, field, since }) => {
      const i = newer.findIndex((o) => o.kind === kind);
      const { name, namespace } = newer[i].metadata;
      return `operator.customResources[${i}].${field}: ${kind}/${namespace}/${name}: not in ToolHive ${OLDEST}; added in ${since} (pin version "${since}" or later to use it)`;
    }).sort());
    // In particular MCPServer spec.proxyReadTimeout, named with 0.48.0.
    expect(issues.join('\n')).toMatch(/customResources\[\d+\]\.spec\.proxyReadTimeout: MCPServer\/release-[\d-]+\/fetch: not in ToolHive 0\.44\.0; added in 0\.48\.0/);

    // The API server with the oldest CRDs: server-side apply answers 500 "field not declared in
    // schema" (naming only the first such field), so each new field is sent on its own, in the
    // object without the new fields, which is accepted (dry run). Inside a subtree that preserves
    // unknown fields, the new field is accepted and dropped instead: what the library's refusal
    // saves the user from.
    await atRelease(OLDEST);
    const older = everyKind(namespaceOf(NEWEST), false);
    for (const { kind, field, oldestApiServer } of NEWER_FIELDS) {
      const i = newer.findIndex((o) => o.kind === kind);
      const parts = field.split('.');
      const at = (obj: any) => parts.reduce((o: any, p) => o?.[p], obj);
      const withField: any = JSON.parse(JSON.stringify(older[i]));
      parts.slice(0, -1).reduce((o: any, p) => (o[p] ??= {}), withField)[parts[parts.length - 1]] = at(newer[i]);
      expect([kind, await dryRunRefusal(admin, older[i])]).toEqual([kind, 'accepted']);
      if (oldestApiServer === 'refuses') {
        const pattern = new RegExp(`^500 .*\\(${newer[i].metadata.namespace}/${newer[i].metadata.name}; toolhive\\.stacklok\\.dev/v1beta1, Kind=${kind}\\): \\.${field.replace(/\./g, '\\.')}: field not declared in schema$`);
        expect([kind, field, await dryRunRefusal(admin, withField)]).toEqual([kind, field, expect.stringMatching(pattern)]);
      } else {
        const answer = await admin.apply(withField, { dryRun: true });
        expect([kind, field, at(answer)]).toEqual([kind, field, undefined]);
        expect([kind, field, at(withField)]).toEqual([kind, field, expect.anything()]);
      }
    }
  });

  test.each(RENDERED_TOOLHIVE_VERSIONS.map((v) => [v]))('the plan of %s (releases in turn, oldest first): its CRDs updated in place, Established, the versions of its files', async (version) => {
    await applyRelease(version);
  });

  test(`the newest release (${NEWEST}): one custom resource of every kind, with fields added after ${OLDEST}, is accepted and read back`, async () => {
    const objects = everyKind(namespaceOf(NEWEST), true);
    await applyRelease(NEWEST, objects);
    await expectReadBack(objects, NEWEST);
    const server = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', namespaceOf(NEWEST));
    expect(server.spec.proxyReadTimeout).toBe('30s');
  });

  test(`the custom resources created at ${OLDEST} are still there at ${NEWEST}: same uid, spec as sent plus the new defaults`, async () => {
    const { objects, uids } = await applyOldest();
    await atRelease(NEWEST);
    for (const o of objects) {
      const live = await admin.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      expect([refOf(o), live?.metadata.uid]).toEqual([refOf(o), uids.get(refOf(o))]);
    }
    await expectReadBack(objects, NEWEST);
    // A default added after the oldest release (0.45.0) shows on objects stored before it.
    const entry = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServerEntry', 'docs', namespaceOf(OLDEST));
    expect(entry.spec.allowPrivateEndpoint).toBe(false);
  });
});
