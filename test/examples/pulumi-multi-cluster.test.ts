import { installPulumiMocks, valueOf } from '../support/pulumi-mocks';

jest.setTimeout(60_000);
const recorded = installPulumiMocks(Object.fromEntries(['control', 'eu-west', 'us-east', 'staging', 'dev'].map((c) => [`toolhive:kubeconfig-${c}`, `kubeconfig of ${c}`])));

describe('examples/pulumi-multi-cluster (with mocks)', () => {
  test('one provider per cluster from stack configuration, one cluster component each, resources on the right provider', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('../../examples/pulumi-multi-cluster/index');
    expect(await valueOf(program.clusters)).toEqual(['control', 'dev', 'eu-west', 'staging', 'us-east']);
    for (let stable = 0, count = -1; stable < 3;) {
      await new Promise((r) => setTimeout(r, 10));
      stable = recorded.length === count ? stable + 1 : 0;
      count = recorded.length;
    }
    const providers = recorded.filter((r) => r.type === 'pulumi:providers:kubernetes');
    expect(providers.map((p) => p.name).sort()).toEqual(['control', 'dev', 'eu-west', 'staging', 'us-east']);
    expect(providers.every((p) => p.inputs.enableServerSideApply === 'true' || p.inputs.enableServerSideApply === true)).toBe(true);
    const clusters = recorded.filter((r) => /ControlCluster|WorkloadCluster|RegistryCluster/.test(r.type)).map((r) => [r.type.split(':')[2], r.name]);
    expect(clusters).toEqual([
      ['ControlCluster', 'acme-control'],
      ['RegistryCluster', 'acme-dev'],
      ['WorkloadCluster', 'acme-eu-west'],
      ['RegistryCluster', 'acme-staging'],
      ['WorkloadCluster', 'acme-us-east'],
    ]);
    const onProvider = (name: string) => recorded.filter((r) => r.name.startsWith(`acme-${name}-`)).map((r) => r.provider?.split('::')[3]);
    for (const c of ['control', 'dev', 'eu-west', 'staging', 'us-east']) expect(new Set(onProvider(c))).toEqual(new Set([c]));
    expect(await valueOf(program.endpoints)).toEqual({ controlCluster: 'control', registryServer: 'https://registry.example.com' });
  });
});
