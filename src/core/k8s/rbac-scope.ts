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
  /** Namespaces the operator watches and is bound in (namespace scope only). */
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

  private constructor(public readonly scope: RbacMode, public readonly allowedNamespaces: string[]) {}
}
