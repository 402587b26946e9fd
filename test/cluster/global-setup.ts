import { execFileSync } from 'child_process';
import * as path from 'path';
import supportSetup from '../support/global-setup';
import { REPO_ROOT } from '../support/paths';

/**
 * Global setup of the cluster tests: the shared test data, then tools/build.sh (a no-op when
 * the binaries match their pins; several minutes on a cold cache), before any test starts,
 * so no test's timeout includes a build. `TOOLHIVE_CLUSTER_TOOLS` (names, space-separated)
 * limits it to the binaries the selected suites need: CI runs the suites that need no Pulumi
 * binary while those still build.
 */
export default function globalSetup(): void {
  supportSetup();
  const names = (process.env.TOOLHIVE_CLUSTER_TOOLS ?? '').split(/\s+/).filter(Boolean);
  execFileSync(path.join(REPO_ROOT, 'tools', 'build.sh'), names, { stdio: 'inherit' });
}
