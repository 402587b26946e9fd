import { AirGapOptions, resolveAirGap, ResolvedAirGap } from '../airgap';
import { IssueCollector, joinPath } from '../errors';
import { mergeOverrides } from '../helm/merge';
import { checkRbacScope, IRbacScope } from '../k8s/rbac-scope';
import { checkEnvList } from '../rules/kube';
import { secretRefProblems } from '../rules/secrets';
import { checkShape } from '../rules/shape';
import { deepClone, isPlainObject } from '../util';
import { checkRegistryServerValues, registryServerChartDefaults, RegistryServerChartValues } from './chart';
import { checkRegistryConfig, RegistryConfigCheckOptions, RegistryServerConfig } from './config';
import { REGISTRY_OPTIONS_SHAPE } from './options-shape';
import { EnvVar, KubeStructure, ResourceRequirements, SecretKeyReference, Toleration, pullSecretRefs } from '../k8s/types';

/** Image of the init container that prepares a pgpass file (copies it, mode 0600). */
export const DEFAULT_PGPASS_INIT_IMAGE = 'cgr.dev/chainguard/busybox:latest';

/**
 * A Registry Server as people think of it: its configuration, where its passwords live,
 * its public URL, and how its pod runs.
 * @see https://docs.stacklok.com/toolhive/guides-registry/deploy-helm
 */
export interface RegistryServerOptions {
  /**
   * The server's configuration (no passwords: they come from Secrets).
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration
   */
  readonly config: RegistryServerConfig;
  /**
   * The server's external (ingress) URL, e.g. `https://registry.example.com`: a base URL,
   * https (plain http only on loopback), no credentials. Other clusters reach it there; required
   * when another cluster refers to this server.
   * @default - none
   */
  readonly externalUrl?: string;
  /**
   * The Secret key holding the application user's password (env THV_REGISTRY_DATABASE_PASSWORD).
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#password-configuration
   */
  readonly passwordSecret?: SecretKeyReference;
  /**
   * The Secret key holding the migration user's password (env THV_REGISTRY_DATABASE_MIGRATIONPASSWORD).
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#migration-user-privileges
   */
  readonly migrationPasswordSecret?: SecretKeyReference;
  /**
   * A Secret key holding a pgpass file; an init container copies it with mode 0600 and the
   * server reads it through PGPASSFILE.
   * @default - none
   * @see https://docs.stacklok.com/toolhive/guides-registry/database#configure-passwords-via-a-pgpass-file
   */
  readonly pgpassSecret?: SecretKeyReference;
  /** Accept http:// OAuth issuer URLs (env THV_REGISTRY_INSECURE_URL). @default false */
  readonly allowInsecureIssuerUrls?: boolean;
  /**
   * Namespaces `kubernetes` sources may watch. `cluster` binds cluster-wide.
   * @default - RbacScope.cluster()
   * @see https://docs.stacklok.com/toolhive/guides-registry/configuration#kubernetes-source
   */
  readonly rbac?: IRbacScope;
  /** Number of replicas. @default 1 */
  readonly replicas?: number;
  /** Image reference. @default "ghcr.io/stacklok/thv-registry-api:v1.5.1" */
  readonly image?: string;
  /**
   * Air-gapped install: the chart from your chart mirror (Helm delivery), the server's image and
   * the pgpass init container's from your image registry (unless `image` is set), its pull
   * Secrets (unless `imagePullSecrets` is set). In a platform, the platform's `airGap` applies,
   * and this one's fields win.
   * @default - the public registries
   */
  readonly airGap?: AirGapOptions;
  /**
   * Pull secrets (names).
   * @default []
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   */
  readonly imagePullSecrets?: string[];
  /**
   * Resources of the server container.
   * @default - limits 500m/512Mi, requests 100m/128Mi
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  readonly resources?: ResourceRequirements;
  /**
   * Node labels the pod must match.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   */
  readonly nodeSelector?: { readonly [key: string]: string };
  /**
   * Tolerations of the pod.
   * @default []
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: Toleration[];
  /**
   * Affinity of the pod.
   * @default {}
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: KubeStructure;
  /** Publish the unauthenticated internal port (health, readiness, metrics) on the Service. @default true */
  readonly exposeInternalPort?: boolean;
  /**
   * Extra env vars: each name once, none the chart or these options set, and no secret inlined
   * (a secret-looking name or value must use valueFrom.secretKeyRef).
   * @default []
   */
  readonly env?: EnvVar[];
  /** Escape hatch: raw chart values merged last (Helm rules). @default {} */
  readonly values?: RegistryServerChartValues;
}

type At = (rest: string) => string;
type Context = Pick<RegistryConfigCheckOptions, 'databaseHostFromGlobal' | 'catalogGenerated'> & {
  /** The air gap, resolved once by the caller. @default - the options' own, resolved here */
  readonly airGap?: ResolvedAirGap;
};

const SECRET_REFS = ['passwordSecret', 'migrationPasswordSecret', 'pgpassSecret'] as const;

/** The environment the server will have, as far as the config's rules care (THV_REGISTRY_INSECURE_URL). */
function serverEnv(o: RegistryServerOptions): { [name: string]: string } {
  const env: { [name: string]: string } = {};
  for (const e of Array.isArray(o.env) ? o.env : []) {
    if (isPlainObject(e) && typeof e.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
  }
  if (o.allowInsecureIssuerUrls === true) env.THV_REGISTRY_INSECURE_URL = 'true';
  return env;
}

/** The config: required, then its own shape and rules. */
function checkConfigOf(o: RegistryServerOptions, at: At, issues: IssueCollector, context: Context): void {
  if (o.config === undefined) {
    issues.add(at('config'), 'required: the Registry Server configuration (sources, registries, database, auth)');
    return;
  }
  checkRegistryConfig(o.config, at('config'), issues, { env: serverEnv(o), ...context });
}

/** Each Secret reference (the kit's rule: name required, a valid Secret name and key). */
function checkSecretRefs(o: RegistryServerOptions, at: At, issues: IssueCollector): void {
  for (const field of SECRET_REFS) {
    const ref = o[field];
    if (ref === undefined || !isPlainObject(ref)) continue;
    for (const { field: f, problem } of secretRefProblems(ref)) {
      if (f === 'name' || f === 'key') issues.add(at(`${field}.${f}`), problem);
    }
  }
}

/** Where the database credentials come from: exactly one way, never the config. */
function checkCredentials(o: RegistryServerOptions, at: At, issues: IssueCollector): void {
  const db = isPlainObject(o.config) && isPlainObject(o.config.database) ? o.config.database : undefined;
  const dynamic = db?.dynamicAuth !== undefined;
  if (dynamic && (o.passwordSecret || o.migrationPasswordSecret)) {
    issues.add(at('passwordSecret'), 'dynamicAuth (AWS RDS IAM) and passwords exclude each other');
  }
  if (!dynamic && !o.passwordSecret && !o.pgpassSecret) {
    issues.add(at('passwordSecret'), 'the database needs credentials: reference a Secret (passwordSecret or pgpassSecret) or use config.database.dynamicAuth');
  }
  if (o.migrationPasswordSecret && (!db?.migrationUser || db.migrationUser === db.user)) {
    issues.add(at('migrationPasswordSecret'), 'only meaningful with a config.database.migrationUser other than the user');
  }
}

/** The namespaces `kubernetes` sources may watch: the one RBAC scope rule (k8s/rbac-scope.ts). */
function checkRbac(rbac: IRbacScope | undefined, at: At, issues: IssueCollector): void {
  checkRbacScope(rbac, (rest) => at(`rbac.${rest}`), 'Registry Server', (p, m) => issues.add(p, m), false);
}

/** The env vars the chart and the library set: a user entry of the same name would be a second value. */
function managedEnv(o: RegistryServerOptions): Map<string, string> {
  const managed = new Map<string, string>([['THV_REGISTRY_LEADER_ELECTION_ID', 'the chart (leader election)']]);
  if (o.rbac?.scope === 'namespace') managed.set('THV_REGISTRY_WATCH_NAMESPACE', 'the chart (from rbac.allowedNamespaces)');
  if (o.passwordSecret) managed.set('THV_REGISTRY_DATABASE_PASSWORD', 'passwordSecret');
  if (o.migrationPasswordSecret) managed.set('THV_REGISTRY_DATABASE_MIGRATIONPASSWORD', 'migrationPasswordSecret');
  if (o.allowInsecureIssuerUrls) managed.set('THV_REGISTRY_INSECURE_URL', 'allowInsecureIssuerUrls');
  if (o.pgpassSecret) managed.set('PGPASSFILE', 'pgpassSecret');
  return managed;
}

const envFromSecret = (name: string, ref: SecretKeyReference): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: ref.name, key: ref.key ?? 'password' } },
});

/** The env vars the options stand for, before the user's own. */
function libraryEnv(o: RegistryServerOptions): EnvVar[] {
  const env: EnvVar[] = [];
  if (o.passwordSecret) env.push(envFromSecret('THV_REGISTRY_DATABASE_PASSWORD', o.passwordSecret));
  if (o.migrationPasswordSecret) env.push(envFromSecret('THV_REGISTRY_DATABASE_MIGRATIONPASSWORD', o.migrationPasswordSecret));
  if (o.allowInsecureIssuerUrls) env.push({ name: 'THV_REGISTRY_INSECURE_URL', value: 'true' });
  if (o.pgpassSecret) env.push({ name: 'PGPASSFILE', value: '/pgpass-prepared/.pgpass' });
  return env;
}

/** A pgpass Secret: an init container copies it with mode 0600 into a memory volume the server reads. */
function pgpassValues(ref: SecretKeyReference): Record<string, any> {
  return {
    extraVolumes: [
      { name: 'pgpass-secret', secret: { secretName: ref.name, items: [{ key: ref.key ?? '.pgpass', path: '.pgpass' }] } },
      { name: 'pgpass-prepared', emptyDir: { medium: 'Memory' } },
    ],
    extraVolumeMounts: [{ name: 'pgpass-prepared', mountPath: '/pgpass-prepared', readOnly: true }],
    initContainers: [{
      name: 'pgpass-init',
      image: DEFAULT_PGPASS_INIT_IMAGE,
      command: ['sh', '-c', 'cp /pgpass-secret/.pgpass /pgpass-prepared/.pgpass && chmod 0600 /pgpass-prepared/.pgpass'],
      volumeMounts: [
        { name: 'pgpass-secret', mountPath: '/pgpass-secret', readOnly: true },
        { name: 'pgpass-prepared', mountPath: '/pgpass-prepared' },
      ],
      // The same restricted context as the server's own container.
      securityContext: deepClone(registryServerChartDefaults().securityContext),
    }],
  };
}

/** The chart values of valid options (what differs from the chart's defaults). */
function chartValuesOf(o: RegistryServerOptions, airGap: ResolvedAirGap): Record<string, any> {
  const values: Record<string, any> = { config: deepClone(o.config) };
  const mirror = airGap.images;
  if (o.pgpassSecret) {
    const pgpass = pgpassValues(o.pgpassSecret);
    pgpass.initContainers[0].image = mirror.image(DEFAULT_PGPASS_INIT_IMAGE);
    Object.assign(values, pgpass);
  }
  const extraEnv = [...libraryEnv(o), ...deepClone([...(o.env ?? [])])];
  if (extraEnv.length > 0) values.extraEnv = extraEnv;
  if (o.rbac?.scope === 'namespace') values.rbac = { scope: 'namespace', allowedNamespaces: [...(o.rbac.allowedNamespaces ?? [])].sort() };
  if (o.replicas !== undefined) values.replicaCount = o.replicas;
  const image = o.image ?? (mirror.registry ? mirror.image(registryServerChartDefaults().image!.registryServerUrl!) : undefined);
  if (image !== undefined) values.image = { registryServerUrl: image };
  const pullSecrets = o.imagePullSecrets ?? airGap.imagePullSecrets;
  if (pullSecrets?.length) values.imagePullSecrets = pullSecretRefs(pullSecrets);
  if (o.resources) values.resources = deepClone(o.resources);
  if (o.nodeSelector) values.nodeSelector = { ...o.nodeSelector };
  if (o.tolerations) values.tolerations = deepClone([...o.tolerations]);
  if (o.affinity) values.affinity = deepClone(o.affinity);
  if (o.exposeInternalPort !== undefined) values.service = { exposeInternalPort: o.exposeInternalPort };
  return values;
}

/**
 * Compiles Registry Server options to the chart's values (what differs from its defaults),
 * recording problems under `path`: the options' shape first (a wrong type is an issue, never a
 * TypeError), the config's shape and rules, then the rules across options. The config replaces
 * the chart's default config whole; `values` are checked as chart values and merged last.
 * @internal
 */
export function compileRegistryServer(
  o: RegistryServerOptions, path: string, issues: IssueCollector, context: Context = {},
): RegistryServerChartValues {
  const at: At = (rest) => joinPath(path, rest);
  const shape = new IssueCollector();
  checkShape(o, REGISTRY_OPTIONS_SHAPE, path, shape);
  issues.addAll(shape.issues);
  if (!isPlainObject(o)) return {};
  const airGap = context.airGap ?? resolveAirGap(o.airGap, at('airGap'), issues);
  checkConfigOf(o, at, issues, context);
  const configOk = isPlainObject(o.config);
  if (!shape.empty) return {};
  checkSecretRefs(o, at, issues);
  checkCredentials(o, at, issues);
  checkRbac(o.rbac, at, issues);
  checkEnvList(o.env, at('env'), issues, managedEnv(o));
  if (o.values !== undefined) checkRegistryServerValues(o.values, at('values'), issues);
  if (!configOk) return {};
  const values = chartValuesOf(o, airGap);
  if (o.values) mergeOverrides(values, o.values);
  return values;
}
