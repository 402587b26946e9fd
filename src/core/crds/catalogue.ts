import { dns1123LabelProblem } from '../rules/names';
import { assertShape, S } from '../rules/shape';
/**
 * The CRDs of the ToolHive CRD chart at 0.44.0.
 */
export interface CrdInfo {
  /** Resource plural, e.g. `mcpservers`. */
  readonly plural: string;
  /** Kind, e.g. `MCPServer`. */
  readonly kind: string;
  /** The storage version, the one the library emits. */
  readonly storageVersion: string;
}

/** API group of every ToolHive CRD. */
export const TOOLHIVE_API_GROUP = 'toolhive.stacklok.dev';

/** The 14 ToolHive CRDs at 0.44.0, sorted by plural (the CRD chart's template order). */
export const TOOLHIVE_CRDS: readonly CrdInfo[] = [
  { plural: 'embeddingservers', kind: 'EmbeddingServer', storageVersion: 'v1beta1' },
  { plural: 'mcpauthzconfigs', kind: 'MCPAuthzConfig', storageVersion: 'v1beta1' },
  { plural: 'mcpexternalauthconfigs', kind: 'MCPExternalAuthConfig', storageVersion: 'v1beta1' },
  { plural: 'mcpgroups', kind: 'MCPGroup', storageVersion: 'v1beta1' },
  { plural: 'mcpoidcconfigs', kind: 'MCPOIDCConfig', storageVersion: 'v1beta1' },
  { plural: 'mcpregistries', kind: 'MCPRegistry', storageVersion: 'v1beta1' },
  { plural: 'mcpremoteproxies', kind: 'MCPRemoteProxy', storageVersion: 'v1beta1' },
  { plural: 'mcpserverentries', kind: 'MCPServerEntry', storageVersion: 'v1beta1' },
  { plural: 'mcpservers', kind: 'MCPServer', storageVersion: 'v1beta1' },
  { plural: 'mcptelemetryconfigs', kind: 'MCPTelemetryConfig', storageVersion: 'v1beta1' },
  { plural: 'mcptoolconfigs', kind: 'MCPToolConfig', storageVersion: 'v1beta1' },
  { plural: 'mcpwebhookconfigs', kind: 'MCPWebhookConfig', storageVersion: 'v1alpha1' },
  { plural: 'virtualmcpcompositetooldefinitions', kind: 'VirtualMCPCompositeToolDefinition', storageVersion: 'v1beta1' },
  { plural: 'virtualmcpservers', kind: 'VirtualMCPServer', storageVersion: 'v1beta1' },
];

/** How CRD files are named, for messages: `toolhive.stacklok.dev_<plural>.yaml`. @internal */
export const CRD_FILE_NAME_PATTERN = `${TOOLHIVE_API_GROUP}_<plural>.yaml`;

/** The file name of a CRD in the upstream repository and in `CrdSource.fromDirectory` folders. */
export function crdFileName(plural: string): string {
  assertShape(plural, S.ruled(dns1123LabelProblem), 'plural', 'CRD file name');
  return `${TOOLHIVE_API_GROUP}_${plural}.yaml`;
}

/** The CRD object name, e.g. `mcpservers.toolhive.stacklok.dev`. */
export function crdName(plural: string): string {
  assertShape(plural, S.ruled(dns1123LabelProblem), 'plural', 'CRD name');
  return `${plural}.${TOOLHIVE_API_GROUP}`;
}
