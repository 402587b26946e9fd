/*
 * A fast YAML emitter for the Kubernetes subset, byte for byte what cdk8s's `Yaml.stringify` writes: the
 * `yaml` package with `{ lineWidth: 0, version: '1.1' }` (YAML 1.1 resolution, so `yes`, `on`
 * or `0777` stay strings for Go's go-yaml v2, which kubectl reads with), no aliases. It handles
 * block maps and sequences, empty flow collections, plain and literal scalars and numbers
 * itself; a single-line scalar that needs quoting is asked of the `yaml` package once and
 * memoized; anything else (an unusual key, a multi-line string that cannot be a literal block,
 * a value JSON does not have) sends the whole document to the `yaml` package. So the output
 * is always the package's; the fast path only decides how quickly.
 *
 * A `KubeYamlEmitter` also memoizes each top-level value of an object by identity (the CRDs'
 * `spec`, shared by every cluster's plan, is emitted once per run).
 */

import { ToolhiveValidationError } from '../errors';
import { describe } from '../rules/describe';

/** The options `cdk8s synth` gives the `yaml` package (cdk8s/lib/yaml.js), without aliases. */
export const CDK8S_YAML_OPTIONS = { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false } as const;

/** Raised inside the fast path: the document goes to the `yaml` package whole. */
class Unhandled extends Error {}
const UNHANDLED = new Unhandled();

/** Characters after which, or strings of which, a plain scalar is not possible (the yaml package's own test). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Characters only a double-quoted scalar can hold. */
const NON_PRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\uD800-\uDFFF]/;
/** A document marker at a line start (`---`, `...`, a directive). */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** Plain strings YAML 1.1 reads as something else: null, booleans, numbers, merge keys, timestamps. */
const YAML11_NON_STRINGS = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
];
/** A string that starts like a letter-led word can only be one of the few YAML 1.1 words above. */
const LETTER_WORD = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const YAML11_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False',
  'FALSE', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);

function readsAsString(s: string): boolean {
  if (LETTER_WORD.test(s)) return !YAML11_WORDS.has(s);
  return !YAML11_NON_STRINGS.some((re) => re.test(s));
}

/** Whether `s` is written plain as a value of a block collection (the yaml package's plainString, single line). */
function plainValue(s: string): boolean {
  return !NON_PRINTABLE.test(s) && !NOT_PLAIN.test(s) && readsAsString(s);
}

/** Whether `s` is written plain as an implicit key. */
function plainKey(s: string): boolean {
  return s.length > 0 && s.length <= 1024 && !s.includes('\n') && plainValue(s) && !DOCUMENT_MARKER.test(s);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The yaml package's literal block scalar (blockString, literal branch) for a multi-line string at `indent`. */
function literalBlock(value: string, indent: string): string {
  if (NON_PRINTABLE.test(value) || /\n[\t ]+$/.test(value)) throw UNHANDLED; // double-quoted over lines: context-dependent
  let endStart = value.length;
  while (endStart > 0 && '\n\t '.includes(value[endStart - 1])) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  let chomp: string;
  if (endNl === -1) chomp = '-';
  else if (value === end || endNl !== end.length - 1) throw UNHANDLED; // keep chomping changes the separator after it
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/**
 * Emits Kubernetes objects as YAML documents, byte-identical to `cdk8s synth`'s output for
 * the same objects. One emitter per run: it memoizes by identity, so the objects must not
 * change while it is in use.
 */
export class KubeYamlEmitter {
  private readonly quoted = new Map<string, string>();
  private readonly topValues = new WeakMap<object, string>();
  private yamlModule?: typeof import('yaml');
  /** Documents handed to the `yaml` package whole (outside the fast path). */
  public slowDocuments = 0;

  /** One document (ends with a newline). */
  public document(obj: unknown): string {
    if (!isPlainObject(obj)) {
      this.slowDocuments++;
      return this.slow(obj);
    }
    try {
      return this.topMap(obj);
    } catch (e) {
      if (e !== UNHANDLED) throw e;
      this.slowDocuments++;
      return this.slow(obj);
    }
  }

  /** Several documents joined as `cdk8s synth` joins a chart's objects (`---` between them). */
  public documents(objects: readonly unknown[]): string {
    if (!Array.isArray(objects)) {
      throw new ToolhiveValidationError([{ path: 'objects', message: `expected a list of objects to write as YAML documents, got ${describe(objects)}` }], 'YAML documents');
    }
    return objects.map((o) => this.document(o)).join('---\n');
  }

  private get yaml(): typeof import('yaml') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (this.yamlModule ??= require('yaml') as typeof import('yaml'));
  }

  private slow(value: unknown): string {
    return this.yaml.stringify(value, { ...CDK8S_YAML_OPTIONS, keepUndefined: true });
  }

  private topMap(obj: Record<string, unknown>): string {
    const keys = Object.keys(obj);
    if (keys.length === 0) return '{}\n';
    let out = '';
    for (const k of keys) {
      const v = obj[k];
      if (v === undefined) throw UNHANDLED;
      if (typeof v === 'object' && v !== null) {
        let text = this.topValues.get(v);
        if (text === undefined) {
          text = this.entry(k, v, '');
          this.topValues.set(v, text.substring(this.key(k).length));
        } else {
          text = this.key(k) + text;
        }
        out += text;
      } else {
        out += this.entry(k, v, '');
      }
    }
    return out;
  }

  private key(k: string): string {
    if (!plainKey(k)) throw UNHANDLED;
    return `${k}:`;
  }

  /** `key: value` at `indent` (the key's column), with its trailing newline. */
  private entry(k: string, v: unknown, indent: string): string {
    const key = this.key(k);
    const inner = `${indent}  `;
    if (Array.isArray(v)) return v.length === 0 ? `${key} []\n` : `${key}\n${this.seq(v, inner)}`;
    if (isPlainObject(v)) return Object.keys(v).length === 0 ? `${key} {}\n` : `${key}\n${this.map(v, inner, false)}`;
    return `${key} ${this.scalar(v, inner)}\n`;
  }

  /** A block map whose keys are at `indent`; `inline`: its first key follows `- ` already written. */
  private map(obj: Record<string, unknown>, indent: string, inline: boolean): string {
    let out = '';
    let first = inline;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v === undefined) throw UNHANDLED;
      out += (first ? '' : indent) + this.entry(k, v, indent);
      first = false;
    }
    return out;
  }

  /** A block sequence whose `-` are at `indent`. */
  private seq(items: readonly unknown[], indent: string, inline = false): string {
    let out = '';
    const inner = `${indent}  `;
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) throw UNHANDLED;
      const v = items[i];
      out += `${i === 0 && inline ? '' : indent}- `;
      if (Array.isArray(v)) out += v.length === 0 ? '[]\n' : this.seq(v, inner, true);
      else if (isPlainObject(v)) out += Object.keys(v).length === 0 ? '{}\n' : this.map(v, inner, true);
      else out += `${this.scalar(v, inner)}\n`;
    }
    return out;
  }

  /** A scalar value; `indent` is where a literal block's lines go. */
  private scalar(v: unknown, indent: string): string {
    switch (typeof v) {
      case 'string':
        if (!v.includes('\n')) return plainValue(v) ? v : this.quote(v);
        return literalBlock(v, indent);
      case 'number':
        return Number.isInteger(v) && Math.abs(v) < 1e21 && !Object.is(v, -0) ? String(v) : this.quote(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return 'null';
        throw UNHANDLED;
      default:
        throw UNHANDLED;
    }
  }

  /** A single-line scalar as the yaml package writes it (quoted strings, unusual numbers). Memoized. */
  private quote(v: string | number): string {
    const memoKey = typeof v === 'string' ? `s${v}` : `n${String(v)}`;
    let text = this.quoted.get(memoKey);
    if (text === undefined) {
      text = this.slow(v).replace(/\n$/, '');
      if (text.includes('\n')) throw UNHANDLED;
      this.quoted.set(memoKey, text);
    }
    return text;
  }
}

/** `objects` as cdk8s's `Yaml.stringify` writes them into one file (the `yaml` package's bytes; `cdk8s synth` also sorts keys). */
export function kubeYaml(objects: readonly unknown[]): string {
  return new KubeYamlEmitter().documents(objects);
}
