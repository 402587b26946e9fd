/**
 * toolhive-constructs core: typed model, validation and planning, with no cdk8s or Pulumi.
 * @packageDocumentation
 */
export * from './core/errors';
export { JsonObject, JsonValue } from './core/util';
/** @internal */
export { isPlainObject } from './core/util';
export * from './core/versions';
export * from './core/plan';
export * from './core/k8s/objects';
export * from './core/k8s/types';
export { dns1123LabelProblem, dns1123SubdomainProblem } from './core/rules/names';
export { mergeHelmValues } from './core/helm/merge';
export * from './core/operator/chart-values';
export * from './core/operator/manager-role';
export * from './core/k8s/rbac-scope';
export * from './core/operator/options';
export { renderOperatorChart, MIGRATOR_SCOPE_REASON } from './core/operator/render';
export { ReleaseContext } from './core/helm/release';
export { operatorValuesFor, planOperatorInstall, PlanOperatorOptions, OPERATOR_DELIVERABLES } from './core/operator/plan';
export {
  checkVersionChange, upgradeReport, upgradeReportText, UpgradeReport, CrdVersionsChange, FieldChange, VersionChangeOptions,
} from './core/operator/upgrade';
export { leaderElectionRules } from './core/operator/compile';
export { INSTALL_LABEL, PRUNABLE_KINDS, installLabelValue, withInstallLabel } from './core/k8s/install-label';
export * from './core/crds/catalogue';
export { CrdSource, CrdReleaseOptions, CrdDownloadError, CrdMirrorError } from './core/crds/source';
export { CrdsChartValues, renderCrdsChart } from './core/crds/render';
export { CRD_DEFAULT_IMAGES, CrdDefaultImage } from './core/crds/default-images';
export { isClusterScopedKind, inReleaseNamespace } from './core/k8s/scope';
export { toYamlDocuments } from './core/yaml';
export * from './core/registry/config';
export {
  RegistryServerChartValues, DeepPartial, REGISTRY_SERVER_VERSION, registryServerChartDefaults, renderRegistryServerChart, effectiveRegistryConfig,
} from './core/registry/chart';
export { RegistryServerOptions, DEFAULT_PGPASS_INIT_IMAGE } from './core/registry/options';
export * from './core/platform/spec';
export * from './core/platform/enterprise-components';
export { RegistryLayeringOptions, RegistryEnvironmentOptions, PromotionPath, GitCatalogOptions } from './core/platform/layering';
export {
  planPlatform, PlatformPlan, PlatformClusterPlan, PlatformEndpoints,
  ENTERPRISE_CHART, PLATFORM_DELIVERABLES, ENDPOINTS_CONFIGMAP,
} from './core/platform/plan';
export {
  PlatformComponentEndpoint, PlatformComponentFacts, PlatformEnvironmentFacts, PlatformLayeringFacts,
} from './core/platform/model';
export { planRollout, RolloutOptions, RolloutWave } from './core/platform/rollout';
export { isServiceDnsUrl } from './core/rules/urls';
export { goToYaml } from './core/helm/go-yaml';
export { planRegistryServer, PlanRegistryServerOptions, REGISTRY_SERVER_CHART, REGISTRY_SERVER_RELEASE } from './core/registry/plan';
export * from './core/crds/generated';
export { validateCustomResource, validateCustomResources, checkCustomResource, celRuleCoverage } from './core/crds/validate-lazy';
export type { CustomResourceCheck, CelRuleCoverage, CelValidationRule, SkippedCelRule } from './core/crds/validate';
export {
  customResource, ToolhiveCustomResource, ExternalResourceReference, RegistryExportOptions,
  registryExportAnnotations,
} from './core/crds/resources';
/** @internal */
export { assertOptionsMap } from './core/rules/shape';
export { KubeYamlEmitter, kubeYaml } from './core/output/kube-yaml';
export {
  renderManifestFiles, ManifestFiles, ManifestsInput, WrittenDeliverable, MANIFESTS_MARKER, SHARED_MANIFESTS_DIR,
} from './core/output/manifests';
export { writeManifests, WrittenManifests } from './core/output/write';
export * from './core/output/gitops-types';
export { planFlux, FluxOptions, FluxSourceReference, FLUX_DELIVERABLES } from './core/output/flux';
export { planArgoCd, ArgoCdOptions, ArgoCdPlan, ARGOCD_PLATFORM_LABEL, ARGOCD_DELIVERABLE } from './core/output/argocd';
export {
  platformPlanDiagram, writePlatformPlanDiagram, PlatformDiagramOptions, MERMAID_MAX_TEXT_SIZE,
} from './core/output/mermaid';
export { platformDiagram, writePlatformDiagram } from './core/diagram';
export {
  AirGapOptions, chartMirrorProblem, mirroredChartRepository, mirroredImage,
} from './core/airgap';
export { mirrorList, mirrorListText, writeMirrorList, MirrorList, MirrorImage, MirrorChart } from './core/output/mirror-list';
