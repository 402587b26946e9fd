import { createHash } from 'crypto';
import { ToolhiveValidationError, ValidationIssue } from '../errors';
import { joinPath, keySegment } from '../paths';
import { describe } from '../rules/describe';
import { FORBIDDEN_KEYS, forbiddenKeyMessage } from '../rules/keys';
import { readsAsString } from '../rules/yaml';
import { isPlainObject } from '../util';

/*
 * What Helm's `toYaml` prints. Helm marshals with sigs.k8s.io/yaml: the value goes through JSON
 * (so numbers are JSON numbers again), is read back by go-yaml v2 (integral numbers become
 * ints) and printed by go-yaml v2's emitter, then one trailing newline is trimmed. Charts hash
 * this text (e.g. the Registry Server's config-hash annotation), so raw manifests must
 * reproduce it to the byte. This module is a small port of the parts of that emitter that
 * JSON-like data reaches: block collections, empty flow collections, four scalar styles.
 */

const BEST_WIDTH = 80; // past this column, scalars fold at a space
const BEST_INDENT = 2;
const MAX_SIMPLE_KEY = 128; // longer (UTF-8 bytes) or multi-line keys use the `? key` form

type Style = 'plain' | 'single' | 'double' | 'literal';

/** Emitter state: `column` counts characters; `whitespace` / `indention` describe the line so far. */
class Writer {
  out = '';
  column = 0;
  indent = -1;
  whitespace = true;
  indention = true;

  /** Writes ASCII text (indicators, escapes), one column per character. */
  put(s: string): void {
    this.out += s;
    this.column += s.length;
  }
  /** Writes one character of a value (astral ones too) in one column. */
  char(c: string): void {
    this.out += c;
    this.column++;
  }
  /** A line break: `\n`, or a break character of the value (LS, PS) written as is. */
  newline(c = '\n'): void {
    this.out += c;
    this.column = 0;
  }
  /** Moves to column `indent`, starting a new line unless only indentation was written. */
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.newline();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }
  /** Runs `body` one level deeper (flow: scalars; indentless: a sequence under a key). */
  nested(flow: boolean, indentless: boolean, body: () => void): void {
    const saved = this.indent;
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
    body();
    this.indent = saved;
  }
}

interface Context {
  /** The node is a mapping key or value (a sequence there stays at the key's indentation). */
  readonly mapping?: boolean;
  /** The node is a key written inline (`key: value`): it is never folded. */
  readonly simpleKey?: boolean;
}

function emitNode(w: Writer, value: unknown, ctx: Context): void {
  if (Array.isArray(value)) {
    if (value.length === 0) emitEmpty(w, '[]');
    else emitSequence(w, value, ctx);
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(compareKeys);
    if (keys.length === 0) emitEmpty(w, '{}');
    else emitMapping(w, value, keys);
  } else if (typeof value === 'string') {
    emitScalar(w, value, requestedStyle(value), ctx);
  } else {
    emitScalar(w, nonStringText(value), 'plain', ctx);
  }
}

/** Empty collections are the only flow collections: `[]`, `{}`. */
function emitEmpty(w: Writer, text: string): void {
  w.indicator(text[0], true, true, false);
  w.indicator(text[1], false, false, false);
}

/** Items go one level in, except right after `key:` where they stay at the key's column. */
function emitSequence(w: Writer, items: unknown[], ctx: Context): void {
  w.nested(false, !!ctx.mapping && !w.indention, () => {
    for (const item of items) {
      w.writeIndent();
      w.indicator('-', true, false, true);
      emitNode(w, item, {});
    }
  });
}

function emitMapping(w: Writer, map: Record<string, unknown>, keys: string[]): void {
  w.nested(false, false, () => {
    for (const key of keys) {
      w.writeIndent();
      if (!analyze(key).multiline && Buffer.byteLength(key) <= MAX_SIMPLE_KEY) {
        emitScalar(w, key, requestedStyle(key), { mapping: true, simpleKey: true });
        w.indicator(':', false, false, false);
      } else {
        w.indicator('?', true, false, true);
        emitScalar(w, key, requestedStyle(key), { mapping: true });
        w.writeIndent();
        w.indicator(':', true, false, true);
      }
      emitNode(w, map[key], { mapping: true });
    }
  });
}

function nonStringText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}

const INT64_MIN = -(BigInt(2) ** BigInt(63));
const UINT64_MAX = BigInt(2) ** BigInt(64) - BigInt(1);

/**
 * A number as it comes back from the JSON round trip: integral JSON numbers that fit an int64
 * or uint64 print as integers; others print as Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
 */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    const text = String(n); // the same digits Go's JSON encoder writes
    const big = BigInt(text);
    if (big >= INT64_MIN && big <= UINT64_MAX) return text;
  }
  // 'g' with the shortest digits: exponent form when the exponent is < -4 or >= 6.
  const [mantissa, exp] = n.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(n);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** The style go-yaml asks for: literal for text with newlines, plain when it reads back as a string. */
function requestedStyle(s: string): Style {
  if (s.includes('\n')) return 'literal';
  return readsAsString(s) && !BASE60.test(s) ? 'plain' : 'double';
}

function emitScalar(w: Writer, value: string, requested: Style, ctx: Context): void {
  const chars = Array.from(value);
  const style = selectStyle(requested, analyze(value), chars.length === 0, !!ctx.simpleKey);
  const allowBreaks = !ctx.simpleKey;
  w.nested(true, false, () => {
    if (style === 'plain') writePlain(w, chars, allowBreaks);
    else if (style === 'single') writeSingle(w, chars, allowBreaks);
    else if (style === 'double') writeDouble(w, chars, allowBreaks);
    else writeLiteral(w, chars);
  });
}

/** Falls back from the requested style to the first one the content allows. */
function selectStyle(requested: Style, a: Analysis, empty: boolean, simpleKey: boolean): Style {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && (!a.plainAllowed || (empty && simpleKey))) style = 'single';
  if (style === 'single' && !a.singleAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

// ---- What a scalar's characters allow (go-yaml's analyze_scalar, block context only) ----

interface Analysis {
  readonly multiline: boolean;
  readonly plainAllowed: boolean;
  readonly singleAllowed: boolean;
  readonly blockAllowed: boolean;
}

const LEADING_INDICATORS = new Set(['#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']);

function analyze(value: string): Analysis {
  const chars = Array.from(value);
  if (chars.length === 0) return { multiline: false, plainAllowed: true, singleAllowed: true, blockAllowed: false };
  let indicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false, special = false, spaceBreak = false, breakSpace = false;
  let precededByWhitespace = true, previousSpace = false, previousBreak = false;
  chars.forEach((c, i) => {
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      indicators ||= LEADING_INDICATORS.has(c) || ((c === '?' || c === ':' || c === '-') && followedByWhitespace);
    } else {
      indicators ||= (c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace);
    }
    special ||= !isPrintable(c);
    if (c === ' ') {
      breakSpace ||= previousBreak;
    } else if (isBreak(c)) {
      lineBreaks = true;
      spaceBreak ||= previousSpace;
    }
    previousSpace = c === ' ';
    previousBreak = isBreak(c);
    precededByWhitespace = isBlank(c) || isBreak(c) || c === '\0';
  });
  const first = chars[0], last = chars[chars.length - 1];
  const edgeSpace = first === ' ' || isBreak(first) || last === ' ' || isBreak(last);
  return {
    multiline: lineBreaks,
    plainAllowed: !(edgeSpace || breakSpace || spaceBreak || special || lineBreaks || indicators),
    singleAllowed: !(breakSpace || spaceBreak || special),
    blockAllowed: !(last === ' ' || spaceBreak || special),
  };
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
const isBreak = (c: string): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';

/** Printable as is: LF, ASCII graphics and space, and the BMP minus controls, surrogates and BOM. */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

// ---- Scalar writers ----

/** Plain: folds at a single space once past the best width. */
function writePlain(w: Writer, chars: string[], allowBreaks: boolean): void {
  if (!w.whitespace) w.put(' ');
  writeFolding(w, chars, allowBreaks, false);
  w.whitespace = false;
  w.indention = false;
}

/** Single-quoted: `'` doubled; folds only at inner single spaces. */
function writeSingle(w: Writer, chars: string[], allowBreaks: boolean): void {
  w.indicator('\'', true, false, false);
  writeFolding(w, chars, allowBreaks, true);
  w.indicator('\'', false, false, false);
  w.whitespace = false;
  w.indention = false;
}

/** The shared loop of plain and single-quoted text (line breaks in the value are doubled). */
function writeFolding(w: Writer, chars: string[], allowBreaks: boolean, quoted: boolean): void {
  let spaces = false, breaks = false;
  chars.forEach((c, i) => {
    if (c === ' ') {
      const inner = !quoted || (i > 0 && i < chars.length - 1);
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && inner && chars[i + 1] !== ' ') w.writeIndent();
      else w.char(c);
      spaces = true;
    } else if (isBreak(c)) {
      if (!breaks && c === '\n') w.newline();
      w.newline(c);
      w.indention = true;
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      if (quoted && c === '\'') w.put('\'\'');
      else w.char(c);
      w.indention = false;
      spaces = false;
      breaks = false;
    }
  });
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** `\` escape of one character: a named one, else `\xXX`, `\uXXXX` or `\UXXXXXXXX` (upper-case hex). */
function escape(c: string): string {
  const cp = c.codePointAt(0)!;
  const named = NAMED_ESCAPES[cp];
  if (named !== undefined) return `\\${named}`;
  const [letter, digits] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${letter}${cp.toString(16).toUpperCase().padStart(digits as number, '0')}`;
}

/**
 * Double-quoted: escapes what is not printable, line breaks, `"` and `\` (everything, when the
 * value starts with a BOM); folds at an inner space past the best width, and a space that then
 * starts the next line is written `\ `.
 */
function writeDouble(w: Writer, chars: string[], allowBreaks: boolean): void {
  const bom = chars[0] === '\ufeff';
  w.indicator('"', true, false, false);
  let spaces = false;
  chars.forEach((c, i) => {
    if (bom || !isPrintable(c) || isBreak(c) || c === '"' || c === '\\') {
      w.put(escape(c));
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        w.writeIndent();
        if (chars[i + 1] === ' ') w.put('\\');
      } else {
        w.char(c);
      }
      spaces = true;
    } else {
      w.char(c);
      spaces = false;
    }
  });
  w.indicator('"', false, false, false);
  w.whitespace = false;
  w.indention = false;
}

/**
 * Literal block: `|`, an indentation hint `2` when the text starts with a space or break, and a
 * chomping hint: `-` without a final line break, `+` when it ends with two (or is only one).
 */
function writeLiteral(w: Writer, chars: string[]): void {
  w.indicator('|', true, false, false);
  if (chars[0] === ' ' || isBreak(chars[0])) w.indicator(String(BEST_INDENT), false, false, false);
  const n = chars.length;
  const chomp = !isBreak(chars[n - 1]) ? '-' : n === 1 || isBreak(chars[n - 2]) ? '+' : '';
  if (chomp) w.indicator(chomp, false, false, false);
  w.newline();
  w.indention = true;
  w.whitespace = true;
  let breaks = true;
  for (const c of chars) {
    if (isBreak(c)) {
      w.newline(c);
      w.indention = true;
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      w.char(c);
      w.indention = false;
      breaks = false;
    }
  }
}

// Whether a plain scalar reads back as a string: rules/yaml.ts (readsAsString), shared with the name rules.

/** Sexagesimal numbers (`1:30`): YAML 1.1 floats that go-yaml quotes without reading them. */
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

// ---- Key order (go-yaml v2's sorter) ----

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);

/**
 * go-yaml's "natural" key order, compared character by character: letters by code point, any
 * non-letter before a letter, and between non-letters the digit runs starting there compared
 * as numbers (so `a2` < `a10`), then the shorter run, then the code point.
 */
function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a), br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    // A 0 inside a number (after a non-zero digit of the shared prefix) keeps that number going.
    let seed = BigInt(0);
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') { seed = BigInt(1); break; }
      }
    }
    const [an, ai] = digitRun(ar, i, seed), [bn, bi] = digitRun(br, i, seed);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** The digits from `start` read as a number (wrapping like Go's int64), and where they end. */
function digitRun(chars: string[], start: number, seed: bigint): [bigint, number] {
  let n = seed, i = start;
  for (; isDigit(chars[i]); i++) n = BigInt.asIntN(64, n * BigInt(10) + BigInt(chars[i].codePointAt(0)! - 48));
  return [n, i];
}

function compareKeys(a: string, b: string): number {
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
}

// ---- The JSON round trip ----

/** Raised when go-yaml cannot read back Go's JSON for the value: `toYaml` then prints nothing. */
class Unreadable extends Error {}

/** Characters Go's JSON encoder leaves raw but go-yaml's reader rejects (DEL, C1 controls, U+FFFE/F). */
const UNREADABLE = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]|\u0085(?:---|\.\.\.)[ \u0085]/;

/**
 * The value as go-yaml reads back Go's JSON of it. Strings change in one way: a raw NEL
 * (U+0085), the one line break JSON does not escape, folds with the spaces around it like any
 * line break in a double-quoted scalar: one becomes a space, n of them n-1 newlines.
 */
function readBack(value: unknown): unknown {
  if (typeof value === 'string') {
    if (UNREADABLE.test(value)) throw new Unreadable();
    return value.includes('\u0085') ? value.replace(/ *(?:\u0085 *)+/g, (run) => foldedNel(run)) : value;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Unreadable(); // JSON has no NaN / Infinity
  if (Array.isArray(value)) return value.map((item) => readBack(item === undefined ? null : item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (FORBIDDEN_KEYS.has(k)) throw new NotJson();
      if (k.includes('\u0085') || jsonLength(k) > MAX_JSON_KEY) throw new Unreadable();
      out[readBack(k) as string] = readBack(v);
    }
    return out;
  }
  if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new NotJson();
  return value;
}

/** Data that is not JSON (a function, a Symbol, a Date, an own `__proto__` key): refused, never printed as JavaScript text. */
class NotJson extends Error {}

/** Where `value` holds what is not JSON data, with the path and what it is (only when readBack found some). */
function notJsonIssues(value: unknown, path: string, out: ValidationIssue[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => notJsonIssues(item, `${path}[${i}]`, out));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const at = joinPath(path === '(root)' ? '' : path, keySegment(k));
      if (FORBIDDEN_KEYS.has(k)) out.push({ path: at, message: forbiddenKeyMessage(k) });
      else if (v !== undefined) notJsonIssues(v, at, out);
    }
  } else if (value !== null && value !== undefined && !['string', 'number', 'boolean'].includes(typeof value)) {
    out.push({ path, message: `expected JSON data (maps, lists, strings, numbers, true, false, null), got ${describe(value)}` });
  }
}

/**
 * Keys are read back as implicit keys of JSON's flow mappings: single-line (so no raw NEL), and
 * at most 1022 characters of JSON text between the quotes (the reader's 1024-character limit).
 */
const MAX_JSON_KEY = 1022;

/** Characters Go's JSON encoder writes for `s`: `\"`-style escapes take 2, `\u00XX` ones 6. */
function jsonLength(s: string): number {
  let n = 0;
  for (const c of s) {
    if ('"\\\n\r\t\b\f'.includes(c)) n += 2;
    else if (c < ' ' || '<>&\u2028\u2029'.includes(c)) n += 6;
    else n += 1;
  }
  return n;
}

function foldedNel(run: string): string {
  const breaks = run.split('\u0085').length - 1;
  return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
}

/** Helm's `toYaml` output for `value`, without the trailing newline (as `toYaml` returns it). */
export function goToYaml(value: unknown): string {
  let data: unknown;
  try {
    data = readBack(value);
  } catch (e) {
    if (e instanceof Unreadable) return '';
    if (e instanceof NotJson) {
      const issues: ValidationIssue[] = [];
      notJsonIssues(value, '(root)', issues);
      throw new ToolhiveValidationError(issues, 'toYaml data');
    }
    throw e;
  }
  const w = new Writer();
  emitNode(w, data, {});
  w.indent = -1;
  w.writeIndent(); // the document ends on a fresh line
  return w.out.endsWith('\n') ? w.out.slice(0, -1) : w.out;
}

/** Helm's `x | toYaml | sha256sum`. */
export function goYamlSha256(value: unknown): string {
  return createHash('sha256').update(goToYaml(value)).digest('hex');
}
