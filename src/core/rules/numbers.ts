/*
 * Numbers: whole numbers within Kubernetes' int32 fields, ports, resource quantities.
 */
import { describe } from './describe';

/** The largest value of a Kubernetes int32 field. */
export const INT32_MAX = 2147483647;

/** Why `value` is not a whole number from `min` to `max` (at most int32 unless said otherwise). */
export function wholeNumberProblem(value: unknown, min = 0, max = INT32_MAX): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `expected a whole number, got ${describe(value)}`;
  if (value < min || value > max) {
    return max === INT32_MAX ? `expected a whole number of at least ${min} (at most ${INT32_MAX}), got ${value}` : `expected a whole number from ${min} to ${max}, got ${value}`;
  }
  return undefined;
}

/** Why `value` is not a TCP/UDP port. */
export function portProblem(value: unknown): string | undefined {
  return wholeNumberProblem(value, 1, 65535) ? `expected a port from 1 to 65535, got ${describe(value)}` : undefined;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Why `value` is not a non-negative resource quantity (`500m`, `1.5`, `128Mi`, `2Gi`). */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? undefined : `expected a non-negative quantity, got ${value}`;
  }
  if (typeof value !== 'string') return `expected a quantity such as "500m" or "128Mi", got ${describe(value)}`;
  if (!QUANTITY.test(value)) return `${JSON.stringify(value)} is not a quantity; expected e.g. "500m", "2", "128Mi" or "1Gi"`;
  if (value.startsWith('-') && !/^-0*(\.0*)?([a-zA-Z]+|[eE][+-]?\d+)?$/.test(value)) return `${JSON.stringify(value)} is negative; resources are at least 0`;
  return undefined;
}
