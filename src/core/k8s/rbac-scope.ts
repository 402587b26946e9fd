import { namespaceProblem } from '../rules/names';

/** The operator's RBAC mode. */
export const RbacMode = {
  /** One ClusterRoleBinding: every namespace. */
  CLUSTER: 'cluster',
  /** One RoleBinding per allowed namespace. */
  NAMESPACE: 'namespace',
} as const;
/** @see RbacMode */
export type RbacMode = typeof RbacMode[keyof typeof RbacMode];

/** An RBAC scope as plain data (what {@link RbacScope} builds). */
export interface IRbacScope {
  /** `cluster`: one ClusterRoleBinding; `namespace`: one RoleBinding per allowed namespace. */
  readonly scope: RbacMode;
  /**
   * Namespaces the workload (the operator, or the Registry Server) watches and is bound in:
   * namespace scope only, at least one, each once.
   * @default [] (cluster scope)
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
   */
  readonly allowedNamespaces?: string[];
}

/**
 * Where the operator may act: the whole cluster, or a list of namespaces.
 * Switching a cluster between the two is a change of this one prop.
 */
export class RbacScope implements IRbacScope {
  /** Cluster-wide: the operator manages ToolHive resources in every namespace. */
  public static cluster(): RbacScope {
    return new RbacScope('cluster', []);
  }

  /**
   * Namespace mode: the operator watches only these namespaces and is bound only in them.
   * The storage-version migrator is switched off (it needs cluster scope).
   */
  public static namespaces(namespaces: string[]): RbacScope {
    // A copy of the list; anything else (a lone string from plain JavaScript) is kept as it is,
    // so validation reports it at rbac.allowedNamespaces instead of spreading its characters.
    return new RbacScope('namespace', Array.isArray(namespaces) ? [...namespaces] : namespaces);
  }

  /** `cluster` or `namespace`. */
  public readonly scope: RbacMode;
  /** The namespaces of namespace scope, as given (empty in cluster scope). */
  public readonly allowedNamespaces: string[];

  private constructor(scope: RbacMode, allowedNamespaces: string[]) {
    this.scope = scope;
    this.allowedNamespaces = allowedNamespaces;
  }
}

/**
 * The one rule for an RBAC scope and its namespace list, wherever they are written: the
 * operator's and the Registry Server's options (`chartValues: false`: scope defaults to
 * cluster, names are checked by the options' shape) and both charts' `rbac` values
 * (`chartValues: true`: the scope must be "cluster" or "namespace", each name a namespace name).
 * In namespace scope, at least one namespace, each once; in cluster scope, none (cluster scope
 * binds every namespace). `at` turns `scope`, `allowedNamespaces[i]` into the path the user wrote.
 * @internal
 */
export function checkRbacScope(
  rbac: { readonly scope?: unknown; readonly allowedNamespaces?: readonly unknown[] } | undefined,
  at: (rest: string) => string, subject: string, add: (path: string, message: string) => void, chartValues: boolean,
): void {
  const scope = rbac?.scope ?? (chartValues ? undefined : 'cluster');
  const namespaces = Array.isArray(rbac?.allowedNamespaces) ? rbac!.allowedNamespaces : [];
  if (chartValues && scope !== 'cluster' && scope !== 'namespace') {
    add(at('scope'), `${JSON.stringify(scope ?? null)} is not a valid scope; expected "cluster" or "namespace" (any other value renders no RBAC binding for the ${subject})`);
  }
  if (scope === 'cluster' && namespaces.length > 0) {
    add(at('allowedNamespaces'), `only used in namespace scope (cluster scope binds every namespace); use RbacScope.namespaces([...]) to restrict the ${subject}`);
  }
  if (scope !== 'namespace') return;
  if (namespaces.length === 0) add(at('allowedNamespaces'), `namespace scope needs at least one namespace: with none the ${subject} gets no permissions at all`);
  namespaces.forEach((ns, i) => {
    const problem = chartValues ? namespaceProblem(ns) : undefined;
    const first = namespaces.indexOf(ns);
    if (problem) add(at(`allowedNamespaces[${i}]`), problem);
    else if (first !== i) add(at(`allowedNamespaces[${i}]`), `${JSON.stringify(ns)} is listed twice (also at ${at(`allowedNamespaces[${first}]`)}); list each namespace once`);
  });
}
