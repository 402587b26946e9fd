/*
 * Durations: Go's `time.ParseDuration` (the Registry Server, the operator) and the OpenAPI
 * `duration` format the API server validates CRD fields with. One parser, two grammars.
 */

const UNITS_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const EXTENDED_NS: Record<string, number> = { ...UNITS_NS, d: 86400e9, w: 604800e9 };
const GO_PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h|d|w)/gy;
// The OpenAPI format also allows a space before a unit.
const OPENAPI_PART = /([0-9]*(?:\.[0-9]*)?)\s*(ns|us|µs|μs|ms|s|m|h|d|w)/gy;

/** The sum of `text`'s parts (`[sign]<number><unit>...`, each matched by `part`), or undefined. */
function parseDurationParts(text: string, part: RegExp, units: Record<string, number>): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  const re = new RegExp(part.source, part.flags);
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) {
    if (m[1] === '' || m[1] === '.' || units[m[2]] === undefined) return undefined;
    total += Number(m[1]) * units[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === rest.length ? sign * total : undefined;
}

/**
 * Nanoseconds of a Go duration (`1h30m`, `10s`, `500ms`, `-1.5h`), or undefined when Go would
 * not parse it. `extended` also accepts `d` and `w`.
 */
export function parseGoDuration(text: unknown, extended = false): number | undefined {
  return typeof text === 'string' ? parseDurationParts(text, GO_PART, extended ? EXTENDED_NS : UNITS_NS) : undefined;
}

/**
 * Nanoseconds of a duration in the OpenAPI `duration` format as the API server's schema
 * validation reads it (Go-style `1h30m`, `250ms`, also `d` and `w`, a space allowed before a
 * unit), or undefined. Used for CRD fields with `format: duration`.
 */
export function parseOpenApiDuration(text: string): number | undefined {
  return parseDurationParts(text.trim(), OPENAPI_PART, EXTENDED_NS);
}

/** What a Go duration may be: its lower bound, and an upper one in nanoseconds with how to say it. */
export interface GoDurationBounds {
  /** `positive`: above zero; `non-negative`: zero or more. @default - any */
  readonly min?: 'positive' | 'non-negative';
  /** The largest accepted, in nanoseconds, and as written (e.g. `[300e9, '5m']`). @default - none */
  readonly max?: readonly [number, string];
}

/**
 * The one Go-duration rule, with one set of messages: why `text` is not a Go duration (as Go's
 * `time.ParseDuration` reads it) within `bounds`. Every duration field's rule is this one.
 */
export function goDurationProblem(text: unknown, bounds: GoDurationBounds = {}): string | undefined {
  const ns = parseGoDuration(text);
  if (ns === undefined) return `${JSON.stringify(text)} is not a Go duration like "30s", "5m" or "1h30m"`;
  if (bounds.min === 'positive' && ns <= 0) return `${JSON.stringify(text)} must be longer than zero`;
  if (bounds.min === 'non-negative' && ns < 0) return `${JSON.stringify(text)} is negative; expected zero or longer`;
  if (bounds.max && ns > bounds.max[0]) return `${JSON.stringify(text)} is longer than ${bounds.max[1]}, the most it may be`;
  return undefined;
}

/** Why `text` is not a positive Go duration. */
export function positiveDurationProblem(text: unknown): string | undefined {
  return goDurationProblem(text, { min: 'positive' });
}

const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Why `text` is not an interval the Flux CRDs take (`10m`, `1h30m`, `500ms`: no sign, no `us`). */
export function fluxIntervalProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || !FLUX_DURATION.test(text)) return `${JSON.stringify(text)} is not a Flux interval like "30s", "10m" or "1h30m"`;
  return positiveDurationProblem(text);
}
