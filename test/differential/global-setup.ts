import { execFileSync } from 'child_process';
import * as path from 'path';
import supportSetup from '../support/global-setup';
import { REPO_ROOT } from '../support/paths';

/**
 * Global setup of the differential test: the shared test data, then Helm from tools/build.sh
 * (a no-op when the binary matches its pin; about 1.5 minutes on a cold cache).
 */
export default function globalSetup(): void {
  supportSetup();
  execFileSync(path.join(REPO_ROOT, 'tools', 'build.sh'), ['helm'], { stdio: 'inherit' });
}
