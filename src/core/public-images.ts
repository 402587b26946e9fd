/*
 * The public images the library knows: what its charts and CRDs pull by default in every
 * supported release. The mirror list names a mirrored copy's source from them.
 */
import { CRD_DEFAULT_IMAGES } from './crds/default-images';
import { registryApiImageOf } from './operator/chart-values';
import { registryServerChartDefaults } from './registry/chart';
import { DEFAULT_PGPASS_INIT_IMAGE } from './registry/options';
import { RENDERED_TOOLHIVE_VERSIONS } from './versions';

/** The public images the library knows, to name the source of a mirrored copy. @internal */
export function knownPublicImages(): string[] {
  const toolhive = RENDERED_TOOLHIVE_VERSIONS.flatMap((v) => ['operator', 'proxyrunner', 'vmcp'].map((n) => `ghcr.io/stacklok/toolhive/${n}:v${v}`));
  const registryApi = [...new Set(RENDERED_TOOLHIVE_VERSIONS.map(registryApiImageOf))];
  const registryServer = registryServerChartDefaults().image!.registryServerUrl!;
  return [...toolhive, ...registryApi, registryServer, DEFAULT_PGPASS_INIT_IMAGE, ...CRD_DEFAULT_IMAGES.map((d) => d.image)];
}
