import { validateKubeObject } from './k8s-validate';

// The schema helper must be able to fail, or every "schema-valid" assertion means nothing.
describe('the Kubernetes schema helper', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', namespace: 'y' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1 } } }] } },
    },
  });

  test('accepts a valid object', () => {
    expect(validateKubeObject(deployment())).toEqual([]);
  });

  test('rejects unknown fields, at any depth', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagee = 'typo';
    d.metadata.lables = {};
    expect(validateKubeObject(d)).toEqual([
      '$.metadata: unknown field "lables"',
      '$.spec.template.spec.containers[0]: unknown field "imagee"',
    ]);
  });

  test('rejects wrong types and missing required fields', () => {
    const d: any = deployment();
    d.spec.replicas = '3';
    delete d.spec.selector;
    expect(validateKubeObject(d)).toEqual(['$.spec: missing required field "selector"', '$.spec.replicas: expected an integer, got string "3"']);
  });

  test('rejects unknown kinds', () => {
    expect(validateKubeObject({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual([
      'no Kubernetes schema for apps/v1/Deploymnet (is apiVersion/kind right?)',
    ]);
  });

  test('checks CRD schemas strictly', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foos.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Foo', plural: 'foos' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', propertiess: {} } } }],
      },
    };
    expect(validateKubeObject(crd)).toEqual(['$.spec.versions[0].schema.openAPIV3Schema: unknown field "propertiess"']);
  });
});
