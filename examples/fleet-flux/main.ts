/*
 * The fleet through Flux on the control cluster: the manifest writer's folders in a Git
 * repository that the control cluster's Flux reads (GitRepository `fleet`), and in the control
 * cluster's own folder the Flux objects that apply every cluster's folder through its kubeconfig
 * Secret (`<cluster>-kubeconfig`, created by you, never by the library).
 *
 *   npx ts-node examples/fleet-flux/main.ts [out-dir] [workload-clusters]
 */
import { fleet } from '../fleet-manifests/fleet';
import { planFlux, planPlatform, writeManifests, WrittenManifests } from 'toolhive-constructs';

/** Writes the fleet and, into the control cluster's folder, the Flux objects delivering it. */
export function writeFluxFleet(outDir: string, workloads = 3): WrittenManifests {
  const plan = planPlatform(fleet(workloads));
  const flux = planFlux(plan, { source: { kind: 'GitRepository', name: 'fleet' }, path: 'clusters' });
  return writeManifests([...plan.clusters, flux], outDir);
}

if (require.main === module) {
  const written = writeFluxFleet(process.argv[2] ?? 'dist/fleet-flux/clusters', Number(process.argv[3] ?? 3));
  console.log(`${written.clusters.length} clusters, ${written.fileCount} files in ${written.directory}`);
}
