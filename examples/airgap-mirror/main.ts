/*
 * What an air-gapped fleet must mirror, as a file your mirroring job reads: every image and
 * chart the platform's plans pull, each with the public source to copy it from.
 *
 *   npx ts-node examples/airgap-mirror/main.ts [mirror.txt]
 *
 *   # then, on a machine that reaches both the internet and the mirror:
 *   grep '^image ' mirror.txt | while read -r _ image source; do crane copy "$source" "$image"; done
 *   grep '^chart ' mirror.txt | while read -r _ chart version source; do
 *     helm pull "$source" --version "$version" -d charts/ && helm push "charts/$(basename "$source")-$version.tgz" "$(dirname "$chart")"
 *   done
 */
import { controlRegistryServer } from '../fleet-manifests/fleet';
import { MirrorList, planPlatform, PlatformSpec, RbacScope, RegistryServerOptions, writeMirrorList } from 'toolhive-constructs';

function withoutPassword({ passwordSecret: _, ...options }: RegistryServerOptions): RegistryServerOptions {
  return options;
}

/** The air-gapped platform: Helm delivery from the chart mirror, images from the image registry. */
export function airGappedPlatform(): PlatformSpec {
  return {
    edition: 'open-source',
    delivery: 'helm',
    airGap: {
      chartMirror: 'oci://registry.internal/mirror',
      imageRegistry: 'registry.internal/mirror',
      imagePullSecrets: ['mirror-pull'],
    },
    clusters: {
      // The fleet example's Registry Server, its database password from a pgpass file instead.
      'control': { role: 'control', registryServer: { ...withoutPassword(controlRegistryServer()), pgpassSecret: { name: 'registry-pgpass', key: '.pgpass' } } },
      'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']), imageDiscovery: true } },
    },
  };
}

/** Writes the mirror list of the platform to `file`. */
export function writeAirGapMirrorList(file: string): MirrorList {
  return writeMirrorList(planPlatform(airGappedPlatform()), file);
}

if (require.main === module) {
  const file = process.argv[2] ?? 'dist/airgap-mirror/mirror.txt';
  const list = writeAirGapMirrorList(file);
  console.log(`${list.images.length} images and ${list.charts.length} charts to mirror, in ${file}`);
}
