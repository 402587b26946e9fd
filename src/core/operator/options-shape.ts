import { AIR_GAP_FIELD } from '../airgap';
/*
 * The runtime shape of ToolhiveOperatorOptions: checked first by every entry that takes them,
 * so plain JavaScript and JSON callers get issues at their own paths, never a TypeError.
 */
import { TOOLHIVE_CRDS } from '../crds/catalogue';
import { CrdSource } from '../crds/source';
import { imageRegistryProblem, imageReferenceProblem } from '../rules/images';
import { ANNOTATIONS, ENV_LIST, LABELS, PLAN_TARGET_FIELDS, RBAC_SCOPE, RESOURCES, SECRET_REF, TOLERATION } from '../rules/kube';
import { dns1123SubdomainProblem, namespaceProblem, releaseNameProblem, secretNameProblem } from '../rules/names';
import { INT32_MAX } from '../rules/numbers';
import { S, Shape } from '../rules/shape';
import { chartVersionProblem } from '../rules/versions';
import { TOOLHIVE_VERSION } from '../versions';

const percent = S.integer(1, 100);
const secretNames = S.list(S.ruled(secretNameProblem));

/** The shape of {@link ToolhiveOperatorOptions}. @internal */
export const OPERATOR_OPTIONS_SHAPE: Shape = S.object({
  version: S.ruled((v) => chartVersionProblem(v, TOOLHIVE_VERSION)),
  namespace: S.string(),
  allowDefaultNamespace: S.boolean(),
  createNamespace: S.boolean(),
  releaseName: S.ruled(releaseNameProblem),
  crds: S.object({
    install: S.boolean(),
    releaseName: S.ruled(releaseNameProblem),
    keep: S.boolean(),
    source: S.instance('a CrdSource (CrdSource.fromRelease(version) or CrdSource.fromDirectory(path))', (v) => v instanceof CrdSource),
  }, 'CRD options { install, releaseName, keep, source }'),
  rbac: RBAC_SCOPE,
  replicas: S.integer(0, INT32_MAX),
  autoscaling: S.object({
    minReplicas: S.integer(1, INT32_MAX),
    maxReplicas: S.integer(1, INT32_MAX),
    targetCpuUtilizationPercent: percent,
    targetMemoryUtilizationPercent: percent,
  }, 'autoscaling options { minReplicas, maxReplicas, targetCpuUtilizationPercent, targetMemoryUtilizationPercent }'),
  images: S.object({
    registry: S.ruled(imageRegistryProblem),
    operator: S.ruled(imageReferenceProblem),
    proxyRunner: S.ruled(imageReferenceProblem),
    vmcp: S.ruled(imageReferenceProblem),
    registryApi: S.ruled(imageReferenceProblem),
    pullPolicy: S.string(['Always', 'IfNotPresent', 'Never']),
  }, 'image options { registry, operator, proxyRunner, vmcp, registryApi, pullPolicy }'),
  imageDiscovery: S.boolean(),
  // Checked, once, where the air gap is resolved (resolveAirGap).
  airGap: AIR_GAP_FIELD,
  features: S.object({ experimental: S.boolean(), storageVersionMigrator: S.boolean() }, 'feature flags { experimental, storageVersionMigrator }'),
  defaultRedis: S.object({
    address: S.ruled((a) => (/^[^\s:/]+:\d{1,5}$/.test(a) ? undefined : `${JSON.stringify(a)} is not host:port, e.g. "redis.cache.svc:6379"`)),
    passwordSecret: SECRET_REF,
    tls: S.object({ enabled: S.boolean(), caCertSecret: SECRET_REF }, 'Redis TLS options { enabled, caCertSecret }'),
  }, 'Redis options { address, passwordSecret, tls }', ['address']),
  imagePullSecrets: secretNames,
  workloadImagePullSecrets: secretNames,
  resources: RESOURCES,
  scheduling: S.object({ nodeSelector: LABELS, tolerations: S.list(TOLERATION), affinity: S.map() }, 'scheduling options { nodeSelector, tolerations, affinity }'),
  podAnnotations: ANNOTATIONS,
  podLabels: LABELS,
  env: ENV_LIST,
  customResources: S.list(S.map()),
  externalResources: S.list(S.object({
    kind: S.string(TOOLHIVE_CRDS.map((c) => c.kind).sort()), name: S.ruled(dns1123SubdomainProblem), namespace: S.ruled(namespaceProblem),
  }, 'an external resource { kind, name, namespace }', ['kind', 'name', 'namespace'])),
  values: S.map(),
}, 'operator options');

/** The shape of {@link PlanOperatorOptions}. @internal */
export const PLAN_OPERATOR_OPTIONS_SHAPE: Shape = S.object(PLAN_TARGET_FIELDS, 'plan options { delivery, cluster, path }');
