import { IssueCollector, ValidationIssue } from '../errors';
import { KubeObject, objectKey } from '../k8s/objects';
import { assertShape, S } from '../rules/shape';
import { httpUrlProblem } from '../rules/urls';
import { entryVersionProblem } from '../rules/versions';
import { isPlainObject } from '../util';
import { compareVersions, sinceProblem } from '../versions';
import { TOOLHIVE_API_GROUP, TOOLHIVE_CRDS } from './catalogue';
import { FIELD_HISTORY } from './generated/field-history';
import { CustomResourceMetadata } from './generated/metadata';
import { validateCustomResources } from './validate-lazy';

/**
 * A ToolHive custom resource as plain data: apiVersion, kind, metadata, spec.
 * @see https://docs.stacklok.com/toolhive/reference/crds
 */
export interface ToolhiveCustomResource extends KubeObject {
  /**
   * The resource's spec, checked against its CRD's schema (and CEL rules) of the pinned release when planned.
   * @default - none
   */
  readonly spec?: { readonly [key: string]: unknown };
}

const CUSTOM_RESOURCE_ARGS = S.object({
  type: S.object({ apiVersion: S.string(), kind: S.string(), plural: S.string(), group: S.string(), version: S.string() }, 'a kind constant such as MCP_SERVER_RESOURCE', ['apiVersion', 'kind']),
  props: S.object({ metadata: S.map(), spec: S.map() }, 'props { metadata, spec }', ['metadata']),
}, 'arguments', ['type', 'props']);

const REGISTRY_EXPORT_SHAPE = S.object({
  url: S.string(),
  description: S.string(),
  title: S.string(),
  icon: S.string(),
  category: S.string(),
  tools: S.list(S.string()),
  toolDefinitions: S.list(S.map()),
  authzClaims: S.map(),
  version: S.string(),
}, 'registry export options { url, description, ... }', ['url', 'description']);

/**
 * Builds a custom resource from a kind's constant (e.g. `MCP_SERVER_RESOURCE`) and its typed
 * props (`MCPServerProps`).
 */
export function customResource<P extends { readonly metadata: CustomResourceMetadata; readonly spec: object }>(
  type: { readonly apiVersion: string; readonly kind: string }, props: P,
): ToolhiveCustomResource {
  assertShape({ type, props }, CUSTOM_RESOURCE_ARGS, '', 'customResource arguments');
  return { apiVersion: type.apiVersion, kind: type.kind, metadata: { ...props.metadata } as KubeObject['metadata'], spec: { ...(props.spec as object) } as any };
}

/** A resource that exists outside the plan (created by someone else), so references to it are fine. */
export interface ExternalResourceReference {
  /** Kind, e.g. `MCPGroup`. */
  readonly kind: string;
  /** The resource's name. */
  readonly name: string;
  /** The resource's namespace (references are by name in the referring resource's namespace). */
  readonly namespace: string;
}

/**
 * The annotations that export an MCPServer, MCPRemoteProxy or VirtualMCPServer to a Registry Server's kubernetes source.
 * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#workload-annotations
 */
export interface RegistryExportOptions {
  /** The URL clients use to reach the server (`toolhive.stacklok.dev/registry-url`). */
  readonly url: string;
  /** The description shown in registry listings (`toolhive.stacklok.dev/registry-description`). */
  readonly description: string;
  /**
   * A display name for the entry (`toolhive.stacklok.dev/registry-title`).
   * @default - the name the Registry Server generates
   */
  readonly title?: string;
  /**
   * Icon URL (`toolhive.stacklok.dev/registry-icon`).
   * @default - none
   */
  readonly icon?: string;
  /**
   * A category label that groups and filters the entry, added as a tag (`toolhive.stacklok.dev/registry-category`).
   * @default - none
   */
  readonly category?: string;
  /**
   * Tool names (`toolhive.stacklok.dev/tools`, as a JSON array).
   * @default - none
   */
  readonly tools?: string[];
  /**
   * Tool definitions with their MCP metadata: name, description, input schema (`toolhive.stacklok.dev/tool-definitions`, as JSON).
   * @default - none
   */
  readonly toolDefinitions?: { [key: string]: any }[];
  /**
   * Claims of the exported entry (`toolhive.stacklok.dev/authz-claims`, as JSON): without them, under
   * full authorization, only super-admins see it.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/authorization
   */
  readonly authzClaims?: { [claim: string]: any };
  /** Semantic version (`MAJOR.MINOR.PATCH[-pre]`, optional leading `v`). @default - the image tag, else 1.0.0 */
  readonly version?: string;
}

const EXPORT = 'toolhive.stacklok.dev/';
const EXPORTABLE = new Set(['MCPServer', 'MCPRemoteProxy', 'VirtualMCPServer']);

/** The registry export annotations for `o`. Throws the validation error when a value is invalid. */
export function registryExportAnnotations(o: RegistryExportOptions): { [key: string]: string } {
  assertShape(o, REGISTRY_EXPORT_SHAPE, 'registryExport', 'registry export');
  const issues = new IssueCollector();
  const a: Record<string, string> = {
    [`${EXPORT}registry-export`]: 'true',
    [`${EXPORT}registry-url`]: o.url,
    [`${EXPORT}registry-description`]: o.description,
  };
  if (o.title !== undefined) a[`${EXPORT}registry-title`] = o.title;
  if (o.icon !== undefined) a[`${EXPORT}registry-icon`] = o.icon;
  if (o.category !== undefined) a[`${EXPORT}registry-category`] = o.category;
  if (o.tools !== undefined) a[`${EXPORT}tools`] = JSON.stringify(o.tools);
  if (o.toolDefinitions !== undefined) a[`${EXPORT}tool-definitions`] = JSON.stringify(o.toolDefinitions);
  if (o.authzClaims !== undefined) a[`${EXPORT}authz-claims`] = JSON.stringify(o.authzClaims);
  if (o.version !== undefined) a[`${EXPORT}registry-version`] = o.version;
  checkRegistryExportAnnotations(a, 'registryExport', issues);
  issues.throwIfAny('registry export');
  return a;
}

/**
 * The rules of the registry export annotations: the required trio (export "true", url,
 * description), JSON-valued annotations, the version format.
 * @internal
 */
export function checkRegistryExportAnnotations(annotations: { [key: string]: string } | undefined, path: string, issues: IssueCollector): void {
  const a = annotations ?? {};
  const keys = Object.keys(a).filter((k) => k.startsWith(EXPORT) && (k.includes('registry-') || k === `${EXPORT}tools` || k === `${EXPORT}tool-definitions` || k === `${EXPORT}authz-claims`));
  if (keys.length === 0) return;
  const at = (k: string) => `${path}["${k}"]`;
  if (a[`${EXPORT}registry-export`] !== 'true') issues.add(at(`${EXPORT}registry-export`), 'must be "true" when the other registry annotations are set');
  for (const req of ['registry-url', 'registry-description']) {
    if (!a[`${EXPORT}${req}`]) issues.add(at(`${EXPORT}${req}`), 'required to export the server to a Registry Server');
  }
  const url = a[`${EXPORT}registry-url`];
  const urlProblem = url ? httpUrlProblem(url, { http: true, what: 'an http(s) URL' }) : undefined;
  if (urlProblem) issues.add(at(`${EXPORT}registry-url`), urlProblem);
  const json = (k: string, check: (v: unknown) => boolean, what: string) => {
    if (a[k] === undefined) return;
    try {
      if (!check(JSON.parse(a[k]))) issues.add(at(k), `must be ${what}`);
    } catch {
      issues.add(at(k), `must be valid JSON (${what})`);
    }
  };
  json(`${EXPORT}tools`, (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'a JSON array of strings');
  json(`${EXPORT}tool-definitions`, (v) => Array.isArray(v), 'a JSON array');
  json(`${EXPORT}authz-claims`, (v) => isPlainObject(v), 'a JSON object');
  const version = a[`${EXPORT}registry-version`];
  const versionProblem = version !== undefined ? entryVersionProblem(version) : undefined;
  if (versionProblem) issues.add(at(`${EXPORT}registry-version`), versionProblem);
}

type RefFinder = (spec: any) => { kind: string; name: unknown; path: string }[];

const ref = (kind: string, path: string, value: any) => (value?.name !== undefined ? [{ kind, name: value.name, path }] : []);

/** Where each kind refers to other kinds (all by name, in the same namespace). */
/** The references MCPServer and MCPRemoteProxy share. */
const proxyRefs: RefFinder = (s) => [
  ...ref('MCPGroup', 'spec.groupRef', s.groupRef),
  ...ref('MCPToolConfig', 'spec.toolConfigRef', s.toolConfigRef),
  ...ref('MCPExternalAuthConfig', 'spec.externalAuthConfigRef', s.externalAuthConfigRef),
  ...ref('MCPExternalAuthConfig', 'spec.authServerRef', s.authServerRef),
  ...ref('MCPOIDCConfig', 'spec.oidcConfigRef', s.oidcConfigRef),
  ...ref('MCPAuthzConfig', 'spec.authzConfigRef', s.authzConfigRef),
  ...ref('MCPTelemetryConfig', 'spec.telemetryConfigRef', s.telemetryConfigRef),
];

const REFERENCES: Record<string, RefFinder> = {
  MCPServer: (s) => [...proxyRefs(s), ...ref('MCPWebhookConfig', 'spec.webhookConfigRef', s.webhookConfigRef)],
  MCPRemoteProxy: proxyRefs,
  MCPServerEntry: (s) => [
    ...ref('MCPGroup', 'spec.groupRef', s.groupRef),
    ...ref('MCPExternalAuthConfig', 'spec.externalAuthConfigRef', s.externalAuthConfigRef),
  ],
  VirtualMCPServer: (s) => [
    ...ref('MCPGroup', 'spec.groupRef', s.groupRef),
    ...ref('MCPOIDCConfig', 'spec.incomingAuth.oidcConfigRef', s.incomingAuth?.oidcConfigRef),
    ...ref('MCPAuthzConfig', 'spec.incomingAuth.authzConfigRef', s.incomingAuth?.authzConfigRef),
    ...ref('MCPExternalAuthConfig', 'spec.outgoingAuth.default.externalAuthConfigRef', s.outgoingAuth?.default?.externalAuthConfigRef),
    ...Object.entries(s.outgoingAuth?.backends ?? {}).flatMap(([b, v]: [string, any]) => ref('MCPExternalAuthConfig', `spec.outgoingAuth.backends.${b}.externalAuthConfigRef`, v?.externalAuthConfigRef)),
    ...(s.config?.compositeToolRefs ?? []).flatMap((r: any, i: number) => ref('VirtualMCPCompositeToolDefinition', `spec.config.compositeToolRefs[${i}]`, r)),
    ...(s.config?.aggregation?.tools ?? []).flatMap((t: any, i: number) => ref('MCPToolConfig', `spec.config.aggregation.tools[${i}].toolConfigRef`, t?.toolConfigRef)),
    ...ref('EmbeddingServer', 'spec.embeddingServerRef', s.embeddingServerRef),
    ...ref('MCPTelemetryConfig', 'spec.telemetryConfigRef', s.telemetryConfigRef),
  ],
};

/** What the checks of custom resources need to know about their cluster. @internal */
export interface CustomResourceContext {
  /** CRD objects by plural (CrdSource.load()). */
  readonly crds: ReadonlyMap<string, KubeObject>;
  /** The namespaces the operator watches, or undefined for cluster scope. */
  readonly watchedNamespaces?: readonly string[];
  /** Resources that exist outside the plan. */
  readonly external?: readonly ExternalResourceReference[];
  /** The ToolHive release `crds` are of: a field it lacks is reported with the release that added it. @default - unnamed */
  readonly version?: string;
}

/**
 * The release that added the field at `path` (relative to the object) of `kind` at `apiVersion`,
 * when it is later than `version`: for an unknown-field issue. @internal
 */
export function fieldAddedAfter(kind: string, apiVersion: unknown, path: string, version: string): string | undefined {
  const served = typeof apiVersion === 'string' ? apiVersion.split('/')[1] : undefined;
  const since = served === undefined ? undefined : FIELD_HISTORY[kind]?.[served]?.[path.replace(/\[\d+\]/g, '[]')];
  return since !== undefined && compareVersions(since, version) > 0 ? since : undefined;
}

/**
 * Checks custom resources planned for one cluster: each against its CRD schema and CEL rules;
 * their namespaces against what the operator watches; every reference between kinds to an
 * object of the plan (same namespace) or a declared external one; the registry export
 * annotations. Issue paths start with `path` and the object's index.
 * @internal
 */
export function checkCustomResources(
  objects: readonly ToolhiveCustomResource[], ctx: CustomResourceContext, path: string, issues: IssueCollector,
): void {
  const kinds = new Set(TOOLHIVE_CRDS.map((c) => c.kind));
  const present = new Set<string>();
  const key = (kind: string, ns: string | undefined, name: unknown) => `${kind}/${ns ?? ''}/${String(name)}`;
  for (const o of objects) present.add(key(o?.kind, o?.metadata?.namespace, o?.metadata?.name));
  for (const e of ctx.external ?? []) present.add(key(e.kind, e.namespace, e.name));
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    const p = `${path}[${i}]`;
    if (!isPlainObject(o) || !kinds.has(o.kind) || !String(o.apiVersion ?? '').startsWith(`${TOOLHIVE_API_GROUP}/`)) {
      issues.add(`${p}.kind`, `${JSON.stringify(o?.apiVersion)} ${JSON.stringify(o?.kind)} is not a ToolHive kind; expected one of ${[...kinds].sort().join(', ')} in ${TOOLHIVE_API_GROUP}`);
      return;
    }
    const schema: ValidationIssue[] = validateCustomResources([o], ctx.crds);
    const name = objectKey(o);
    for (const issue of schema) {
      const rest = issue.path.slice(name.length + 1);
      const since = ctx.version !== undefined && issue.message.startsWith('unknown field') ? fieldAddedAfter(o.kind, o.apiVersion, rest, ctx.version) : undefined;
      issues.add(`${p}.${rest || 'metadata'}`, `${name}: ${since ? sinceProblem(ctx.version!, since) : issue.message}`);
    }
    const ns = o.metadata?.namespace;
    if (!ns) {issues.add(`${p}.metadata.namespace`, 'required: ToolHive resources are namespaced');} else if (ctx.watchedNamespaces && !ctx.watchedNamespaces.includes(ns)) {
      issues.add(`${p}.metadata.namespace`, `${JSON.stringify(ns)} is not watched by this cluster's operator (namespace scope: ${ctx.watchedNamespaces.join(', ')}), so it would never be reconciled`);
    }
    const k = key(o.kind, ns, o.metadata?.name);
    if (seen.has(k)) issues.add(`${p}.metadata.name`, `${objectKey(o)} is declared twice`);
    seen.add(k);
    for (const r of REFERENCES[o.kind]?.(o.spec ?? {}) ?? []) {
      if (!present.has(key(r.kind, ns, r.name))) {
        issues.add(`${p}.${r.path}`, `${objectKey(o)}: no ${r.kind} named ${JSON.stringify(r.name)} in namespace ${JSON.stringify(ns)} of this cluster's plan; add it, or declare it as existing outside the plan (externalResources)`);
      }
    }
    if (EXPORTABLE.has(o.kind)) checkRegistryExportAnnotations(o.metadata?.annotations, `${p}.metadata.annotations`, issues);
  });
}
