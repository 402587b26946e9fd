/*
 * Upstream data for tests (CRD YAML, chart values), resolved in this order:
 *   1. the folder named by TOOLHIVE_UPSTREAM_DIR,
 *   2. ../shared/upstream beside the checkout,
 *   3. a download of the pinned files from the upstream release tag into the git-ignored cache.
 * Nothing upstream is committed to this repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE_DIR, REPO_ROOT } from './paths';
import { CrdSource, TOOLHIVE_VERSION } from '../../src';
import { _fetch } from '../../src/core/_fetch';

/** Files of one ToolHive release. */
export interface ToolhiveUpstream {
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

/** The ToolHive release's upstream files, downloading them into the cache when no local copy exists. */
export function toolhiveUpstream(version = TOOLHIVE_VERSION): ToolhiveUpstream {
  for (const root of candidates()) {
    const dir = path.join(root, `toolhive-v${version}`);
    if (fs.existsSync(path.join(dir, 'crds'))) {
      return {
        crdsDir: path.join(dir, 'crds'),
        operatorValuesFile: path.join(dir, 'operator-chart-values.yaml'),
        crdsValuesFile: path.join(dir, 'operator-crds-chart-values.yaml'),
      };
    }
  }
  const dir = path.join(CACHE_DIR, 'upstream', `toolhive-v${version}`);
  const crdsDir = path.join(dir, 'crds');
  // Downloads the CRD files of the tag into crdsDir (CrdSource keeps them there).
  CrdSource.fromRelease(version, { cacheDir: path.join(dir, 'release-cache') }).load();
  if (!fs.existsSync(crdsDir)) fs.cpSync(path.join(dir, 'release-cache', 'crds', version), crdsDir, { recursive: true });
  const tag = `https://raw.githubusercontent.com/stacklok/toolhive/refs/tags/v${version}/deploy/charts`;
  const files: [string, string][] = [
    [path.join(dir, 'operator-chart-values.yaml'), `${tag}/operator/values.yaml`],
    [path.join(dir, 'operator-crds-chart-values.yaml'), `${tag}/operator-crds/values.yaml`],
  ];
  for (const [file, url] of files) {
    if (!fs.existsSync(file)) fs.writeFileSync(file, _fetch.fetchText(url));
  }
  return { crdsDir, operatorValuesFile: files[0][0], crdsValuesFile: files[1][0] };
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
