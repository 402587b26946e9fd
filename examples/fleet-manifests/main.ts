/*
 * A fleet as files: one folder per cluster for Flux, Argo CD or `kubectl apply -k` to read,
 * written by the library's manifest writer (no cdk8s app, no Pulumi stack: at a thousand
 * clusters, a CI job runs this and commits the result). Also writes the fleet's diagram.
 *
 *   npx ts-node examples/fleet-manifests/main.ts [out-dir] [workload-clusters]
 */
import * as path from 'path';
import { fleet } from './fleet';
import { planPlatform, writeManifests, WrittenManifests, writePlatformDiagram } from 'toolhive-constructs';

/** Writes the fleet's folders into `outDir` (replacing a previous run's) and its diagram beside them. */
export function writeFleet(outDir: string, workloads = 3): WrittenManifests {
  const spec = fleet(workloads);
  // Validates the whole fleet first: nothing is written if any cluster is invalid.
  const written = writeManifests(planPlatform(spec), outDir);
  writePlatformDiagram(spec, path.join(path.dirname(written.directory), `${path.basename(written.directory)}.md`), 'The fleet');
  return written;
}

if (require.main === module) {
  const written = writeFleet(process.argv[2] ?? 'dist/fleet-manifests/clusters', Number(process.argv[3] ?? 3));
  console.log(`${written.clusters.length} clusters, ${written.fileCount} files in ${written.directory}`);
}
