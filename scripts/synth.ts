/*
 * `npm run synth`: synthesizes the examples without a cluster, the main one
 * (cdk8s-operator-namespaces) first. When no TOOLHIVE_UPSTREAM_DIR is set, the CRD files of the
 * default ToolHive release come from its Go module (fetched once with the Go command and verified
 * against the release table, scripts/upstream.ts), as the tests get them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureRelease, UPSTREAM_CACHE } from './upstream';
import { TOOLHIVE_VERSION } from '../src/core/versions';

const root = path.resolve(__dirname, '..');
if (!process.env.TOOLHIVE_UPSTREAM_DIR) {
  ensureRelease(TOOLHIVE_VERSION);
  process.env.TOOLHIVE_UPSTREAM_DIR = UPSTREAM_CACHE;
}

for (const example of ['cdk8s-operator-namespaces', 'cdk8s-multi-cluster']) {
  const outdir = path.join(root, 'dist', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildApp } = require(`../examples/${example}/main`);
  buildApp(outdir).synth();
  for (const file of fs.readdirSync(outdir).sort()) console.log(path.relative(root, path.join(outdir, file)));
}
