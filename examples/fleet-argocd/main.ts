/*
 * The fleet through Argo CD on the control cluster: the manifest writer's folders in a Git
 * repository, and one ApplicationSet per component in the control cluster's folder. Each
 * cluster is registered in Argo CD under its own name, its cluster Secret carrying the labels
 * written to `cluster-labels.json` (the ApplicationSets select clusters by them).
 *
 *   npx ts-node examples/fleet-argocd/main.ts [out-dir] [workload-clusters]
 */
import * as fs from 'fs';
import * as path from 'path';
import { fleet } from '../fleet-manifests/fleet';
import { planArgoCd, planPlatform, writeManifests, WrittenManifests } from 'toolhive-constructs';

/** Writes the fleet, the ApplicationSets delivering it, and the labels each cluster needs. */
export function writeArgoCdFleet(outDir: string, workloads = 3): WrittenManifests & { labelsFile: string } {
  const plan = planPlatform(fleet(workloads));
  const argo = planArgoCd(plan, { repoURL: 'https://git.example.com/platform/fleet.git', path: 'clusters' });
  const written = writeManifests([...plan.clusters, argo], outDir);
  const labelsFile = path.join(path.dirname(written.directory), 'cluster-labels.json');
  fs.writeFileSync(labelsFile, `${JSON.stringify(argo.clusterLabels, null, 2)}\n`);
  return { ...written, labelsFile };
}

if (require.main === module) {
  const written = writeArgoCdFleet(process.argv[2] ?? 'dist/fleet-argocd/clusters', Number(process.argv[3] ?? 3));
  console.log(`${written.clusters.length} clusters, ${written.fileCount} files in ${written.directory}; labels in ${written.labelsFile}`);
}
