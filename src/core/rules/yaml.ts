/*
 * How YAML (go-yaml v2, which Kubernetes and Helm parse with) reads a plain, unquoted scalar.
 */

const BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// Go's strconv.ParseInt(s, 0, 64) syntax: decimal, 0x, 0o, 0b, a leading 0 for octal, `_` between digits.
const GO_INT = /^[-+]?(0[xX](_?[0-9a-fA-F])+|0[oO](_?[0-7])+|0[bB](_?[01])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/;

/**
 * Why `text`, printed by a chart between double quotes without escaping (`"{{ .Values.x }}"`),
 * would not come out as itself: a `"` or `\` changes or breaks the YAML, a line break or other
 * control character is folded or refused.
 */
export function unescapedQuotedProblem(text: string): string | undefined {
  if (/["\\\u0000-\u001f\u007f]/.test(text)) {
    return `${JSON.stringify(text)} holds a quote, a backslash or a control character, which the chart prints between double quotes without escaping: the YAML would break or read differently`;
  }
  return undefined;
}

/**
 * What a plain scalar reads as when it is not a string: `"a number"`, `"a boolean"` or
 * `"null"`; undefined when YAML reads it as the string it is.
 */
export function plainScalarType(text: string): 'a number' | 'a boolean' | 'null' | undefined {
  if (NULLS.has(text)) return 'null';
  if (BOOLEANS.has(text)) return 'a boolean';
  if (SPECIAL_FLOATS.has(text)) return 'a number';
  if (/^[-+]?0b[01_]+$/.test(text)) return 'a number';
  if (GO_INT.test(text)) return 'a number';
  if (YAML_STYLE_FLOAT.test(text)) return 'a number';
  return undefined;
}
