import { createHash } from 'crypto';
import { isPlainObject } from '../util';

/*
 * What Helm's `toYaml` prints (Go's yaml.v2 marshalling of JSON-like data): map keys sorted,
 * list items at their key's indentation, strings plain unless YAML would read them as
 * something else. Charts hash this text (e.g. the Registry Server's config-hash annotation),
 * so raw manifests must reproduce it to the byte.
 */

const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']);
const NON_STRINGS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN',
]);
const NUMBER = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;

function quoteDouble(s: string): string {
  return JSON.stringify(s);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : (Number.isNaN(value) ? '.nan' : value > 0 ? '+.inf' : '-.inf');
  const s = String(value);
  if (s === '') return '""';
  if (s.includes('\n')) return quoteDouble(s);
  if (NON_STRINGS.has(s) || NUMBER.test(s) || SEXAGESIMAL.test(s)) return quoteDouble(s);
  const plain = !INDICATORS.has(s[0])
    && !/^\s|\s$/.test(s)
    && !s.includes(': ')
    && !s.includes(' #')
    && !s.endsWith(':')
    && !/[\u0000-\u001f\u007f]/.test(s);
  if (plain) return s;
  return `'${s.replace(/'/g, '\'\'')}'`;
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    const out: string[] = [];
    for (const item of value) {
      if ((isPlainObject(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) {
        const inner = lines(item, `${indent}  `);
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        out.push(`${indent}- ${inlineValue(item)}`);
      }
    }
    return out;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    if (keys.length === 0) return [`${indent}{}`];
    const out: string[] = [];
    for (const k of keys) {
      const v = value[k];
      const key = scalar(k);
      if (isPlainObject(v) && Object.keys(v).length > 0) {
        out.push(`${indent}${key}:`, ...lines(v, `${indent}  `));
      } else if (Array.isArray(v) && v.length > 0) {
        out.push(`${indent}${key}:`, ...lines(v, indent));
      } else {
        out.push(`${indent}${key}: ${inlineValue(v)}`);
      }
    }
    return out;
  }
  return [`${indent}${scalar(value)}`];
}

function inlineValue(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (isPlainObject(v)) return '{}';
  return scalar(v);
}

/** Helm's `toYaml` output for `value`, without the trailing newline (as `toYaml` returns it). */
export function goToYaml(value: unknown): string {
  return lines(value, '').join('\n');
}

/** Helm's `x | toYaml | sha256sum`. */
export function goYamlSha256(value: unknown): string {
  return createHash('sha256').update(goToYaml(value)).digest('hex');
}
