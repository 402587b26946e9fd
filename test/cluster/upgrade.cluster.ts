/*
 * Upgrading a cluster from ToolHive 0.44.0 to 0.66.0, and back, on a real kube-apiserver, with
 * custom resources of every kind in use (an MCPServer with `spec.secrets` among them: the list
 * whose merge key changes in 0.55.1), as the library plans it and as its upgrade report says:
 *   1. raw manifests, server-side applied in plan order: the upgrade keeps every CRD and custom
 *      resource (same uid), `status.storedVersions` is what the report implies and
 *      `checkVersionChange` accepts it; the first apply after the upgrade writes some unchanged
 *      objects once, the second writes nothing. The rollback is refused unless dropped fields
 *      are accepted, and then does what the report says: a 0.66.0-only field is pruned on read,
 *      kept in storage, refused on write, and gone after the next write without it. It also does
 *      what the report does not say: 0.44.0's MCPGroup and MCPServer short names duplicate their
 *      own names, which the API server refuses on CRDs that exist (NamesAccepted=False);
 *   2. Helm delivery through the real helm (the releases' published charts, the values of the
 *      library's Helm deliverables): `helm upgrade` of the CRD chart, then the operator chart,
 *      updates the CRDs in place and keeps every custom resource;
 *   3. the CRDs moved from the Helm release to the library's raw manifests and back, step by
 *      step: the raw apply shares the fields with helm's manager (the versions, schemas included,
 *      are one atomic list); `helm uninstall` keeps the CRDs (resource policy) with helm's
 *      manager and ownership metadata, which must be removed for the raw CRDs to own alone what
 *      they set; helm adopts existing CRDs only with its label and two annotations, set by hand
 *      or by `--take-ownership`.
 * One API server per scenario (2 and 3 share one, 3 continuing from 2).
 */
import { TestCluster } from './harness/cluster';
import { everyKind, NEWER_FIELDS } from './harness/every-kind';
import { ClusterHelm, clusterHelm } from './harness/helm';
import { FIELD_MANAGER, KubeClient, refOf } from './harness/kube-client';
import { waitFor } from './harness/processes';
import { crdFile, expectCrdsAt, managersOf, planObjects, readBackProblems, TOOLHIVE_CRD_NAMES } from './harness/releases';
import { applyStack, dryRunRefusal, waitEstablished } from './harness/stacks';
import {
  checkVersionChange, DEFAULT_OPERATOR_NAMESPACE, Deliverable, HelmReleaseSpec, INSTALL_LABEL, installLabelValue, isObjectsDeliverable,
  KubeObject, OPERATOR_DELIVERABLES, planOperatorInstall, RETAINED_FIELD_MANAGER, TOOLHIVE_API_GROUP, TOOLHIVE_CRDS, ToolhiveCustomResource,
  ToolhiveValidationError, upgradeReport, UpgradeReport,
} from '../../src';

const FROM = '0.44.0';
const TO = '0.66.0';
/** The namespace of the custom resources. */
const NS = 'team-a';
const OPERATOR_NS = DEFAULT_OPERATOR_NAMESPACE;
const CRD_API = 'apiextensions.k8s.io/v1';
const CRD = 'CustomResourceDefinition';
const MCPSERVERS = `mcpservers.${TOOLHIVE_API_GROUP}`;

/** The field added after 0.44.0 that the 0.66.0 custom resources use: MCPServer `spec.proxyReadTimeout` (0.48.0). */
const NEW_FIELD = NEWER_FIELDS.find((f) => f.kind === 'MCPServer' && f.field === 'spec.proxyReadTimeout')!;

/** The custom resources of every kind: at 0.44.0 as any release takes them; at 0.66.0 the same, the MCPServer with {@link NEW_FIELD}. */
function customResourcesAt(version: string): ToolhiveCustomResource[] {
  const objects = everyKind(NS, false);
  if (version === FROM) return objects;
  const newer = everyKind(NS, true).find((o) => o.kind === NEW_FIELD.kind)!;
  return objects.map((o) => (o.kind === NEW_FIELD.kind ? { ...o, spec: { ...o.spec, proxyReadTimeout: newer.spec!.proxyReadTimeout } } : o));
}
const mcpServerOf = (objects: readonly ToolhiveCustomResource[]) => objects.find((o) => o.kind === 'MCPServer')!;

/** Where etcd keeps a custom resource of the namespace {@link NS}. */
const etcdKey = (kind: string, name: string) => `/registry/${TOOLHIVE_API_GROUP}/${TOOLHIVE_CRDS.find((c) => c.kind === kind)!.plural}/${NS}/${name}`;

const isCustomResource = (o: KubeObject) => o.apiVersion.startsWith(`${TOOLHIVE_API_GROUP}/`);

/** The uid or resourceVersion of each object, by ref. */
async function metadataOf(client: KubeClient, objects: readonly KubeObject[], key: 'uid' | 'resourceVersion'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of objects) out[refOf(o)] = (await client.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace))?.metadata[key];
  return out;
}

/** `status.storedVersions` of the 14 CRDs, by CRD name (what `checkVersionChange` takes). */
async function storedVersionsOf(client: KubeClient): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of TOOLHIVE_CRD_NAMES) out[name] = (await client.get(CRD_API, CRD, name)).status.storedVersions;
  return out;
}

/**
 * The stored versions a report implies after moving from `from`: each CRD's storage version at
 * `from`, and, where the report lists a storage version change, the new one too.
 */
function impliedStoredVersions(report: UpgradeReport, from: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { plural } of TOOLHIVE_CRDS) {
    const name = `${plural}.${TOOLHIVE_API_GROUP}`;
    const before = crdFile(from, plural).spec.versions.find((v: any) => v.storage).name;
    const change = report.crdVersions.find((c) => c.crd === name);
    out[name] = change && change.storage.to !== before ? [before, change.storage.to] : [before];
  }
  return out;
}

/** What 0.44.0 and 0.66.0 both store: v1beta1, and v1alpha1 for MCPWebhookConfig (its only version). */
const STORED_VERSIONS = Object.fromEntries(TOOLHIVE_CRD_NAMES.map((n) => [n, n.startsWith('mcpwebhookconfigs.') ? ['v1alpha1'] : ['v1beta1']]));

/** The field set a manager's entry owns in an object's main resource (merged over API versions). */
function fieldsOf(live: any, manager: string): any {
  const entries = (live.metadata.managedFields ?? []).filter((m: any) => !m.subresource && m.manager === manager);
  return Object.assign({}, ...entries.map((m: any) => m.fieldsV1));
}
/** The managers that own the field at `path` (`['f:metadata', 'f:labels', 'f:app']`), sorted. */
function ownersOf(live: any, path: readonly string[]): string[] {
  const managers = new Set<string>((live.metadata.managedFields ?? []).filter((m: any) => !m.subresource).map((m: any) => m.manager));
  return [...managers].filter((m) => path.reduce((f: any, p) => f?.[p], fieldsOf(live, m)) !== undefined).sort();
}
/** The keys by which the MCPServer's `spec.secrets` entries are owned (`k:{"name":"github-api"}`). */
const secretsKeys = (live: any) => Object.keys(fieldsOf(live, FIELD_MANAGER)['f:spec']?.['f:secrets'] ?? {}).filter((k) => k.startsWith('k:'));

/** The validation error a function throws, or undefined. */
function thrown(f: () => unknown): ToolhiveValidationError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ToolhiveValidationError) return e;
    throw e;
  }
  return undefined;
}

describe(`raw manifests: ${FROM} -> ${TO} -> ${FROM} with custom resources of every kind`, () => {
  let cluster: TestCluster;
  let admin: KubeClient;
  const crdUids = new Map<string, string>();
  /** The custom resources' uids at the install: every later step must keep them. */
  let uids: Record<string, string> = {};
  const from = customResourcesAt(FROM);
  const to = customResourcesAt(TO);

  beforeAll(async () => {
    cluster = await TestCluster.start('upgrade-raw');
    admin = cluster.admin;
    await cluster.ensureNamespaces([NS]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** The plan of `version` (raw manifests), split: namespace, CRDs and operator; then the custom resources. */
  function plan(version: string, customResources: ToolhiveCustomResource[]) {
    const { objects, crds } = planObjects(version, customResources);
    const cut = objects.findIndex(isCustomResource);
    expect(objects.slice(cut).every(isCustomResource)).toBe(true);
    return { objects, crds, install: objects.slice(0, cut), customResources: objects.slice(cut) };
  }

  /** A custom resource as etcd stores it. */
  const stored = async (kind: string, name: string): Promise<any> => JSON.parse((await cluster.etcdGet(etcdKey(kind, name)))!);

  async function apply(objects: readonly KubeObject[]): Promise<void> {
    const report = await applyStack(admin, objects);
    expect(report.errors).toEqual([]);
    expect(report.applied).toEqual(objects.map(refOf));
  }

  test(`install ${FROM}: every kind, an MCPServer with spec.secrets, read back at every served version`, async () => {
    const p = plan(FROM, from);
    expect(new Set(p.customResources.map((o) => o.kind)).size).toBe(TOOLHIVE_CRDS.length);
    expect(mcpServerOf(from).spec!.secrets).toEqual([{ name: 'github-api', key: 'token', targetEnvName: 'GITHUB_TOKEN' }]);
    await apply(p.objects);
    await expectCrdsAt(admin, FROM, { planned: p.crds, uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    expect(await readBackProblems(admin, from, FROM)).toEqual([]);
    uids = await metadataOf(admin, from, 'uid');
    expect(await storedVersionsOf(admin)).toEqual(STORED_VERSIONS);
    // At 0.44.0 the secrets list is a map keyed by name.
    expect(secretsKeys(await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS))).toEqual(['k:{"name":"github-api"}']);
    // The 0.66.0 field is not in 0.44.0's schema.
    expect(await dryRunRefusal(admin, mcpServerOf(to))).toMatch(/^500 .*\.spec\.proxyReadTimeout: field not declared in schema$/);
  });

  test(`upgrade to ${TO}, in plan order: CRDs in place, custom resources kept and readable at every served version, the new field accepted`, async () => {
    // What the report says, and the check on the cluster's stored versions.
    const report = checkVersionChange(FROM, TO, { storedVersions: await storedVersionsOf(admin) });
    expect(report).toEqual(upgradeReport(FROM, TO));
    expect([report.downgrade, report.crdVersions, report.fieldsRemovedOrRetyped, report.storageMigration.required]).toEqual([false, [], [], false]);
    expect(report.fieldsAdded).toEqual(expect.arrayContaining(['MCPServer v1alpha1 spec.proxyReadTimeout', 'MCPServer v1beta1 spec.proxyReadTimeout']));
    expect(report.listSemantics).toEqual(['v1alpha1', 'v1beta1'].map((v) => ({ field: `MCPServer ${v} spec.secrets`, from: 'map[name]', to: 'map[name,key]' })));

    const p = plan(TO, to);
    const before = await metadataOf(admin, from, 'resourceVersion');
    // Namespace, CRDs, operator: the CRDs updated in place; no custom resource rewritten.
    await apply(p.install);
    await expectCrdsAt(admin, TO, { planned: p.crds, uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    expect(await metadataOf(admin, from, 'resourceVersion')).toEqual(before);
    expect(await readBackProblems(admin, from, TO)).toEqual([]);

    // The custom resources, the MCPServer with the new field.
    const defaulted = [['MCPRemoteProxy', 'remote'], ['MCPServerEntry', 'docs']];
    for (const [kind, name] of defaulted) expect([kind, (await stored(kind, name)).spec.allowPrivateEndpoint]).toEqual([kind, undefined]);
    await apply(p.customResources);
    expect(await metadataOf(admin, to, 'uid')).toEqual(uids);
    expect(await readBackProblems(admin, to, TO)).toEqual([]);
    for (const v of ['v1alpha1', 'v1beta1']) {
      expect([v, (await admin.get(`${TOOLHIVE_API_GROUP}/${v}`, 'MCPServer', 'fetch', NS)).spec.proxyReadTimeout]).toEqual([v, '30s']);
    }
    // This first apply after the upgrade writes, besides the MCPServer that changed, two objects
    // whose manifests did not change: their new schema default (allowPrivateEndpoint: false,
    // 0.45.0) is stored. The MCPServer's secrets are owned by the new merge key (name, key).
    const after = await metadataOf(admin, to, 'resourceVersion');
    expect(Object.keys(after).filter((r) => after[r] !== before[r]).sort()).toEqual([
      `${TOOLHIVE_API_GROUP}/MCPRemoteProxy/${NS}/remote`, `${TOOLHIVE_API_GROUP}/MCPServer/${NS}/fetch`, `${TOOLHIVE_API_GROUP}/MCPServerEntry/${NS}/docs`,
    ]);
    for (const [kind, name] of defaulted) expect([kind, (await stored(kind, name)).spec.allowPrivateEndpoint]).toEqual([kind, false]);
    expect(secretsKeys(await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS))).toEqual(['k:{"key":"token","name":"github-api"}']);

    // The stored versions are what the report implies (unchanged), and the check accepts them.
    const storedVersions = await storedVersionsOf(admin);
    expect(storedVersions).toEqual(impliedStoredVersions(report, FROM));
    expect(storedVersions).toEqual(STORED_VERSIONS);
    expect(checkVersionChange(FROM, TO, { storedVersions }).to).toBe(TO);
  });

  test(`a second unchanged apply of the ${TO} plan writes nothing`, async () => {
    const { objects } = plan(TO, to);
    const before = await metadataOf(admin, objects, 'resourceVersion');
    await apply(objects);
    expect(await metadataOf(admin, objects, 'resourceVersion')).toEqual(before);
  });

  test(`the rollback to ${FROM} is refused by checkVersionChange unless dropped fields and the short-name conflict are accepted`, async () => {
    const storedVersions = await storedVersionsOf(admin);
    const error = thrown(() => checkVersionChange(TO, FROM, { storedVersions }));
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect(error!.issues.map((i) => i.path)).toEqual(['acceptDroppedFields', 'acceptNameConflicts']);
    expect(error!.issues[0].message).toMatch(/^the downgrade from 0\.66\.0 to 0\.44\.0 drops or retypes \d+ schema fields .*set acceptDroppedFields: true$/);
    // What the next test sees on the API server: NamesAccepted False for exactly these two CRDs.
    expect(error!.issues[1].message).toContain('mcpgroups.toolhive.stacklok.dev and mcpservers.toolhive.stacklok.dev list their own names as short names again');
    const report = checkVersionChange(TO, FROM, { storedVersions, acceptDroppedFields: true, acceptNameConflicts: true });
    expect([report.downgrade, report.crdVersions, report.storageMigration.required]).toEqual([true, [], false]);
    expect(report.fieldsRemovedOrRetyped).toEqual(expect.arrayContaining(['v1alpha1', 'v1beta1'].map((v) => ({ field: `MCPServer ${v} spec.proxyReadTimeout`, from: 'string', to: 'removed' }))));
  });

  test(`the rollback, accepted: a ${TO}-only field in use is pruned on read, kept in storage, refused on write, and dropped by the next write`, async () => {
    const p = plan(FROM, from);
    const before = await metadataOf(admin, from, 'resourceVersion');
    // Namespace, CRDs, operator, in plan order (the CRDs exist and are Established).
    for (const o of p.install) await admin.apply(o);
    // Up to 0.50.0, MCPGroup and MCPServer list short names equal to their own singular or plural.
    // A new CRD may (nothing is accepted yet); a CRD that already has those names may not: the API
    // server refuses them (NamesAccepted=False, ShortNamesConflict) and keeps serving the kinds,
    // Established, under the names accepted before: what checkVersionChange refuses without acceptNameConflicts.
    const conflicts: Record<string, string> = {
      [`mcpgroups.${TOOLHIVE_API_GROUP}`]: '"mcpgroup" is already in use',
      [MCPSERVERS]: '["mcpserver" is already in use, "mcpservers" is already in use]',
    };
    const namesOf = async () => Promise.all(TOOLHIVE_CRD_NAMES.map(async (name) => {
      const live = await admin.get(CRD_API, CRD, name);
      const c = (type: string) => live.status.conditions.find((x: any) => x.type === type);
      const accepted = JSON.stringify(live.status.acceptedNames) === JSON.stringify(live.spec.names);
      return [name, c('Established').status, c('NamesAccepted').status, c('NamesAccepted').reason, accepted ? 'spec.names' : live.status.acceptedNames.shortNames ?? []];
    }));
    const expected = TOOLHIVE_CRD_NAMES.map((name) => (conflicts[name]
      ? [name, 'True', 'False', 'ShortNamesConflict', name === MCPSERVERS ? [] : ['mcpg']]
      : [name, 'True', 'True', 'NoConflicts', 'spec.names']));
    await waitFor('the naming controller to settle', 30_000, async () => (JSON.stringify(await namesOf()) === JSON.stringify(expected) ? true : undefined));
    for (const [name, message] of Object.entries(conflicts)) {
      expect((await admin.get(CRD_API, CRD, name)).status.conditions.find((c: any) => c.type === 'NamesAccepted').message).toBe(message);
    }
    await expectCrdsAt(admin, FROM, { planned: p.crds, uids: crdUids, managers: [`${FIELD_MANAGER} Apply`], namesNotAccepted: Object.keys(conflicts) });
    expect(await storedVersionsOf(admin)).toEqual(STORED_VERSIONS);
    expect(await metadataOf(admin, from, 'resourceVersion')).toEqual(before);
    await waitFor('the 0.44.0 schema to be served', 30_000, async () => {
      return (await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS)).spec.proxyReadTimeout === undefined ? true : undefined;
    });

    // Pruned on read, at every served version; everything else reads back as sent.
    for (const v of ['v1alpha1', 'v1beta1']) {
      const live = await admin.get(`${TOOLHIVE_API_GROUP}/${v}`, 'MCPServer', 'fetch', NS);
      expect([v, live.spec.proxyReadTimeout, live.metadata.uid]).toEqual([v, undefined, uids[refOf(mcpServerOf(from))]]);
    }
    expect(await readBackProblems(admin, from, FROM)).toEqual([]);
    // ...but still in storage, and in the field manager's records.
    expect((await stored('MCPServer', 'fetch')).spec.proxyReadTimeout).toBe('30s');
    const live = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS);
    expect(ownersOf(live, ['f:spec', 'f:proxyReadTimeout'])).toEqual([FIELD_MANAGER]);
    // Refused on write: the 0.66.0 manifest that uses it.
    expect(await dryRunRefusal(admin, plan(TO, to).customResources.find((o) => o.kind === 'MCPServer'))).toMatch(/^500 .*\.spec\.proxyReadTimeout: field not declared in schema$/);

    // The 0.44.0 custom resources, written: accepted, and the field is gone from storage too.
    await apply(p.customResources);
    expect((await stored('MCPServer', 'fetch')).spec.proxyReadTimeout).toBeUndefined();
    const written = await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS);
    expect(ownersOf(written, ['f:spec', 'f:proxyReadTimeout'])).toEqual([]);
    expect(secretsKeys(written)).toEqual(['k:{"name":"github-api"}']);
    expect(await metadataOf(admin, from, 'uid')).toEqual(uids);
    expect(await readBackProblems(admin, from, FROM)).toEqual([]);
  });
});

describe(`Helm delivery through the real helm: ${FROM} -> ${TO}; then the CRDs moved from Helm to raw manifests and back`, () => {
  let cluster: TestCluster;
  let admin: KubeClient;
  let helm: ClusterHelm;
  const crdUids = new Map<string, string>();
  let uids: Record<string, string> = {};
  const from = customResourcesAt(FROM);
  const to = customResourcesAt(TO);
  /** The planned labels of the raw CRDs include the install label, with this value. */
  const installLabel = installLabelValue(OPERATOR_NS, 'toolhive-operator');
  const HELM_OWNERSHIP = { 'app.kubernetes.io/managed-by': 'Helm', 'meta.helm.sh/release-name': 'toolhive-operator-crds', 'meta.helm.sh/release-namespace': OPERATOR_NS };
  const NO_HELM_OWNERSHIP = { 'app.kubernetes.io/managed-by': undefined, 'meta.helm.sh/release-name': undefined, 'meta.helm.sh/release-namespace': undefined };
  const helmOwnershipOf = (live: any) => ({
    'app.kubernetes.io/managed-by': live.metadata.labels?.['app.kubernetes.io/managed-by'],
    'meta.helm.sh/release-name': live.metadata.annotations?.['meta.helm.sh/release-name'],
    'meta.helm.sh/release-namespace': live.metadata.annotations?.['meta.helm.sh/release-namespace'],
  });

  beforeAll(async () => {
    cluster = await TestCluster.start('upgrade-helm');
    admin = cluster.admin;
    helm = clusterHelm(cluster, cluster.workDir);
    await cluster.ensureNamespaces([NS]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** The library's Helm-delivery plan of `version`: its deliverables by id. */
  function helmPlan(version: string, customResources: ToolhiveCustomResource[]) {
    const plan = planOperatorInstall({ version, customResources }, { delivery: 'helm' });
    expect(plan.deliverables.map((d) => `${d.id} ${d.type}`)).toEqual([
      `${OPERATOR_DELIVERABLES.namespace} manifests`, `${OPERATOR_DELIVERABLES.crds} helm-release`,
      `${OPERATOR_DELIVERABLES.operator} helm-release`, `${OPERATOR_DELIVERABLES.customResources} custom-resources`,
    ]);
    const by = (id: string) => plan.deliverables.find((d) => d.id === id)!;
    const release = (d: Deliverable): HelmReleaseSpec => (d.type === 'helm-release' ? d.release : (() => { throw new Error(`${d.id} is not a Helm release`); })());
    const objects = (d: Deliverable): KubeObject[] => (isObjectsDeliverable(d) ? [...d.objects] : []);
    return {
      namespace: objects(by(OPERATOR_DELIVERABLES.namespace)),
      crds: release(by(OPERATOR_DELIVERABLES.crds)),
      operator: release(by(OPERATOR_DELIVERABLES.operator)),
      customResources: objects(by(OPERATOR_DELIVERABLES.customResources)),
    };
  }

  /** The library's raw CRD deliverable of `version` (manifests delivery), with `crds.keep`. */
  function rawCrds(version: string, keep = true): { objects: KubeObject[]; fieldManager?: string } {
    const d = planOperatorInstall({ version, crds: { keep } }).deliverables.find((x) => x.id === OPERATOR_DELIVERABLES.crds)!;
    if (d.type !== 'manifests') throw new Error(`the CRDs of ${version} are a ${d.type}`);
    return { objects: [...d.objects], fieldManager: d.fieldManager };
  }

  const liveCrds = async (): Promise<any[]> => Promise.all(TOOLHIVE_CRD_NAMES.map((n) => admin.get(CRD_API, CRD, n)));
  const crdRefs = TOOLHIVE_CRD_NAMES.map((name) => ({ apiVersion: CRD_API, kind: CRD, metadata: { name } }));
  const established = () => waitEstablished(admin, crdRefs, 60_000);
  const operatorImage = async () => (await admin.get('apps/v1', 'Deployment', 'toolhive-operator', OPERATOR_NS)).spec.template.spec.containers[0].image;

  /** Server-side applies in order (CRDs waited for); the harness applies as `fieldManager`, the library's for kept CRDs. */
  async function applyAll(objects: readonly KubeObject[], fieldManager = FIELD_MANAGER): Promise<void> {
    expect(fieldManager).toBe(FIELD_MANAGER);
    const report = await applyStack(admin, objects);
    expect(report.errors).toEqual([]);
  }

  /** A merge patch of a CRD's metadata (what `kubectl annotate` and `kubectl label` send), under `fieldManager`. */
  async function patchMetadata(name: string, metadata: object, fieldManager: string): Promise<void> {
    await admin.request('PATCH', await admin.objectPath(CRD_API, CRD, name), {
      body: { metadata }, contentType: 'application/merge-patch+json', query: { fieldManager },
    });
  }
  /** `kubectl annotate crd <name> meta.helm.sh/release-name- meta.helm.sh/release-namespace-` and `kubectl label crd <name> app.kubernetes.io/managed-by-`. */
  async function removeHelmOwnership(name: string): Promise<void> {
    await patchMetadata(name, { annotations: { 'meta.helm.sh/release-name': null, 'meta.helm.sh/release-namespace': null } }, 'kubectl-annotate');
    await patchMetadata(name, { labels: { 'app.kubernetes.io/managed-by': null } }, 'kubectl-label');
  }
  /** `kubectl annotate crd <name> meta.helm.sh/release-name=... meta.helm.sh/release-namespace=...` and `kubectl label crd <name> app.kubernetes.io/managed-by=Helm`. */
  async function addHelmOwnership(name: string): Promise<void> {
    const { 'app.kubernetes.io/managed-by': managedBy, ...annotations } = HELM_OWNERSHIP;
    await patchMetadata(name, { annotations }, 'kubectl-annotate');
    await patchMetadata(name, { labels: { 'app.kubernetes.io/managed-by': managedBy } }, 'kubectl-label');
  }
  /**
   * Removes every field manager of a CRD's main resource but `keep`, as
   * `kubectl patch crd <name> --type=json -p '[{"op":"test","path":"/metadata/managedFields/<i>/manager","value":"<m>"},{"op":"remove","path":"/metadata/managedFields/<i>"}]'`
   * (highest index first). Returns the managers removed.
   */
  async function removeManagersBut(name: string, keep: string): Promise<string[]> {
    const live = await admin.get(CRD_API, CRD, name);
    const entries: any[] = live.metadata.managedFields ?? [];
    const drop = entries.map((m, i) => ({ m, i })).filter(({ m }) => !m.subresource && m.manager !== keep).reverse();
    if (drop.length === 0) return [];
    await admin.request('PATCH', await admin.objectPath(CRD_API, CRD, name), {
      body: drop.flatMap(({ m, i }) => [
        { op: 'test', path: `/metadata/managedFields/${i}/manager`, value: m.manager },
        { op: 'remove', path: `/metadata/managedFields/${i}` },
      ]),
      contentType: 'application/json-patch+json',
      query: { fieldManager: 'kubectl-patch' },
    });
    return drop.map(({ m }) => m.manager).sort();
  }

  const KEEP_FIELD = ['f:metadata', 'f:annotations', 'f:helm.sh/resource-policy'];

  test(`helm install of both charts at ${FROM} (the values of the library's Helm deliverables), then the custom resources`, async () => {
    const p = helmPlan(FROM, from);
    expect([p.crds.chart, p.crds.version, p.crds.releaseName, p.crds.namespace, p.crds.values, p.crds.skipCrds])
      .toEqual(['toolhive-operator-crds', FROM, 'toolhive-operator-crds', OPERATOR_NS, { crds: { install: true, keep: true } }, false]);
    expect([p.operator.chart, p.operator.version, p.operator.releaseName, p.operator.skipCrds]).toEqual(['toolhive-operator', FROM, 'toolhive-operator', true]);
    await applyAll(p.namespace);
    helm.release('install', p.crds);
    await established();
    helm.release('install', p.operator);
    await applyAll(p.customResources);

    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${FROM} deployed 1`, `toolhive-operator-crds toolhive-operator-crds-${FROM} deployed 1`]);
    expect(await operatorImage()).toBe(`ghcr.io/stacklok/toolhive/operator:v${FROM}`);
    // Helm created the CRDs: its field manager, its ownership metadata, the keep policy.
    await expectCrdsAt(admin, FROM, { uids: crdUids, managers: ['helm Update'] });
    for (const live of await liveCrds()) {
      expect([live.metadata.name, helmOwnershipOf(live), live.metadata.annotations['helm.sh/resource-policy']]).toEqual([live.metadata.name, HELM_OWNERSHIP, 'keep']);
    }
    expect(await readBackProblems(admin, from, FROM)).toEqual([]);
    uids = await metadataOf(admin, from, 'uid');
  });

  test(`helm upgrade of the CRD chart, then the operator chart, to ${TO}: CRDs in place, custom resources kept, the new field accepted`, async () => {
    expect(checkVersionChange(FROM, TO, { storedVersions: await storedVersionsOf(admin) }).to).toBe(TO);
    const p = helmPlan(TO, to);
    expect(await dryRunRefusal(admin, mcpServerOf(to))).toMatch(/^500 .*\.spec\.proxyReadTimeout: field not declared in schema$/);
    const before = await metadataOf(admin, from, 'resourceVersion');
    helm.release('upgrade', p.crds);
    await established();
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['helm Update'] });
    expect(await metadataOf(admin, from, 'resourceVersion')).toEqual(before);
    expect(await readBackProblems(admin, from, TO)).toEqual([]);
    helm.release('upgrade', p.operator);
    expect(await operatorImage()).toBe(`ghcr.io/stacklok/toolhive/operator:v${TO}`);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`, `toolhive-operator-crds toolhive-operator-crds-${TO} deployed 2`]);

    await applyAll(p.customResources);
    expect(await metadataOf(admin, to, 'uid')).toEqual(uids);
    expect(await readBackProblems(admin, to, TO)).toEqual([]);
    expect((await admin.get('toolhive.stacklok.dev/v1beta1', 'MCPServer', 'fetch', NS)).spec.proxyReadTimeout).toBe('30s');
    const storedVersions = await storedVersionsOf(admin);
    expect(storedVersions).toEqual(impliedStoredVersions(upgradeReport(FROM, TO), FROM));
    expect(checkVersionChange(FROM, TO, { storedVersions }).to).toBe(TO);
  });

  test('Helm -> raw (1/2): the library\'s CRD manifests, server-side applied over the Helm release\'s CRDs, share the fields; Helm\'s ownership metadata stays', async () => {
    const raw = rawCrds(TO);
    expect(raw.fieldManager).toBe(RETAINED_FIELD_MANAGER);
    const before = await metadataOf(admin, to, 'resourceVersion');
    await applyAll(raw.objects, raw.fieldManager);
    await expectCrdsAt(admin, TO, { planned: raw.objects, uids: crdUids, managers: ['helm Update', `${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) {
      const n = live.metadata.name;
      expect([n, helmOwnershipOf(live), live.metadata.labels[INSTALL_LABEL]]).toEqual([n, HELM_OWNERSHIP, installLabel]);
      // Helm alone owns its ownership metadata; the applied fields are owned by both; the install label by the library's manager.
      expect([n, ownersOf(live, ['f:metadata', 'f:annotations', 'f:meta.helm.sh/release-name'])]).toEqual([n, ['helm']]);
      expect([n, ownersOf(live, ['f:metadata', 'f:labels', 'f:app.kubernetes.io/managed-by'])]).toEqual([n, ['helm']]);
      expect([n, ownersOf(live, ['f:spec', 'f:group']), ownersOf(live, KEEP_FIELD)]).toEqual([n, ['helm', FIELD_MANAGER], ['helm', FIELD_MANAGER]]);
      expect([n, ownersOf(live, ['f:metadata', 'f:labels', `f:${INSTALL_LABEL}`])]).toEqual([n, [FIELD_MANAGER]]);
      // The versions (their schemas included) are one atomic list: owned whole, so an apply that
      // changes them takes them over (force) instead of leaving fields helm's manager still owns.
      expect([n, fieldsOf(live, 'helm')['f:spec']['f:versions'], fieldsOf(live, FIELD_MANAGER)['f:spec']['f:versions']]).toEqual([n, {}, {}]);
    }
    expect(await metadataOf(admin, to, 'resourceVersion')).toEqual(before);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`, `toolhive-operator-crds toolhive-operator-crds-${TO} deployed 2`]);
  });

  test('Helm -> raw (2/2): helm uninstall keeps the CRDs; helm\'s field manager keeps what the raw CRDs stop setting until its managedFields entry is removed', async () => {
    const before = await metadataOf(admin, to, 'resourceVersion');
    const out = helm.run(['uninstall', 'toolhive-operator-crds', '--namespace', OPERATOR_NS]);
    expect(out).toContain('These resources were kept due to the resource policy:');
    for (const name of TOOLHIVE_CRD_NAMES) expect(out).toContain(`[${CRD}] ${name}`);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`]);
    // The CRDs stay as they were: helm's manager and ownership metadata included.
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['helm Update', `${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) expect([live.metadata.name, helmOwnershipOf(live)]).toEqual([live.metadata.name, HELM_OWNERSHIP]);
    expect(await metadataOf(admin, to, 'resourceVersion')).toEqual(before);

    // While helm's manager co-owns a field, the raw CRDs cannot remove it: planned with
    // crds.keep false they no longer set helm.sh/resource-policy, and it stays, helm's alone.
    const keep = (live: any) => live.metadata.annotations['helm.sh/resource-policy'];
    const noKeep = rawCrds(TO, false).objects;
    expect(noKeep.map((c) => c.metadata.annotations?.['helm.sh/resource-policy'])).toEqual(noKeep.map(() => undefined));
    await applyAll(noKeep);
    for (const live of await liveCrds()) {
      expect([live.metadata.name, keep(live), ownersOf(live, KEEP_FIELD)]).toEqual([live.metadata.name, 'keep', ['helm']]);
    }
    const planned = rawCrds(TO).objects;
    await applyAll(planned);

    // Leaving Helm: its ownership metadata removed (kubectl annotate/label), then its managedFields entry.
    for (const name of TOOLHIVE_CRD_NAMES) {
      await removeHelmOwnership(name);
      expect([name, await removeManagersBut(name, FIELD_MANAGER)]).toEqual([name, ['helm']]);
    }
    // The CRDs are now what a raw install leaves: one manager, the planned labels and annotations.
    for (const live of await liveCrds()) {
      const p = planned.find((c) => c.metadata.name === live.metadata.name)!;
      expect([live.metadata.name, managersOf(live), live.metadata.labels, live.metadata.annotations])
        .toEqual([live.metadata.name, [`${FIELD_MANAGER} Apply`], p.metadata.labels, p.metadata.annotations]);
    }
    // ...and what the raw CRDs stop setting is removed.
    await applyAll(noKeep);
    for (const live of await liveCrds()) expect([live.metadata.name, keep(live)]).toEqual([live.metadata.name, undefined]);
    await applyAll(planned);
    await expectCrdsAt(admin, TO, { planned, uids: crdUids, managers: [`${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) expect([live.metadata.name, keep(live)]).toEqual([live.metadata.name, 'keep']);
    expect(await metadataOf(admin, to, 'uid')).toEqual(uids);
    expect(await readBackProblems(admin, to, TO)).toEqual([]);
  });

  test('raw -> Helm: helm refuses CRDs without its ownership metadata; with its label and two annotations set by hand, helm upgrade --install adopts them', async () => {
    const release = helmPlan(TO, to).crds;
    const before = await metadataOf(admin, crdRefs, 'resourceVersion');
    const refusal = helm.refusal(helm.releaseArgs('upgrade --install', release));
    expect(refusal).toMatch(new RegExp('Unable to continue with install: CustomResourceDefinition "[a-z]+\\.toolhive\\.stacklok\\.dev" in namespace "" exists '
      + 'and cannot be imported into the current release: invalid ownership metadata; '
      + 'label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; '
      + 'annotation validation error: missing key "meta.helm.sh/release-name": must be set to "toolhive-operator-crds"; '
      + `annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "${OPERATOR_NS}"`));
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`]);
    expect(await metadataOf(admin, crdRefs, 'resourceVersion')).toEqual(before);

    for (const name of TOOLHIVE_CRD_NAMES) await addHelmOwnership(name);
    helm.release('upgrade --install', release);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`, `toolhive-operator-crds toolhive-operator-crds-${TO} deployed 1`]);
    // Adopted as they are: helm sends no change (its patch of an adopted object is from the chart to the chart).
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['kubectl-annotate Update', 'kubectl-label Update', `${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) {
      const n = live.metadata.name;
      expect([n, helmOwnershipOf(live), live.metadata.labels[INSTALL_LABEL]]).toEqual([n, HELM_OWNERSHIP, installLabel]);
    }
    expect(await metadataOf(admin, to, 'uid')).toEqual(uids);
  });

  test('raw -> Helm with helm upgrade --install --take-ownership: no metadata set by hand; an ordinary release from then on', async () => {
    // Back to raw first, by the same steps: helm uninstall (the CRDs kept), Helm's metadata and managers removed.
    const out = helm.run(['uninstall', 'toolhive-operator-crds', '--namespace', OPERATOR_NS]);
    expect(out).toContain('These resources were kept due to the resource policy:');
    for (const name of TOOLHIVE_CRD_NAMES) {
      await removeHelmOwnership(name);
      await removeManagersBut(name, FIELD_MANAGER);
    }
    for (const live of await liveCrds()) {
      expect([live.metadata.name, managersOf(live), helmOwnershipOf(live)]).toEqual([live.metadata.name, [`${FIELD_MANAGER} Apply`], NO_HELM_OWNERSHIP]);
    }

    const release = helmPlan(TO, to).crds;
    helm.release('upgrade --install', release, ['--take-ownership']);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`, `toolhive-operator-crds toolhive-operator-crds-${TO} deployed 1`]);
    // helm patched its ownership metadata in (a three-way merge with the live object): helm's manager owns that and nothing else new.
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['helm Update', `${FIELD_MANAGER} Apply`] });
    for (const live of await liveCrds()) {
      const n = live.metadata.name;
      expect([n, helmOwnershipOf(live), live.metadata.labels[INSTALL_LABEL]]).toEqual([n, HELM_OWNERSHIP, installLabel]);
      expect([n, fieldsOf(live, 'helm')]).toEqual([n, {
        'f:metadata': {
          'f:annotations': { 'f:meta.helm.sh/release-name': {}, 'f:meta.helm.sh/release-namespace': {} },
          'f:labels': { 'f:app.kubernetes.io/managed-by': {} },
        },
      }]);
    }
    // An ordinary release: a plain helm upgrade.
    helm.release('upgrade', release);
    expect(helm.list(OPERATOR_NS)).toEqual([`toolhive-operator toolhive-operator-${TO} deployed 2`, `toolhive-operator-crds toolhive-operator-crds-${TO} deployed 2`]);
    await expectCrdsAt(admin, TO, { uids: crdUids, managers: ['helm Update', `${FIELD_MANAGER} Apply`] });
    expect(await metadataOf(admin, to, 'uid')).toEqual(uids);
    expect(await readBackProblems(admin, to, TO)).toEqual([]);
  });
});
