/*
 * How YAML (go-yaml v2, which Kubernetes and Helm parse with) reads a plain, unquoted scalar.
 */

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

/** Words YAML 1.1 reads as booleans, and as null. */
const BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * What a plain scalar reads as when it is not a string: `"a number"`, `"a boolean"`, `"null"`
 * or `"a timestamp"`; undefined when YAML reads it as the string it is. The one answer, from
 * {@link readsAsString} (go-yaml v2's resolve), that the emitter and the name rules share.
 */
export function plainScalarType(text: string): 'a number' | 'a boolean' | 'null' | 'a timestamp' | undefined {
  if (readsAsString(text)) return undefined;
  if (NULLS.has(text)) return 'null';
  if (BOOLEANS.has(text)) return 'a boolean';
  if (isTimestamp(text)) return 'a timestamp';
  return 'a number';
}


/** Words YAML 1.1 reads as booleans, null or special floats. */
const NON_STRING_WORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's float syntax for text that starts with `.` (underscores only between digits). */
const DOT_FLOAT = /^\.\d+(?:_\d+)*(?:[eE][-+]?\d+(?:_\d+)*)?$/;
/** Go integer literals (`strconv.ParseInt(s, 0, 64)`): 0b / 0o / 0x prefixes, a leading 0 for octal. */
const GO_INT = /^([-+]?)(?:0([bB])([01]+)|0([oO])([0-7]+)|0([xX])([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_MAX = BigInt(2) ** BigInt(63) - BigInt(1);
const UINT64_MAX = BigInt(2) ** BigInt(64) - BigInt(1);

/**
 * Whether `s`, printed as a plain (unquoted) scalar, reads back as the string it is in go-yaml v2
 * (what Helm and Kubernetes parse with). Only text starting with a sign, digit, `.` or one of
 * `yYnNtTfFoO~` can read as something else.
 */
export function readsAsString(s: string): boolean {
  if (NON_STRING_WORDS.has(s)) return false;
  const first = s[0];
  if (first === '.') return !(DOT_FLOAT.test(s) && Number.isFinite(Number(s.replace(/_/g, ''))));
  if (!/^[-+0-9]/.test(first)) return true;
  if (isTimestamp(s)) return false;
  const plain = s.replace(/_/g, '');
  if (goIntFits(plain)) return false;
  if (YAML_FLOAT.test(plain) && Number.isFinite(Number(plain))) return false;
  // A quirk: after `0b`, Go's base-2 parser also takes a sign.
  return !(/^0b[-+][01]+$/.test(plain) && goIntFits(`${plain[2]}0b${plain.slice(3)}`));
}

/** Whether `s` is a Go integer literal within int64 (or, unsigned, within uint64). */
function goIntFits(s: string): boolean {
  const m = GO_INT.exec(s);
  if (!m) return false;
  const [, sign, b, bin, o, oct, x, hex, leadingZero, dec] = m;
  const magnitude = b ? BigInt(`0b${bin}`) : o ? BigInt(`0o${oct}`) : x ? BigInt(`0x${hex}`)
    : leadingZero !== undefined ? BigInt(`0o${leadingZero || '0'}`) : BigInt(dec);
  if (sign === '-') return -magnitude >= INT64_MIN;
  return magnitude <= (sign === '+' ? INT64_MAX : UINT64_MAX);
}

const DATE = '(\\d{4})-(\\d{1,2})-(\\d{1,2})';
const CLOCK = '(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,]\\d+)?';
/** The timestamp layouts go-yaml tries (Go's time.Parse; a space matches a run of spaces). */
const TIMESTAMPS = [
  new RegExp(`^${DATE}[Tt]${CLOCK}(?:Z|[-+](\\d{2}):(\\d{2}))$`),
  new RegExp(`^${DATE} +${CLOCK}$`),
  new RegExp(`^${DATE}$`),
];

/** Whether go-yaml reads `s` as a timestamp (what sigs.k8s.io/yaml then turns into an RFC 3339 string). */
export function isTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  for (const layout of TIMESTAMPS) {
    const m = layout.exec(s);
    if (!m) continue;
    const [year, month, day, hour = 0, min = 0, sec = 0, zoneHour = 0, zoneMin = 0] = m.slice(1).map((d) => Number(d ?? 0));
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && min < 60 && sec < 60
      && zoneHour <= 24 && zoneMin <= 60) return true;
  }
  return false;
}
