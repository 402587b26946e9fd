import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { KubeObject } from '../../src';

/** Finds the one object of `kind` (and `name`, `namespace` when given); fails otherwise. */
export function findObject(objects: readonly KubeObject[], kind: string, name?: string, namespace?: string): any {
  const found = objects.filter((o) => o.kind === kind
    && (name === undefined || o.metadata.name === name)
    && (namespace === undefined || o.metadata.namespace === namespace));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name ?? ''} ${namespace ?? ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** `Kind/namespace/name` of each object, in order. */
export function keys(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
}

/** The operator container's env as name → value (or valueFrom). */
export function envOf(deployment: any): [string, unknown][] {
  return deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]);
}

/**
 * YAML for snapshots, with every CRD's upstream schema replaced by a digest: the snapshot
 * states which CRDs are emitted and how they are labelled, without committing upstream text.
 */
export function snapshotYaml(objects: readonly any[]): string {
  return objects.map((o) => `---\n${stringify(redactCrd(o), { lineWidth: 0, sortMapEntries: false })}`).join('');
}

function redactCrd(o: any): any {
  if (o?.kind !== 'CustomResourceDefinition') return o;
  const digest = createHash('sha256').update(JSON.stringify(o.spec)).digest('hex').slice(0, 16);
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: o.metadata,
    spec: { '(upstream schema, sha256 prefix)': digest, 'group': o.spec.group, 'names.kind': o.spec.names?.kind },
  };
}
