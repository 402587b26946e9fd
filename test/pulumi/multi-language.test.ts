import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '@pulumi/pulumi/provider/experimental/analyzer';
import { generatePulumiSchema, PLUGIN_DIR, pluginPackageJson } from '../../scripts/gen-pulumi-schema';

jest.setTimeout(120_000);

/*
 * Pulumi's own analyzer (what `pulumi package add` runs to generate SDKs for Python, Go, C#...)
 * must accept every component's args and outputs: interfaces, enums as named constants, no
 * unions besides `T | undefined`, no inline object types.
 */
describe('Pulumi components are analyzable for other languages', () => {
  const root = path.resolve(__dirname, '..', '..');
  const analyze = () => new Analyzer(root, 'toolhive-constructs', { name: 'toolhive-constructs', main: 'src/pulumi/index.js' },
    new Set(['ToolhiveOperator', 'RegistryServer', 'ToolhivePlatform'])).analyze();

  test('ToolhiveOperator, RegistryServer and ToolhivePlatform: args and outputs', () => {
    const result = analyze();
    expect(Object.keys(result.components).sort()).toEqual(['RegistryServer', 'ToolhiveOperator', 'ToolhivePlatform']);
    const op = result.components.ToolhiveOperator as any;
    expect(Object.keys(op.inputs)).toEqual(expect.arrayContaining(['provider', 'delivery', 'rbac', 'crds', 'images', 'values']));
    expect(op.inputs.provider.$ref ?? op.inputs.provider.ref).toMatch(/kubernetes/);
    expect(Object.keys(op.outputs).sort()).toEqual(['namespace', 'releaseNames']);
    expect(Object.keys((result.components.ToolhivePlatform as any).outputs).sort()).toEqual(['clusterNames', 'endpoints']);
  });

  test('the args are the core\'s types (generated), not untyped maps, and every one is documented', () => {
    const result = analyze() as any;
    const ref = (p: any) => String(p?.$ref ?? '').replace(/^#\/types\/toolhive-constructs:index:/, '');
    const types = result.typeDefinitions;
    const cluster = types.PlatformClusterArgs.properties;
    expect(['toolhiveOperator', 'registryServer', 'enterpriseManager', 'cloudUi', 'aiGateway', 'global'].map((k) => ref(cluster[k]))).toEqual([
      'OperatorSettingsArgs', 'RegistryServerSettingsArgs', 'EnterpriseManagerArgs', 'CloudUiArgs', 'AiGatewayArgs', 'GlobalArgs',
    ]);
    const platform = result.components.ToolhivePlatform.inputs;
    expect(['enterprise', 'global', 'registryLayering', 'airGap'].map((k) => ref(platform[k]))).toEqual(['EnterpriseReleaseArgs', 'GlobalArgs', 'RegistryLayeringArgs', 'AirGapArgs']);
    expect(ref(types.RegistryServerSettingsArgs.properties.config)).toBe('RegistryServerConfigArgs');
    const operator = result.components.ToolhiveOperator.inputs;
    expect([ref(operator.values), ref(operator.customResources.items), ref(operator.crds)]).toEqual(['OperatorChartValuesArgs', 'ToolhiveCustomResourceArgs', 'OperatorCrdsArgs']);
    // An enum the core writes as a union of strings is an enum for other languages.
    expect(types.GlobalPostgresSslModeEnum.enum.map((e: any) => e.value)).toEqual(['disable', 'require', 'verify-ca', 'verify-full']);

    const undocumented: string[] = [];
    for (const [name, c] of Object.entries<any>(result.components)) {
      for (const [p, d] of Object.entries<any>(c.inputs)) if (!d.description) undocumented.push(`${name}.${p}`);
    }
    for (const [name, t] of Object.entries<any>(types)) {
      for (const [p, d] of Object.entries<any>(t.properties ?? {})) if (!d.description) undocumented.push(`${name}.${p}`);
    }
    expect(undocumented).toEqual([]);
  });

  /*
   * Where other languages may still be given anything (`pulumi.json#/Any`, alone or as the values of
   * a map or list), and why nothing typed will do: the analyzer has no unions, so JSON and
   * Kubernetes IntOrString can only be Any. Anything else Any is a regression.
   */
  const ANY_ALLOWED: { [at: string]: string } = {
    'EnterpriseManagerArgs.values{}': 'raw chart values, merged last',
    'CloudUiArgs.values{}': 'raw chart values, merged last',
    'AiGatewayArgs.values{}': 'raw chart values, merged last',
    'ToolhiveCustomResourceArgs.spec{}': 'the spec of any ToolHive kind (checked against its CRD when planned)',
    'HttpGetActionArgs.port': 'a port number or name (IntOrString)',
    'RegistryServerChartValuesArgs.initContainers[]{}': 'Kubernetes containers: @pulumi/kubernetes types them with IntOrString unions',
    'ManagedFieldsEntry.fieldsV1': 'Kubernetes\' own Any (in the ObjectMeta of a volume\'s ephemeral claim template)',
  };

  test('no input is Any (alone, in a list or as map values) but the documented few', () => {
    const result = analyze() as any;
    const open: string[] = [];
    const walk = (p: any, at: string) => {
      if (p?.$ref === 'pulumi.json#/Any') open.push(at);
      if (p?.items) walk(p.items, `${at}[]`);
      if (p?.additionalProperties) walk(p.additionalProperties, `${at}{}`);
    };
    for (const [name, c] of Object.entries<any>(result.components)) for (const [k, p] of Object.entries<any>(c.inputs)) walk(p, `${name}.${k}`);
    for (const [name, t] of Object.entries<any>(result.typeDefinitions)) for (const [k, p] of Object.entries<any>(t.properties ?? {})) walk(p, `${name}.${k}`);
    expect(open.sort()).toEqual(Object.keys(ANY_ALLOWED).sort());
  });

  test('in the schema the SDKs are made from, a Kubernetes IntOrString is an integer or a string, not Any', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, 'schema.json'), 'utf8'));
    const port = schema.types['toolhive-constructs:index:HttpGetAction'].properties.port;
    expect(port).toEqual({ oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'Port number or name.' });
    const open: string[] = [];
    const walk = (p: any, at: string) => {
      if (p?.$ref === 'pulumi.json#/Any') open.push(at);
      if (p?.items) walk(p.items, `${at}[]`);
      if (p?.additionalProperties) walk(p.additionalProperties, `${at}{}`);
    };
    for (const [token, r] of Object.entries<any>(schema.resources)) for (const [k, p] of Object.entries<any>(r.inputProperties)) walk(p, `${token.split(':')[2]}.${k}`);
    for (const [token, t] of Object.entries<any>(schema.types)) for (const [k, p] of Object.entries<any>(t.properties ?? {})) walk(p, `${token.split(':')[2]}.${k}`);
    // The analyzer's Any but the IntOrString ones, under the schema's type names (no Args suffix where the short name is free).
    const analyzerAny = Object.keys(ANY_ALLOWED).filter((at) => at !== 'HttpGetActionArgs.port').map((at) => at.replace(/^(\w+)Args\./, '$1.'));
    expect(open.sort()).toEqual(analyzerAny.sort());
  });

  test('Kubernetes structures, claims and the Registry Server config are typed for other languages', () => {
    const result = analyze() as any;
    const types = result.typeDefinitions;
    const ref = (p: any) => String(p?.$ref ?? '').replace(/^#\/types\/toolhive-constructs:index:/, '');
    const chart = types.RegistryServerChartValuesArgs.properties;
    // @pulumi/kubernetes's input types, copied into the schema (the analyzer does not reference another package's types).
    expect([ref(chart.affinity), ref(chart.extraVolumes.items), ref(chart.extraVolumeMounts.items), ref(chart.extraEnvFrom.items)])
      .toEqual(['Affinity', 'Volume', 'VolumeMount', 'EnvFromSource']);
    expect(ref(types.Affinity.properties.nodeAffinity)).toBe('NodeAffinity');
    expect(ref(result.components.RegistryServer.inputs.affinity)).toBe('Affinity');
    const values = types.OperatorSectionValuesArgs.properties;
    expect([ref(values.affinity), ref(values.volumes.items), ref(values.volumeMounts.items)]).toEqual(['Affinity', 'Volume', 'VolumeMount']);
    expect([values.defaultImagePullSecrets.items.type, types.OperatorSectionValuesGcArgs.properties.gogc.type]).toEqual(['string', 'string']);
    // Claims: a map of lists of strings.
    const claims = { type: 'object', additionalProperties: { type: 'array', items: { type: 'string', plain: true }, plain: true } };
    expect(types.RegistryEnvironmentArgs.properties.claims).toMatchObject(claims);
    expect(types.AuthzRolesConfigArgs.properties.superAdmin.items).toMatchObject(claims);
    // The chart's config: the config's args, every property optional.
    expect(ref(chart.config)).toBe('RegistryServerConfigPartialArgs');
    const partial = types.RegistryServerConfigPartialArgs.properties;
    expect(ref(partial.sources.items)).toBe('RegistrySourceConfigPartialArgs');
    expect(Object.values<any>(partial).every((p) => p.optional)).toBe(true);
  });

  test('the component package serves that schema: pulumi-plugin/schema.json and package.json are what the sources generate (run `npx projen pulumi:schema`)', () => {
    const committed = fs.readFileSync(path.join(PLUGIN_DIR, 'schema.json'), 'utf8');
    expect(committed).toBe(generatePulumiSchema());
    expect(fs.readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')).toBe(pluginPackageJson());
    const schema = JSON.parse(committed);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect([schema.name, schema.version]).toEqual(['toolhive-constructs', pkg.version]);
    expect(Object.keys(schema.resources).sort()).toEqual(['RegistryServer', 'ToolhiveOperator', 'ToolhivePlatform'].map((c) => `toolhive-constructs:index:${c}`));
    // The provider arg is a reference to the kubernetes package's provider, at the version the library is built against.
    const version = pkg.devDependencies['@pulumi/kubernetes'].replace(/^[^0-9]*/, '');
    for (const c of ['ToolhiveOperator', 'RegistryServer']) {
      expect(schema.resources[`toolhive-constructs:index:${c}`].inputProperties.provider.$ref).toBe(`/kubernetes/v${version}/schema.json#/provider`);
    }
    expect(schema.types['toolhive-constructs:index:PlatformCluster'].properties.provider.$ref).toBe(`/kubernetes/v${version}/schema.json#/provider`);
    // Type names without the args' suffix (the SDKs add theirs: Python's and Go's RbacScopeArgs), every reference resolved.
    expect(Object.keys(schema.types).filter((t) => t.endsWith('Args'))).toEqual([]);
    // The core's types named like a Kubernetes type copied in beside them: Toolhive<name>.
    expect(Object.keys(schema.types).filter((t) => /:Toolhive(LocalObjectReference|ObjectFieldSelector|ResourceFieldSelector)$/.test(t)).length).toBe(3);
    expect(['RbacScope', 'ToolhiveCustomResource', 'PlatformCluster'].filter((t) => !(`toolhive-constructs:index:${t}` in schema.types))).toEqual([]);
    // Enum members in PascalCase (Go's EditionOpenSource; Python's Edition.OPEN_SOURCE), their values the core's.
    expect(schema.types['toolhive-constructs:index:Edition'].enum.map((e: any) => [e.name, e.value])).toEqual([['Enterprise', 'enterprise'], ['OpenSource', 'open-source']]);
    expect(Object.values<any>(schema.types).flatMap((t) => (t.enum ?? []).map((e: any) => e.name)).filter((n: string) => !/^[A-Z][a-zA-Z0-9]*$/.test(n))).toEqual([]);
    const refs = [...committed.matchAll(/"\$ref": "#\/types\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((r) => !(r in schema.types))).toEqual([]);
    expect(schema.dependencies).toEqual([{ name: 'kubernetes', version: pkg.devDependencies['@pulumi/kubernetes'].replace(/^[^0-9]*/, '') }]);
    // The plugin: a Node.js plugin whose entry is what Pulumi's plugin runner runs (a function, no component exported itself).
    expect(fs.readFileSync(path.join(PLUGIN_DIR, 'PulumiPlugin.yaml'), 'utf8')).toMatch(/^runtime: nodejs$/m);
    expect(JSON.parse(pluginPackageJson()).main).toBe('index.js');
  });
});
