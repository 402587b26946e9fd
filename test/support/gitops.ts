/* The Flux and Argo CD CRDs of the upstream data directory, for schema checks and for the test API server. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { standaloneRegistryServer } from './platform-fixtures';
import { gitopsUpstream } from './upstream';
import { KubeObject, PlatformSpec, RbacScope } from '../../src';

/** The Flux and Argo CD CRDs, by plural (what `checkCustomResource` takes), in file order. */
export function gitopsCrds(): Map<string, KubeObject> {
  const dir = gitopsUpstream();
  const crds = new Map<string, KubeObject>();
  for (const sub of ['flux', 'argo-cd']) {
    for (const file of fs.readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.yaml')).sort()) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, sub, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind === 'CustomResourceDefinition') crds.set(crd.spec.names.plural, crd);
      }
    }
  }
  return crds;
}

/** The open source platform the GitOps tests deliver: a Registry Server cluster and two operator clusters. */
export function gitopsPlatform(delivery: 'helm' | 'manifests'): PlatformSpec {
  return {
    edition: 'open-source',
    delivery,
    clusters: {
      'control': { role: 'control', registryServer: standaloneRegistryServer('control', 'https://registry.example.com') },
      'eu-west': { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']) } },
      'us-east': { role: 'workload', toolhiveOperator: { rbac: RbacScope.cluster() } },
    },
  };
}
