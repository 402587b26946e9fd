/*
 * A fleet upgrade in waves: a canary set first, then the other clusters in batches (by count, or
 * one batch per label value). Each wave is a platform spec in which the clusters of that wave and
 * of every earlier wave run the target release and the others keep theirs, and its plan: write
 * it (writeManifests), or hand it to planFlux / planArgoCd, and only that wave's clusters change.
 */
import { IssueCollector } from '../errors';
import { chartVersionProblem } from '../rules/versions';
import { isPlainObject } from '../util';
import { TOOLHIVE_VERSION } from '../versions';
import { PlatformPlan } from './model';
import { planPlatform } from './plan';
import { PlatformClusterSpec, PlatformSpec } from './spec';

/** How a fleet moves to another ToolHive release. */
export interface RolloutOptions {
  /** The release every cluster moves to, e.g. `0.66.0`. */
  readonly to: string;
  /** Clusters upgraded first, on their own (by name). @default - no canary wave */
  readonly canary?: readonly string[];
  /** Then the other clusters in batches of this many (in name order). Exclusive with `batchBy`. @default - one batch */
  readonly batchSize?: number;
  /**
   * Or one batch per value, in the values' order: a label (region, environment, ...) for every
   * other cluster, by name. Exclusive with `batchSize`.
   * @default - one batch (or batches of `batchSize`)
   */
  readonly batchBy?: { readonly [cluster: string]: string };
}

/** One wave of a rollout. */
export interface RolloutWave {
  /** 1 for the first wave. */
  readonly index: number;
  /** The clusters this wave moves, by name. */
  readonly clusters: readonly string[];
  /** The platform after this wave: this wave's and the earlier waves' clusters pin the target release. */
  readonly spec: PlatformSpec;
  /** `planPlatform(spec)`. */
  readonly plan: PlatformPlan;
}

/** The clusters that run the open source operator (the ones a release pin moves). */
function operatorClusters(spec: PlatformSpec): string[] {
  return Object.entries(spec.clusters).filter(([, c]) => isPlainObject(c) && c.toolhiveOperator !== undefined).map(([n]) => n).sort();
}

function checkOptions(spec: PlatformSpec, o: RolloutOptions, issues: IssueCollector): string[] {
  if (!isPlainObject(spec) || !isPlainObject(spec.clusters)) {
    issues.add('spec', 'expected a platform spec with clusters');
    return [];
  }
  if (spec.edition === 'enterprise') issues.add('spec.edition', 'the enterprise edition pins the operator with enterprise.version: roll it out per cluster release instead');
  if (!isPlainObject(o)) {
    issues.add('options', 'expected { to, canary, batchSize, batchBy }');
    return [];
  }
  const versionProblem = chartVersionProblem(o.to, TOOLHIVE_VERSION);
  if (versionProblem) issues.add('options.to', versionProblem);
  const eligible = operatorClusters(spec);
  const known = (name: unknown, at: string) => {
    if (typeof name !== 'string' || !eligible.includes(name)) {
      issues.add(at, `${JSON.stringify(name)} is not a cluster of the platform that runs the ToolHive operator; expected one of: ${eligible.join(', ')}`);
    }
  };
  if (o.canary !== undefined) {
    if (!Array.isArray(o.canary)) issues.add('options.canary', 'expected a list of cluster names');
    else o.canary.forEach((n, i) => { known(n, `options.canary[${i}]`); if (o.canary!.indexOf(n) !== i) issues.add(`options.canary[${i}]`, `${JSON.stringify(n)} is listed twice`); });
  }
  if (o.batchSize !== undefined && (typeof o.batchSize !== 'number' || !Number.isInteger(o.batchSize) || o.batchSize < 1)) {
    issues.add('options.batchSize', `expected a whole number of clusters, 1 or more, got ${JSON.stringify(o.batchSize)}`);
  }
  if (o.batchBy !== undefined) {
    if (o.batchSize !== undefined) issues.add('options.batchBy', 'set batchSize or batchBy, not both');
    if (!isPlainObject(o.batchBy)) {
      issues.add('options.batchBy', 'expected a label value by cluster name');
    } else {
      for (const [n, v] of Object.entries(o.batchBy)) {
        known(n, `options.batchBy["${n}"]`);
        if (typeof v !== 'string' || v === '') issues.add(`options.batchBy["${n}"]`, `expected a non-empty label value, got ${JSON.stringify(v)}`);
      }
      const canary = Array.isArray(o.canary) ? o.canary : [];
      const missing = eligible.filter((n) => !canary.includes(n) && !(n in (o.batchBy as object)));
      if (missing.length > 0) issues.add('options.batchBy', `every cluster outside the canary needs a value; missing: ${missing.join(', ')}`);
    }
  }
  return eligible;
}

/** The spec with `clusters` pinned to `to` (and the operator's own pin, where it has one). */
function pinned(spec: PlatformSpec, clusters: ReadonlySet<string>, to: string): PlatformSpec {
  const out: { [name: string]: PlatformClusterSpec } = {};
  for (const [name, c] of Object.entries(spec.clusters)) {
    if (!clusters.has(name)) {
      out[name] = c;
      continue;
    }
    const op = c.toolhiveOperator;
    out[name] = { ...c, version: to, ...(op?.version !== undefined ? { toolhiveOperator: { ...op, version: to } } : {}) };
  }
  return { ...spec, clusters: out };
}

/**
 * Splits a fleet's move to release `options.to` into waves: the canary clusters, then batches of
 * the others (by count or by label value; one batch by default). Each wave comes with the
 * platform spec after it and that spec's plan, so writing or syncing wave after wave changes only
 * that wave's clusters. Throws one validation error listing every problem (unknown clusters,
 * a cluster in the canary twice, a bad batch size, clusters without a batch label).
 */
export function planRollout(spec: PlatformSpec, options: RolloutOptions): RolloutWave[] {
  const issues = new IssueCollector();
  const eligible = checkOptions(spec, options, issues);
  issues.throwIfAny('rollout');
  const canary = [...(options.canary ?? [])];
  const rest = eligible.filter((n) => !canary.includes(n));
  let batches: string[][];
  if (options.batchBy) {
    const values = [...new Set(rest.map((n) => options.batchBy![n]))].sort();
    batches = values.map((v) => rest.filter((n) => options.batchBy![n] === v));
  } else if (options.batchSize) {
    batches = [];
    for (let i = 0; i < rest.length; i += options.batchSize) batches.push(rest.slice(i, i + options.batchSize));
  } else {
    batches = [rest];
  }
  const waves = [canary, ...batches].filter((w) => w.length > 0);
  const moved = new Set<string>();
  return waves.map((clusters, i) => {
    for (const n of clusters) moved.add(n);
    const after = pinned(spec, moved, options.to);
    return { index: i + 1, clusters, spec: after, plan: planPlatform(after) };
  });
}
