/*
 * Schema validation of emitted objects against the Kubernetes OpenAPI document:
 * types, required fields and unknown fields (rejected, as `kubectl apply --validate=strict` does).
 * One helper for every suite: `expectValidObjects(objects)`.
 */
import * as fs from 'fs';
import { ensureKubernetesOpenApi } from './k8s-openapi';
import { toolhiveUpstream } from './upstream';
import { CrdSource, KubeObject, validateCustomResource } from '../../src';

let toolhiveCrds: Map<string, KubeObject> | undefined;

/** ToolHive kinds are checked against their CRD (schema and CEL rules), the rest against Kubernetes. */
function validateAny(obj: any): string[] {
  if (typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith('toolhive.stacklok.dev/')) {
    toolhiveCrds ??= CrdSource.fromDirectory(toolhiveUpstream().crdsDir).load();
    return validateCustomResource(obj, toolhiveCrds).map((i) => `$.${i.path}: ${i.message}`);
  }
  return validateKubeObject(obj);
}

interface Schema {
  '$ref'?: string;
  'type'?: string;
  'format'?: string;
  'properties'?: Record<string, Schema>;
  'additionalProperties'?: Schema | boolean;
  'items'?: Schema;
  'required'?: string[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

interface Catalogue {
  definitions: Record<string, Schema>;
  byGvk: Map<string, string>;
}

let catalogue: Catalogue | undefined;

function load(): Catalogue {
  if (!catalogue) {
    const doc = JSON.parse(fs.readFileSync(ensureKubernetesOpenApi(), 'utf8')) as { definitions: Record<string, Schema> };
    const byGvk = new Map<string, string>();
    for (const [name, def] of Object.entries(doc.definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'] ?? [];
      if (gvks.length !== 1) continue;
      const { group, version, kind } = gvks[0];
      byGvk.set(`${group ? `${group}/` : ''}${version}/${kind}`, name);
    }
    catalogue = { definitions: doc.definitions, byGvk };
  }
  return catalogue;
}

const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Problems of one object against its kind's schema (empty when valid). */
export function validateKubeObject(obj: any): string[] {
  const { definitions, byGvk } = load();
  const problems: string[] = [];
  const key = `${obj?.apiVersion}/${obj?.kind}`;
  const def = byGvk.get(key);
  if (!def) return [`no Kubernetes schema for ${key} (is apiVersion/kind right?)`];
  walk(obj, { $ref: `#/definitions/${def}` }, '$', problems, definitions);
  return problems;
}

function refName(ref: string): string {
  return ref.replace('#/definitions/', '');
}

function walk(value: any, schema: Schema, path: string, problems: string[], defs: Record<string, Schema>): void {
  if (value === null || value === undefined) return; // the API server treats null as unset
  if (schema.$ref) {
    const name = refName(schema.$ref);
    if (name === QUANTITY) {
      if (typeof value !== 'string' && typeof value !== 'number') problems.push(`${path}: expected a quantity, got ${typeof value}`);
      return;
    }
    if (name.endsWith('.JSONSchemaPropsOrBool')) {
      if (typeof value !== 'boolean') walk(value, { $ref: `#/definitions/${JSON_SCHEMA_PROPS}` }, path, problems, defs);
      return;
    }
    if (name.endsWith('.JSONSchemaPropsOrArray')) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((v, i) => walk(v, { $ref: `#/definitions/${JSON_SCHEMA_PROPS}` }, Array.isArray(value) ? `${path}[${i}]` : path, problems, defs));
      return;
    }
    if (name.endsWith('.JSONSchemaPropsOrStringArray')) {
      if (!(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        walk(value, { $ref: `#/definitions/${JSON_SCHEMA_PROPS}` }, path, problems, defs);
      }
      return;
    }
    const def = defs[name];
    if (!def) {
      problems.push(`${path}: schema ${name} not found`);
      return;
    }
    walk(value, def, path, problems, defs);
    return;
  }
  if (schema.format === 'int-or-string') {
    if (typeof value !== 'string' && !Number.isInteger(value)) problems.push(`${path}: expected an integer or a string, got ${typeof value}`);
    return;
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string, got ${typeof value} ${JSON.stringify(value)}`);
      else if (schema.format === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) problems.push(`${path}: expected base64 data`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: expected an integer, got ${typeof value} ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: expected a number, got ${typeof value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean, got ${typeof value} ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problems.push(`${path}: expected a list, got ${typeof value}`);
        return;
      }
      if (schema.items) value.forEach((v, i) => walk(v, schema.items!, `${path}[${i}]`, problems, defs));
      return;
    case 'object':
    case undefined: {
      if (schema.type === undefined && !schema.properties && !schema.additionalProperties) return; // free-form
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: expected an object, got ${Array.isArray(value) ? 'a list' : typeof value}`);
        return;
      }
      for (const req of schema.required ?? []) {
        if (value[req] === undefined || value[req] === null) problems.push(`${path}: missing required field "${req}"`);
      }
      const props = schema.properties;
      const extra = schema.additionalProperties;
      if (!props && !extra) return; // free-form object (RawExtension, FieldsV1)
      for (const [k, v] of Object.entries(value)) {
        const sub = props?.[k];
        if (sub) walk(v, sub, `${path}.${k}`, problems, defs);
        else if (extra && typeof extra === 'object') walk(v, extra, `${path}.${k}`, problems, defs);
        else if (extra !== true) problems.push(`${path}: unknown field "${k}"`);
      }
      return;
    }
    default:
      return;
  }
}

/** Asserts every object is schema-valid (ToolHive kinds: CRD schema and CEL); the failure lists every problem by object. */
export function expectValidObjects(objects: readonly any[]): void {
  const report: string[] = [];
  for (const obj of objects) {
    const problems = validateAny(obj);
    if (problems.length > 0) {
      report.push(`${obj?.kind}/${obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj?.metadata?.name}:\n    ${problems.join('\n    ')}`);
    }
  }
  if (report.length > 0) throw new Error(`Objects failed Kubernetes schema validation:\n  ${report.join('\n  ')}`);
}
