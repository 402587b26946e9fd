/*
 * A small interpreter of helm-unittest suites (https://github.com/helm-unittest/helm-unittest,
 * the `tests/*_test.yaml` files of a chart), run against a renderer instead of Helm: the charts'
 * own suites become tests of the library's render.
 *
 * It follows helm-unittest's semantics (pkg/unittest: test_suite.go, test_job.go, assertion.go,
 * validators/, valueutils/) for the subset of the format the ToolHive suites use, and throws on
 * anything else (an unknown key, assertion type or path syntax) so that a suite using a feature
 * it does not know fails loudly instead of passing silently.
 *
 * What differs from helm-unittest by design:
 * - the renderer renders the whole chart, as `helm template` does (helm-unittest renders only the
 *   suite's templates), so values another template fails on are refused for every case;
 * - a renderer refuses values by throwing a ToolhiveValidationError (where the chart would `fail`,
 *   and where the library refuses values helm renders), so `failedTemplate` is checked against
 *   the error's issue paths rather than helm's error text, and a case expecting a render whose
 *   values the library refuses ends `refused`;
 * - patterns are JavaScript regular expressions (helm-unittest's are Go's RE2: the same for the
 *   plain patterns suites use).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ToolhiveValidationError } from '../../src';

/** A rendered document as helm-unittest sees it: the YAML parsed to plain values. */
export type Manifest = Record<string, unknown>;

/** The key helm-unittest keeps a text template's content under (common.RAW). */
export const RAW = 'raw';

/** The release helm-unittest renders with when neither the suite nor the test names one (test_job.go releaseV3Option). */
export const DEFAULT_RELEASE: Readonly<CaseRelease> = { name: 'RELEASE-NAME', namespace: 'NAMESPACE' };

/** A release as a suite gives it. */
export interface CaseRelease {
  readonly name: string;
  readonly namespace: string;
}

/** What a renderer produced: the documents of each template (`templates/deployment.yaml`). */
export interface RenderedChart {
  /**
   * Documents per template path, in file order. A template that rendered nothing maps to [];
   * a template the renderer does not produce at all is absent (helm-unittest fails assertions on it).
   */
  readonly templates: ReadonlyMap<string, readonly Manifest[]>;
}

/** Renders a chart for user values (helm merges them over the chart's defaults); throws ToolhiveValidationError to refuse them. */
export type ChartRenderer = (values: Record<string, unknown>, release: CaseRelease) => RenderedChart;

/** One assertion of a case. */
export interface Assertion {
  /** The assertion type (`equal`, `notContains`, ...). */
  readonly type: string;
  /** Its parameters (`path`, `value`, `content`, ...). */
  readonly params: Record<string, unknown>;
  /** `not: true` inverts it. */
  readonly not: boolean;
  readonly template?: string;
  readonly documentIndex?: number;
  readonly documentSelector?: DocumentSelector;
}

/** helm-unittest's documentSelector: the documents whose `path` holds `value` (any value when absent). */
export interface DocumentSelector {
  readonly path: string;
  readonly value?: unknown;
  readonly matchMany: boolean;
  readonly skipEmptyTemplates: boolean;
}

/** One test (`it`) of a suite. */
export interface UnitTestCase {
  readonly it: string;
  readonly template?: string;
  readonly templates?: readonly string[];
  readonly set: Record<string, unknown>;
  readonly values: readonly string[];
  readonly release: Partial<CaseRelease>;
  readonly documentIndex?: number;
  readonly documentSelector?: DocumentSelector;
  readonly asserts: readonly Assertion[];
}

/** One suite (a YAML document of a `*_test.yaml` file). */
export interface UnitTestSuite {
  /** The file it came from. */
  readonly file: string;
  readonly name: string;
  readonly templates: readonly string[];
  readonly set: Record<string, unknown>;
  readonly values: readonly string[];
  readonly release: Partial<CaseRelease>;
  readonly tests: readonly UnitTestCase[];
}

/** How one assertion went. */
export interface AssertionResult {
  readonly index: number;
  readonly type: string;
  /** Why it does not hold; empty when it holds. */
  readonly failures: readonly string[];
  /** Set when it failed because the renderer produces no such template. */
  readonly missingTemplate?: string;
}

/** How a case went. */
export type CaseOutcome =
  | { readonly kind: 'passed' }
  /** The renderer refused values the case expects rendered. */
  | { readonly kind: 'refused'; readonly error: ToolhiveValidationError }
  /** Some assertions do not hold (only the failing ones are listed). */
  | { readonly kind: 'failed'; readonly failed: readonly AssertionResult[] };

// ---------------------------------------------------------------------------------------------
// Loading suites
// ---------------------------------------------------------------------------------------------

const SUITE_KEYS = ['suite', 'templates', 'set', 'values', 'release', 'tests'];
const TEST_KEYS = ['it', 'template', 'templates', 'set', 'values', 'release', 'documentIndex', 'documentSelector', 'asserts'];
const ASSERT_MODIFIERS = ['not', 'template', 'documentIndex', 'documentSelector'];

/** Loads the suites of a `*_test.yaml` file (helm-unittest splits a file at `---` into suites). */
export function loadSuites(file: string): UnitTestSuite[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const suites: UnitTestSuite[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const raw: unknown = doc.toJS();
    if (raw === null || raw === undefined) continue;
    const s = asMap(raw, file);
    checkKeys(s, SUITE_KEYS, file);
    const at = `${file} (suite ${JSON.stringify(s.suite)})`;
    suites.push({
      file,
      name: String(s.suite ?? ''),
      templates: strings(s.templates, `${at}: templates`),
      set: s.set === undefined ? {} : asMap(s.set, `${at}: set`),
      values: strings(s.values, `${at}: values`),
      release: loadRelease(s.release, at),
      tests: list(s.tests, `${at}: tests`).map((t, i) => loadCase(t, `${at} test ${i}`)),
    });
  }
  return suites;
}

function loadCase(raw: unknown, at: string): UnitTestCase {
  const t = asMap(raw, at);
  checkKeys(t, TEST_KEYS, at);
  return {
    it: String(t.it ?? ''),
    template: optionalString(t.template, `${at}: template`),
    templates: t.templates === undefined ? undefined : strings(t.templates, `${at}: templates`),
    set: t.set === undefined ? {} : asMap(t.set, `${at}: set`),
    values: strings(t.values, `${at}: values`),
    release: loadRelease(t.release, at),
    documentIndex: optionalIndex(t.documentIndex, `${at}: documentIndex`),
    documentSelector: selector(t.documentSelector, at),
    asserts: list(t.asserts, `${at}: asserts`).map((a, i) => loadAssertion(a, `${at} assert ${i}`)),
  };
}

function loadAssertion(raw: unknown, at: string): Assertion {
  const a = asMap(raw, at);
  const types = Object.keys(a).filter((k) => !ASSERT_MODIFIERS.includes(k));
  if (types.length !== 1) throw new Error(`${at}: expected one assertion type, got ${JSON.stringify(types)}`);
  const type = types[0];
  if (!(type in ASSERTION_TYPES)) throw new Error(`${at}: assertion type \`${type}\` is not interpreted`);
  const params = a[type] === null || a[type] === undefined ? {} : asMap(a[type], `${at}: ${type}`);
  checkKeys(params, ASSERTION_TYPES[type].params, `${at}: ${type}`);
  return {
    type,
    params,
    not: a.not === true,
    template: optionalString(a.template, `${at}: template`),
    documentIndex: optionalIndex(a.documentIndex, `${at}: documentIndex`),
    documentSelector: selector(a.documentSelector, at),
  };
}

function loadRelease(raw: unknown, at: string): Partial<CaseRelease> {
  if (raw === undefined || raw === null) return {};
  const r = asMap(raw, `${at}: release`);
  checkKeys(r, ['name', 'namespace'], `${at}: release`);
  return { name: optionalString(r.name, `${at}: release.name`), namespace: optionalString(r.namespace, `${at}: release.namespace`) };
}

function selector(raw: unknown, at: string): DocumentSelector | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = asMap(raw, `${at}: documentSelector`);
  checkKeys(s, ['path', 'value', 'matchMany', 'skipEmptyTemplates'], `${at}: documentSelector`);
  if (typeof s.path !== 'string' || s.path === '') throw new Error(`${at}: empty 'documentSelector.path' not supported`);
  return { path: s.path, value: s.value ?? undefined, matchMany: s.matchMany === true, skipEmptyTemplates: s.skipEmptyTemplates === true };
}

// ---------------------------------------------------------------------------------------------
// Values and release of a case
// ---------------------------------------------------------------------------------------------

/**
 * The user values of a case, built as helm-unittest's getUserValues does: the values files
 * (suite's, then test's), then the suite's `set`, then the test's `set`, each merged over the
 * previous with Helm's MergeTables (the newer wins; maps merge key by key).
 */
export function caseValues(suite: UnitTestSuite, test: UnitTestCase): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  for (const file of [...suite.values, ...test.values]) {
    const parsed: unknown = parseAllDocuments(fs.readFileSync(path.resolve(path.dirname(suite.file), file), 'utf8'))[0]?.toJS() ?? {};
    base = mergeTables(asMap(structuredClone(parsed), file), base);
  }
  for (const set of [suite.set, test.set]) {
    for (const [setPath, value] of Object.entries(set)) base = mergeTables(buildSetPath(setPath, structuredClone(value)), base);
  }
  return base;
}

/** The release a case renders with: the test's, else the suite's, else helm-unittest's default. */
export function caseRelease(suite: UnitTestSuite, test: UnitTestCase): CaseRelease {
  return {
    name: test.release.name || suite.release.name || DEFAULT_RELEASE.name,
    namespace: test.release.namespace || suite.release.namespace || DEFAULT_RELEASE.namespace,
  };
}

/** Helm's chartutil.MergeTables: keys of `src` missing from `dst` are added; where both hold a map, they merge; otherwise `dst` wins. */
export function mergeTables(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(src)) {
    if (!Object.prototype.hasOwnProperty.call(dst, key)) dst[key] = value;
    else if (isMap(dst[key]) && isMap(value)) dst[key] = mergeTables(dst[key] as Record<string, unknown>, value);
  }
  return dst;
}

/**
 * helm-unittest's BuildValueOfSetPath: `a.b[1].c` becomes `{a: {b: [null, {c: value}]}}`; a
 * bracket right after a dot escapes a key holding dots (`a.[b.c]`).
 */
export function buildSetPath(setPath: string, value: unknown): Record<string, unknown> {
  const fail = (): never => {
    throw new Error(`invalid set path ${JSON.stringify(setPath)}`);
  };
  const cursors: (string | number)[] = [];
  let rest = setPath;
  for (;;) {
    // A key (`[...]` escapes one holding dots), then its list indexes, then `.` and the next key.
    const key = /^\[([^\]]*)\]/.exec(rest) ?? /^[^.[\]]+/.exec(rest) ?? fail();
    cursors.push(key[1] ?? key[0]);
    rest = rest.slice(key[0].length);
    for (let m = /^\[(\d+)\]/.exec(rest); m; m = /^\[(\d+)\]/.exec(rest)) {
      cursors.push(Number(m[1]));
      rest = rest.slice(m[0].length);
    }
    if (rest === '') break;
    if (!rest.startsWith('.')) fail();
    rest = rest.slice(1);
  }
  const root: Record<string, unknown> = {};
  let current: Record<string | number, unknown> = root;
  cursors.forEach((cursor, depth) => {
    const nextCursor = cursors[depth + 1];
    const next: unknown = depth === cursors.length - 1 ? value
      : typeof nextCursor === 'number' ? new Array<unknown>(nextCursor + 1).fill(null) : {};
    current[cursor] = next;
    current = next as Record<string | number, unknown>;
  });
  return root;
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/** helm-unittest's getTemplateFileName: suite templates are relative to `templates/`. */
export function templatePath(name: string): string {
  return name.startsWith('templates/') ? name : `templates/${name}`;
}

/**
 * Runs a case: renders its values (the suite's templates all come from one render, as with
 * `helm template`) and checks every assertion against the templates it targets.
 */
export function runCase(
  suite: UnitTestSuite, test: UnitTestCase, render: ChartRenderer, release: CaseRelease = caseRelease(suite, test),
): CaseOutcome {
  const values = caseValues(suite, test);
  // helm-unittest only lets a render fail when every assertion is a failedTemplate (determineRenderSuccess).
  const requireSuccess = test.asserts.every((a) => ASSERTION_TYPES[a.type].renderSuccess);
  let rendered: RenderedChart | undefined;
  let refusal: ToolhiveValidationError | undefined;
  try {
    rendered = render(values, release);
  } catch (e) {
    if (!(e instanceof ToolhiveValidationError)) throw e;
    refusal = e;
  }
  if (refusal && requireSuccess) return { kind: 'refused', error: refusal };
  const results = test.asserts.map((a, index): AssertionResult => {
    const def = ASSERTION_TYPES[a.type];
    if (a.type === 'failedTemplate' || a.type === 'notFailedTemplate') {
      return { index, type: a.type, failures: failedTemplate(a, refusal, values, def.antonym !== a.not) };
    }
    if (!rendered) return { index, type: a.type, failures: [`the library refused the values: ${refusal!.message}`] };
    return assertOnTemplates(a, index, suite, test, rendered);
  });
  const failed = results.filter((r) => r.failures.length > 0);
  return failed.length === 0 ? { kind: 'passed' } : { kind: 'failed', failed };
}

/** The templates an assertion checks (test_job.go determineTemplatesToAssert). */
function templatesToAssert(a: Assertion, suite: UnitTestSuite, test: UnitTestCase, rendered: RenderedChart): string[] {
  if (a.template) return [templatePath(a.template)];
  if (test.templates && test.templates.length > 0) return test.templates.map(templatePath);
  if (test.template) return [templatePath(test.template)];
  if (suite.templates.length > 0) return suite.templates.map(templatePath);
  return [...rendered.templates.keys()];
}

/** assertion.go Assert: select the documents, then validate template by template; every template must pass. */
function assertOnTemplates(a: Assertion, index: number, suite: UnitTestSuite, test: UnitTestCase, rendered: RenderedChart): AssertionResult {
  const def = ASSERTION_TYPES[a.type];
  const templates = templatesToAssert(a, suite, test, rendered);
  for (const t of templates) {
    if (!rendered.templates.has(t)) {
      return { index, type: a.type, failures: [`template ${t} is not rendered by the library`], missingTemplate: t };
    }
  }
  const docsOf = (t: string) => rendered.templates.get(t)!;
  // A test's documentIndex overrides the assertion's; the assertion's selector wins over the test's.
  const documentIndex = test.documentIndex ?? a.documentIndex;
  const documentSelector = a.documentSelector ?? test.documentSelector;
  let selected: Map<string, readonly Manifest[]>;
  try {
    selected = documentSelector ? selectDocuments(documentSelector, templates, docsOf)
      : documentIndex !== undefined ? selectByIndex(documentIndex, templates, docsOf)
        : new Map(templates.map((t) => [t, docsOf(t)]));
  } catch (e) {
    return { index, type: a.type, failures: [`${(e as Error).message}`] };
  }
  const negative = def.antonym !== a.not;
  // Nothing selected (no template at all): helm-unittest validates an empty document list.
  if (selected.size === 0) return { index, type: a.type, failures: def.validate(a.params, { docs: [], selected: [], negative }) };
  const failures: string[] = [];
  for (const [t, docs] of [...selected].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    failures.push(...def.validate(a.params, { docs: docsOf(t), selected: docs, negative }).map((f) => `${t}: ${f}`));
  }
  return { index, type: a.type, failures };
}

/** valueutils/documentselector.go: the matching documents of each template; more than one match overall needs matchMany. */
function selectDocuments(
  s: DocumentSelector, templates: readonly string[], docsOf: (t: string) => readonly Manifest[],
): Map<string, readonly Manifest[]> {
  const out = new Map<string, readonly Manifest[]>();
  let total = 0;
  for (const t of templates) {
    const matching = docsOf(t).filter((doc) => lookup(doc, s.path).some((v) => s.value === undefined || deepEqual(s.value, v)));
    total += matching.length;
    if (!s.matchMany && total > 1) throw new Error('documentSelector: multiple indexes found');
    if (matching.length === 0 && !s.skipEmptyTemplates) throw new Error(`documentSelector: document not found in ${t} (${s.path} = ${JSON.stringify(s.value)})`);
    if (matching.length > 0 || !s.skipEmptyTemplates) out.set(t, matching);
  }
  return out;
}

function selectByIndex(index: number, templates: readonly string[], docsOf: (t: string) => readonly Manifest[]): Map<string, readonly Manifest[]> {
  const out = new Map<string, readonly Manifest[]>();
  for (const t of templates) {
    const docs = docsOf(t);
    if (index >= docs.length) throw new Error(`document index ${index} is out of range (${t} has ${docs.length})`);
    out.set(t, [docs[index]]);
  }
  return out;
}

/**
 * failedTemplate against a refusal: it holds when the library threw a ToolhiveValidationError
 * with an issue about the key the chart's message is about: the first values path the message
 * names (`operator.defaultRedis.tls.enabled requires operator.defaultRedis.addr ...` is about
 * operator.defaultRedis.tls.enabled), or, when it names none, a key the case sets. An issue is
 * about a key when its path is that key or under it (list indexes ignored).
 */
function failedTemplate(a: Assertion, refusal: ToolhiveValidationError | undefined, values: Record<string, unknown>, negative: boolean): string[] {
  const { errorMessage, errorPattern } = a.params as { errorMessage?: string; errorPattern?: string };
  if (errorMessage && errorPattern) return ["single attribute 'errorMessage' or 'errorPattern' supported at the same time"];
  if (negative) return refusal ? [`expected a render, the library refused: ${refusal.message}`] : [];
  if (!refusal) return [`expected the render to fail (${errorPattern ?? errorMessage ?? 'any error'}), the library rendered the values`];
  const text = errorPattern ?? errorMessage ?? '';
  const subject = subjectKey(text, values);
  const keys = subject ? [subject] : setKeys(values);
  const paths = refusal.issues.map((i) => i.path.replace(/\[\d+\]/g, ''));
  if (paths.some((p) => keys.some((k) => p === k || p.startsWith(`${k}.`)))) return [];
  return [`the library refused, but none of its issues (${refusal.issues.map((i) => i.path).join(', ')}) is about ${keys.join(' or ')} (the chart's message: ${JSON.stringify(text)})`];
}

/** The first dotted values path a message names whose first key the case's values have (`operator.rbac.scope=cluster` names operator.rbac.scope). */
function subjectKey(text: string, values: Record<string, unknown>): string | undefined {
  return [...text.matchAll(/[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+/g)].map((m) => m[0]).find((k) => k.split('.')[0] in values);
}

/** Every leaf path of the case's values (`operator.defaultImagePullSecrets`, lists as leaves). */
function setKeys(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) => (isMap(v) && Object.keys(v).length > 0 ? setKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

// ---------------------------------------------------------------------------------------------
// Validators (validators/*.go)
// ---------------------------------------------------------------------------------------------

interface ValidateContext {
  /** Every document of the template. */
  readonly docs: readonly Manifest[];
  /** The documents the selector or index picked (all of them without one). */
  readonly selected: readonly Manifest[];
  /** `not` applied (or a `not...` type). */
  readonly negative: boolean;
}

type Validator = (params: Record<string, unknown>, ctx: ValidateContext) => string[];

/**
 * The per-document rule of helm-unittest's validators: every selected document must pass; with
 * no document at all a positive assertion fails ("no manifest found") and a negative one holds.
 */
function eachDocument(ctx: ValidateContext, check: (doc: Manifest) => string[]): string[] {
  if (ctx.selected.length === 0) return ctx.negative ? [] : ['no manifest found'];
  return ctx.selected.flatMap((doc, i) => check(doc).map((f) => (ctx.selected.length > 1 ? `document ${i}: ${f}` : f)));
}

/** The per-value rule: the path must resolve (unless negative), and every value it resolves to must pass. */
function eachValue(doc: Manifest, p: string, negative: boolean, check: (v: unknown) => string | undefined): string[] {
  const values = lookup(doc, p);
  if (values.length === 0) return negative ? [] : [`unknown path ${p}`];
  return values.map(check).filter((f): f is string => f !== undefined);
}

const not = (negative: boolean) => (negative ? ' NOT' : '');
const show = (v: unknown) => JSON.stringify(v);

/** equal_validator.go: a string is compared after trailing spaces on lines and leading newlines go (uniformContent). */
const equal: Validator = (p, ctx) => eachDocument(ctx, (doc) => eachValue(doc, String(p.path), ctx.negative, (v) => {
  const actual = typeof v === 'string' ? uniformContent(v) : v;
  return deepEqual(p.value, actual) === ctx.negative ? `${p.path}: expected${not(ctx.negative)} to equal ${show(p.value)}, got ${show(actual)}` : undefined;
}));

/** exists_validator.go (exists, notExists, isNull, isNotNull): whether the path resolves to anything, null included. */
const exists: Validator = (p, ctx) => eachDocument(ctx, (doc) =>
  ((lookup(doc, String(p.path)).length > 0) === ctx.negative ? [`${p.path}: expected${not(ctx.negative)} to exist`] : []));

/** match_regex_validator.go: the value must be a string, and match (or not). */
const matchRegex: Validator = (p, ctx) => eachDocument(ctx, (doc) => eachValue(doc, String(p.path), ctx.negative, (v) => {
  if (typeof v !== 'string') return `${p.path}: expected a string, got ${show(v)}`;
  return new RegExp(String(p.pattern)).test(v) === ctx.negative ? `${p.path}: expected${not(ctx.negative)} to match /${p.pattern}/, got ${show(v)}` : undefined;
}));

/** match_regex_raw_validator.go: a text template's whole content. */
const matchRegexRaw: Validator = (p, ctx) => eachDocument(ctx, (doc) => {
  const raw = uniformContent(typeof doc[RAW] === 'string' ? doc[RAW] : String(doc[RAW] ?? '<nil>'));
  return new RegExp(String(p.pattern)).test(raw) === ctx.negative ? [`expected${not(ctx.negative)} to match /${p.pattern}/`] : [];
});

/**
 * contains_validator.go: the value must be a list holding `content`. With `any`, a map content
 * matches an element holding its top-level keys with equal values (one level deep, as helm-unittest's
 * validateSubset); `count` asks for exactly that many matches.
 */
const contains: Validator = (p, ctx) => eachDocument(ctx, (doc) => eachValue(doc, String(p.path), ctx.negative, (v) => {
  if (!Array.isArray(v)) return `${p.path}: expected a list, got ${show(v)}`;
  const anyMatch = p.any === true;
  let matches = 0;
  for (const element of v) {
    if (anyMatch && isMap(element) && isMap(p.content)) {
      if (isSubsetOf(element, p.content)) matches++;
    } else if (deepEqual(element, p.content)) {
      matches++;
    }
  }
  const holds = typeof p.count === 'number' ? matches > 0 && matches === p.count : matches > 0;
  if (holds !== ctx.negative) return undefined;
  return `${p.path}: expected${not(ctx.negative)} to contain ${show(p.content)}${typeof p.count === 'number' ? ` ${p.count} time(s), found ${matches}` : ''}, got ${show(v)}`;
}));

/** is_subset_validator.go: the value must be a map holding content's top-level keys with equal values. */
const isSubset: Validator = (p, ctx) => eachDocument(ctx, (doc) => eachValue(doc, String(p.path), ctx.negative, (v) => {
  if (!isMap(v) || !isMap(p.content)) return `${p.path}: expected an object, got ${show(v)}`;
  return isSubsetOf(v, p.content) === ctx.negative ? `${p.path}: expected${not(ctx.negative)} to contain ${show(p.content)}, got ${show(v)}` : undefined;
}));

/** is_kind_validator.go and is_apiversion_validator.go. */
const fieldIs = (field: 'kind' | 'apiVersion'): Validator => (p, ctx) => eachDocument(ctx, (doc) =>
  ((doc[field] === p.of) === ctx.negative ? [`expected ${field}${not(ctx.negative)} to be ${show(p.of)}, got ${show(doc[field])}`] : []));

/** has_document_validator.go: counts every document of the template (the selected ones with filterAware). */
const hasDocuments: Validator = (p, ctx) => {
  const n = p.filterAware === true ? ctx.selected.length : ctx.docs.length;
  return (n === p.count) !== ctx.negative ? [] : [`expected${not(ctx.negative)} ${show(p.count)} documents, got ${n}`];
};

/** Checked against the refusal in runCase; listed for its flags. */
const failed: Validator = () => [];

interface AssertionType {
  readonly validate: Validator;
  /** A `not...` type: the validator inverted. */
  readonly antonym: boolean;
  /** Whether the render must succeed (all but failedTemplate). */
  readonly renderSuccess: boolean;
  /** The parameters interpreted (others are refused when the suite loads). */
  readonly params: readonly string[];
}

const kind = (validate: Validator, params: readonly string[], antonym = false, renderSuccess = true): AssertionType =>
  ({ validate, params, antonym, renderSuccess });
const PATH_VALUE = ['path', 'value'];
const PATH_CONTENT = ['path', 'content'];
const PATH_PATTERN = ['path', 'pattern'];

/** assertion.go assertTypeMapping, for the types interpreted. */
const ASSERTION_TYPES: Record<string, AssertionType> = {
  equal: kind(equal, PATH_VALUE),
  notEqual: kind(equal, PATH_VALUE, true),
  exists: kind(exists, ['path']),
  notExists: kind(exists, ['path'], true),
  isNull: kind(exists, ['path'], true),
  isNotNull: kind(exists, ['path']),
  matchRegex: kind(matchRegex, PATH_PATTERN),
  notMatchRegex: kind(matchRegex, PATH_PATTERN, true),
  matchRegexRaw: kind(matchRegexRaw, ['pattern']),
  notMatchRegexRaw: kind(matchRegexRaw, ['pattern'], true),
  contains: kind(contains, [...PATH_CONTENT, 'count', 'any']),
  notContains: kind(contains, [...PATH_CONTENT, 'count', 'any'], true),
  isSubset: kind(isSubset, PATH_CONTENT),
  isNotSubset: kind(isSubset, PATH_CONTENT, true),
  isKind: kind(fieldIs('kind'), ['of']),
  isAPIVersion: kind(fieldIs('apiVersion'), ['of']),
  hasDocuments: kind(hasDocuments, ['count', 'filterAware']),
  failedTemplate: kind(failed, ['errorMessage', 'errorPattern'], false, false),
  notFailedTemplate: kind(failed, ['errorMessage', 'errorPattern'], true),
};

// ---------------------------------------------------------------------------------------------
// Paths (the JSONPath subset of vmware-labs/yaml-jsonpath the suites use)
// ---------------------------------------------------------------------------------------------

type Step =
  | { readonly kind: 'child'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'filter'; readonly field: readonly string[]; readonly op: '==' | '!='; readonly literal: unknown };

/**
 * Everything `path` resolves to in `doc`: `a.b`, `a[0]`, `a["k.with/dots"]`, `a[*]`, and
 * filters `a[?(@.name=="X")]` (also `!=`, single quotes, number/boolean/null literals). A key
 * holding null resolves (to null); a missing key, an index past the end, or a step into a
 * scalar resolves to nothing. Other syntax throws.
 */
export function lookup(doc: unknown, p: string): unknown[] {
  if (p === '') return [doc];
  let current: unknown[] = [doc];
  for (const step of parsePath(p)) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.kind === 'child') {
        if (isMap(node) && Object.prototype.hasOwnProperty.call(node, step.key)) next.push(node[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(node)) {
          const i = step.index < 0 ? node.length + step.index : step.index;
          if (i >= 0 && i < node.length) next.push(node[i]);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(node)) next.push(...node);
        else if (isMap(node)) next.push(...Object.values(node));
      } else {
        // A filter keeps the matching elements of a list; on anything else it tests the node itself.
        for (const candidate of Array.isArray(node) ? node : [node]) {
          const field = lookup(candidate, step.field.map((key) => `[${JSON.stringify(key)}]`).join(''));
          if (field.length > 0 && deepEqual(field[0], step.literal) === (step.op === '==')) next.push(candidate);
        }
      }
    }
    current = next;
  }
  return current;
}

const pathCache = new Map<string, readonly Step[]>();

function parsePath(p: string): readonly Step[] {
  const cached = pathCache.get(p);
  if (cached) return cached;
  const fail = (why: string): never => {
    throw new Error(`path ${JSON.stringify(p)}: ${why} (not in the JSONPath subset this interpreter supports)`);
  };
  const steps: Step[] = [];
  let rest = p.startsWith('$') ? p.slice(1) : p;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  while (rest !== '') {
    let m: RegExpExecArray | null;
    if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) {
      steps.push({ kind: 'all' });
    } else if ((m = /^\.([^.[\]]+)/.exec(rest))) {
      steps.push({ kind: 'child', key: m[1] });
    } else if ((m = /^\[(-?\d+)\]/.exec(rest))) {
      steps.push({ kind: 'index', index: Number(m[1]) });
    } else if ((m = /^\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/.exec(rest))) {
      steps.push({ kind: 'child', key: m[1] !== undefined ? JSON.parse(`"${m[1]}"`) as string : m[2].replace(/\\(.)/g, '$1') });
    } else if ((m = /^\[\?\(\s*@((?:\.[\w-]+)+)\s*(==|!=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null)\s*\)\]/.exec(rest))) {
      const raw = m[3];
      const literal: unknown = raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : JSON.parse(raw);
      steps.push({ kind: 'filter', field: m[1].slice(1).split('.'), op: m[2] as '==' | '!=', literal });
    } else {
      fail(`cannot read ${JSON.stringify(rest)}`);
    }
    rest = rest.slice(m![0].length);
  }
  pathCache.set(p, steps);
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** validators/common.go uniformContent: trailing spaces before a newline and leading newlines go. */
function uniformContent(s: string): string {
  return s.replace(/ +\r?\n/g, '\n').replace(/^\n+/, '');
}

/** validators/common.go validateSubset: each top-level key of `content` equal in `actual` (a missing key reads as null). */
function isSubsetOf(actual: Record<string, unknown>, content: Record<string, unknown>): boolean {
  return Object.keys(content).every((k) => deepEqual(actual[k] ?? null, content[k] ?? null));
}

/** reflect.DeepEqual over parsed YAML: same types, same list order, same map keys. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asMap(v: unknown, at: string): Record<string, unknown> {
  if (!isMap(v)) throw new Error(`${at}: expected a map, got ${show(v)}`);
  return v;
}

function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${at}: expected a list, got ${show(v)}`);
  return v;
}

function strings(v: unknown, at: string): string[] {
  return list(v, at).map((s) => {
    if (typeof s !== 'string') throw new Error(`${at}: expected strings, got ${show(s)}`);
    return s;
  });
}

function optionalString(v: unknown, at: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${at}: expected a string, got ${show(v)}`);
  return v;
}

function optionalIndex(v: unknown, at: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`${at}: expected a document index, got ${show(v)}`);
  return v as number;
}

function checkKeys(m: Record<string, unknown>, known: readonly string[], at: string): void {
  const unknown = Object.keys(m).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`${at}: ${unknown.map((k) => `\`${k}\``).join(', ')} not interpreted (known: ${known.join(', ')})`);
}
