/*
 * Every test worker resolves upstream release files offline: CrdSource.fromRelease (the default
 * CRD source) reads the mirror named by TOOLHIVE_UPSTREAM_DIR. Tests of the download path
 * unset it themselves.
 */
import * as path from 'path';
import { toolhiveUpstream } from './upstream';

if (!process.env.TOOLHIVE_UPSTREAM_DIR) {
  process.env.TOOLHIVE_UPSTREAM_DIR = path.dirname(path.dirname(toolhiveUpstream().crdsDir));
}
