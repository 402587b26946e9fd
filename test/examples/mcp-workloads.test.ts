import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildApp } from '../../examples/cdk8s-mcp-workloads/main';
import { expectValidObjects } from '../support/k8s-validate';
import { snapshotYaml } from '../support/objects';
import { restrictedViolations } from '../support/pod-security';
import { installPulumiMocks, valueOf } from '../support/pulumi-mocks';

jest.setTimeout(60_000);
const recorded = installPulumiMocks({ 'toolhive:kubeconfig': 'unused' });

describe('examples/cdk8s-mcp-workloads', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'workloads-'));
  buildApp(outdir).synth();
  const objects = parseAllDocuments(fs.readFileSync(path.join(outdir, 'research.yaml'), 'utf8')).map((d) => d.toJS());

  test('CRDs, then the operator, then the team\'s resources; every object schema- and CEL-valid', () => {
    const kinds = objects.map((o) => o.kind);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('Deployment'));
    expect(kinds.slice(-6)).toEqual(['MCPGroup', 'MCPToolConfig', 'MCPExternalAuthConfig', 'MCPServer', 'MCPServer', 'VirtualMCPServer']);
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('snapshot', () => {
    expect(snapshotYaml(objects)).toMatchSnapshot();
  });
});

describe('examples/pulumi-mcp-workloads (with mocks)', () => {
  test('each custom resource is a kubernetes.apiextensions.CustomResource, grouped in a component applied after the operator', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('../../examples/pulumi-mcp-workloads/index');
    expect(await valueOf(program.namespace)).toBe('toolhive-system');
    for (let stable = 0, count = -1; stable < 3;) {
      await new Promise((r) => setTimeout(r, 10));
      stable = recorded.length === count ? stable + 1 : 0;
      count = recorded.length;
    }
    const crs = recorded.filter((r) => r.inputs?.apiVersion?.startsWith('toolhive.stacklok.dev/'));
    expect(crs.map((r) => `${r.inputs.kind}/${r.inputs.metadata.name}`).sort()).toEqual([
      'MCPExternalAuthConfig/github-token', 'MCPGroup/research', 'MCPServer/fetch', 'MCPServer/github', 'MCPToolConfig/read-only-tools', 'VirtualMCPServer/research-gateway',
    ]);
    // They belong to one component that depends on the CRDs and the operator.
    const group = recorded.find((r) => r.type === 'toolhive-constructs:index:ToolhiveCustomResources');
    expect(group?.name).toBe('research-toolhive-custom-resources');
    expect(new Set(crs.map((r) => r.type))).toEqual(new Set(['kubernetes:toolhive.stacklok.dev/v1beta1:MCPGroup', 'kubernetes:toolhive.stacklok.dev/v1beta1:MCPToolConfig',
      'kubernetes:toolhive.stacklok.dev/v1beta1:MCPExternalAuthConfig', 'kubernetes:toolhive.stacklok.dev/v1beta1:MCPServer', 'kubernetes:toolhive.stacklok.dev/v1beta1:VirtualMCPServer']));
    expect(new Set(crs.map((r) => r.provider?.split('::')[3]))).toEqual(new Set(['research']));
  });
});
