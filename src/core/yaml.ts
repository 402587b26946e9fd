import { KubeObject } from './k8s/objects';
import { KUBE_OBJECTS } from './rules/kube';
import { assertShape } from './rules/shape';

/**
 * Serializes objects as one multi-document YAML stream, in the given order and with
 * each object's keys as they are (deterministic: same objects, same bytes).
 */
export function toYamlDocuments(objects: readonly KubeObject[]): string {
  assertShape(objects, KUBE_OBJECTS, 'objects', 'toYamlDocuments arguments');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof import('yaml');
  return objects
    .map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('');
}
