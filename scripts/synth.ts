/*
 * `npm run synth`: synthesizes the examples without a cluster or network, the main one
 * (cdk8s-operator-namespaces) first. When no TOOLHIVE_UPSTREAM_DIR is set and ../shared/upstream
 * exists beside the checkout, the pinned upstream CRDs are read from there instead of being
 * downloaded.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared', 'upstream');
if (!process.env.TOOLHIVE_UPSTREAM_DIR && fs.existsSync(shared)) process.env.TOOLHIVE_UPSTREAM_DIR = shared;

for (const example of ['cdk8s-operator-namespaces', 'cdk8s-multi-cluster']) {
  const outdir = path.join(root, 'dist', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildApp } = require(`../examples/${example}/main`);
  buildApp(outdir).synth();
  for (const file of fs.readdirSync(outdir).sort()) console.log(path.relative(root, path.join(outdir, file)));
}
