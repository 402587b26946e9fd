import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { buildApp } from '../../examples/cdk8s-multi-cluster/main';
import { expectValidObjects } from '../support/k8s-validate';
import { snapshotYaml } from '../support/objects';
import { restrictedViolations } from '../support/pod-security';

function synth(): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-'));
  buildApp(outdir).synth();
  return new Map(fs.readdirSync(outdir).sort().map((f) => [f, parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJS())]));
}

describe('examples/cdk8s-multi-cluster', () => {
  const files = synth();

  test('one file per cluster', () => {
    expect([...files.keys()]).toEqual(['ap-south.yaml', 'control.yaml', 'dev.yaml', 'eu-west.yaml', 'staging.yaml', 'us-east.yaml']);
  });

  test('workload clusters: CRDs first, the operator in namespace mode, the control plane\'s URLs', () => {
    for (const [file, teams] of [['eu-west.yaml', 'payments,search'], ['us-east.yaml', 'checkout,search'], ['ap-south.yaml', 'payments,support']] as const) {
      const objects = files.get(file)!;
      const kinds = objects.map((o) => o.kind);
      expect(kinds[0]).toBe('Namespace');
      expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('ServiceAccount'));
      const deployment = objects.find((o) => o.kind === 'Deployment');
      expect(deployment.spec.template.spec.containers[0].env.find((e: any) => e.name === 'WATCH_NAMESPACE').value).toBe(teams);
      expect(objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'toolhive-operator-manager-rolebinding').map((o) => o.metadata.namespace)).toEqual(teams.split(','));
      expect(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'toolhive-platform-endpoints').data).toEqual({ controlCluster: 'control', registryServerUrl: 'https://registry.example.com' });
    }
  });

  test('the control cluster aggregates production, staging and development from the catalog, by environment tag', () => {
    const config = parse(files.get('control.yaml')!.find((o) => o.kind === 'ConfigMap').data['config.yaml']);
    expect(config.registries.map((r: any) => r.name)).toEqual(['production', 'staging', 'development']);
    expect(config.sources.map((s: any) => [s.name, s.git.branch, s.filter.tags.include[0]])).toEqual([
      ['production-catalog', 'main', 'env:production'], ['staging-catalog', 'main', 'env:staging'], ['development-catalog', 'main', 'env:development'],
    ]);
    for (const env of ['staging.yaml', 'dev.yaml']) {
      const c = parse(files.get(env)!.find((o) => o.kind === 'ConfigMap').data['config.yaml']);
      expect(c.registries).toHaveLength(1);
    }
  });

  test('every object is schema-valid and every pod meets "restricted"', () => {
    const all = [...files.values()].flat();
    expectValidObjects(all);
    expect(restrictedViolations(all)).toEqual([]);
  });

  test.each(['ap-south.yaml', 'control.yaml', 'dev.yaml', 'eu-west.yaml', 'staging.yaml', 'us-east.yaml'])('snapshot of %s', (file) => {
    expect(snapshotYaml(files.get(file)!)).toMatchSnapshot();
  });
});
