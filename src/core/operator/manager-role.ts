import { PolicyRule } from '../k8s/types';

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const GROUP = 'toolhive.stacklok.dev';

/**
 * The 17 rules of the operator chart's manager ClusterRole at 0.44.0, in the chart's order
 * (generated upstream from the operator's RBAC markers).
 */
export const OPERATOR_MANAGER_RULES: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'secrets', 'serviceaccounts', 'services'], verbs: CRUD },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/attach'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: CRUD },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: CRUD },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'httproutes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: CRUD },
  { apiGroups: [GROUP], resources: ['*'], verbs: ['get', 'list', 'update'] },
  {
    apiGroups: [GROUP],
    resources: [
      'embeddingservers', 'mcpauthzconfigs', 'mcpexternalauthconfigs', 'mcpgroups', 'mcpoidcconfigs', 'mcpregistries',
      'mcpremoteproxies', 'mcpservers', 'mcptoolconfigs', 'mcpwebhookconfigs', 'virtualmcpservers',
    ],
    verbs: CRUD,
  },
  {
    apiGroups: [GROUP],
    resources: [
      'embeddingservers/finalizers', 'mcpauthzconfigs/finalizers', 'mcpexternalauthconfigs/finalizers',
      'mcpgroups/finalizers', 'mcpoidcconfigs/finalizers', 'mcpregistries/finalizers', 'mcpservers/finalizers',
      'mcptelemetryconfigs/finalizers', 'mcptoolconfigs/finalizers', 'mcpwebhookconfigs/finalizers',
    ],
    verbs: ['update'],
  },
  {
    apiGroups: [GROUP],
    resources: [
      'embeddingservers/status', 'mcpauthzconfigs/status', 'mcpexternalauthconfigs/status', 'mcpgroups/status',
      'mcpoidcconfigs/status', 'mcpregistries/status', 'mcpremoteproxies/status', 'mcpserverentries/status',
      'mcpservers/status', 'mcptelemetryconfigs/status', 'mcptoolconfigs/status', 'mcpwebhookconfigs/status',
      'virtualmcpservers/status',
    ],
    verbs: ['get', 'patch', 'update'],
  },
  { apiGroups: [GROUP], resources: ['mcpserverentries', 'virtualmcpcompositetooldefinitions'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [GROUP], resources: ['mcptelemetryconfigs'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
];

/** Name of the manager ClusterRole (a constant of the chart). */
export const MANAGER_ROLE_NAME = 'toolhive-operator-manager-role';
/** Name of the manager ClusterRoleBinding / per-namespace RoleBindings (a constant of the chart). */
export const MANAGER_BINDING_NAME = 'toolhive-operator-manager-rolebinding';
