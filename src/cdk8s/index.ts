/**
 * toolhive-constructs for cdk8s.
 * @packageDocumentation
 */
export * from './operator';
export * from './plan';
export * from './platform';
