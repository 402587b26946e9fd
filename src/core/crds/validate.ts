/*
 * Offline validation of ToolHive custom resources against their CRD's openAPIV3Schema, the way
 * the API server checks them on create (with strict field validation):
 *
 *   1. structural defaulting (schema defaults filled in, nulls of non-nullable fields pruned);
 *   2. the schema: types, formats, enums, required fields, bounds, patterns (RE2), list types,
 *      embedded resources, int-or-string, and unknown fields rejected unless a node preserves them;
 *   3. the CEL rules of `x-kubernetes-validations`, evaluated with @bufbuild/cel on the defaulted
 *      object, `self` typed the Kubernetes way (integers are CEL ints, date-time strings are
 *      timestamps, property names escaped).
 *
 * A rule the CEL library cannot evaluate (a Kubernetes-only function such as quantity() or url(),
 * a transition rule on oldSelf) is never counted as passed: it is reported as skipped, with why.
 */
import { celEnv, CelEnv, CelResult, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { create } from '@bufbuild/protobuf';
import { DurationSchema, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { RE2JS } from '@bufbuild/re2';
import { ValidationIssue } from '../errors';
import { KubeObject, objectKey } from '../k8s/objects';
import { joinPath, keySegment } from '../paths';
import { describe } from '../rules/describe';
import { parseOpenApiDuration as parseDuration } from '../rules/durations';
import { labelValueProblem, qualifiedNameProblem } from '../rules/labels';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../rules/names';
import { deepClone, isPlainObject } from '../util';

/** One rule of an `x-kubernetes-validations` list. */
export interface CelValidationRule {
  /** The CEL expression; `self` is the value of the schema node holding the rule. */
  readonly rule: string;
  /**
   * The message reported when the rule is false.
   * @default - `failed rule: <rule>`, as the API server says it
   */
  readonly message?: string;
  /**
   * A CEL expression computing the message (takes precedence over `message`).
   * @default - none
   */
  readonly messageExpression?: string;
  /**
   * Where the error is reported, relative to the node (`.field`).
   * @default - the node holding the rule
   */
  readonly fieldPath?: string;
  /**
   * The API server's error reason (`FieldValueInvalid`, `FieldValueForbidden`...).
   * @default "FieldValueInvalid"
   */
  readonly reason?: string;
}

/** A CEL rule of a CRD version and whether this validator can evaluate it. */
export interface CelRuleCoverage {
  /** The CRD's plural. */
  readonly plural: string;
  /** The CRD version, e.g. `v1beta1`. */
  readonly version: string;
  /** Schema path of the node holding the rule: `spec.incomingAuth`, `spec.tools[]`, `spec.headers.*`. */
  readonly schemaPath: string;
  /** The rule. */
  readonly rule: CelValidationRule;
  /**
   * Why the rule is not evaluated.
   * @default - none: the rule is evaluated
   */
  readonly skipReason?: string;
}

/** A CEL rule that was not evaluated for one object, and why. */
export interface SkippedCelRule {
  /** Path of the value the rule applies to, e.g. `spec.incomingAuth`. */
  readonly path: string;
  /** The rule's expression. */
  readonly rule: string;
  /** Why it was not evaluated. */
  readonly reason: string;
}

/** Everything validation found about one custom resource. */
export interface CustomResourceCheck {
  /** Problems, sorted by path then message. Empty when the object is valid. */
  readonly issues: ValidationIssue[];
  /** How many CEL rule evaluations ran (a rule on a list item runs once per item). */
  readonly evaluatedRules: number;
  /** Rule evaluations that did not run, with why. Never silently passed. */
  readonly skippedRules: SkippedCelRule[];
  /** Things the API server would warn about (a deprecated version). */
  readonly warnings: string[];
}

/**
 * Validates a custom resource against the CRD of its kind, at the version its `apiVersion`
 * names (any served version). `crds` are CRD objects keyed by plural, as
 * `CrdSource.load()` returns them.
 *
 * @returns every problem found, sorted by path then message; empty when the object is valid
 */
export function validateCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  return checkCustomResource(obj, crds).issues;
}

/**
 * Validates custom resources; each issue's path starts with the object's key
 * (`MCPServer/team-a/fetch.spec.image`).
 */
export function validateCustomResources(objects: readonly unknown[], crds: ReadonlyMap<string, KubeObject>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  objects.forEach((obj, i) => {
    const key = isPlainObject(obj) && isPlainObject(obj.metadata) ? objectKey(obj as KubeObject) : `[${i}]`;
    for (const issue of validateCustomResource(obj, crds)) out.push({ path: issue.path ? `${key}.${issue.path}` : key, message: issue.message });
  });
  return out;
}

/** Validates a custom resource like {@link validateCustomResource}, also telling which CEL rules ran and which were skipped. */
export function checkCustomResource(obj: unknown, crds: ReadonlyMap<string, KubeObject>): CustomResourceCheck {
  const ctx = new Context();
  const warnings: string[] = [];
  if (!isPlainObject(obj)) {
    ctx.issue('', 'a custom resource must be an object');
    return ctx.result(warnings);
  }
  const target = resolveVersion(obj, crds, ctx);
  if (!target) return ctx.result(warnings);
  if (target.version.deprecated) {
    warnings.push(`${obj.apiVersion} ${obj.kind} is deprecated${target.version.deprecationWarning ? `: ${target.version.deprecationWarning}` : ''}`);
  }
  const root = compiledVersion(target.version);
  const value = deepClone(obj) as Record<string, unknown>;
  applyDefaults(value, root);
  validateObjectMeta(value.metadata, 'metadata', ctx, true);
  walk(value, root, '', ctx, true);
  ctx.runCel();
  return ctx.result(warnings);
}

/**
 * Every CEL rule of a CRD (all served versions, or only `version`), with whether this
 * validator evaluates it and, when not, why.
 */
export function celRuleCoverage(crd: KubeObject, version?: string): CelRuleCoverage[] {
  const out: CelRuleCoverage[] = [];
  for (const v of (crd.spec?.versions ?? []) as CrdVersion[]) {
    if (version !== undefined && v.name !== version) continue;
    if (version === undefined && !v.served) continue;
    const collect = (node: Node, schemaPath: string) => {
      for (const r of node.rules) out.push({ plural: crd.spec.names.plural, version: v.name, schemaPath, rule: r.rule, skipReason: r.skipReason });
      for (const [name, child] of node.properties) collect(child, pathOf(schemaPath, name));
      if (node.items) collect(node.items, `${schemaPath}[]`);
      if (node.additional) collect(node.additional, `${schemaPath}.*`);
    };
    collect(compiledVersion(v), '');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CRD lookup

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Schema };
}

function resolveVersion(obj: Record<string, unknown>, crds: ReadonlyMap<string, KubeObject>, ctx: Context): { version: CrdVersion } | undefined {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || !apiVersion.includes('/')) {
    ctx.issue('apiVersion', 'must be "<group>/<version>"');
    return undefined;
  }
  if (typeof kind !== 'string' || kind === '') {
    ctx.issue('kind', 'must be a non-empty string');
    return undefined;
  }
  const [group, version] = apiVersion.split('/', 2);
  const crd = [...crds.values()].find((c) => c.spec?.group === group && c.spec?.names?.kind === kind);
  if (!crd) {
    const kinds = [...crds.values()].filter((c) => c.spec?.group === group).map((c) => c.spec.names.kind).sort();
    ctx.issue('kind', `no CRD defines ${kind} in ${group}${kinds.length ? `; known kinds: ${kinds.join(', ')}` : ''}`);
    return undefined;
  }
  const versions = (crd.spec.versions ?? []) as CrdVersion[];
  const found = versions.find((v) => v.name === version && v.served);
  if (!found?.schema?.openAPIV3Schema) {
    ctx.issue('apiVersion', `${kind} is not served at ${apiVersion}; served versions: ${versions.filter((v) => v.served).map((v) => `${group}/${v.name}`).join(', ')}`);
    return undefined;
  }
  return { version: found };
}

// ---------------------------------------------------------------------------------------------
// Compiled schema

interface Schema {
  'type'?: string;
  'format'?: string;
  'enum'?: unknown[];
  'default'?: unknown;
  'nullable'?: boolean;
  'properties'?: Record<string, Schema>;
  'required'?: string[];
  'items'?: Schema;
  'additionalProperties'?: Schema | boolean;
  'minimum'?: number;
  'maximum'?: number;
  'exclusiveMinimum'?: boolean;
  'exclusiveMaximum'?: boolean;
  'multipleOf'?: number;
  'minLength'?: number;
  'maxLength'?: number;
  'pattern'?: string;
  'minItems'?: number;
  'maxItems'?: number;
  'uniqueItems'?: boolean;
  'minProperties'?: number;
  'maxProperties'?: number;
  'allOf'?: Schema[];
  'anyOf'?: Schema[];
  'oneOf'?: Schema[];
  'not'?: Schema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelValidationRule[];
}

interface Node {
  readonly schema: Schema;
  readonly properties: Map<string, Node>;
  readonly additional?: Node;
  /** `additionalProperties: true`. */
  readonly anyAdditional: boolean;
  readonly items?: Node;
  readonly pattern?: RE2JS;
  readonly patternError?: string;
  readonly rules: CompiledRule[];
  readonly allOf: Node[];
  readonly anyOf: Node[];
  readonly oneOf: Node[];
  readonly not?: Node;
}

type Program = (bindings: Record<string, unknown>) => CelResult;

interface CompiledRule {
  readonly rule: CelValidationRule;
  readonly program?: Program;
  readonly messageProgram?: Program;
  readonly skipReason?: string;
}

const compiledVersions = new WeakMap<object, Node>();

function compiledVersion(version: CrdVersion): Node {
  const schema = version.schema?.openAPIV3Schema ?? {};
  let node = compiledVersions.get(schema);
  if (!node) {
    node = compile(schema);
    compiledVersions.set(schema, node);
  }
  return node;
}

function compile(schema: Schema): Node {
  const properties = new Map<string, Node>();
  for (const name of Object.keys(schema.properties ?? {}).sort()) properties.set(name, compile(schema.properties![name]));
  let pattern: RE2JS | undefined;
  let patternError: string | undefined;
  if (schema.pattern !== undefined) {
    try {
      pattern = RE2JS.compile(schema.pattern);
    } catch (e) {
      patternError = (e as Error).message;
    }
  }
  const additional = schema.additionalProperties;
  return {
    schema,
    properties,
    additional: isPlainObject(additional) ? compile(additional as Schema) : undefined,
    anyAdditional: additional === true,
    items: schema.items ? compile(schema.items) : undefined,
    pattern,
    patternError,
    rules: (schema['x-kubernetes-validations'] ?? []).map(compileRule),
    allOf: (schema.allOf ?? []).map(compile),
    anyOf: (schema.anyOf ?? []).map(compile),
    oneOf: (schema.oneOf ?? []).map(compile),
    not: schema.not ? compile(schema.not) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Defaulting, as the API server does before validation

function applyDefaults(value: unknown, node: Node): void {
  if (Array.isArray(value)) {
    if (node.items) value.forEach((v) => applyDefaults(v, node.items!));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [name, prop] of node.properties) {
    const current = value[name];
    const nonNullableNull = current === null && !prop.schema.nullable;
    if (prop.schema.default !== undefined && (current === undefined || nonNullableNull)) {
      value[name] = deepClone(prop.schema.default);
    } else if (nonNullableNull) {
      delete value[name]; // pruned: null means unset for a non-nullable field
    }
  }
  for (const [name, v] of Object.entries(value)) {
    const prop = node.properties.get(name) ?? node.additional;
    if (prop) applyDefaults(v, prop);
  }
}

// ---------------------------------------------------------------------------------------------
// Schema validation

class Context {
  public evaluated = 0;
  public readonly skipped: SkippedCelRule[] = [];
  private readonly issues: ValidationIssue[] = [];
  /** Paths where a value has the wrong type: rules above them are not evaluated. */
  private readonly typeErrors: string[] = [];
  private readonly pending: { node: Node; value: unknown; path: string }[] = [];

  public issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  public typeError(path: string, message: string): void {
    this.typeErrors.push(path);
    this.issue(path, message);
  }

  public defer(node: Node, value: unknown, path: string): void {
    this.pending.push({ node, value, path });
  }

  public runCel(): void {
    for (const { node, value, path } of this.pending) {
      const broken = this.typeErrors.find((p) => p === path || path === '' || p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
      for (const rule of node.rules) {
        if (rule.skipReason) {
          this.skipped.push({ path, rule: rule.rule.rule, reason: rule.skipReason });
        } else if (broken !== undefined) {
          this.skipped.push({ path, rule: rule.rule.rule, reason: `not evaluated: ${broken || 'the object'} has the wrong type` });
        } else {
          this.evaluate(rule, node, value, path);
        }
      }
    }
  }

  public result(warnings: string[]): CustomResourceCheck {
    const seen = new Set<string>();
    const issues = this.issues.filter((i) => {
      const key = `${i.path}\u0000${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    }).sort((a, b) => cmp(a.path, b.path) || cmp(a.message, b.message));
    return { issues, evaluatedRules: this.evaluated, skippedRules: this.skipped, warnings };
  }

  private evaluate(rule: CompiledRule, node: Node, value: unknown, path: string): void {
    const self = toCel(value, node);
    const result = rule.program!({ self });
    if (isCelError(result)) {
      const reason = unsupportedAtRuntime(result.message);
      if (reason) {
        this.skipped.push({ path, rule: rule.rule.rule, reason });
      } else {
        this.evaluated++;
        this.issue(rulePath(path, rule.rule.fieldPath), `rule \`${rule.rule.rule}\` could not be evaluated: ${result.message}`);
      }
      return;
    }
    this.evaluated++;
    if (result === true) return;
    if (result !== false) {
      this.issue(rulePath(path, rule.rule.fieldPath), `rule \`${rule.rule.rule}\` did not return a boolean`);
      return;
    }
    let message = rule.rule.message || `failed rule: ${rule.rule.rule}`;
    if (rule.messageProgram) {
      const computed = rule.messageProgram({ self });
      if (typeof computed === 'string' && computed.trim() !== '') message = computed;
    }
    this.issue(rulePath(path, rule.rule.fieldPath), message);
  }
}

function walk(value: unknown, node: Node, path: string, ctx: Context, root = false): void {
  const s = node.schema;
  if (value === null) {
    if (!s.nullable) ctx.typeError(path, `must not be null${s.type ? ` (expected ${article(s.type)})` : ''}`);
    return;
  }
  if (!checkType(value, s, path, ctx)) return;
  if (node.rules.length > 0) ctx.defer(node, value, path);

  if (s.enum && !s.enum.some((e) => deepEqual(e, value))) {
    ctx.issue(path, `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')} (got ${JSON.stringify(value)})`);
  }
  if (typeof value === 'string') checkString(value, node, path, ctx);
  if (typeof value === 'number') checkNumber(value, s, path, ctx);
  if (Array.isArray(value)) checkArray(value, node, path, ctx);
  if (isPlainObject(value)) checkObject(value, node, path, ctx, root);
  checkJunctions(value, node, path, ctx);
}

function checkType(value: unknown, s: Schema, path: string, ctx: Context): boolean {
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return true;
    ctx.typeError(path, `must be an integer or a string, got ${describe(value)}`);
    return false;
  }
  const ok = (() => {
    switch (s.type) {
      case 'string': return typeof value === 'string';
      case 'boolean': return typeof value === 'boolean';
      case 'integer': return typeof value === 'number' && Number.isInteger(value);
      case 'number': return typeof value === 'number' && Number.isFinite(value);
      case 'array': return Array.isArray(value);
      case 'object': return isPlainObject(value);
      default: return true; // no type: x-kubernetes-preserve-unknown-fields, any value
    }
  })();
  if (!ok) ctx.typeError(path, `must be ${article(s.type!)}, got ${describe(value)}`);
  return ok;
}

function checkString(value: string, node: Node, path: string, ctx: Context): void {
  const s = node.schema;
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) ctx.issue(path, `must be at least ${s.minLength} characters long (got ${length})`);
  if (s.maxLength !== undefined && length > s.maxLength) ctx.issue(path, `must be at most ${s.maxLength} characters long (got ${length})`);
  if (node.pattern && !node.pattern.test(value)) ctx.issue(path, `must match the pattern ${s.pattern} (got ${JSON.stringify(value)})`);
  if (node.patternError) ctx.issue(path, `the schema's pattern ${s.pattern} is not a valid RE2 expression: ${node.patternError}`);
  const problem = s.format ? stringFormatProblem(value, s.format) : undefined;
  if (problem) ctx.issue(path, problem);
}

function checkNumber(value: number, s: Schema, path: string, ctx: Context): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) {
    ctx.issue(path, `must be ${s.exclusiveMinimum ? 'greater than' : 'at least'} ${s.minimum} (got ${value})`);
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) {
    ctx.issue(path, `must be ${s.exclusiveMaximum ? 'less than' : 'at most'} ${s.maximum} (got ${value})`);
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf)) {
    ctx.issue(path, `must be a multiple of ${s.multipleOf} (got ${value})`);
  }
  if (s.type === 'integer' && s.format === 'int32' && (value < -(2 ** 31) || value > 2 ** 31 - 1)) {
    ctx.issue(path, `must fit in a 32-bit integer (got ${value})`);
  }
  if (s.type === 'integer' && s.format === 'int64' && !Number.isSafeInteger(value)) {
    ctx.issue(path, `must be an exactly representable 64-bit integer (got ${value})`);
  }
}

function checkArray(value: unknown[], node: Node, path: string, ctx: Context): void {
  const s = node.schema;
  if (s.minItems !== undefined && value.length < s.minItems) ctx.issue(path, `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'} (got ${value.length})`);
  if (s.maxItems !== undefined && value.length > s.maxItems) ctx.issue(path, `must have at most ${s.maxItems} item${s.maxItems === 1 ? '' : 's'} (got ${value.length})`);
  value.forEach((item, i) => {
    if (node.items) walk(item, node.items, `${path}[${i}]`, ctx);
  });
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set' || s.uniqueItems) {
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const key = canonical(item);
      if (seen.has(key)) ctx.issue(`${path}[${i}]`, `duplicate value ${JSON.stringify(item)}: the list is a set (also at [${seen.get(key)}])`);
      else seen.set(key, i);
    });
  }
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const key = canonical(keys.map((k) => item[k] ?? null));
      const shown = keys.map((k) => `${k}=${JSON.stringify(item[k])}`).join(', ');
      if (seen.has(key)) ctx.issue(`${path}[${i}]`, `duplicate entry ${shown}: entries are keyed by ${keys.join(', ')} (also at [${seen.get(key)}])`);
      else seen.set(key, i);
    });
  }
}

const EMBEDDED_FIELDS = ['apiVersion', 'kind', 'metadata'];

function checkObject(value: Record<string, unknown>, node: Node, path: string, ctx: Context, root: boolean): void {
  const s = node.schema;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const [name, v] of Object.entries(value)) {
    const childPath = pathOf(path, name);
    if (v === undefined) continue;
    if (root && name === 'metadata') continue; // checked as ObjectMeta
    const prop = node.properties.get(name);
    if (prop) {
      if (v === null && !prop.schema.nullable) continue; // pruned by the API server
      walk(v, prop, childPath, ctx);
    } else if (node.additional) {
      walk(v, node.additional, childPath, ctx);
    } else if (embedded && EMBEDDED_FIELDS.includes(name)) {
      if (name === 'metadata') validateObjectMeta(v, childPath, ctx, false);
      else if (typeof v !== 'string') ctx.typeError(childPath, `must be a string, got ${describe(v)}`);
    } else if (!node.anyAdditional && !s['x-kubernetes-preserve-unknown-fields']) {
      const known = [...node.properties.keys(), ...(embedded ? EMBEDDED_FIELDS : [])].sort();
      ctx.issue(childPath, known.length > 0 ? `unknown field; expected one of: ${known.join(', ')}` : 'unknown field: this object takes no fields');
    }
  }
  for (const name of s.required ?? []) {
    const v = value[name];
    const prop = node.properties.get(name);
    if (v === undefined || (v === null && !prop?.schema.nullable)) ctx.issue(pathOf(path, name), 'required field is missing');
  }
  if (embedded) {
    for (const name of ['apiVersion', 'kind']) {
      if (typeof value[name] !== 'string' || value[name] === '') ctx.issue(pathOf(path, name), 'required field of an embedded object is missing');
    }
  }
  const count = Object.values(value).filter((v) => v !== undefined).length;
  if (s.minProperties !== undefined && count < s.minProperties) ctx.issue(path, `must have at least ${s.minProperties} field${s.minProperties === 1 ? '' : 's'} (got ${count})`);
  if (s.maxProperties !== undefined && count > s.maxProperties) ctx.issue(path, `must have at most ${s.maxProperties} field${s.maxProperties === 1 ? '' : 's'} (got ${count})`);
}

/** allOf/anyOf/oneOf/not: value validations only (structural schemas keep types out of them). */
function checkJunctions(value: unknown, node: Node, path: string, ctx: Context): void {
  const passes = (n: Node) => {
    const scratch = new Context();
    walkValueOnly(value, n, path, scratch);
    return scratch.result([]).issues;
  };
  for (const n of node.allOf) for (const i of passes(n)) ctx.issue(i.path, i.message);
  if (node.anyOf.length > 0 && !node.anyOf.some((n) => passes(n).length === 0)) ctx.issue(path, 'must match at least one of the schema\'s anyOf alternatives');
  if (node.oneOf.length > 0 && node.oneOf.filter((n) => passes(n).length === 0).length !== 1) ctx.issue(path, 'must match exactly one of the schema\'s oneOf alternatives');
  if (node.not && passes(node.not).length === 0) ctx.issue(path, 'must not match the schema\'s "not" alternative');
}

function walkValueOnly(value: unknown, node: Node, path: string, ctx: Context): void {
  const open: Node = { ...node, anyAdditional: true, rules: [] };
  walk(value, open, path, ctx);
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta

const OBJECT_META_FIELDS = [
  'annotations', 'creationTimestamp', 'deletionGracePeriodSeconds', 'deletionTimestamp', 'finalizers', 'generateName', 'generation',
  'labels', 'managedFields', 'name', 'namespace', 'ownerReferences', 'resourceVersion', 'selfLink', 'uid',
];

function validateObjectMeta(meta: unknown, path: string, ctx: Context, nameRequired: boolean): void {
  if (meta === undefined || meta === null) {
    if (nameRequired) ctx.issue(pathOf(path, 'name'), 'required field is missing');
    return;
  }
  if (!isPlainObject(meta)) {
    ctx.typeError(path, `must be an object, got ${describe(meta)}`);
    return;
  }
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.includes(key) && meta[key] !== undefined) ctx.issue(pathOf(path, key), 'unknown field of ObjectMeta');
  }
  if (meta.name === undefined && meta.generateName === undefined) {
    if (nameRequired) ctx.issue(pathOf(path, 'name'), 'required field is missing');
  } else if (meta.name !== undefined) {
    const problem = dns1123SubdomainProblem(meta.name as string);
    if (problem) ctx.issue(pathOf(path, 'name'), problem);
  }
  if (meta.namespace !== undefined) {
    const problem = dns1123LabelProblem(meta.namespace as string);
    if (problem) ctx.issue(pathOf(path, 'namespace'), problem);
  }
  for (const field of ['labels', 'annotations']) {
    const map = meta[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      ctx.typeError(pathOf(path, field), `must be an object of strings, got ${describe(map)}`);
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      const at = pathOf(pathOf(path, field), k);
      // The rule kit's label rules (rules/labels.ts), the ones every other label and annotation meets.
      const keyProblem = qualifiedNameProblem(k, field === 'labels' ? 'label key' : 'annotation key');
      if (keyProblem) ctx.issue(at, keyProblem);
      if (typeof v !== 'string') {
        ctx.typeError(at, `must be a string, got ${describe(v)}`);
      } else if (field === 'labels') {
        const valueProblem = labelValueProblem(v);
        if (valueProblem) ctx.issue(at, valueProblem);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Formats (lenient: formats the API server does not check, or this validator does not know, pass)

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function stringFormatProblem(value: string, format: string): string | undefined {
  switch (format) {
    case 'date-time':
    case 'datetime':
      return parseDateTime(value) === undefined ? `must be an RFC 3339 date-time such as 2006-01-02T15:04:05Z (got ${JSON.stringify(value)})` : undefined;
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : `must be a date such as 2006-01-02 (got ${JSON.stringify(value)})`;
    case 'duration':
      return parseDuration(value) === undefined ? `must be a duration such as 30s, 1h30m or 250ms (got ${JSON.stringify(value)})` : undefined;
    case 'uri':
      // Go's url.Parse accepts almost anything; reject only what it refuses.
      return /[\u0000-\u001f\u007f ]/.test(value) || /%(?![0-9A-Fa-f]{2})/.test(value) ? `must be a URI (got ${JSON.stringify(value)})` : undefined;
    case 'uuid':
      return UUID.test(value) ? undefined : `must be a UUID (got ${JSON.stringify(value)})`;
    case 'byte':
      return BASE64.test(value) ? undefined : `must be base64-encoded (got ${JSON.stringify(value)})`;
    case 'ipv4':
      return IPV4.test(value) ? undefined : `must be an IPv4 address (got ${JSON.stringify(value)})`;
    default:
      return undefined;
  }
}

function parseDateTime(value: string): Date | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const date = new Date(value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// ---------------------------------------------------------------------------------------------
// CEL

let env: CelEnv | undefined;

/** Standard CEL plus the strings extension (charAt, indexOf, lowerAscii, replace, split, ...). */
function celEnvironment(): CelEnv {
  if (!env) env = celEnv({ funcs: strings });
  return env;
}

/** Operators and macros the planner implements without a function of the environment. */
const PLANNER_FUNCTIONS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '_[?_]', '_?._', '@not_strictly_false', '__not_strictly_false__']);
/** Type names usable as identifiers (`type(x) == string`). */
const TYPE_IDENTIFIERS = new Set(['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'list', 'map', 'null_type', 'string', 'timestamp', 'type', 'uint']);

function compileRule(rule: CelValidationRule): CompiledRule {
  const environment = celEnvironment();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rule.rule);
  } catch (e) {
    return { rule, skipReason: `the CEL library cannot parse it (${firstLine((e as Error).message)})` };
  }
  const skipReason = unsupportedReason(parsed.expr, environment);
  if (skipReason) return { rule, skipReason };
  let messageProgram: Program | undefined;
  if (rule.messageExpression) {
    try {
      const message = parse(rule.messageExpression);
      if (!unsupportedReason(message.expr, environment)) messageProgram = plan(environment, message) as Program;
    } catch {
      messageProgram = undefined; // falls back to `message`, as the API server does when it fails
    }
  }
  try {
    return { rule, program: plan(environment, parsed) as Program, messageProgram };
  } catch (e) {
    return { rule, skipReason: `the CEL library cannot plan it (${firstLine((e as Error).message)})` };
  }
}

/** Why an expression cannot be evaluated here (functions, identifiers, oldSelf), or undefined. */
function unsupportedReason(expr: unknown, environment: CelEnv): string | undefined {
  const functions = functionNames(environment);
  const missing = new Set<string>();
  const unknownIdents = new Set<string>();
  let oldSelf = false;

  const qualifiedName = (e: any, scope: Set<string>): string | undefined => {
    const kind = e?.exprKind;
    if (kind?.case === 'identExpr') return scope.has(kind.value.name) || kind.value.name === 'self' || kind.value.name === 'oldSelf' ? undefined : kind.value.name;
    if (kind?.case === 'selectExpr' && !kind.value.testOnly) {
      const operand = qualifiedName(kind.value.operand, scope);
      return operand === undefined ? undefined : `${operand}.${kind.value.field}`;
    }
    return undefined;
  };
  const visit = (e: any, scope: Set<string>): void => {
    const kind = e?.exprKind;
    switch (kind?.case) {
      case 'identExpr': {
        const name: string = kind.value.name;
        if (name === 'oldSelf') oldSelf = true;
        else if (name !== 'self' && !scope.has(name) && !TYPE_IDENTIFIERS.has(name)) unknownIdents.add(name);
        break;
      }
      case 'selectExpr':
        visit(kind.value.operand, scope);
        break;
      case 'callExpr': {
        const call = kind.value;
        const namespace = call.target ? qualifiedName(call.target, scope) : undefined;
        if (namespace !== undefined && functions.has(`${namespace}.${call.function}`)) {
          // a namespaced function such as strings.quote()
        } else if (namespace !== undefined) {
          missing.add(`${namespace}.${call.function}()`);
        } else {
          if (!PLANNER_FUNCTIONS.has(call.function) && !functions.has(call.function)) missing.add(`${call.function}()`);
          if (call.target) visit(call.target, scope);
        }
        for (const arg of call.args) visit(arg, scope);
        break;
      }
      case 'listExpr':
        for (const element of kind.value.elements) visit(element, scope);
        break;
      case 'structExpr':
        if (kind.value.messageName) missing.add(`${kind.value.messageName}{}`);
        for (const entry of kind.value.entries) {
          if (entry.keyKind?.case === 'mapKey') visit(entry.keyKind.value, scope);
          visit(entry.value, scope);
        }
        break;
      case 'comprehensionExpr': {
        const c = kind.value;
        visit(c.iterRange, scope);
        visit(c.accuInit, scope);
        const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
        visit(c.loopCondition, inner);
        visit(c.loopStep, inner);
        visit(c.result, new Set([...scope, c.accuVar]));
        break;
      }
      default:
        break;
    }
  };
  visit(expr, new Set());
  if (oldSelf) return 'transition rule: it compares with the stored object (oldSelf) and only runs on update';
  if (missing.size > 0) {
    const list = [...missing].sort().join(', ');
    return `uses ${list}, which the CEL library does not implement (a Kubernetes CEL extension)`;
  }
  if (unknownIdents.size > 0) return `refers to ${[...unknownIdents].sort().join(', ')}, which the CEL environment does not define`;
  return undefined;
}

let names: Set<string> | undefined;

function functionNames(environment: CelEnv): Set<string> {
  if (!names) names = new Set([...environment.funcs].map((f) => f.name));
  return names;
}

/** Runtime errors that mean "the library lacks this", not "the object is invalid". */
function unsupportedAtRuntime(message: string): string | undefined {
  if (/^unbound function/.test(message) || /^found no matching overload/.test(message)) {
    // The API server type-checks every rule when the CRD is created, so on schema-valid data
    // these come from a function or overload the CEL library does not implement.
    return `the CEL library cannot evaluate it (${message})`;
  }
  return undefined;
}

const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package',
  'namespace', 'return', 'var', 'void', 'while',
]);

/** The name under which the API server exposes a property to CEL, or undefined when it is not accessible. */
function celFieldName(name: string): string | undefined {
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** A value as the API server hands it to CEL for a schema node. */
function toCel(value: unknown, node: Node | undefined): unknown {
  if (value === null || value === undefined) return null;
  const s = node?.schema;
  if (!s || (!s.type && !s['x-kubernetes-int-or-string'])) return toCelDyn(value);
  if (s['x-kubernetes-int-or-string']) return typeof value === 'number' ? BigInt(value) : value;
  switch (s.type) {
    case 'integer':
      return BigInt(value as number);
    case 'number':
      return value as number;
    case 'string':
      return stringToCel(value as string, s.format);
    case 'array':
      return (value as unknown[]).map((v) => toCel(v, node!.items));
    case 'object': {
      const out = new Map<string, unknown>();
      const obj = value as Record<string, unknown>;
      if (node!.additional) {
        for (const [k, v] of Object.entries(obj)) if (v !== undefined) out.set(k, toCel(v, node!.additional));
        return out;
      }
      for (const [k, v] of Object.entries(obj)) {
        if (v === undefined) continue;
        const prop = node!.properties.get(k);
        const field = celFieldName(k);
        if (prop && field !== undefined && !(v === null && !prop.schema.nullable)) out.set(field, toCel(v, prop));
      }
      if (s['x-kubernetes-embedded-resource']) {
        for (const k of ['apiVersion', 'kind']) {
          if (typeof obj[k] === 'string') out.set(k, obj[k]);
        }
        if (isPlainObject(obj.metadata)) out.set('metadata', metadataToCel(obj.metadata));
      }
      return out;
    }
    default:
      return toCelDyn(value);
  }
}

function metadataToCel(meta: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const k of ['name', 'generateName']) if (typeof meta[k] === 'string') out.set(k, meta[k]);
  return out;
}

function stringToCel(value: string, format: string | undefined): unknown {
  if (format === 'date-time' || format === 'datetime' || format === 'date') {
    const date = format === 'date' ? new Date(`${value}T00:00:00Z`) : parseDateTime(value);
    if (date && !Number.isNaN(date.getTime())) return timestampFromDate(date);
  }
  if (format === 'duration') {
    const ns = parseDuration(value);
    if (ns !== undefined) {
      const total = BigInt(Math.round(ns));
      return create(DurationSchema, { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) });
    }
  }
  if (format === 'byte' && BASE64.test(value)) return new Uint8Array(Buffer.from(value, 'base64'));
  return value;
}

/** Values of untyped (preserve-unknown-fields) nodes: integers are CEL ints, as in unstructured JSON. */
function toCelDyn(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelDyn);
  if (isPlainObject(value)) {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out.set(k, toCelDyn(v));
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The path of a field: the kit's path joining and key segments (paths.ts). */
function pathOf(prefix: string, name: string): string {
  return joinPath(prefix, keySegment(name));
}

/** The path of a rule's error: the node's path, plus the rule's `fieldPath` (`.spec.x` or `.x['y']`). */
function rulePath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path;
  const relative = fieldPath.replace(/^\./, '').replace(/\['([^']*)'\]/g, (_m, k: string) => `.${k}`);
  return joinPath(path, relative);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** JSON with sorted keys: equal values give equal strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function deepEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
