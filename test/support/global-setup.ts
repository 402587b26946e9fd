import * as fs from 'fs';
import * as path from 'path';
import { ensureKubernetesOpenApi } from './k8s-openapi';
import { REPO_ROOT } from './paths';
import { ensureReleases } from '../../scripts/upstream';

/** Fetches shared test data once, before the test workers start. */
export default function globalSetup(): void {
  ensureKubernetesOpenApi();
  try {
    // Every supported release's charts and CRDs, from its Go module, verified against the release table.
    ensureReleases();
  } catch (e) {
    // One clear line instead of a stack: what is missing and what to do.
    const cause = String(e instanceof Error ? e.message.split('\n')[0] : e);
    console.error(`\nThe tests need the upstream files of every supported ToolHive release (charts, CRDs), from the Go module proxy: ${cause}\n`
      + 'Run with Go and access to the module proxy (or a warm module cache), then `node_modules/.bin/ts-node --transpile-only scripts/upstream.ts fetch`.\n');
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
