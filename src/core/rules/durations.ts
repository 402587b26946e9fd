/*
 * Go durations (`time.ParseDuration`), as the Registry Server and the operator parse them.
 */

const UNITS_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const EXTENDED_NS: Record<string, number> = { ...UNITS_NS, d: 86400e9, w: 604800e9 };

/**
 * Nanoseconds of a Go duration (`1h30m`, `10s`, `500ms`, `-1.5h`), or undefined when Go would
 * not parse it. `extended` also accepts `d` and `w`, as kube-openapi's duration format does.
 */
export function parseGoDuration(text: unknown, extended = false): number | undefined {
  if (typeof text !== 'string') return undefined;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  const units = extended ? EXTENDED_NS : UNITS_NS;
  const re = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h|d|w)/gy;
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

/** Why `text` is not a positive Go duration. */
export function positiveDurationProblem(text: unknown): string | undefined {
  const ns = parseGoDuration(text);
  if (ns === undefined) return `${JSON.stringify(text)} is not a Go duration like "30s", "5m" or "1h30m"`;
  return ns > 0 ? undefined : `${JSON.stringify(text)} must be longer than zero`;
}
