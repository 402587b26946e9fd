/*
 * ToolHive releases on a real API server, shared by the release and upgrade tests: each
 * release's CRD files as upstream publishes them, the objects of a raw-manifest plan, the
 * checks of the 14 CRDs a release leaves on the API server, and the read-back of custom
 * resources at every version their CRD serves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { KubeClient } from './kube-client';
import {
  crdFileName, isObjectsDeliverable, KubeObject, OPERATOR_DELIVERABLES, planOperatorInstall, TOOLHIVE_API_GROUP, TOOLHIVE_CRDS,
  ToolhiveCustomResource,
} from '../../../src';
import { toolhiveUpstream } from '../../support/upstream';

/** A CRD file of a release, as upstream publishes it. */
export function crdFile(version: string, plural: string): any {
  return parse(fs.readFileSync(path.join(toolhiveUpstream(version).crdsDir, crdFileName(plural)), 'utf8'));
}

/** `name served storage` of every version a CRD declares. */
export const versionsOf = (crd: any): string[] => crd.spec.versions.map((v: any) => `${v.name} served=${v.served} storage=${v.storage}`);

/** The schema of a served version of a CRD. */
export const schemaOf = (crd: any, version: string): any => crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;

/** The names of the 14 ToolHive CRDs (`mcpservers.toolhive.stacklok.dev`), in catalogue order. */
export const TOOLHIVE_CRD_NAMES: readonly string[] = TOOLHIVE_CRDS.map((c) => `${c.plural}.${TOOLHIVE_API_GROUP}`);

/** `manager operation` of each field manager of an object's main resource (not its status subresource), sorted. */
export function managersOf(live: any): string[] {
  return (live.metadata.managedFields ?? []).filter((m: any) => !m.subresource).map((m: any) => `${m.manager} ${m.operation}`).sort();
}

/**
 * Where `live` differs from `sent`, except members absent from `sent` that the schema defaults
 * (the API server adds them): such a member must equal its default, with that default's own
 * members defaulted in turn. An empty list: `live` is `sent` plus the schema's defaults.
 */
export function differencesModuloDefaults(sent: unknown, live: unknown, schema: any, at: string): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const member = (s: any, key: string) => s?.properties?.[key] ?? (isMap(s?.additionalProperties) ? s.additionalProperties : undefined);
  if (isMap(sent) && isMap(live)) {
    const out: string[] = [];
    for (const key of Object.keys(sent)) out.push(...differencesModuloDefaults(sent[key], live[key], member(schema, key), `${at}.${key}`));
    for (const key of Object.keys(live).filter((k) => !(k in sent))) {
      const s = member(schema, key);
      if (s?.default === undefined) out.push(`${at}.${key}: read back ${JSON.stringify(live[key])}, not sent and not a schema default`);
      else out.push(...differencesModuloDefaults(s.default, live[key], s, `${at}.${key}`));
    }
    return out;
  }
  if (Array.isArray(sent) && Array.isArray(live) && sent.length === live.length) {
    return sent.flatMap((item, i) => differencesModuloDefaults(item, live[i], schema?.items, `${at}[${i}]`));
  }
  return JSON.stringify(sent) === JSON.stringify(live) ? [] : [`${at}: sent ${JSON.stringify(sent)}, read back ${JSON.stringify(live)}`];
}

/** A plan's objects (raw manifests), in plan order, and its CRDs. */
export function planObjects(version: string, customResources: ToolhiveCustomResource[] = []): { objects: KubeObject[]; crds: KubeObject[] } {
  const plan = planOperatorInstall({ version, customResources });
  const objects = plan.deliverables.flatMap((d) => (isObjectsDeliverable(d) ? [...d.objects] : []));
  const crds = plan.deliverables.find((d) => d.id === OPERATOR_DELIVERABLES.crds);
  if (!crds || !isObjectsDeliverable(crds)) throw new Error(`the plan of ${version} has no CRD manifests`);
  return { objects, crds: [...crds.objects] };
}

/** What {@link expectCrdsAt} checks besides the release's files. */
export interface CrdExpectations {
  /** The planned CRD objects: they must be the 14, with the file's versions. @default - not checked */
  readonly planned?: readonly KubeObject[];
  /** The uid of each CRD when it was first seen (filled in here for CRDs not in it yet): every later release must update it in place. */
  readonly uids: Map<string, string>;
  /** The field managers of each CRD's main resource, `manager operation`, sorted (status subresource excluded). */
  readonly managers: readonly string[];
  /** CRDs whose names the API server did not accept (NamesAccepted not True), still Established. @default - none */
  readonly namesNotAccepted?: readonly string[];
}

/**
 * Checks the 14 CRDs on the API server against the files of `version`: Established (and their
 * names accepted, unless said otherwise), the same
 * uid as when first seen, the versions, served and storage flags and schemas of the files,
 * `status.storedVersions` the files' storage version, and the expected field managers.
 */
export async function expectCrdsAt(client: KubeClient, version: string, expected: CrdExpectations): Promise<void> {
  if (expected.planned) expect(expected.planned.map((c) => c.metadata.name).sort()).toEqual([...TOOLHIVE_CRD_NAMES].sort());
  for (const { plural } of TOOLHIVE_CRDS) {
    const name = `${plural}.${TOOLHIVE_API_GROUP}`;
    const file = crdFile(version, plural);
    const live = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
    const established = (live.status?.conditions ?? []).filter((c: any) => ['Established', 'NamesAccepted'].includes(c.type) && c.status === 'True');
    const conditions = expected.namesNotAccepted?.includes(name) ? ['Established'] : ['Established', 'NamesAccepted'];
    expect([name, established.map((c: any) => c.type).sort()]).toEqual([name, conditions]);
    if (!expected.uids.has(name)) expected.uids.set(name, live.metadata.uid);
    expect([name, live.metadata.uid]).toEqual([name, expected.uids.get(name)]);
    // The plan carries the file's versions, and the API server serves and stores exactly those.
    const planned: any = expected.planned?.find((c) => c.metadata.name === name);
    if (expected.planned) expect([name, versionsOf(planned)]).toEqual([name, versionsOf(file)]);
    expect([name, versionsOf(live)]).toEqual([name, versionsOf(file)]);
    // The update took effect: each version's schema is the file's.
    for (const v of file.spec.versions) expect([name, v.name, schemaOf(live, v.name)]).toEqual([name, v.name, schemaOf(file, v.name)]);
    const storage = file.spec.versions.filter((v: any) => v.storage).map((v: any) => v.name);
    expect([name, live.status.storedVersions]).toEqual([name, storage]);
    expect([name, managersOf(live)]).toEqual([name, [...expected.managers].sort()]);
  }
}

/**
 * Reads each object back at every version its CRD serves in `version`: where it differs from
 * what was sent, beyond the schema's defaults (`Kind ns/name (version) spec.path: ...`), or is
 * missing, or lost a label. An empty list: every object reads back as sent.
 */
export async function readBackProblems(client: KubeClient, objects: readonly ToolhiveCustomResource[], version: string): Promise<string[]> {
  const problems: string[] = [];
  for (const obj of objects) {
    const plural = TOOLHIVE_CRDS.find((c) => c.kind === obj.kind)!.plural;
    const file = crdFile(version, plural);
    for (const served of file.spec.versions.filter((v: any) => v.served).map((v: any) => v.name)) {
      const live = await client.get(`${TOOLHIVE_API_GROUP}/${served}`, obj.kind, obj.metadata.name, obj.metadata.namespace);
      const where = `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name} (${served})`;
      if (!live) {
        problems.push(`${where}: not found`);
        continue;
      }
      problems.push(...differencesModuloDefaults(obj.spec, live.spec, schemaOf(file, served)?.properties?.spec, `${where} spec`));
      for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
        if (live.metadata.labels?.[k] !== v) problems.push(`${where}: label ${k} is ${live.metadata.labels?.[k]}, sent ${v}`);
      }
    }
  }
  return problems;
}
