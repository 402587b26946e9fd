import * as fs from 'fs';
import { parse } from 'yaml';
import {
  mergeHelmValues, registryServerChartDefaults, RegistryServerConfig, renderRegistryServerChart,
} from '../../../src';
import { IssueCollector } from '../../../src/core/errors';
import { checkRegistryConfig } from '../../../src/core/registry/config';
import { findObject } from '../../support/objects';
import { registryServerUpstream } from '../../support/registry';

const upstream = registryServerUpstream();
const release = { releaseName: 'registry-server', namespace: 'toolhive-system' };

const valid = (): any => ({
  sources: [{ name: 'catalog', git: { repository: 'https://example.com/c.git' }, syncPolicy: { interval: '30m' } }],
  registries: [{ name: 'default', sources: ['catalog'] }],
  database: { host: 'pg', port: 5432, user: 'u', database: 'd' },
  auth: { mode: 'anonymous' },
});
function problems(config: any, env?: Record<string, string>): string[] {
  const issues = new IssueCollector();
  checkRegistryConfig(config, 'config', issues, { env });
  return issues.issues.map((i) => i.path).sort();
}

describe('the upstream example configs', () => {
  // Hashes of the config-hash annotation `helm template` prints for each example as `config` (Registry Server chart 1.5.1).
  const HELM_CONFIG_HASH: Record<string, string> = {
    'config-api.yaml': '5dbcd2b974a8ed914a6823665a2d9c50a44e2b0b35ad906f8f8f834b3641f96',
    'config-complete.yaml': '4331aa31defc1472a3735a1b9b66592309251a65288aa4a3a43b50b275981bf',
    'config-database-dev.yaml': 'fdd7c12dc9996de6a9cc6429edf5052b93914f2b5ee46c97a17cd389af35f31',
    'config-database-passwordfile.yaml': '6e1a0d2e3c58e4f21eca937e1cd7bd0ee7c97f81db1e9b901de261eb0d971d6',
    'config-database-prod.yaml': 'a569f771b9c218961710057f87f4b755bc61cd5b8fdfec2f008f158aed8690c',
    'config-file.yaml': 'dd244e544b5d49d110b707f6acd997a0be3d270b78fa91c1374ec72847e58dd',
    'config-git.yaml': 'bb12a642b9ad7be8a0f2f7bf2d2de412bf3b735cf3ede4bd4f1819e422dccad',
    'config-oauth.yaml': '93986bdc75e2c0fb5a501751cf4169ff914a8f52a6929253384d0f52daa30b9',
  };
  const files = upstream ? [...upstream.exampleConfigs.keys()] : [];
  const maybe = upstream ? test : test.skip;

  maybe('there are eight, and each has a known hash', () => {
    expect(files).toEqual(Object.keys(HELM_CONFIG_HASH));
  });

  // Without the upstream data the table is the known names, skipped (an empty table is an error).
  (upstream ? test : test.skip).each(upstream ? files : Object.keys(HELM_CONFIG_HASH))('%s is expressible in the typed model, valid, and renders to an equivalent config', (file) => {
    const example = upstream!.exampleConfigs.get(file) as RegistryServerConfig;
    expect(problems(example)).toEqual([]);
    const objects = renderRegistryServerChart({ config: example }, release);
    const configMap = findObject(objects, 'ConfigMap');
    expect(parse(configMap.data['config.yaml'])).toEqual(mergeHelmValues(registryServerChartDefaults().config as object, example));
    expect(parse(configMap.data['config.yaml'])).toMatchObject(example as object);
    const hash = findObject(objects, 'Deployment').spec.template.metadata.annotations['toolhive.stacklok.dev/config-hash'];
    expect(hash).toBe(HELM_CONFIG_HASH[file]);
  });

  maybe('the chart defaults equal the upstream values.yaml', () => {
    expect(registryServerChartDefaults()).toEqual(parse(fs.readFileSync(upstream!.chartValuesFile, 'utf8')));
  });
});

describe('load-time rules (the server refuses to start otherwise)', () => {
  const cases: [string, (c: any) => void, string[], Record<string, string>?][] = [
    ['no sources', (c) => { c.sources = []; c.registries = []; }, ['config.registries', 'config.sources']],
    ['a source without a name', (c) => { delete c.sources[0].name; }, ['config.registries[0].sources[0]', 'config.sources[0].name']],
    ['a source name that is not a DNS label', (c) => { c.sources[0].name = 'Bad_Name'; c.registries[0].sources = ['Bad_Name']; }, ['config.sources[0].name']],
    ['duplicate source names', (c) => { c.sources.push({ ...c.sources[0] }); }, ['config.sources[1].name']],
    ['no source type', (c) => { delete c.sources[0].git; }, ['config.sources[0]']],
    ['two source types', (c) => { c.sources[0].managed = {}; }, ['config.sources[0]']],
    ['a synced source without an interval', (c) => { delete c.sources[0].syncPolicy; }, ['config.sources[0].syncPolicy.interval']],
    ['an unparsable interval', (c) => { c.sources[0].syncPolicy.interval = 'often'; }, ['config.sources[0].syncPolicy.interval']],
    ['an empty git repository', (c) => { c.sources[0].git.repository = ''; }, ['config.sources[0].git.repository']],
    ['git auth with a username only', (c) => { c.sources[0].git.auth = { username: 'oauth2' }; }, ['config.sources[0].git.auth']],
    ['a relative git passwordFile', (c) => { c.sources[0].git.auth = { username: 'u', passwordFile: 'token' }; }, ['config.sources[0].git.auth.passwordFile']],
    ['an empty api endpoint', (c) => { c.sources[0] = { name: 'catalog', api: { endpoint: '' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].api.endpoint']],
    ['an api timeout above 5m', (c) => { c.sources[0] = { name: 'catalog', api: { endpoint: 'https://r.example.com', timeout: '6m' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].api.timeout']],
    ['an api timeout of 0', (c) => { c.sources[0] = { name: 'catalog', api: { endpoint: 'https://r.example.com', timeout: '0s' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].api.timeout']],
    ['a file source with path and url', (c) => { c.sources[0] = { name: 'catalog', file: { path: '/a', url: 'https://x/y' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].file']],
    ['a file url that is not absolute', (c) => { c.sources[0] = { name: 'catalog', file: { url: 'registry.json' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].file.url']],
    ['an unparsable file timeout', (c) => { c.sources[0] = { name: 'catalog', file: { url: 'https://x/y', timeout: 'soon' }, syncPolicy: { interval: '1h' } }; }, ['config.sources[0].file.timeout']],
    ['two managed sources', (c) => { c.sources.push({ name: 'm1', managed: {} }, { name: 'm2', managed: {} }); }, ['config.sources']],
    ['claims that are not flat', (c) => { c.sources[0].claims = { groups: [{ a: 1 }] }; }, ['config.sources[0].claims.groups']],
    ['no registries', (c) => { c.registries = []; }, ['config.registries']],
    ['a registry without a name', (c) => { delete c.registries[0].name; }, ['config.registries[0].name']],
    ['duplicate registries', (c) => { c.registries.push({ ...c.registries[0] }); }, ['config.registries[1].name']],
    ['a registry without sources', (c) => { c.registries[0].sources = []; }, ['config.registries[0].sources']],
    ['a registry naming an unknown source', (c) => { c.registries[0].sources = ['nope']; }, ['config.registries[0].sources[0]']],
    ['no database', (c) => { delete c.database; }, ['config.database']],
    ['a database without host, port, user, name', (c) => { c.database = { port: 0 }; }, ['config.database.database', 'config.database.host', 'config.database.port', 'config.database.user']],
    ['maxMetaSize of 0', (c) => { c.database.maxMetaSize = 0; }, ['config.database.maxMetaSize']],
    ['dynamicAuth without a region', (c) => { c.database.dynamicAuth = { awsRdsIam: {} }; }, ['config.database.dynamicAuth.awsRdsIam.region']],
    ['audit.maxDataSize above 1048576', (c) => { c.audit = { maxDataSize: 2000000 }; }, ['config.audit.maxDataSize']],
    ['a relative audit.logFile', (c) => { c.audit = { logFile: 'audit.log' }; }, ['config.audit.logFile']],
    ['no auth', (c) => { delete c.auth; }, ['config.auth']],
    ['an empty auth.mode', (c) => { c.auth = { mode: '' }; }, ['config.auth.mode']],
    ['oauth without providers', (c) => { c.auth = { mode: 'oauth', oauth: { providers: [] } }; }, ['config.auth.oauth.providers']],
    ['a provider without name, issuer and audience', (c) => { c.auth = { mode: 'oauth', oauth: { providers: [{}] } }; }, ['config.auth.oauth.providers[0].audience', 'config.auth.oauth.providers[0].issuerUrl', 'config.auth.oauth.providers[0].name']],
    ['a relative issuer URL', (c) => { c.auth = { mode: 'oauth', oauth: { providers: [{ name: 'i', issuerUrl: 'idp.example.com', audience: 'a' }] } }; }, ['config.auth.oauth.providers[0].issuerUrl']],
    ['an http issuer that is not loopback', (c) => { c.auth = { mode: 'oauth', oauth: { providers: [{ name: 'i', issuerUrl: 'http://idp.example.com', audience: 'a' }] } }; }, ['config.auth.oauth.providers[0].issuerUrl']],
    ['tracing sampling above 1', (c) => { c.telemetry = { tracing: { enabled: true, sampling: 2 } }; }, ['config.telemetry.tracing.sampling']],
  ];

  test.each(cases)('%s', (_name, mutate, paths) => {
    const config = valid();
    mutate(config);
    expect(problems(config)).toEqual(paths.sort());
  });

  test('the valid baseline has no problems', () => {
    expect(problems(valid())).toEqual([]);
  });

  test('http issuers are accepted on loopback (localhost, 127.0.0.1, ::1 only, as the server decides), or with THV_REGISTRY_INSECURE_URL', () => {
    const c = valid();
    c.auth = { mode: 'oauth', oauth: { providers: [{ name: 'i', issuerUrl: 'http://127.0.0.1:8080', audience: 'a' }] } };
    expect(problems(c)).toEqual([]);
    c.auth.oauth.providers[0].issuerUrl = 'http://127.0.0.2:8080';
    expect(problems(c)).toEqual(['config.auth.oauth.providers[0].issuerUrl']);
    c.auth.oauth.providers[0].issuerUrl = 'http://idp.internal';
    expect(problems(c, { THV_REGISTRY_INSECURE_URL: 'true' })).toEqual([]);
  });

  test('passwords in the config are refused: it becomes a ConfigMap', () => {
    const c = valid();
    c.database.password = 'hunter2';
    c.database.migrationPassword = 'hunter3';
    expect(problems(c)).toEqual(['config.database.migrationPassword', 'config.database.password']);
  });

  test('a registry without claims while authorization is on', () => {
    const c = valid();
    c.auth = { mode: 'oauth', oauth: { providers: [{ name: 'i', issuerUrl: 'https://idp', audience: 'a' }] }, authz: { roles: { superAdmin: [{ roles: 'admin' }] } } };
    const issues = new IssueCollector();
    checkRegistryConfig(c, 'config', issues);
    expect(issues.issues).toEqual([{ path: 'config.registries[0].claims', message: expect.stringContaining('only super-admins would see it') }]);
  });

  test('unknown top-level keys and publicPaths misplaced under oauth', () => {
    const c = valid();
    c.registryName = 'legacy';
    c.auth = { mode: 'oauth', oauth: { publicPaths: ['/registry/x'], providers: [{ name: 'i', issuerUrl: 'https://idp', audience: 'a' }] } };
    expect(problems(c)).toEqual(['config.auth.oauth.publicPaths', 'config.registryName']);
  });
});
