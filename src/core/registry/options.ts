import { IssueCollector } from '../errors';
import { registryServerChartDefaults, RegistryServerChartValues } from './chart';
import { checkRegistryConfig, RegistryServerConfig } from './config';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../k8s/names';
import { EnvVar, KubeStructure, ResourceRequirements, Toleration } from '../k8s/types';
import { SecretKeyReference } from '../operator/options';
import { IRbacScope } from '../operator/rbac-scope';
import { mergeOverrides } from '../helm/merge';
import { deepClone, isPlainObject } from '../util';

/** Image of the init container that prepares a pgpass file (copies it, mode 0600). */
export const DEFAULT_PGPASS_INIT_IMAGE = 'cgr.dev/chainguard/busybox:latest';

/**
 * A Registry Server as people think of it: its configuration, where its passwords live,
 * its public URL, and how its pod runs.
 */
export interface RegistryServerOptions {
  /** The server's configuration (no passwords: they come from Secrets). */
  readonly config: RegistryServerConfig;
  /**
   * The server's external (ingress) URL, e.g. `https://registry.example.com`. Other clusters
   * reach it there; required when another cluster refers to this server.
   * @default - none
   */
  readonly externalUrl?: string;
  /** The Secret key holding the application user's password (env THV_REGISTRY_DATABASE_PASSWORD). @default - none */
  readonly passwordSecret?: SecretKeyReference;
  /** The Secret key holding the migration user's password (env THV_REGISTRY_DATABASE_MIGRATIONPASSWORD). @default - none */
  readonly migrationPasswordSecret?: SecretKeyReference;
  /**
   * A Secret key holding a pgpass file; an init container copies it with mode 0600 and the
   * server reads it through PGPASSFILE.
   * @default - none
   */
  readonly pgpassSecret?: SecretKeyReference;
  /** Accept http:// OAuth issuer URLs (env THV_REGISTRY_INSECURE_URL). @default false */
  readonly allowInsecureIssuerUrls?: boolean;
  /**
   * Namespaces `kubernetes` sources may watch. `cluster` binds cluster-wide.
   * @default - RbacScope.cluster()
   */
  readonly rbac?: IRbacScope;
  /** @default 1 */
  readonly replicas?: number;
  /** Image reference. @default "ghcr.io/stacklok/thv-registry-api:v1.5.1" */
  readonly image?: string;
  /** Pull secrets (names). @default [] */
  readonly imagePullSecrets?: string[];
  /** @default - limits 500m/512Mi, requests 100m/128Mi */
  readonly resources?: ResourceRequirements;
  /** @default {} */
  readonly nodeSelector?: { readonly [key: string]: string };
  /** @default [] */
  readonly tolerations?: Toleration[];
  /** @default {} */
  readonly affinity?: KubeStructure;
  /** Publish the unauthenticated internal port (health, readiness, metrics) on the Service. @default true */
  readonly exposeInternalPort?: boolean;
  /** Extra env vars (a secret-looking one must use valueFrom.secretKeyRef). @default [] */
  readonly env?: EnvVar[];
  /** Escape hatch: raw chart values merged last (Helm rules). @default {} */
  readonly values?: RegistryServerChartValues;
}

function secretRefProblems(ref: SecretKeyReference | undefined, path: string, issues: IssueCollector): void {
  if (!ref) return;
  if (dns1123SubdomainProblem(ref.name)) issues.add(`${path}.name`, `${JSON.stringify(ref.name)} is not a valid Secret name`);
  if (ref.key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(ref.key)) issues.add(`${path}.key`, `${JSON.stringify(ref.key)} is not a valid Secret key`);
}

const envFromSecret = (name: string, ref: SecretKeyReference): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: ref.name, key: ref.key ?? 'password' } },
});

/**
 * Compiles Registry Server options to the chart's values (what differs from its defaults),
 * recording problems under `path`. The config replaces the chart's default config whole.
 * @internal
 */
export function compileRegistryServer(
  o: RegistryServerOptions, path: string, issues: IssueCollector, context: { databaseHostFromGlobal?: boolean; catalogGenerated?: boolean } = {},
): RegistryServerChartValues {
  const p = (rest: string) => `${path}.${rest}`;
  if (!isPlainObject(o?.config)) {
    issues.add(p('config'), 'required: the Registry Server configuration (sources, registries, database, auth)');
    return {};
  }
  const env: { [name: string]: string } = {};
  if (o.allowInsecureIssuerUrls) env.THV_REGISTRY_INSECURE_URL = 'true';
  checkRegistryConfig(o.config, p('config'), issues, { env, databaseHostFromGlobal: context.databaseHostFromGlobal, catalogGenerated: context.catalogGenerated });

  secretRefProblems(o.passwordSecret, p('passwordSecret'), issues);
  secretRefProblems(o.migrationPasswordSecret, p('migrationPasswordSecret'), issues);
  secretRefProblems(o.pgpassSecret, p('pgpassSecret'), issues);
  const db = o.config.database;
  const dynamic = !!db?.dynamicAuth;
  if (dynamic && (o.passwordSecret || o.migrationPasswordSecret)) {
    issues.add(p('passwordSecret'), 'dynamicAuth (AWS RDS IAM) and passwords exclude each other');
  }
  if (!dynamic && !o.passwordSecret && !o.pgpassSecret) {
    issues.add(p('passwordSecret'), 'the database needs credentials: reference a Secret (passwordSecret or pgpassSecret) or use config.database.dynamicAuth');
  }
  if (o.migrationPasswordSecret && (!db?.migrationUser || db.migrationUser === db.user)) {
    issues.add(p('migrationPasswordSecret'), 'only meaningful with a config.database.migrationUser other than the user');
  }
  if (o.externalUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(o.externalUrl);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && (u.pathname === '/' || u.pathname === '') && !u.search;
    } catch { /* reported below */ }
    if (!ok) issues.add(p('externalUrl'), `${JSON.stringify(o.externalUrl)} is not a base URL like "https://registry.example.com"`);
  }
  if (o.replicas !== undefined && (!Number.isInteger(o.replicas) || o.replicas < 0)) issues.add(p('replicas'), `expected a whole number of at least 0, got ${o.replicas}`);
  (o.imagePullSecrets ?? []).forEach((n, i) => {
    if (dns1123SubdomainProblem(n)) issues.add(p(`imagePullSecrets[${i}]`), `${JSON.stringify(n)} is not a valid Secret name`);
  });
  (o.env ?? []).forEach((e, i) => {
    if (e.value !== undefined && /(PASSWORD|SECRET|TOKEN|API_?KEY|CREDENTIAL)/i.test(e.name)) {
      issues.add(p(`env[${i}].value`), `${e.name} looks like a secret: reference it with valueFrom.secretKeyRef instead of inlining it`);
    }
  });
  const scope = o.rbac?.scope ?? 'cluster';
  const namespaces = [...(o.rbac?.allowedNamespaces ?? [])].sort();
  if (scope === 'namespace') {
    if (namespaces.length === 0) issues.add(p('rbac.allowedNamespaces'), 'namespace scope needs at least one namespace');
    namespaces.forEach((ns, i) => {
      const problem = dns1123LabelProblem(ns);
      if (problem) issues.add(p(`rbac.allowedNamespaces[${i}]`), `${JSON.stringify(ns)} is not a valid namespace name (${problem})`);
    });
  }

  const values: Record<string, any> = { config: deepClone(o.config) };
  const extraEnv: EnvVar[] = [];
  if (o.passwordSecret) extraEnv.push(envFromSecret('THV_REGISTRY_DATABASE_PASSWORD', o.passwordSecret));
  if (o.migrationPasswordSecret) extraEnv.push(envFromSecret('THV_REGISTRY_DATABASE_MIGRATIONPASSWORD', o.migrationPasswordSecret));
  if (o.allowInsecureIssuerUrls) extraEnv.push({ name: 'THV_REGISTRY_INSECURE_URL', value: 'true' });
  if (o.pgpassSecret) {
    extraEnv.push({ name: 'PGPASSFILE', value: '/pgpass-prepared/.pgpass' });
    values.extraVolumes = [
      { name: 'pgpass-secret', secret: { secretName: o.pgpassSecret.name, items: [{ key: o.pgpassSecret.key ?? '.pgpass', path: '.pgpass' }] } },
      { name: 'pgpass-prepared', emptyDir: { medium: 'Memory' } },
    ];
    values.extraVolumeMounts = [{ name: 'pgpass-prepared', mountPath: '/pgpass-prepared', readOnly: true }];
    values.initContainers = [{
      name: 'pgpass-init',
      image: DEFAULT_PGPASS_INIT_IMAGE,
      command: ['sh', '-c', 'cp /pgpass-secret/.pgpass /pgpass-prepared/.pgpass && chmod 0600 /pgpass-prepared/.pgpass'],
      volumeMounts: [
        { name: 'pgpass-secret', mountPath: '/pgpass-secret', readOnly: true },
        { name: 'pgpass-prepared', mountPath: '/pgpass-prepared' },
      ],
      // The same restricted context as the server's own container.
      securityContext: deepClone(registryServerChartDefaults().securityContext),
    }];
  }
  extraEnv.push(...deepClone([...(o.env ?? [])]));
  if (extraEnv.length > 0) values.extraEnv = extraEnv;
  if (scope === 'namespace') values.rbac = { scope: 'namespace', allowedNamespaces: namespaces };
  if (o.replicas !== undefined) values.replicaCount = o.replicas;
  if (o.image !== undefined) values.image = { registryServerUrl: o.image };
  if (o.imagePullSecrets?.length) values.imagePullSecrets = o.imagePullSecrets.map((name) => ({ name }));
  if (o.resources) values.resources = deepClone(o.resources);
  if (o.nodeSelector) values.nodeSelector = { ...o.nodeSelector };
  if (o.tolerations) values.tolerations = deepClone([...o.tolerations]);
  if (o.affinity) values.affinity = deepClone(o.affinity);
  if (o.exposeInternalPort !== undefined) values.service = { exposeInternalPort: o.exposeInternalPort };
  if (o.values) mergeOverrides(values, o.values);
  return values;
}
