import { AIR_GAP_FIELD } from '../airgap';
/*
 * The runtime shapes of RegistryServerOptions and PlanRegistryServerOptions: checked first by
 * every entry that takes them, so plain JavaScript and JSON callers get issues at their own
 * paths, never a TypeError. The config has its own shape (config-shape.ts), the `values`
 * escape hatch the chart's (chart.ts).
 */
import { imageReferenceProblem } from '../rules/images';
import { ENV_LIST, LABELS, PLAN_TARGET_FIELDS, RBAC_SCOPE, RESOURCES, SECRET_REF, TOLERATION } from '../rules/kube';
import { secretNameProblem } from '../rules/names';
import { INT32_MAX } from '../rules/numbers';
import { S, Shape } from '../rules/shape';
import { httpUrlProblem } from '../rules/urls';

/** Checked by checkRegistryConfig, with the config's own messages. */
const CHECKED_AS_CONFIG: Shape = S.custom(() => undefined);

/** The shape of {@link RegistryServerOptions}. @internal */
export const REGISTRY_OPTIONS_SHAPE: Shape = S.object({
  config: CHECKED_AS_CONFIG,
  // Other clusters and the clients reach the server there: plain http only on loopback.
  externalUrl: S.ruled((u) => httpUrlProblem(u, { base: true, http: 'loopback' })),
  passwordSecret: SECRET_REF,
  migrationPasswordSecret: SECRET_REF,
  pgpassSecret: SECRET_REF,
  allowInsecureIssuerUrls: S.boolean(),
  rbac: RBAC_SCOPE,
  replicas: S.integer(0, INT32_MAX),
  image: S.ruled(imageReferenceProblem),
  // Checked, once, where the air gap is resolved (resolveAirGap).
  airGap: AIR_GAP_FIELD,
  imagePullSecrets: S.list(S.ruled(secretNameProblem)),
  resources: RESOURCES,
  nodeSelector: LABELS,
  tolerations: S.list(TOLERATION),
  affinity: S.map(),
  exposeInternalPort: S.boolean(),
  env: ENV_LIST,
  values: S.map(),
}, 'Registry Server options');

/** The shape of {@link PlanRegistryServerOptions}. @internal */
export const PLAN_REGISTRY_SERVER_SHAPE: Shape = S.object({
  ...PLAN_TARGET_FIELDS,
  namespace: S.string(),
  allowDefaultNamespace: S.boolean(),
  createNamespace: S.boolean(),
}, 'plan options { delivery, namespace, allowDefaultNamespace, createNamespace, cluster, path }');
