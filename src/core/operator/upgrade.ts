/*
 * The upgrade report: what changes when a cluster's ToolHive release moves from one supported
 * release to another, read before changing `version`. Computed from the library's own data: the
 * two releases' CRDs (CrdSource, digest-checked), chart defaults and rendered RBAC.
 */
import { CrdSource } from '../crds/source';
import { IssueCollector } from '../errors';
import { KubeObject } from '../k8s/objects';
import { isPlainObject } from '../util';
import { compareVersions, renderedVersionProblem } from '../versions';
import { operatorChartDefaults } from './chart-values';
import { renderOperatorChart } from './render';

/** One CRD's served and storage versions in a release. */
export interface CrdVersionsChange {
  /** The CRD, e.g. `mcpservers.toolhive.stacklok.dev`. */
  readonly crd: string;
  /** Versions served by the target release and not by the current one. */
  readonly added: string[];
  /** Versions the current release serves and the target does not. */
  readonly removed: string[];
  /** The storage version, before and after (equal when it does not change). */
  readonly storage: {
    /** The current release's storage version. */
    readonly from: string;
    /** The target release's storage version. */
    readonly to: string;
  };
}

/** A schema field of one served version whose type changes, or that is gone. */
export interface FieldChange {
  /** `Kind version path` (`MCPServer v1beta1 spec.secrets[].key`). */
  readonly field: string;
  /** The type before, e.g. `string`. */
  readonly from: string;
  /** The type after, or `removed`. */
  readonly to: string;
}

/** What changes from one ToolHive release to another. */
export interface UpgradeReport {
  /** The current release. */
  readonly from: string;
  /** The target release. */
  readonly to: string;
  /** True when `to` is older than `from`. */
  readonly downgrade: boolean;
  /** CRDs whose served or storage versions change (none listed when nothing changes). */
  readonly crdVersions: CrdVersionsChange[];
  /**
   * Schema fields removed or changed in type, over the versions both releases serve. On a
   * downgrade these are the newer release's fields: objects that use them keep them in storage
   * but can no longer be written with them.
   */
  readonly fieldsRemovedOrRetyped: FieldChange[];
  /** Schema fields added (`Kind version path`). */
  readonly fieldsAdded: string[];
  /**
   * Lists whose server-side apply merge changes (`map[name]` -> `map[name,key]`): re-apply the
   * custom resources unchanged once after the CRDs move, before changing such a list.
   */
  readonly listSemantics: FieldChange[];
  /**
   * CRDs whose short names change (`mcpservers.toolhive.stacklok.dev: -mcpserver, -mcpservers`).
   * Up to 0.50.0 MCPGroup and MCPServer list their own singular and plural names as short names;
   * an API server that has served the newer CRDs refuses those again (NamesAccepted False,
   * ShortNamesConflict) on a rollback across 0.55.1, while the kinds stay served.
   */
  readonly shortNames: string[];
  /** Operator chart values: keys added, removed, and defaults changed (image tags included), `key: old -> new`. */
  readonly values: {
    /** Keys the target release's chart adds. */
    readonly added: string[];
    /** Keys the target release's chart no longer has. */
    readonly removed: string[];
    /** Defaults that change, `key: old -> new`. */
    readonly changed: string[];
  };
  /** Rules of the chart's ClusterRole and Roles added or removed (`Role name: rule`). */
  readonly rbac: {
    /** Rules the target release's chart adds. */
    readonly added: string[];
    /** Rules the target release's chart no longer has. */
    readonly removed: string[];
  };
  /**
   * Whether the storage version migrator must run (a storage version changes, or a served
   * version goes away): it re-stores every custom resource, which needs cluster scope; the chart
   * refuses it in namespace scope, where you migrate the objects yourself.
   */
  readonly storageMigration: {
    /** Whether the migrator must run. */
    readonly required: boolean;
    /** Why (or why not), for people. */
    readonly reason: string;
  };
}

const RELEASE = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };

interface Schema {
  'type'?: string;
  'properties'?: Record<string, Schema>;
  'items'?: Schema;
  'additionalProperties'?: Schema | boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

/** Every field's type, and every list's merge semantics (`map[name,key]`, `set`, `atomic`), by path. */
function fieldTypes(schema: Schema | undefined, prefix: string, types: Map<string, string>, lists: Map<string, string>): void {
  if (!schema) return;
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const p = prefix ? `${prefix}.${name}` : name;
    types.set(p, child['x-kubernetes-int-or-string'] ? 'int-or-string' : child.type ?? 'any');
    if (child.type === 'array') {
      const listType = child['x-kubernetes-list-type'] ?? 'atomic';
      lists.set(p, listType === 'map' ? `map[${(child['x-kubernetes-list-map-keys'] ?? []).join(',')}]` : listType);
    }
    fieldTypes(child, p, types, lists);
  }
  if (schema.items) fieldTypes(schema.items, `${prefix}[]`, types, lists);
  if (isPlainObject(schema.additionalProperties)) fieldTypes(schema.additionalProperties as Schema, `${prefix}.*`, types, lists);
}

interface CrdVersion { name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }

const versionsOf = (crd: KubeObject) => (crd.spec?.versions ?? []) as CrdVersion[];

function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function rbacRules(version: string): Set<string> {
  const rules = new Set<string>();
  for (const o of renderOperatorChart({}, RELEASE, version)) {
    if (o.kind !== 'ClusterRole' && o.kind !== 'Role') continue;
    for (const r of (o.rules ?? []) as unknown[]) rules.add(`${o.kind} ${o.metadata.name}: ${JSON.stringify(r)}`);
  }
  return rules;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

/**
 * What changes when a cluster moves from ToolHive release `from` to release `to` (both
 * supported): CRD versions, schema fields, chart values, RBAC, and whether stored objects need
 * migrating. Throws one validation error for an unsupported release.
 *
 * @param options.crds where each release's CRD files come from @default - CrdSource.fromRelease(version)
 */
export function upgradeReport(from: string, to: string, options?: { crds?: (version: string) => CrdSource }): UpgradeReport {
  const issues = new IssueCollector();
  for (const [path, v] of [['from', from], ['to', to]] as const) {
    const problem = renderedVersionProblem(v);
    if (problem) issues.add(path, problem);
  }
  const crds = isPlainObject(options) ? options.crds : undefined;
  if (options !== undefined && !isPlainObject(options)) issues.add('options', 'expected { crds?: (version) => CrdSource }');
  else if (crds !== undefined && typeof crds !== 'function') issues.add('options.crds', 'expected a function from a release to its CrdSource');
  issues.throwIfAny('upgrade report');
  const source = crds ?? ((v: string) => CrdSource.fromRelease(v));
  const [a, b] = [source(from).load(), source(to).load()];

  const crdVersions: CrdVersionsChange[] = [];
  const retyped: FieldChange[] = [];
  const lists: FieldChange[] = [];
  const shortNames: string[] = [];
  const added: string[] = [];
  for (const [plural, crdA] of a) {
    const crdB = b.get(plural)!;
    const [va, vb] = [versionsOf(crdA), versionsOf(crdB)];
    const served = (vs: CrdVersion[]) => new Set(vs.filter((v) => v.served).map((v) => v.name));
    const storage = (vs: CrdVersion[]) => vs.find((v) => v.storage)?.name ?? '';
    const [sa, sb] = [served(va), served(vb)];
    const change = {
      crd: String(crdA.metadata.name),
      added: sorted([...sb].filter((v) => !sa.has(v))),
      removed: sorted([...sa].filter((v) => !sb.has(v))),
      storage: { from: storage(va), to: storage(vb) },
    };
    if (change.added.length || change.removed.length || change.storage.from !== change.storage.to) crdVersions.push(change);
    const kind = String(crdA.spec?.names?.kind);
    const [na, nb] = [new Set<string>(crdA.spec?.names?.shortNames ?? []), new Set<string>(crdB.spec?.names?.shortNames ?? [])];
    const nameChanges = [...sorted([...nb].filter((n) => !na.has(n))).map((n) => `+${n}`), ...sorted([...na].filter((n) => !nb.has(n))).map((n) => `-${n}`)];
    if (nameChanges.length > 0) shortNames.push(`${String(crdA.metadata.name)}: ${nameChanges.join(', ')}`);
    for (const version of [...sa].filter((v) => sb.has(v)).sort()) {
      const [ta, tb, la, lb] = [new Map<string, string>(), new Map<string, string>(), new Map<string, string>(), new Map<string, string>()];
      fieldTypes(va.find((v) => v.name === version)?.schema?.openAPIV3Schema, '', ta, la);
      fieldTypes(vb.find((v) => v.name === version)?.schema?.openAPIV3Schema, '', tb, lb);
      for (const [p, t] of ta) {
        const now = tb.get(p);
        if (now !== t) retyped.push({ field: `${kind} ${version} ${p}`, from: t, to: now ?? 'removed' });
      }
      for (const [p, l] of la) {
        const now = lb.get(p);
        if (now !== undefined && now !== l) lists.push({ field: `${kind} ${version} ${p}`, from: l, to: now });
      }
      for (const p of tb.keys()) if (!ta.has(p)) added.push(`${kind} ${version} ${p}`);
    }
  }

  const [da, db] = [leaves(operatorChartDefaults(from)), leaves(operatorChartDefaults(to))];
  const values = {
    added: sorted([...db.keys()].filter((k) => !da.has(k))),
    removed: sorted([...da.keys()].filter((k) => !db.has(k))),
    changed: sorted([...db].filter(([k, v]) => da.has(k) && da.get(k) !== v).map(([k, v]) => `${k}: ${da.get(k)} -> ${v}`)),
  };
  const [ra, rb] = [rbacRules(from), rbacRules(to)];
  const rbac = { added: sorted([...rb].filter((r) => !ra.has(r))), removed: sorted([...ra].filter((r) => !rb.has(r))) };

  const moving = crdVersions.filter((c) => c.storage.from !== c.storage.to || c.removed.length > 0);
  const storageMigration = moving.length > 0
    ? {
      required: true,
      reason: `${moving.map((c) => c.crd).join(', ')}: the storage version changes or a served version goes away, so objects stored at the old version must be `
        + 're-stored before it stops being served (the storage version migrator, cluster scope only)',
    }
    : { required: false, reason: 'every CRD keeps its served and storage versions: stored objects stay readable as they are' };

  return {
    from,
    to,
    downgrade: compareVersions(to, from) < 0,
    crdVersions,
    fieldsRemovedOrRetyped: retyped.sort((x, y) => (x.field < y.field ? -1 : 1)),
    fieldsAdded: sorted(added),
    shortNames,
    listSemantics: lists.sort((x, y) => (x.field < y.field ? -1 : 1)),
    values,
    rbac,
    storageMigration,
  };
}

/** The report as text, for a terminal or a pull request. */
export function upgradeReportText(r: UpgradeReport, options: { maxItems?: number } = {}): string {
  const issues = new IssueCollector();
  const lists = ['crdVersions', 'fieldsRemovedOrRetyped', 'fieldsAdded', 'listSemantics'] as const;
  const maps = ['values', 'rbac', 'storageMigration'] as const;
  if (!isPlainObject(r) || lists.some((k) => !Array.isArray(r[k])) || maps.some((k) => !isPlainObject(r[k]))) {
    issues.add('report', 'expected an UpgradeReport (from upgradeReport(from, to))');
  }
  const max = isPlainObject(options) && options.maxItems !== undefined ? options.maxItems : 20;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) issues.add('options.maxItems', 'expected a whole number of items, 0 or more');
  issues.throwIfAny('upgrade report text');
  const list = (title: string, items: readonly string[]) => {
    if (items.length === 0) return [`${title}: none`];
    const shown = items.slice(0, max).map((i) => `  - ${i}`);
    if (items.length > max) shown.push(`  - ... and ${items.length - max} more`);
    return [`${title} (${items.length}):`, ...shown];
  };
  const lines = [
    `ToolHive ${r.from} -> ${r.to}${r.downgrade ? ' (a downgrade)' : ''}`,
    ...list('CRD versions', r.crdVersions.map((c) => `${c.crd}: served +[${c.added.join(', ')}] -[${c.removed.join(', ')}], storage ${c.storage.from} -> ${c.storage.to}`)),
    ...list('fields removed or changed in type', r.fieldsRemovedOrRetyped.map((f) => `${f.field}: ${f.from} -> ${f.to}`)),
    ...list('fields added', r.fieldsAdded),
    ...list('list merge keys changed (re-apply custom resources unchanged once before changing these lists)', r.listSemantics.map((f) => `${f.field}: ${f.from} -> ${f.to}`)),
    ...list('CRD short names', Array.isArray(r.shortNames) ? r.shortNames : []),
    ...list('values keys added', r.values.added),
    ...list('values keys removed', r.values.removed),
    ...list('values defaults changed', r.values.changed),
    ...list('RBAC rules added', r.rbac.added),
    ...list('RBAC rules removed', r.rbac.removed),
    `storage version migration: ${r.storageMigration.required ? 'required' : 'not needed'} (${r.storageMigration.reason})`,
  ];
  return `${lines.join('\n')}\n`;
}

/** What the cluster holds now and what you accept, for {@link checkVersionChange}. */
export interface VersionChangeOptions {
  /**
   * `status.storedVersions` of each ToolHive CRD on the cluster, by CRD name
   * (`kubectl get crd <name> -o jsonpath='{.status.storedVersions}'`).
   * @default - not checked
   */
  readonly storedVersions?: { readonly [crd: string]: readonly string[] };
  /**
   * Accept a downgrade that drops schema fields: objects that use them keep them in storage but
   * can no longer be written with them (and a later write drops them).
   * @default false
   */
  readonly acceptDroppedFields?: boolean;
  /**
   * Accept a rollback whose CRDs list their own names as short names again (MCPGroup and
   * MCPServer up to 0.50.0): the API server keeps serving the kinds but reports NamesAccepted
   * False (ShortNamesConflict), so whatever waits for that condition (`kubectl wait`, `helm
   * --wait`) waits forever.
   * @default false
   */
  readonly acceptNameConflicts?: boolean;
  /** Where the CRD files come from. @default - CrdSource.fromRelease(version) */
  readonly crds?: (version: string) => CrdSource;
}

/**
 * Refuses a release change that would orphan stored objects, with the reason: a CRD version
 * still listed in `status.storedVersions` that the target release no longer serves, or a
 * downgrade that drops schema fields without `acceptDroppedFields`. Returns the upgrade report
 * when the change is safe; throws one validation error listing every problem otherwise.
 */
export function checkVersionChange(from: string, to: string, options: VersionChangeOptions = {}): UpgradeReport {
  const o: VersionChangeOptions = isPlainObject(options) ? options : {};
  const report = upgradeReport(from, to, o.crds ? { crds: o.crds } : undefined);
  const issues = new IssueCollector();
  if (!isPlainObject(options)) issues.add('options', 'expected { storedVersions, acceptDroppedFields, crds }');
  const stored = o.storedVersions;
  if (stored !== undefined && !isPlainObject(stored)) issues.add('storedVersions', 'expected the storedVersions of each CRD, by CRD name');
  const target = (o.crds ?? ((v: string) => CrdSource.fromRelease(v)))(to).load();
  const servedVersions = (crd: KubeObject) => new Set(versionsOf(crd).filter((v) => v.served).map((v) => v.name));
  const served = new Map([...target.values()].map((crd) => [String(crd.metadata.name), servedVersions(crd)]));
  for (const [crd, versions] of Object.entries(isPlainObject(stored) ? stored : {})) {
    if (!served.has(crd)) {
      issues.add(`storedVersions["${crd}"]`, `not a ToolHive CRD; expected one of: ${[...served.keys()].sort().join(', ')}`);
      continue;
    }
    if (!Array.isArray(versions)) {
      issues.add(`storedVersions["${crd}"]`, 'expected a list of versions');
      continue;
    }
    for (const v of versions) {
      if (!served.get(crd)!.has(v)) {
        issues.add(`storedVersions["${crd}"]`, `objects stored at ${v} would be orphaned: ToolHive ${to} no longer serves ${v}. `
          + 'Re-store them at a version it serves first (the storage version migrator, cluster scope), then remove the version from status.storedVersions');
      }
    }
  }
  const conflicting = [...target.values()].filter((crd) => {
    const names = crd.spec?.names ?? {};
    return (names.shortNames ?? []).some((n: string) => n === names.plural || n === names.singular);
  }).map((crd) => String(crd.metadata.name)).filter((crd) => report.shortNames.some((s) => s.startsWith(`${crd}: +`)));
  if (report.downgrade && conflicting.length > 0 && o.acceptNameConflicts !== true) {
    issues.add('acceptNameConflicts', `ToolHive ${to}'s ${conflicting.join(' and ')} list their own names as short names again: an API server that served ${from}'s `
      + 'CRDs keeps serving the kinds but reports NamesAccepted False (ShortNamesConflict), and whatever waits for that condition waits forever. '
      + 'Set acceptNameConflicts: true to roll back anyway');
  }
  const dropped = report.fieldsRemovedOrRetyped;
  if (report.downgrade && dropped.length > 0 && o.acceptDroppedFields !== true) {
    issues.add('acceptDroppedFields', `the downgrade from ${from} to ${to} drops or retypes ${dropped.length} schema fields (e.g. ${dropped.slice(0, 3).map((f) => f.field).join(', ')}): `
      + 'objects that use them keep them in storage but can no longer be written with them. Remove them from your custom resources first, '
      + 'or set acceptDroppedFields: true');
  }
  issues.throwIfAny(`ToolHive ${from} -> ${to}`);
  return report;
}
