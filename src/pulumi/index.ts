/**
 * toolhive-constructs for Pulumi (components arrive with the Pulumi issue; the core plans
 * are already usable from a Pulumi program).
 * @packageDocumentation
 */
export {};
