/*
 * What the platform's spec says of each umbrella component: its name (its key in a cluster), the
 * cluster roles that may run it, whether only the enterprise edition has it, its options' shape
 * and the shared endpoint it provides. The spec's shape and its validation read the components
 * from here; each component's descriptor (descriptor.ts) adds how it is planned and drawn.
 */
import { AIR_GAP_FIELD } from '../airgap';
import { DELIVERY } from '../rules/kube';
import { dns1123LabelProblem } from '../rules/names';
import { S, Shape } from '../rules/shape';
import { chartVersionProblem } from '../rules/versions';
import { TOOLHIVE_VERSION } from '../versions';
import { PlatformEndpoints } from './model';
import { ENTERPRISE_RELEASE_SHAPE, GLOBAL_SHAPE, LAYERING_SHAPE } from './shape';
import { ClusterRole } from './spec';

/** The shared endpoint a component provides: its external URL, which other clusters are given. @internal */
export interface ComponentEndpoint {
  /** Which of the platform's endpoints it is. */
  readonly name: Exclude<keyof PlatformEndpoints, 'controlCluster'>;
  /** The field of the component's options that holds its external URL. */
  readonly field: string;
  /** The text of a diagram's link from a cluster given this endpoint to the component. @default - not drawn */
  readonly link?: string;
}

/** A component of a cluster, as the platform's spec sees it. @internal */
export interface ComponentBasics {
  /** Its key in a cluster's spec and in the umbrella's values, e.g. "cloudUi". */
  readonly name: string;
  /** What it is called, e.g. "Cloud UI". */
  readonly title: string;
  /** The cluster roles that may run it. */
  readonly roles: readonly ClusterRole[];
  /** Only the enterprise edition has a chart for it. */
  readonly enterpriseOnly: boolean;
  /** The shape of its options (a map when its own planner checks them). */
  readonly shape: Shape;
  /** The shared endpoint it provides. @default - none */
  readonly endpoint?: ComponentEndpoint;
}

/** The shape of one cluster of a {@link PlatformSpec} running `components`. @internal */
export function clusterShape(components: readonly ComponentBasics[]): Shape {
  const names = components.map((c) => c.name);
  return S.object({
    role: S.string(['control', 'workload', 'registry']),
    ...Object.fromEntries(components.map((c) => [c.name, c.shape])),
    global: GLOBAL_SHAPE,
    version: S.ruled((v) => chartVersionProblem(v, TOOLHIVE_VERSION)),
  }, `a cluster { role, version, ${names.join(', ')}, global }`);
}

const PLATFORM_SHAPES = new WeakMap<readonly ComponentBasics[], Shape>();

/** The shape of a {@link PlatformSpec} whose clusters run `components` (built once per list). @internal */
export function platformShape(components: readonly ComponentBasics[]): Shape {
  let shape = PLATFORM_SHAPES.get(components);
  if (!shape) PLATFORM_SHAPES.set(components, shape = buildPlatformShape(components));
  return shape;
}

function buildPlatformShape(components: readonly ComponentBasics[]): Shape {
  return S.object({
    edition: S.string(['enterprise', 'open-source']),
    version: S.ruled((v) => chartVersionProblem(v, TOOLHIVE_VERSION)),
    enterprise: ENTERPRISE_RELEASE_SHAPE,
    namespace: S.string(),
    allowDefaultNamespace: S.boolean(),
    delivery: DELIVERY,
    global: GLOBAL_SHAPE,
    // Checked, once, where the air gap is resolved (resolveAirGap).
    airGap: AIR_GAP_FIELD,
    registryLayering: LAYERING_SHAPE,
    clusters: S.map(clusterShape(components), (name) => {
      const problem = dns1123LabelProblem(name);
      return problem ? `${JSON.stringify(name)} is not a valid cluster name (${problem})` : undefined;
    }),
  }, 'a platform { edition, version, enterprise, namespace, delivery, global, registryLayering, clusters }');
}
