/*
 * One run of the manifest writer, in a fresh process (compiled code):
 *   node writer.js <n> <rbac mode> <out dir>
 * plans 1 control + n workload clusters and writes the tree (YAML text included) into <out dir>.
 * Prints one JSON line: the time from the spec to the last file written, peak RSS, files, bytes,
 * and the objects and values of one workload cluster (for the helm side of the comparison).
 */
import * as fs from 'fs';
import * as path from 'path';
import { planPlatform, renderManifestFiles, writeManifests } from '../../src';
import { platformSpec } from '../lib/spec';

const [nArg, mode, outDir] = process.argv.slice(2);
const n = Number(nArg);
const t0 = performance.now();
const files = renderManifestFiles(planPlatform(platformSpec(n, mode as any)));
const written = writeManifests(files, outDir);
const ms = performance.now() - t0;
let bytes = 0;
for (const content of files.files.values()) bytes += Buffer.byteLength(content);
const sample = fs.readdirSync(path.join(outDir)).filter((d) => d.startsWith('workload-')).sort()[0];
process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, files: written.fileCount, bytes, sample })}\n`);
