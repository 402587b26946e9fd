/** Progress messages (stderr). */
export type Log = (message: string) => void;

/** A case not run because one call would take too long; projected linearly from a smaller size. */
export interface Skipped {
  readonly projectedMs: number;
  readonly from: { readonly n: number; readonly ms: number };
}

/** One call at `n`, projected linearly (through zero) from the median at a smaller size. */
export function projectMs(previous: { n: number; ms: number } | undefined, n: number): number | undefined {
  return previous ? previous.ms * (n / previous.n) : undefined;
}
