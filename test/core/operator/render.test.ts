import { renderOperatorChart, OPERATOR_MANAGER_RULES, OperatorChartValues, TOOLHIVE_VERSION } from '../../../src';
import { issuesOf } from '../../support/errors';
import { expectValidObjects } from '../../support/k8s-validate';
import { envOf, findObject, keys, snapshotYaml } from '../../support/objects';
import { restrictedViolations } from '../../support/pod-security';

const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };
const render = (values?: OperatorChartValues, rel = release) => renderOperatorChart(values, rel);
const namespaceMode: OperatorChartValues = {
  operator: {
    rbac: { scope: 'namespace', allowedNamespaces: ['team-a', 'team-b'] },
    features: { storageVersionMigrator: false },
  },
};

describe('default render (cluster scope)', () => {
  const objects = render();

  test('renders the six objects in Helm install order', () => {
    expect(keys(objects)).toEqual([
      'ServiceAccount/toolhive-system/toolhive-operator',
      'ClusterRole/toolhive-operator-manager-role',
      'ClusterRoleBinding/toolhive-operator-manager-rolebinding',
      'Role/toolhive-system/toolhive-operator-leader-election-role',
      'RoleBinding/toolhive-system/toolhive-operator-leader-election-rolebinding',
      'Deployment/toolhive-system/toolhive-operator',
    ]);
  });

  test('the manager ClusterRole has the chart\'s 17 rules, in order, and no labels', () => {
    const role = findObject(objects, 'ClusterRole');
    expect(role.metadata).toEqual({ name: 'toolhive-operator-manager-role' });
    expect(role.rules).toHaveLength(17);
    expect(role.rules).toEqual(OPERATOR_MANAGER_RULES);
    const summary = role.rules.map((r: any) => `${r.apiGroups[0] || 'core'} ${r.resources.join(',')} ${r.verbs.join(',')}`);
    expect(summary[0]).toBe('core configmaps,persistentvolumeclaims,secrets,serviceaccounts,services create,delete,get,list,patch,update,watch');
    expect(summary[4]).toBe('apiextensions.k8s.io customresourcedefinitions get,list,watch');
    expect(summary[8]).toBe('events.k8s.io events create,patch');
    expect(summary[11]).toBe('toolhive.stacklok.dev * get,list,update');
    expect(summary[16]).toBe('toolhive.stacklok.dev mcptelemetryconfigs get,list,patch,update,watch');
    // The wildcard rule carries no watch; finalizer rule is update only.
    expect(role.rules[13].verbs).toEqual(['update']);
    expect(role.rules[13].resources).toHaveLength(10);
    expect(role.rules[14].resources).toHaveLength(13);
  });

  test('the ClusterRoleBinding binds the operator ServiceAccount in the release namespace', () => {
    const binding = findObject(objects, 'ClusterRoleBinding');
    expect(binding.metadata.labels).toEqual({ 'app': 'toolhive', 'app.kubernetes.io/name': 'toolhive' });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'toolhive-operator-manager-role' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'toolhive-operator', namespace: 'toolhive-system' }]);
  });

  test('the Deployment carries the 11 chart env vars in the chart\'s order', () => {
    const deployment = findObject(objects, 'Deployment');
    expect(envOf(deployment)).toEqual([
      ['GOMEMLIMIT', '110MiB'],
      ['GOGC', '75'],
      ['UNSTRUCTURED_LOGS', 'false'],
      ['POD_NAMESPACE', { fieldRef: { fieldPath: 'metadata.namespace' } }],
      ['TOOLHIVE_USE_CONFIGMAP', 'true'],
      ['ENABLE_EXPERIMENTAL_FEATURES', 'false'],
      ['TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR', 'true'],
      ['TOOLHIVE_RUNNER_IMAGE', `ghcr.io/stacklok/toolhive/proxyrunner:v${TOOLHIVE_VERSION}`],
      ['VMCP_IMAGE', `ghcr.io/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`],
      ['TOOLHIVE_PROXY_HOST', '0.0.0.0'],
      ['TOOLHIVE_REGISTRY_API_IMAGE', 'ghcr.io/stacklok/thv-registry-api:v1.5.3'],
    ]);
  });

  test('the Deployment: one replica, manager container, probes, security contexts, resources', () => {
    const d = findObject(objects, 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'toolhive-operator',
      'app.kubernetes.io/instance': 'toolhive-operator',
      'app.kubernetes.io/part-of': 'toolhive-operator',
    });
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe('toolhive-operator');
    expect(pod.terminationGracePeriodSeconds).toBe(10);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true });
    const c = pod.containers[0];
    expect(c.name).toBe('manager');
    expect(c.image).toBe(`ghcr.io/stacklok/toolhive/operator:v${TOOLHIVE_VERSION}`);
    expect(c.args).toEqual(['--leader-elect']);
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 15, periodSeconds: 20 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '10m', memory: '64Mi' } });
  });

  test('labels are the published chart\'s: appVersion without a leading v', () => {
    const d = findObject(objects, 'Deployment');
    expect(d.metadata.labels).toEqual({
      'helm.sh/chart': `toolhive-operator-${TOOLHIVE_VERSION}`,
      'app.kubernetes.io/name': 'toolhive-operator',
      'app.kubernetes.io/instance': 'toolhive-operator',
      'app.kubernetes.io/part-of': 'toolhive-operator',
      'app.kubernetes.io/version': TOOLHIVE_VERSION,
      'app.kubernetes.io/managed-by': 'Helm',
    });
    expect(findObject(objects, 'ServiceAccount').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'toolhive-operator',
      'app.kubernetes.io/part-of': 'toolhive-operator',
    });
  });

  test('every object passes Kubernetes schema validation; the pod meets "restricted"', () => {
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });

  test('snapshot', () => {
    expect(snapshotYaml(objects)).toMatchSnapshot();
  });
});

describe('namespace scope', () => {
  const objects = render(namespaceMode);

  test('one manager RoleBinding per allowed namespace, and no ClusterRoleBinding', () => {
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'toolhive-operator-manager-rolebinding');
    expect(bindings.map((b) => b.metadata.namespace)).toEqual(['team-a', 'team-b']);
    for (const b of bindings) {
      expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'toolhive-operator-manager-role' });
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'toolhive-operator', namespace: 'toolhive-system' }]);
    }
  });

  test('manager RoleBindings come before the leader-election RoleBinding (template path order)', () => {
    expect(keys(objects)).toEqual([
      'ServiceAccount/toolhive-system/toolhive-operator',
      'ClusterRole/toolhive-operator-manager-role',
      'Role/toolhive-system/toolhive-operator-leader-election-role',
      'RoleBinding/team-a/toolhive-operator-manager-rolebinding',
      'RoleBinding/team-b/toolhive-operator-manager-rolebinding',
      'RoleBinding/toolhive-system/toolhive-operator-leader-election-rolebinding',
      'Deployment/toolhive-system/toolhive-operator',
    ]);
  });

  test('WATCH_NAMESPACE follows the migrator flag, comma-joined', () => {
    const env = envOf(findObject(objects, 'Deployment')).map(([n]) => n);
    const i = env.indexOf('WATCH_NAMESPACE');
    expect(env[i - 1]).toBe('TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR');
    expect(env[i + 1]).toBe('TOOLHIVE_RUNNER_IMAGE');
    expect(new Map(envOf(findObject(objects, 'Deployment')))).toEqual(expect.any(Map));
    const map = new Map(envOf(findObject(objects, 'Deployment')));
    expect(map.get('WATCH_NAMESPACE')).toBe('team-a,team-b');
    expect(map.get('TOOLHIVE_ENABLE_STORAGE_VERSION_MIGRATOR')).toBe('false');
  });

  test('the ClusterRole is the same as in cluster scope', () => {
    expect(findObject(objects, 'ClusterRole')).toEqual(findObject(render(), 'ClusterRole'));
  });

  test('cluster scope has no WATCH_NAMESPACE', () => {
    expect(envOf(findObject(render(), 'Deployment')).map(([n]) => n)).not.toContain('WATCH_NAMESPACE');
  });

  test('schema-valid, and snapshot', () => {
    expectValidObjects(objects);
    expect(snapshotYaml(objects)).toMatchSnapshot();
  });
});

describe('autoscaling', () => {
  test('the HPA replaces spec.replicas, with a CPU metric at 80 by default', () => {
    const objects = render({ operator: { autoscaling: { enabled: true } } });
    const d = findObject(objects, 'Deployment');
    expect('replicas' in d.spec).toBe(false);
    const hpa = findObject(objects, 'HorizontalPodAutoscaler');
    expect(keys(objects).slice(-2)).toEqual(['Deployment/toolhive-system/toolhive-operator', 'HorizontalPodAutoscaler/toolhive-operator']);
    expect(hpa.metadata.namespace).toBeUndefined(); // the chart's template sets none
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'toolhive-operator' },
      minReplicas: 1,
      maxReplicas: 100,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expectValidObjects(objects);
  });

  test('memory metric only when set; CPU removed with null', () => {
    const hpa = findObject(render({ operator: { autoscaling: { enabled: true, targetCPUUtilizationPercentage: null as any, targetMemoryUtilizationPercentage: 70 } } }), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  test('without autoscaling there is no HPA', () => {
    expect(render().some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });
});

describe('image discovery', () => {
  test('a zero-replica Deployment lists the three runtime images', () => {
    const objects = render({ operator: { imageDiscovery: { enabled: true }, imagePullSecrets: [{ name: 'regcred' }] } });
    const d = findObject(objects, 'Deployment', 'toolhive-operator-image-discovery', 'toolhive-system');
    expect(d.spec.replicas).toBe(0);
    expect(d.metadata.labels['app.kubernetes.io/component']).toBe('image-discovery');
    expect(d.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'toolhive-operator',
      'app.kubernetes.io/instance': 'toolhive-operator',
      'app.kubernetes.io/part-of': 'toolhive-operator',
      'app.kubernetes.io/component': 'image-discovery',
    });
    const pod = d.spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.containers.map((c: any) => [c.name, c.image, c.imagePullPolicy])).toEqual([
      ['toolhive-runner', `ghcr.io/stacklok/toolhive/proxyrunner:v${TOOLHIVE_VERSION}`, 'IfNotPresent'],
      ['vmcp', `ghcr.io/stacklok/toolhive/vmcp:v${TOOLHIVE_VERSION}`, 'IfNotPresent'],
      ['registry-api', 'ghcr.io/stacklok/thv-registry-api:v1.5.3', 'IfNotPresent'],
    ]);
    for (const c of pod.containers) expect(c.resources).toEqual({});
    expect(keys(objects).slice(-2)).toEqual(['Deployment/toolhive-system/toolhive-operator', 'Deployment/toolhive-system/toolhive-operator-image-discovery']);
    expectValidObjects(objects);
    expect(restrictedViolations(objects)).toEqual([]);
  });
});

describe('Helm merge rules', () => {
  test('maps merge: overriding one security-context key keeps the others', () => {
    const c = findObject(render({ operator: { containerSecurityContext: { runAsUser: 2000 } } }), 'Deployment').spec.template.spec.containers[0];
    expect(c.securityContext.runAsUser).toBe(2000);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('lists replace: one port given, one port rendered', () => {
    const c = findObject(render({ operator: { ports: [{ containerPort: 9090, name: 'health', protocol: 'TCP' }] } }), 'Deployment').spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 9090, name: 'health', protocol: 'TCP' }]);
  });

  test('null deletes a default', () => {
    const c = findObject(render({ operator: { resources: { limits: null as any } } }), 'Deployment').spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' } });
  });

  test('the input values are not modified', () => {
    const values = { operator: { resources: { limits: null as any } } };
    render(values);
    expect(values).toEqual({ operator: { resources: { limits: null } } });
  });
});

describe('env vars', () => {
  test('user env comes first; the chart\'s own vars follow', () => {
    const env = envOf(findObject(render({ operator: { env: [{ name: 'LOG_LEVEL', value: 'debug' }] } }), 'Deployment'));
    expect(env[0]).toEqual(['LOG_LEVEL', 'debug']);
    expect(env[1]).toEqual(['GOMEMLIMIT', '110MiB']);
  });

  test('a user env var the chart also sets is refused (helm would render both entries), naming what sets it', () => {
    expect(() => render({ operator: { env: [{ name: 'GOGC', value: '999' }] } }))
      .toThrow(/operator\.env\[0\]\.name: GOGC is set by the chart \(operator\.gc\.gogc\); a second entry would leave the container with two values for it/);
  });

  test('default pull secrets: strings and {name} entries, comma-joined after the registry API image', () => {
    const env = envOf(findObject(render({ operator: { defaultImagePullSecrets: ['regcred', { name: 'otherscred' }] } }), 'Deployment'));
    const names = env.map(([n]) => n);
    expect(names.indexOf('TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS')).toBe(names.indexOf('TOOLHIVE_REGISTRY_API_IMAGE') + 1);
    expect(new Map(env).get('TOOLHIVE_DEFAULT_IMAGE_PULL_SECRETS')).toBe('regcred,otherscred');
  });

  test('Redis: address, Secret name and the default key', () => {
    const env = new Map(envOf(findObject(render({ operator: { defaultRedis: { addr: 'myredis:6379', existingSecret: 'redis-creds' } } }), 'Deployment')));
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_ADDR')).toBe('myredis:6379');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_NAME')).toBe('redis-creds');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_KEY')).toBe('redis-password');
  });

  test('Redis: global.redis is the fallback, port 6379 by default', () => {
    const env = new Map(envOf(findObject(render({ global: { redis: { host: 'global-redis.internal', existingSecret: 'gsec', existingSecretKey: 'pw' } } }), 'Deployment')));
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_ADDR')).toBe('global-redis.internal:6379');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_NAME')).toBe('gsec');
    expect(env.get('TOOLHIVE_DEFAULT_REDIS_SECRET_KEY')).toBe('pw');
  });

  test('Redis: a Secret without any address renders nothing', () => {
    const names = envOf(findObject(render({ operator: { defaultRedis: { existingSecret: 'redis-creds' } } }), 'Deployment')).map(([n]) => n);
    expect(names.filter((n) => n.startsWith('TOOLHIVE_DEFAULT_REDIS'))).toEqual([]);
  });
});

describe('names', () => {
  test('with fullnameOverride cleared, names derive from the release', () => {
    const objects = render({ fullnameOverride: '', nameOverride: 'custom' }, { releaseName: 'prod', namespace: 'toolhive-system' });
    const d = findObject(objects, 'Deployment');
    expect(d.metadata.name).toBe('prod-custom');
    expect(d.spec.selector.matchLabels['app.kubernetes.io/name']).toBe('custom');
    // The ServiceAccount name is a value of its own, and its labels are fixed.
    expect(findObject(objects, 'ServiceAccount').metadata.labels['app.kubernetes.io/name']).toBe('toolhive-operator');
  });

  test('a release name containing the chart name is used as is', () => {
    const d = findObject(render({ fullnameOverride: '' }, { releaseName: 'my-toolhive-operator', namespace: 'x' }), 'Deployment');
    expect(d.metadata.name).toBe('my-toolhive-operator');
  });

  test('no ServiceAccount created: subjects and pod use "default" when no name is given', () => {
    const objects = render({ operator: { serviceAccount: { create: false, name: '' } } });
    expect(objects.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    expect(findObject(objects, 'ClusterRoleBinding').subjects[0].name).toBe('default');
    expect(findObject(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('default');
  });
});

describe('values the chart refuses, or would render broken', () => {
  test('the migrator in namespace scope (the chart\'s own fail)', () => {
    const issues = issuesOf(() => render({ operator: { rbac: { scope: 'namespace', allowedNamespaces: ['a'] } } }));
    expect(issues).toEqual([{ path: 'operator.features.storageVersionMigrator', message: expect.stringContaining('needs rbac.scope "cluster"') }]);
  });

  test('a default pull secret object without a name (the chart\'s own fail)', () => {
    expect(issuesOf(() => render({ operator: { defaultImagePullSecrets: [{ name: '' }] } }))).toEqual([
      { path: 'operator.defaultImagePullSecrets[0]', message: 'an object entry needs a non-empty `name`' },
    ]);
  });

  test('a default pull secret that is neither a string nor an object (the chart\'s own fail)', () => {
    expect(issuesOf(() => render({ operator: { defaultImagePullSecrets: [42 as any] } }))).toEqual([
      { path: 'operator.defaultImagePullSecrets[0]', message: expect.stringContaining('got float64') },
    ]);
  });

  test('a scope other than cluster or namespace', () => {
    const issues = issuesOf(() => render({ operator: { rbac: { scope: 'Namespace' }, features: { storageVersionMigrator: false } } }));
    expect(issues).toEqual([{ path: 'operator.rbac.scope', message: expect.stringContaining('expected "cluster" or "namespace"') }]);
  });

  test('namespace scope with no namespaces', () => {
    const issues = issuesOf(() => render({ operator: { rbac: { scope: 'namespace', allowedNamespaces: [] }, features: { storageVersionMigrator: false } } }));
    expect(issues).toEqual([{ path: 'operator.rbac.allowedNamespaces', message: expect.stringContaining('at least one namespace') }]);
  });

  test('a namespace name that is not a DNS-1123 label, and a duplicate', () => {
    const issues = issuesOf(() => render({ operator: { rbac: { scope: 'namespace', allowedNamespaces: ['team-a', 'Team_A', 'team-a'] }, features: { storageVersionMigrator: false } } }));
    expect(issues).toEqual([
      { path: 'operator.rbac.allowedNamespaces[1]', message: expect.stringContaining('"Team_A" is not a valid namespace name') },
      { path: 'operator.rbac.allowedNamespaces[2]', message: expect.stringContaining('listed twice') },
    ]);
  });

  test('unknown keys are rejected, with the valid keys named', () => {
    const issues = issuesOf(() => render({ operator: { replicas: 2, rbac: { scop: 'cluster' } } } as any));
    expect(issues.map((i) => i.path)).toEqual(['operator.rbac.scop', 'operator.replicas']);
    expect(issues[1].message).toContain('replicaCount');
  });

  test('wrong types are rejected', () => {
    const issues = issuesOf(() => render({ operator: { replicaCount: '2', features: { experimental: 'yes' }, podAnnotations: { a: true } } } as any));
    expect(issues.map((i) => i.path)).toEqual(['operator.features.experimental', 'operator.podAnnotations.a', 'operator.replicaCount']);
  });

  test('an invalid release namespace', () => {
    expect(issuesOf(() => render({}, { releaseName: 'toolhive-operator', namespace: 'Toolhive' })).map((i) => i.path)).toEqual(['release.namespace']);
  });

  test('every problem is reported at once', () => {
    const issues = issuesOf(() => render({ operator: { replicaCount: -1, imagePullPolicy: 'Sometimes', bogus: 1 } } as any));
    expect(issues.map((i) => i.path)).toEqual(['operator.bogus', 'operator.imagePullPolicy', 'operator.replicaCount']);
  });
});
