/*
 * Generates src/core/crds/generated/*.ts: TypeScript interfaces for the `spec` of every ToolHive
 * custom resource at its storage version, from the CRDs' openAPIV3Schema.
 *
 * The output carries names, types, enums (string-literal unions), required vs optional, schema
 * defaults (`@default`) and terse constraints (format, bounds, pattern, list type). No upstream
 * description text is copied: every comment is written by this generator.
 *
 *   ts-node --transpile-only scripts/gen-crd-types.ts [crdsDir] [--out dir] [--check]
 *
 * `crdsDir` defaults to the upstream folder the tests use (TOOLHIVE_UPSTREAM_DIR, then
 * ../shared/upstream, else a download of the pinned release into the git-ignored cache).
 * `--check` writes nothing and fails when the committed files are not what the CRDs generate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { crdFileName, TOOLHIVE_API_GROUP, TOOLHIVE_CRDS } from '../src/core/crds/catalogue';
import { TOOLHIVE_VERSION } from '../src/core/versions';
import { gitopsUpstream, toolhiveUpstream } from '../test/support/upstream';

/** Where the generated files are committed. */
export const GENERATED_DIR = path.resolve(__dirname, '..', 'src', 'core', 'crds', 'generated');

const MAX_LINE = 150;
const METADATA_FILE = 'metadata';
const METADATA_TYPE = 'CustomResourceMetadata';

/** The subset of a structural schema the generator reads. */
interface Schema {
  'type'?: string;
  'format'?: string;
  'enum'?: unknown[];
  'default'?: unknown;
  'nullable'?: boolean;
  'properties'?: Record<string, Schema>;
  'required'?: string[];
  'items'?: Schema;
  'additionalProperties'?: Schema | boolean;
  'minimum'?: number;
  'maximum'?: number;
  'exclusiveMinimum'?: boolean;
  'exclusiveMaximum'?: boolean;
  'multipleOf'?: number;
  'minLength'?: number;
  'maxLength'?: number;
  'pattern'?: string;
  'minItems'?: number;
  'maxItems'?: number;
  'minProperties'?: number;
  'maxProperties'?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
}

/** Generates every file: file name (relative to the output folder) to content. */
export function generateCrdTypes(crdsDir: string): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${METADATA_FILE}.ts`, metadataFile());
  for (const info of TOOLHIVE_CRDS) {
    const file = path.join(crdsDir, crdFileName(info.plural));
    const crd = parse(fs.readFileSync(file, 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== info.kind) {
      throw new Error(`${file}: expected the CustomResourceDefinition of ${info.kind}`);
    }
    const version = (crd.spec.versions as any[]).find((v) => v.storage);
    if (version?.name !== info.storageVersion) {
      throw new Error(`${file}: storage version is ${version?.name}, the catalogue says ${info.storageVersion}`);
    }
    const spec = version.schema?.openAPIV3Schema?.properties?.spec as Schema | undefined;
    if (!spec) throw new Error(`${file}: the ${info.storageVersion} schema has no spec`);
    files.set(`${info.plural}.ts`, kindFile(info.kind, info.plural, info.storageVersion, spec, version.deprecated === true));
  }
  files.set('index.ts', indexFile());
  return files;
}

/** Writes the generated files into `outDir`, removing stale `.ts` files. Returns the names written. */
export function writeCrdTypes(crdsDir: string, outDir: string = GENERATED_DIR): string[] {
  return writeGenerated(generateCrdTypes(crdsDir), outDir);
}

/** Writes `files` into `outDir`, removing the `.ts` files it has and `files` does not. */
function writeGenerated(files: Map<string, string>, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(outDir)) {
    if (name.endsWith('.ts') && !files.has(name)) fs.rmSync(path.join(outDir, name));
  }
  for (const [name, content] of files) fs.writeFileSync(path.join(outDir, name), content);
  return [...files.keys()].sort();
}

/** Names of the files that differ between what the CRDs generate and `dir` (missing, stale or extra). */
export function staleCrdTypes(crdsDir: string, dir: string = GENERATED_DIR): string[] {
  const files = generateCrdTypes(crdsDir);
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.ts')) : [];
  const stale = present.filter((n) => !files.has(n));
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) stale.push(name);
  }
  return stale.sort();
}

// ---------------------------------------------------------------------------------------------
// GitOps kinds (Flux, Argo CD): the fields the GitOps emitters write, typed from the real CRDs

/** Where the GitOps types are committed. */
export const GITOPS_GENERATED_DIR = path.resolve(__dirname, '..', 'src', 'core', 'output', 'gitops-types');

/**
 * A GitOps kind and the `spec` fields the emitters write. A path names a property (`a.b`), a
 * list's items (`a[]`); what it names is typed whole. A path the CRD does not have fails the
 * generator, so the emitters cannot write a field the controllers do not know.
 */
interface GitopsKind {
  readonly file: string;
  readonly kind: string;
  readonly version: string;
  readonly module: string;
  /** Prefix of the type names (`FluxHelmReleaseSpec`: the core has a `HelmReleaseSpec`). */
  readonly prefix: 'Flux' | 'ArgoCd';
  readonly fields: readonly string[];
}

export const GITOPS_KINDS: readonly GitopsKind[] = [
  {
    file: 'flux/source.toolkit.fluxcd.io_ocirepositories.yaml',
    kind: 'OCIRepository',
    version: 'v1',
    module: 'flux-ocirepository',
    prefix: 'Flux',
    fields: ['interval', 'url', 'ref.tag', 'layerSelector', 'secretRef', 'insecure'],
  },
  {
    file: 'flux/helm.toolkit.fluxcd.io_helmreleases.yaml',
    kind: 'HelmRelease',
    version: 'v2',
    module: 'flux-helmrelease',
    prefix: 'Flux',
    fields: ['interval', 'chartRef', 'dependsOn[].name', 'dependsOn[].namespace', 'install.crds', 'install.createNamespace', 'upgrade.crds', 'kubeConfig.secretRef',
      'releaseName', 'storageNamespace', 'targetNamespace', 'values'],
  },
  {
    file: 'flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    kind: 'Kustomization',
    version: 'v1',
    module: 'flux-kustomization',
    prefix: 'Flux',
    fields: ['interval', 'retryInterval', 'path', 'prune', 'sourceRef', 'kubeConfig.secretRef', 'patches[].patch', 'patches[].target.kind', 'patches[].target.name'],
  },
  {
    file: 'argo-cd/applicationset-crd.yaml',
    kind: 'ApplicationSet',
    version: 'v1alpha1',
    module: 'argocd-applicationset',
    prefix: 'ArgoCd',
    fields: ['generators[].clusters.selector.matchLabels', 'goTemplate', 'goTemplateOptions', 'syncPolicy.preserveResourcesOnDeletion',
      'template.metadata.name', 'template.metadata.annotations', 'template.metadata.labels', 'template.metadata.finalizers', 'template.spec.project',
      'template.spec.destination.server', 'template.spec.destination.namespace', 'template.spec.source.repoURL', 'template.spec.source.targetRevision',
      'template.spec.source.path', 'template.spec.source.directory.include', 'template.spec.sources[].repoURL', 'template.spec.sources[].chart',
      'template.spec.sources[].targetRevision', 'template.spec.sources[].ref', 'template.spec.sources[].helm.releaseName',
      'template.spec.sources[].helm.valueFiles', 'template.spec.sources[].helm.skipCrds', 'template.spec.syncPolicy.automated.prune',
      'template.spec.syncPolicy.automated.selfHeal', 'template.spec.syncPolicy.syncOptions'],
  },
];

/** `schema` with only the properties on `paths` (each kept whole below its end). */
export function pruneSchema(schema: Schema, paths: readonly string[], where: string): Schema {
  const keep = (s: Schema, rest: string[][], at: string): Schema => {
    if (rest.some((r) => r.length === 0)) return s;
    const out: Schema = { ...s };
    if (s.type === 'array') {
      if (!rest.every((r) => r[0] === '[]')) throw new Error(`${where}: ${at} is a list: name its items with []`);
      out.items = keep(s.items ?? {}, rest.map((r) => r.slice(1)), `${at}[]`);
      return out;
    }
    const props: Record<string, Schema> = {};
    for (const name of [...new Set(rest.map((r) => r[0]))].sort()) {
      const child = s.properties?.[name];
      if (!child) throw new Error(`${where}: the CRD has no field ${at}.${name}`);
      props[name] = keep(child, rest.filter((r) => r[0] === name).map((r) => r.slice(1)), `${at}.${name}`);
    }
    out.properties = props;
    out.required = (s.required ?? []).filter((r) => r in props);
    return out;
  };
  return keep(schema, paths.map((p) => p.split(/\.|(?=\[\])/).flatMap((seg) => (seg.endsWith('[]') && seg !== '[]' ? [seg.slice(0, -2), '[]'] : [seg]))), 'spec');
}

/** Generates the GitOps types: file name to content. */
export function generateGitopsTypes(gitopsDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const info of GITOPS_KINDS) {
    const file = path.join(gitopsDir, info.file);
    const crd = parse(fs.readFileSync(file, 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== info.kind) throw new Error(`${file}: expected the CustomResourceDefinition of ${info.kind}`);
    const version = (crd.spec.versions as any[]).find((v) => v.name === info.version && v.served);
    if (!version) throw new Error(`${file}: ${info.version} is not served`);
    const spec = pruneSchema(version.schema.openAPIV3Schema.properties.spec, info.fields, file);
    const group = crd.spec.group as string;
    const emitter = new Emitter(undefined);
    const specName = emitter.reserve(`${info.prefix}${info.kind}Spec`);
    const apiVersion = `${group}/${info.version}`;
    emitter.emitObject(specName, spec, 'spec', `\`spec\` of ${article(info.kind)} ${info.kind} (${apiVersion}): the fields the GitOps emitters write.`);
    const out = [
      `// Generated by scripts/gen-crd-types.ts from the ${info.version} schema of ${crd.spec.names.plural}.${group} (${info.file} in the GitOps CRDs).`,
      '// Do not edit: run `npx projen gen:crd-types` to regenerate.',
      '',
      `/** API version and kind of ${info.kind}. */`,
      `export const ${screamingSnake(info.prefix + info.kind)}_RESOURCE = { apiVersion: ${quote(apiVersion)}, kind: ${quote(info.kind)} } as const;`,
      '',
      ...emitter.declarations,
    ];
    files.set(`${info.module}.ts`, out.join('\n'));
  }
  files.set('index.ts', [
    '// Generated by scripts/gen-crd-types.ts from the GitOps CRDs.',
    '// Do not edit: run `npx projen gen:crd-types` to regenerate.',
    '',
    ...GITOPS_KINDS.map((k) => `export * from './${k.module}';`).sort(),
    '',
  ].join('\n'));
  return files;
}

/** The GitOps CRDs folder the tests use: $TOOLHIVE_UPSTREAM_DIR/gitops, else ../shared/upstream/gitops. */
export function defaultGitopsDir(): string {
  return gitopsUpstream();
}

/** Writes the GitOps types, removing stale `.ts` files. Returns the names written. */
export function writeGitopsTypes(gitopsDir: string, outDir: string = GITOPS_GENERATED_DIR): string[] {
  return writeGenerated(generateGitopsTypes(gitopsDir), outDir);
}

// ---------------------------------------------------------------------------------------------
// Files

function header(subject?: string): string[] {
  return [
    `// Generated by scripts/gen-crd-types.ts${subject ? ` from ${subject}` : ''} (ToolHive ${TOOLHIVE_VERSION}).`,
    '// Do not edit: run `npx projen gen:crd-types` to regenerate.',
    // Kubernetes' own type names nest deep (affinity in resource overrides): long lines are theirs.
    '/* eslint-disable @stylistic/max-len */',
    '',
  ];
}

function metadataFile(): string {
  return [
    ...header(),
    '/** Metadata of a ToolHive custom resource. */',
    `export interface ${METADATA_TYPE} {`,
    '  /** Object name: a DNS-1123 subdomain. */',
    '  readonly name: string;',
    '  /**',
    '   * Namespace of the object: a DNS-1123 label.',
    '   * @default - the namespace the object is applied to',
    '   */',
    '  readonly namespace?: string;',
    '  /** Labels. */',
    '  readonly labels?: { readonly [key: string]: string };',
    '  /** Annotations. */',
    '  readonly annotations?: { readonly [key: string]: string };',
    '}',
    '',
  ].join('\n');
}

function indexFile(): string {
  const modules = [METADATA_FILE, ...TOOLHIVE_CRDS.map((c) => c.plural)].sort();
  return [...header('the CRD catalogue'), ...modules.map((m) => `export * from './${m}';`), ''].join('\n');
}

function kindFile(kind: string, plural: string, version: string, spec: Schema, deprecated: boolean): string {
  const deprecation = deprecated ? deprecationNote(kind, version) : undefined;
  const emitter = new Emitter(deprecation);
  const specName = emitter.reserve(`${kind}Spec`);
  const propsName = emitter.reserve(`${kind}Props`);
  const constName = emitter.reserve(`${screamingSnake(kind)}_RESOURCE`);
  const apiVersion = `${TOOLHIVE_API_GROUP}/${version}`;
  emitter.emitObject(specName, spec, 'spec', `\`spec\` of ${article(kind)} ${kind} (${apiVersion}).`);

  const out: string[] = [...header(`the ${version} schema of ${plural}.${TOOLHIVE_API_GROUP}`)];
  out.push(`import { ${METADATA_TYPE} } from './${METADATA_FILE}';`, '');
  out.push(...docComment('', [`API version, kind and plural of ${kind} (storage version ${version}).`], [], deprecation));
  out.push(`export const ${constName} = {`);
  out.push(`  apiVersion: ${quote(apiVersion)},`, `  kind: ${quote(kind)},`, `  plural: ${quote(plural)},`);
  out.push('} as const;', '');
  out.push(...docComment('', [`Props of ${article(kind)} ${kind} custom resource: its metadata and spec.`], [], deprecation));
  out.push(`export interface ${propsName} {`);
  out.push('  /** Name, namespace, labels and annotations. */', `  readonly metadata: ${METADATA_TYPE};`);
  out.push('  /** The spec. */', `  readonly spec: ${specName};`);
  out.push('}', '');
  out.push(...emitter.declarations);
  return out.join('\n');
}

function deprecationNote(kind: string, version: string): string {
  if (kind === 'MCPRegistry') {
    return `ToolHive marks ${kind} ${version} as deprecated: deploy the Registry Server instead `
      + '(`planRegistryServer`, the `toolhive-registry-server` chart).';
  }
  return `ToolHive marks ${kind} ${version} as deprecated.`;
}

// ---------------------------------------------------------------------------------------------
// Declarations

class Emitter {
  /** Declarations in emission order: depth-first, properties sorted by name. */
  public readonly declarations: string[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly deprecation: string | undefined) {}

  /** Claims a unique top-level name, adding a numeric suffix on collisions. */
  public reserve(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.names.has(name); i++) name = `${wanted}${i}`;
    this.names.add(name);
    return name;
  }

  /** Emits the interface `name` for an object schema with properties. */
  public emitObject(name: string, schema: Schema, jsonPath: string, summary: string): void {
    const block: string[] = [];
    const facts = objectFacts(schema);
    block.push(...docComment('', [summary, ...(facts ? [`${capitalize(facts)}.`] : [])], [], this.deprecation));
    block.push(`export interface ${name} {`);
    const index = this.declarations.length;
    this.declarations.push(''); // placeholder, replaced once the members are known
    const required = new Set(schema.required ?? []);
    const props = Object.keys(schema.properties ?? {}).sort();
    const quoteAll = props.some((p) => !isIdentifier(p));
    const members: string[] = [];
    for (const prop of props) {
      const child = schema.properties![prop];
      const childPath = `${jsonPath}.${prop}`;
      const childName = `${name}${pascal(prop)}`;
      const key = quoteAll ? quote(prop) : prop;
      // A required field with a default may be omitted: the API server defaults before it validates.
      const optional = required.has(prop) && child.default === undefined ? '' : '?';
      const type = this.typeOf(child, childName, childPath, `  readonly ${key}${optional}: `.length + 1);
      const tags: string[] = [];
      if (child.default !== undefined) tags.push(`@default ${literal(child.default)}`);
      const childFacts = describe(child);
      members.push(...docComment('  ', [`\`${childPath}\`${childFacts ? `: ${childFacts}` : ''}.`], tags));
      members.push(`  readonly ${key}${optional}: ${type};`);
    }
    if (schema['x-kubernetes-preserve-unknown-fields']) {
      members.push('  /** Fields the schema does not name are kept as they are. */', '  readonly [key: string]: unknown;');
    }
    block.push(...members, '}', '');
    this.declarations[index] = block.join('\n');
  }

  /**
   * The TypeScript type of a schema. `name` is used when the schema needs a declaration of its own;
   * `indent` is how many characters precede the type on its line (long unions become aliases).
   */
  private typeOf(schema: Schema, name: string, jsonPath: string, indent: number): string {
    const nullable = schema.nullable ? ' | null' : '';
    let type: string;
    if (schema['x-kubernetes-int-or-string']) {
      type = 'number | string';
    } else if (schema.enum && schema.enum.length > 0) {
      type = [...new Set(schema.enum.map((v) => literal(v)))].join(' | ');
      if (indent + type.length + nullable.length > MAX_LINE) type = this.alias(name, schema.enum, jsonPath);
    } else {
      switch (schema.type) {
        case 'string':
          type = 'string';
          break;
        case 'integer':
        case 'number':
          type = 'number';
          break;
        case 'boolean':
          type = 'boolean';
          break;
        case 'array': {
          const item = schema.items ? this.typeOf(schema.items, name, `${jsonPath}[]`, indent) : 'unknown';
          type = item.includes(' | ') ? `(${item})[]` : `${item}[]`;
          break;
        }
        case 'object':
          type = this.objectType(schema, name, jsonPath);
          break;
        default:
          type = 'unknown';
      }
    }
    return `${type}${nullable}`;
  }

  private objectType(schema: Schema, name: string, jsonPath: string): string {
    if (schema.properties && Object.keys(schema.properties).length > 0) {
      const declared = this.reserve(name);
      this.emitObject(declared, schema, jsonPath, `\`${jsonPath}\`.`);
      return declared;
    }
    const additional = schema.additionalProperties;
    if (additional && typeof additional === 'object') {
      const value = this.typeOf(additional, name, `${jsonPath}.*`, 0);
      return `{ readonly [key: string]: ${value} }`;
    }
    if (additional === true || schema['x-kubernetes-preserve-unknown-fields']) return '{ readonly [key: string]: unknown }';
    return '{ readonly [key: string]: never }';
  }

  private alias(name: string, values: unknown[], jsonPath: string): string {
    const declared = this.reserve(name);
    const members = [...new Set(values.map((v) => literal(v)))];
    const lines = [...docComment('', [`Values of \`${jsonPath}\`.`], [], this.deprecation)];
    const oneLine = `export type ${declared} = ${members.join(' | ')};`;
    if (oneLine.length <= MAX_LINE) lines.push(oneLine);
    else lines.push(`export type ${declared} =`, ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ';' : ''}`));
    this.declarations.push([...lines, ''].join('\n'));
    return declared;
  }
}

// ---------------------------------------------------------------------------------------------
// Facts written into comments: constraints only, in the generator's own words.

function describe(schema: Schema): string {
  const facts: string[] = [];
  if (schema['x-kubernetes-int-or-string']) facts.push('integer or string');
  if (schema.format) facts.push(`format ${schema.format}`);
  const bounds = [
    schema.minimum !== undefined ? `${schema.exclusiveMinimum ? 'greater than' : 'minimum'} ${schema.minimum}` : undefined,
    schema.maximum !== undefined ? `${schema.exclusiveMaximum ? 'less than' : 'maximum'} ${schema.maximum}` : undefined,
    schema.multipleOf !== undefined ? `multiple of ${schema.multipleOf}` : undefined,
    schema.minLength !== undefined ? `minLength ${schema.minLength}` : undefined,
    schema.maxLength !== undefined ? `maxLength ${schema.maxLength}` : undefined,
    schema.pattern !== undefined ? `pattern ${code(schema.pattern)}` : undefined,
    schema.minItems !== undefined ? `minItems ${schema.minItems}` : undefined,
    schema.maxItems !== undefined ? `maxItems ${schema.maxItems}` : undefined,
  ];
  facts.push(...bounds.filter((b): b is string => b !== undefined));
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') facts.push('list of unique items');
  if (listType === 'map') facts.push(`list keyed by ${(schema['x-kubernetes-list-map-keys'] ?? []).map(code).join(', ')}`);
  if (schema.type === 'array' && schema.items) {
    const itemFacts = describe(schema.items);
    if (itemFacts) facts.push(`items: ${itemFacts}`);
  }
  const objFacts = objectFacts(schema);
  if (objFacts) facts.push(objFacts);
  if (!schema.type && schema['x-kubernetes-preserve-unknown-fields']) facts.push('any value');
  return facts.join(', ');
}

function objectFacts(schema: Schema): string {
  const facts: string[] = [];
  if (schema.minProperties !== undefined) facts.push(`minProperties ${schema.minProperties}`);
  if (schema.maxProperties !== undefined) facts.push(`maxProperties ${schema.maxProperties}`);
  if (schema['x-kubernetes-embedded-resource']) facts.push('an embedded Kubernetes object');
  const rules = schema['x-kubernetes-validations']?.length ?? 0;
  if (rules > 0) facts.push(`checked by ${rules === 1 ? '1 CEL rule' : `${rules} CEL rules`} (validateCustomResource)`);
  return facts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

function docComment(indent: string, lines: string[], tags: string[], deprecation?: string): string[] {
  const all = [...lines, ...tags, ...(deprecation ? [`@deprecated ${deprecation}`] : [])].map(commentSafe);
  if (all.length === 1 && !deprecation && tags.length === 0) return [`${indent}/** ${all[0]} */`];
  return [`${indent}/**`, ...all.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function commentSafe(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A TypeScript literal (single-quoted strings), as eslint's quotes rule wants it. */
function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${isIdentifier(k) ? k : quote(k)}: ${literal(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, '\\\'').replace(/\n/g, '\\n')}'`;
}

function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

function pascal(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  const joined = parts.map(capitalize).join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** `an MCPServer`, `an EmbeddingServer`, `a VirtualMCPServer`. */
function article(kind: string): string {
  return /^([AEIOU]|MCP)/.test(kind) ? 'an' : 'a';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `MCPOIDCConfig` to `MCP_OIDC_CONFIG`, `VirtualMCPServer` to `VIRTUAL_MCP_SERVER`. */
function screamingSnake(kind: string): string {
  return kind
    .replace(/MCP(?=[A-Z])/g, 'MCP_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Command line

function defaultCrdsDir(): string {
  // The same resolution as the tests: TOOLHIVE_UPSTREAM_DIR, ../shared/upstream, else a download.
  return toolhiveUpstream().crdsDir;
}

function main(argv: string[]): number {
  let out = GENERATED_DIR;
  let check = false;
  let crdsDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--out') out = path.resolve(argv[++i]);
    else crdsDir = path.resolve(argv[i]);
  }
  const input = crdsDir ?? defaultCrdsDir();
  if (check) {
    const stale = staleCrdTypes(input, out);
    if (stale.length > 0) {
      console.error(`${path.relative(process.cwd(), out)} is stale (${stale.join(', ')}): run \`npx projen gen:crd-types\` and commit the result.`);
      return 1;
    }
    console.log(`${path.relative(process.cwd(), out)} is up to date.`);
    return 0;
  }
  const written = writeCrdTypes(input, out);
  console.log(`wrote ${written.length} files to ${path.relative(process.cwd(), out)} from ${input}`);
  const gitops = writeGitopsTypes(defaultGitopsDir());
  console.log(`wrote ${gitops.length} files to ${path.relative(process.cwd(), GITOPS_GENERATED_DIR)} from ${defaultGitopsDir()}`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
