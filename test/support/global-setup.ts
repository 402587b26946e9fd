import * as fs from 'fs';
import * as path from 'path';
import { ensureKubernetesOpenApi } from './k8s-openapi';
import { REPO_ROOT } from './paths';
import { toolhiveUpstream } from './upstream';
import { TOOLHIVE_VERSION } from '../../src';

/** Fetches shared test data once, before the test workers start. */
export default function globalSetup(): void {
  ensureKubernetesOpenApi();
  try {
    toolhiveUpstream();
  } catch (e) {
    // One clear line instead of a stack: what is missing and what to set.
    const cause = String(e instanceof Error ? e.message.split('\n')[0] : e);
    console.error(`\nThe tests need the upstream ToolHive ${TOOLHIVE_VERSION} files (CRDs, chart values): there is no ../shared/upstream beside the checkout, `
      + `TOOLHIVE_UPSTREAM_DIR is ${process.env.TOOLHIVE_UPSTREAM_DIR ? `${process.env.TOOLHIVE_UPSTREAM_DIR} (without toolhive-v${TOOLHIVE_VERSION}/)` : 'unset'}, `
      + `and downloading them failed (${cause}). Set TOOLHIVE_UPSTREAM_DIR to a folder holding toolhive-v${TOOLHIVE_VERSION}/, or run with access to GitHub.\n`);
    process.exit(1);
  }
  // Tests that read ../shared's research notes, seed pages or Registry Server data skip without
  // it (outside CI, which always has it); say so once here rather than in every file.
  const shared = path.resolve(REPO_ROOT, '..', 'shared');
  if (!process.env.CI && !fs.existsSync(path.join(shared, 'reference'))) {
    console.warn(`\nNote: ${shared} is not beside the checkout: the tests that read its research notes, seed pages and Registry Server `
      + 'example configs are skipped (CI always runs them).\n');
  }
}
