/*
 * Upstream data for tests (CRD YAML, charts, chart values, the charts' helm-unittest suites) of
 * every supported ToolHive release, resolved in this order:
 *   1. the folder named by TOOLHIVE_UPSTREAM_DIR, when it holds toolhive-v<version>/ with crds/ and charts/;
 *   2. the release's Go module, fetched and verified against the release table by
 *      scripts/upstream.ts into the git-ignored cache (.cache/upstream/toolhive-v<version>/).
 * Nothing upstream is committed to this repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';
import { ensureRelease, UPSTREAM_CACHE } from '../../scripts/upstream';
import { TOOLHIVE_VERSION } from '../../src';

/** Files of one ToolHive release. */
export interface ToolhiveUpstream {
  /** The release's folder: crds/, charts/operator, charts/operator-crds, unittest/. */
  readonly dir: string;
  /** Folder with the 14 CRD files. */
  readonly crdsDir: string;
  /** The operator chart's values.yaml. */
  readonly operatorValuesFile: string;
  /** The CRD chart's values.yaml. */
  readonly crdsValuesFile: string;
}

function candidates(): string[] {
  const list: string[] = [];
  if (process.env.TOOLHIVE_UPSTREAM_DIR) list.push(path.resolve(process.env.TOOLHIVE_UPSTREAM_DIR));
  list.push(path.resolve(REPO_ROOT, '..', 'shared', 'upstream'));
  return list;
}

/** The folder every test run points TOOLHIVE_UPSTREAM_DIR at: the verified releases in the cache. */
export const RELEASES_DIR = UPSTREAM_CACHE;

/** A ToolHive release's upstream files, fetched from its Go module (and verified) when no local copy exists. */
export function toolhiveUpstream(version = TOOLHIVE_VERSION): ToolhiveUpstream {
  const given = process.env.TOOLHIVE_UPSTREAM_DIR ? path.join(path.resolve(process.env.TOOLHIVE_UPSTREAM_DIR), `toolhive-v${version}`) : undefined;
  const dir = given && fs.existsSync(path.join(given, 'crds')) && fs.existsSync(path.join(given, 'charts')) ? given : ensureRelease(version);
  return {
    dir,
    crdsDir: path.join(dir, 'crds'),
    operatorValuesFile: path.join(dir, 'operator-chart-values.yaml'),
    crdsValuesFile: path.join(dir, 'operator-crds-chart-values.yaml'),
  };
}

/**
 * The Flux and Argo CD CRDs (gitops/ of the upstream data directory: $TOOLHIVE_UPSTREAM_DIR,
 * else ../shared/upstream). They are not downloaded: without them, the GitOps schema tests fail
 * saying where they are looked for.
 */
export function gitopsUpstream(): string {
  for (const root of candidates()) {
    const dir = path.join(root, 'gitops');
    if (fs.existsSync(path.join(dir, 'flux')) && fs.existsSync(path.join(dir, 'argo-cd'))) return dir;
  }
  throw new Error(`the Flux and Argo CD CRDs were not found in ${candidates().map((c) => path.join(c, 'gitops')).join(' or ')} (set TOOLHIVE_UPSTREAM_DIR)`);
}
