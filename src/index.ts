/**
 * toolhive-constructs core: typed model, validation and planning, with no cdk8s or Pulumi.
 * @packageDocumentation
 */
export * from './core/errors';
export { JsonObject, JsonValue } from './core/util';
export * from './core/versions';
export * from './core/plan';
export * from './core/k8s/objects';
export * from './core/k8s/types';
export { dns1123LabelProblem, dns1123SubdomainProblem } from './core/k8s/names';
export { mergeHelmValues } from './core/helm/merge';
export * from './core/operator/chart-values';
export * from './core/operator/manager-role';
export * from './core/operator/rbac-scope';
export * from './core/operator/options';
export { renderOperatorChart, ReleaseContext, MIGRATOR_SCOPE_REASON } from './core/operator/render';
export { operatorValuesFor, planOperatorInstall, PlanOperatorOptions, OPERATOR_DELIVERABLES } from './core/operator/plan';
export * from './core/crds/catalogue';
export { CrdSource, CrdReleaseOptions } from './core/crds/source';
export { CrdsChartValues, renderCrdsChart } from './core/crds/render';
export { isClusterScopedKind, inReleaseNamespace } from './core/k8s/scope';
export { toYamlDocuments } from './core/yaml';
