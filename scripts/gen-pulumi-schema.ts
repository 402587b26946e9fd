/*
 * Generates the component package's schema, pulumi-plugin/schema.json, and the plugin's
 * package.json: what `pulumi package add` and `pulumi package get-schema` read to make the Python,
 * Go and other SDKs. The schema is the one Pulumi itself infers from the TypeScript sources (its
 * component analyzer, `@pulumi/pulumi/provider/experimental`, over ToolhiveOperator,
 * RegistryServer and ToolhivePlatform), made here once instead of by the plugin at every start:
 * the analyzer needs the sources (an `as const` enum is a type without values in a .d.ts) and
 * TypeScript, and takes seconds.
 *
 *   ts-node --transpile-only scripts/gen-pulumi-schema.ts [--check]
 *
 * `--check` writes nothing and fails when a committed file is not what the sources generate
 * (test/pulumi/multi-language.test.ts runs it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '@pulumi/pulumi/provider/experimental/analyzer';
import { generateSchema } from '@pulumi/pulumi/provider/experimental/schema';

const ROOT = path.resolve(__dirname, '..');
/** The plugin's folder (in the npm package too). */
export const PLUGIN_DIR = path.join(ROOT, 'pulumi-plugin');
/** The package's name: the SDKs' name and the first part of every type token (`toolhive-constructs:index:...`). */
export const PACKAGE_NAME = 'toolhive-constructs';
/** The components the package serves. */
export const COMPONENTS = ['ToolhiveOperator', 'RegistryServer', 'ToolhivePlatform'];

/**
 * The plugin's package.json: the version and description of the package's own (the host serves
 * that version). Its own name (the Pulumi package's name is the schema's): two package.json files
 * named alike in one repository are one module name twice for tools that index them (jest).
 */
export function pluginPackageJson(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return `${JSON.stringify({
    name: `${PACKAGE_NAME}-pulumi-plugin`,
    version: pkg.version,
    description: pkg.description,
    main: 'index.js',
    private: true,
  }, null, 2)}\n`;
}

/** The schema Pulumi's analyzer infers from the components' sources (src/pulumi), as the plugin serves it. */
export function generatePulumiSchema(): string {
  const pkg = JSON.parse(pluginPackageJson());
  const analyzer = new Analyzer(ROOT, PACKAGE_NAME, { name: PACKAGE_NAME, main: 'src/pulumi/index.js' }, new Set(COMPONENTS));
  const { components, typeDefinitions, dependencies } = analyzer.analyze();
  const schema = generateSchema(PACKAGE_NAME, pkg.version, pkg.description, components, typeDefinitions, dependencies);
  const typed = enumNames(intOrString(withoutArgsSuffix(providerReferences(schema))));
  return `${JSON.stringify({ ...typed, language: LANGUAGE }, null, 2)}\n`;
}

/**
 * Enum members named in PascalCase (`OpenSource`, from the core's `Edition.OPEN_SOURCE`): each
 * SDK generator makes its own convention of it (Go's `EditionOpenSource`, Python's
 * `Edition.OPEN_SOURCE`), where the core's UPPER_SNAKE name gave Go `Edition_OPEN_SOURCE`.
 */
export function enumNames<T extends { types?: Record<string, any> }>(schema: T): T {
  const pascal = (name: string) => name.toLowerCase().split('_').filter((w) => w).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const types = Object.fromEntries(Object.entries(schema.types ?? {}).map(([token, type]) => [token, !Array.isArray(type.enum) ? type : {
    ...type,
    enum: type.enum.map((member: { name?: string }) => {
      if (typeof member.name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(member.name)) throw new Error(`${token}: enum member ${JSON.stringify(member)} has no UPPER_SNAKE name`);
      return { ...member, name: pascal(member.name) };
    }),
  }]));
  return { ...schema, types };
}

/**
 * The SDKs' names where a generator's default is a placeholder: the Go SDK's import path (by
 * default `example.com/pulumi-toolhive-constructs/...`; `pulumi package add` points the program's
 * go.mod at the generated folder with a replace of its module, `toolhive-constructs.dev/sdk/go`).
 */
export const GO_IMPORT_BASE_PATH = 'toolhive-constructs.dev/sdk/go/toolhiveconstructs';
const LANGUAGE = { go: { importBasePath: GO_IMPORT_BASE_PATH } };

/**
 * Kubernetes IntOrString properties (`type.property`, schema type names): Any in what the
 * analyzer infers (it has no unions; the TypeScript args type them `any`), an integer or a string
 * in the schema, as the kubernetes package's own schema types them (Python's
 * `Union[int, str]`).
 */
export const INT_OR_STRING = ['HttpGetAction.port'];

/** The {@link INT_OR_STRING} properties as `oneOf` an integer and a string (their docs without the TypeScript-only note on `any`). */
export function intOrString<T extends { types?: Record<string, any> }>(schema: T): T {
  const types = { ...(schema.types ?? {}) };
  for (const at of INT_OR_STRING) {
    const [type, property] = at.split('.');
    const token = `${PACKAGE_NAME}:index:${type}`;
    const spec = types[token]?.properties?.[property];
    if (spec?.$ref !== 'pulumi.json#/Any') throw new Error(`${at} is not an Any property of the inferred schema (INT_OR_STRING is stale)`);
    const { $ref: _any, ...rest } = spec;
    const description = typeof rest.description === 'string' ? rest.description.replace(/\n\nTyped `any` here:[^]*$/, '') : undefined;
    types[token] = {
      ...types[token],
      properties: { ...types[token].properties, [property]: { ...rest, oneOf: [{ type: 'integer' }, { type: 'string' }], ...(description ? { description } : {}) } },
    };
  }
  return { ...schema, types };
}

/**
 * A provider arg (`kubernetes.Provider`) as the schema names a package's provider: the analyzer
 * writes `/kubernetes/v<version>/schema.json#/resources/kubernetes` (a provider class's Pulumi type
 * is its package's name), a resource the kubernetes schema does not have; its provider is
 * `#/provider`.
 */
export function providerReferences<T>(schema: T): T {
  const fix = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fix);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const provider = k === '$ref' && typeof v === 'string' ? /^\/([^/]+)\/(v[^/]+)\/schema\.json#\/resources\/([^/]+)$/.exec(v) : null;
      out[k] = provider && provider[1] === provider[3] ? `/${provider[1]}/${provider[2]}/schema.json#/provider` : fix(v);
    }
    return out;
  };
  return fix(schema) as T;
}

/**
 * Type names without the TypeScript args' `Args` suffix (`RbacScopeArgs` is `RbacScope` in the
 * schema): the SDK generators add their own (Python's and Go's input classes are `RbacScopeArgs`,
 * not `RbacScopeArgsArgs`). Where the short name is a Kubernetes type's (copied in from
 * @pulumi/kubernetes: `LocalObjectReference`), the core's type is `Toolhive<short name>`: kept as
 * `LocalObjectReferenceArgs`, its Go input struct would be the Kubernetes type's output struct's
 * name, and the Go SDK would not compile.
 */
export function withoutArgsSuffix<T extends { types?: Record<string, unknown> }>(schema: T): T {
  const prefix = `${PACKAGE_NAME}:index:`;
  const names = Object.keys(schema.types ?? {});
  const renamed = new Map<string, string>();
  for (const token of names) {
    const short = token.replace(/Args$/, '');
    if (short === token || !token.startsWith(prefix)) continue;
    const name = names.includes(short) ? `${prefix}Toolhive${short.slice(prefix.length)}` : short;
    if (names.includes(name)) throw new Error(`${token}: both ${short} and ${name} are taken`);
    renamed.set(token, name);
  }
  const fix = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fix);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const ref = k === '$ref' && typeof v === 'string' && v.startsWith('#/types/') ? renamed.get(v.slice('#/types/'.length)) : undefined;
      out[k] = ref ? `#/types/${ref}` : fix(v);
    }
    return out;
  };
  const types = Object.fromEntries(Object.entries(schema.types ?? {}).map(([token, type]) => [renamed.get(token) ?? token, fix(type)]));
  return { ...(fix(schema) as T), types };
}

function main(): void {
  const files: [string, string][] = [
    [path.join(PLUGIN_DIR, 'package.json'), pluginPackageJson()],
    [path.join(PLUGIN_DIR, 'schema.json'), generatePulumiSchema()],
  ];
  if (process.argv.includes('--check')) {
    const stale = files.filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text).map(([f]) => path.relative(ROOT, f));
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')} (run: npx ts-node --transpile-only scripts/gen-pulumi-schema.ts)`);
      process.exit(1);
    }
    return;
  }
  for (const [file, text] of files) fs.writeFileSync(file, text);
}

if (require.main === module) main();
