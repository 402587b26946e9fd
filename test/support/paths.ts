import * as path from 'path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The git-ignored cache for upstream data and built tools. */
export const CACHE_DIR = process.env.TOOLHIVE_CONSTRUCTS_CACHE ?? path.join(REPO_ROOT, '.cache');
