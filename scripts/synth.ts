/*
 * `npm run synth`: synthesizes the main example without a cluster or network. When no
 * TOOLHIVE_UPSTREAM_DIR is set and ../shared/upstream exists beside the checkout, the
 * pinned upstream CRDs are read from there instead of being downloaded.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared', 'upstream');
if (!process.env.TOOLHIVE_UPSTREAM_DIR && fs.existsSync(shared)) process.env.TOOLHIVE_UPSTREAM_DIR = shared;

const outdir = path.join(root, 'dist', 'cdk8s-operator-namespaces');
fs.rmSync(outdir, { recursive: true, force: true });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildApp } = require('../examples/cdk8s-operator-namespaces/main');
buildApp(outdir).synth();
for (const file of fs.readdirSync(outdir).sort()) console.log(path.relative(root, path.join(outdir, file)));
