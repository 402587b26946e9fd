/**
 * One rule for an RBAC scope's namespace list (k8s/rbac-scope.ts `checkRbacScope`), wherever the
 * list is written: the operator's options and chart values, the Registry Server's options and
 * chart values. Each mistake gets the same message in all four, at the path the user wrote.
 */
import {
  planOperatorInstall, planRegistryServer, RbacScope, renderOperatorChart, renderRegistryServerChart,
} from '../../../src';
import { issuesOf } from '../../support/errors';

const release = { releaseName: 'r', namespace: 'toolhive-system' };
const registryOptions = (rbac: any): any => ({
  config: {
    registries: [{ name: 'default', sources: ['upstream'] }],
    sources: [{ name: 'upstream', git: { repository: 'https://github.com/stacklok/toolhive-catalog.git', branch: 'main', path: 'registry.json' }, syncPolicy: { interval: '30m' } }],
    database: { host: 'pg', port: 5432, user: 'u', database: 'd' },
    auth: { mode: 'anonymous' },
  },
  passwordSecret: { name: 'pg', key: 'password' },
  rbac,
});

/** The four places, each given `{ scope, allowedNamespaces }` and returning the problems with the path prefix cut. */
const PLACES: [string, string, (rbac: { scope: string; allowedNamespaces: string[] }) => { path: string; message: string }[]][] = [
  ['operator options', 'operator', (rbac) => issuesOf(() => planOperatorInstall({ rbac: rbac as any }))
    .map((i) => ({ ...i, path: i.path.replace(/^operator\./, '') }))],
  ['operator chart values', 'operator', (rbac) => issuesOf(() => renderOperatorChart({ operator: { rbac, features: { storageVersionMigrator: false } } }, release))
    .map((i) => ({ ...i, path: i.path.replace(/^operator\./, '') }))],
  ['Registry Server options', 'Registry Server', (rbac) => issuesOf(() => planRegistryServer(registryOptions(rbac)))
    .map((i) => ({ ...i, path: i.path.replace(/^registryServer\./, '') }))],
  ['Registry Server chart values', 'Registry Server', (rbac) => issuesOf(() => renderRegistryServerChart({ config: { database: { host: 'pg' } }, rbac }, release))],
];

describe.each(PLACES)('%s', (_name, subject, problems) => {
  test('namespace scope with no namespace', () => {
    expect(problems({ scope: 'namespace', allowedNamespaces: [] })).toEqual([{
      path: 'rbac.allowedNamespaces', message: `namespace scope needs at least one namespace: with none the ${subject} gets no permissions at all`,
    }]);
  });

  test('a namespace listed twice names the first', () => {
    expect(problems({ scope: 'namespace', allowedNamespaces: ['team-a', 'team-b', 'team-a'] })).toEqual([{
      path: 'rbac.allowedNamespaces[2]', message: expect.stringMatching(/^"team-a" is listed twice \(also at (operator\.|registryServer\.)?rbac\.allowedNamespaces\[0\]\); list each namespace once$/),
    }]);
  });

  test('namespaces in cluster scope', () => {
    expect(problems({ scope: 'cluster', allowedNamespaces: ['team-a'] })).toEqual([{
      path: 'rbac.allowedNamespaces',
      message: `only used in namespace scope (cluster scope binds every namespace); use RbacScope.namespaces([...]) to restrict the ${subject}`,
    }]);
  });

  test('a name that is not a namespace name', () => {
    expect(problems({ scope: 'namespace', allowedNamespaces: ['Team_A'] })).toEqual([{
      path: 'rbac.allowedNamespaces[0]', message: expect.stringContaining('"Team_A" is not a valid namespace name'),
    }]);
  });
});

test('RbacScope.namespaces builds what the rule accepts', () => {
  const plan = planOperatorInstall({ rbac: RbacScope.namespaces(['team-b', 'team-a']) });
  expect(plan.deliverables.map((d) => d.id)).toContain('toolhive-operator');
  expect(JSON.stringify(plan)).toContain('WATCH_NAMESPACE');
});
