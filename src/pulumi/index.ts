/**
 * toolhive-constructs for Pulumi: components that deliver the core plans to clusters, each
 * through an explicit `kubernetes.Provider`.
 * @packageDocumentation
 */
export * from './core-args';
export * from './deliver';
export * from './operator';
export * from './registry-server';
export * from './platform';
export * from './package-host';
