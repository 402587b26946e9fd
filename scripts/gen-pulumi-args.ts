/*
 * Generates src/pulumi/core-args.ts: the Pulumi components' args, derived from the core's option
 * types, in the subset of TypeScript that Pulumi's component analyzer accepts (what `pulumi
 * package add` reads to make SDKs for other languages): interfaces, named enums, arrays, string
 * maps; no unions besides `T | undefined`, no inline object types, no classes.
 *
 *   ts-node --transpile-only -P tsconfig.dev.json scripts/gen-pulumi-args.ts [--check]
 *
 * How the core's types are mapped:
 *   - an interface `XOptions` becomes `XArgs` (other names get `Args` appended; ROOTS and NAMES
 *     rename some), with the core's docs; every property keeps its name, optionality and doc;
 *   - an inline object type becomes an interface named after its owner and property;
 *   - a generic interface is instantiated per use (`PolicyDirective<boolean>`);
 *   - a union of string literals becomes a named enum (`as const`), unless the core already has
 *     one, which is used as it is; any other union is one of its members, chosen in UNIONS (the
 *     analyzer has no unions), and an unlisted one fails the generation;
 *   - maps (`{ [key: string]: T }`, `Record<string, T>`) stay maps;
 *   - the core's `KubeStructure` (a Kubernetes structure passed through) becomes the
 *     @pulumi/kubernetes input type KUBE_STRUCTURES names for the property;
 *   - `DeepPartial<T>` becomes `TPartialArgs`: T's args with every property optional, deeply;
 *   - `any` and `unknown` (JSON the core passes on as it is) fail the generation, except where
 *     ANY_ALLOWED says why nothing else can be given; an index signature's own `any`/`unknown`
 *     becomes `unknown` (the analyzer ignores index signatures: extra keys are for TypeScript only);
 *   - classes cannot be args: OVERRIDES replaces those properties with plain data the adapter
 *     turns into the class (`crds.source: CrdSource` becomes `crds.directory: string`).
 * A property the core leaves undocumented gets a pointer to the core's property, and an
 * optional one without `@default` says the default is the core's.
 *
 * `--check` writes nothing and fails when the committed file is not what the core generates
 * (test/pulumi/args.test.ts runs it).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
/** Where the generated args are committed. */
export const ARGS_FILE = path.join(ROOT, 'src', 'pulumi', 'core-args.ts');
const INDEX = path.join(ROOT, 'src', 'index.ts');
const MAX_LINE = 150;

/** The core types the components take, and the names of their args. */
const ROOTS: { readonly [core: string]: string } = {
  ToolhiveOperatorOptions: 'OperatorSettingsArgs',
  RegistryServerOptions: 'RegistryServerSettingsArgs',
  PlatformClusterOptions: 'PlatformClusterSettingsArgs',
  ToolhivePlatformOptions: 'PlatformSettingsArgs',
};

/** Other names than `XOptions` -> `XArgs` (kept from the hand-written args these replace). */
const NAMES: { readonly [core: string]: string } = {
  ...ROOTS,
  IRbacScope: 'RbacScopeArgs',
  OperatorCrdsOptions: 'OperatorCrdsArgs',
};

/** Names the hand-written Pulumi files use: a generated name must not take one. */
const RESERVED = new Set([
  'ToolhiveOperatorArgs', 'RegistryServerArgs', 'ToolhivePlatformArgs', 'PlatformClusterArgs', 'PlatformClusterComponentArgs',
  'ToolhiveCustomResourcesArgs', 'HelmDeliveryArgs',
]);

/** Properties that cannot be args as the core types them (classes), and what replaces them. */
const OVERRIDES: { readonly [corePath: string]: { readonly name: string; readonly type: string; readonly doc: string } } = {
  'OperatorCrdsOptions.source': {
    name: 'directory',
    type: 'string',
    doc: 'A folder with the CRD files, for raw manifests (the core\'s `source: CrdSource.fromDirectory(directory)`).\n'
      + '@default - the release\'s files, downloaded into the cache',
  },
};

/**
 * Unions the analyzer cannot take, by the core's path: the member the args keep (assignable to
 * the union, so the args stay core types), and why it loses nothing; `any` where no member will do.
 */
const UNIONS: { readonly [corePath: string]: { readonly type: string; readonly why: string } } = {
  // `Claims` values: `string | readonly string[]`.
  'Claims[key]': { type: 'string[]', why: 'a list matches when any of its values does: one value is a one-element list' },
  'OperatorSectionValues.defaultImagePullSecrets': { type: 'string', why: 'a Secret name is what `{name}` says' },
  'OperatorSectionValues.gc.gogc': { type: 'string', why: 'the core takes a percentage as a string ("75") as well as "off"' },
  // Kubernetes IntOrString: `8080` and `"http"` are both needed, and `"8080"` is not a port number.
  'HttpGetAction.port': { type: 'any', why: 'a port number or a port name (Kubernetes IntOrString): the analyzer has no union' },
};

/**
 * The core's `KubeStructure` (`{ [field: string]: any }`), by property name: the Kubernetes
 * type it is, as @pulumi/kubernetes types it (the analyzer copies the type's tree into the schema).
 */
const KUBE_STRUCTURES: { readonly [property: string]: string } = {
  affinity: 'core.v1.Affinity',
  volumes: 'core.v1.Volume',
  extraVolumes: 'core.v1.Volume',
  volumeMounts: 'core.v1.VolumeMount',
  extraVolumeMounts: 'core.v1.VolumeMount',
  extraEnvFrom: 'core.v1.EnvFromSource',
};

/**
 * Where the args keep `any` (a map of it), by the core's path, and why nothing typed will do: the
 * analyzer has no unions, so JSON (`string | number | ... | JsonValue[]`) can only be Any.
 */
export const ANY_ALLOWED: { readonly [corePath: string]: string } = {
  'EnterpriseManagerOptions.values': 'raw chart values merged last: any JSON the chart takes',
  'CloudUiOptions.values': 'raw chart values merged last: any JSON the chart takes',
  'AiGatewayOptions.values': 'raw chart values merged last: any JSON the chart takes',
  'ToolhiveCustomResource.spec': 'the spec of any ToolHive kind (checked against its CRD schema when planned): one type per kind is a union',
  'RegistryServerChartValues.initContainers': 'Kubernetes containers: the Container of @pulumi/kubernetes has IntOrString unions (probe ports), which the analyzer refuses',
  ...Object.fromEntries(Object.entries(UNIONS).filter(([, u]) => u.type === 'any').map(([p, u]) => [p, u.why])),
};

/** A place in the generated code, for names and messages. */
interface Ctx {
  /** Base name of the interface being generated (without `Args`). */
  readonly owner: string;
  /** The core's path of the property, for docs and errors (`EnterpriseManagerOptions.idp`). */
  readonly corePath: string;
  /** Type parameters in scope: their argument's node, in its own context. */
  readonly params: ReadonlyMap<string, { readonly node: ts.TypeNode; readonly ctx: Ctx }>;
  /** The property a note on this type is for, when not `corePath`. */
  readonly notePath?: string;
  /** Inside `DeepPartial<T>`: every property optional, every interface its partial args. */
  readonly partial?: boolean;
}

class Generator {
  private readonly checker: ts.TypeChecker;
  private readonly coreExports: Set<string>;
  private readonly interfaces = new Map<string, string>();
  private readonly enums = new Map<string, string>();
  private readonly imports = new Set<string>();
  private kubernetes = false;
  /** What a property's args type says that the core's does not (a union's chosen member), by the core's path. */
  private readonly notes = new Map<string, string>();
  private readonly order: string[] = [];

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
    const index = program.getSourceFile(INDEX)!;
    this.coreExports = new Set(this.checker.getExportsOfModule(this.checker.getSymbolAtLocation(index)!).map((s) => s.name));
  }

  public run(): string {
    for (const core of Object.keys(ROOTS)) this.interfaceArgs(this.declarationOf(core), [], undefined);
    const header = [
      '// Generated by scripts/gen-pulumi-args.ts from the core\'s option types: do not edit.',
      '// Edit the core\'s types (src/core), then run `npx ts-node --transpile-only -P tsconfig.dev.json scripts/gen-pulumi-args.ts`.',
      '/* eslint-disable max-len, @stylistic/max-len */',
    ];
    const imports = [
      ...(this.kubernetes ? ['import * as kubernetes from \'@pulumi/kubernetes\';'] : []),
      ...(this.imports.size > 0 ? [`import { ${[...this.imports].sort().join(', ')} } from '../index';`] : []),
    ];
    const body = this.order.map((n) => this.enums.get(n) ?? this.interfaces.get(n)!);
    return [...header, ...imports, '', body.join('\n\n'), ''].join('\n');
  }

  private declarationOf(name: string): ts.InterfaceDeclaration {
    const index = this.program.getSourceFile(INDEX)!;
    const symbol = this.checker.getExportsOfModule(this.checker.getSymbolAtLocation(index)!).find((s) => s.name === name);
    const target = symbol && (isAlias(symbol) ? this.checker.getAliasedSymbol(symbol) : symbol);
    const decl = target?.declarations?.find(ts.isInterfaceDeclaration);
    if (!decl) throw new Error(`the core exports no interface ${name}`);
    return decl;
  }

  /** The args interface of a core interface (instantiated with `typeArgs`), generated once; its name. */
  private interfaceArgs(
    decl: ts.InterfaceDeclaration, typeArgs: readonly ts.TypeNode[], argsCtx: Ctx | undefined, inlineName?: string, partial = false,
  ): string {
    const coreName = decl.name.text;
    const params = new Map<string, { node: ts.TypeNode; ctx: Ctx }>();
    (decl.typeParameters ?? []).forEach((p, i) => {
      if (!typeArgs[i] || !argsCtx) throw new Error(`${coreName}: type parameter ${p.name.text} without an argument`);
      params.set(p.name.text, { node: typeArgs[i], ctx: argsCtx });
    });
    const full = inlineName ?? NAMES[coreName] ?? `${coreName.replace(/Options$/, '')}Args`;
    const name = partial ? full.replace(/Args$/, 'PartialArgs') : full;
    if (this.interfaces.has(name)) return name;
    if (RESERVED.has(name)) throw new Error(`${coreName}: its args name ${name} is taken by a hand-written type`);
    this.interfaces.set(name, '');
    const members = this.membersOf(decl);
    const ctx: Ctx = { owner: name.replace(/Args$/, ''), corePath: coreName, params, partial };
    const lines = [
      ...members.map((m) => this.property(m, { ...ctx, corePath: `${coreName}.${propName(m)}` })),
      ...this.indexSignature(this.indexOf(decl), ctx),
    ];
    const own = docLines(decl) ?? [];
    const summary = hasSummary(own) ? own : [`The core's \`${coreName}\`.`, ...own];
    const doc = partial ? [...summary, '', 'Partial: every property is optional (what is left out keeps the value it is merged into).'] : summary;
    const text = [
      ...jsDoc([...doc, `(Generated from the core's \`${coreName}\`.)`], ''),
      `export interface ${name} {`,
      lines.join('\n'),
      '}',
    ].join('\n');
    this.interfaces.set(name, text);
    this.order.push(name);
    return name;
  }

  /**
   * The core's index signature, kept so the args stay assignable to the core's type (the analyzer
   * ignores it: other languages get the declared properties).
   */
  private indexSignature(index: ts.IndexSignatureDeclaration | undefined, ctx: Ctx): string[] {
    if (!index) return [];
    const key = index.parameters[0]?.name.getText() ?? 'key';
    const orUndefined = ts.isUnionTypeNode(index.type) && index.type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword) ? ' | undefined' : '';
    // The core's own `any`/`unknown` values: `unknown` (the analyzer ignores index signatures anyway).
    const value = isOpen(index.type) ? 'unknown' : this.map(index.type, ctx);
    return [
      `  /** Other keys, as the core's \`${ctx.corePath}\` takes them (TypeScript only: other languages have the properties above). */`,
      `  readonly [${key}: string]: ${value}${orUndefined};`,
    ];
  }

  /** An interface's index signature, its own or its bases'. */
  private indexOf(decl: ts.InterfaceDeclaration): ts.IndexSignatureDeclaration | undefined {
    const own = decl.members.find(ts.isIndexSignatureDeclaration);
    if (own) return own;
    for (const t of (decl.heritageClauses ?? []).flatMap((c) => [...c.types])) {
      const base = this.resolve(t.expression);
      const found = base && ts.isInterfaceDeclaration(base) ? this.indexOf(base) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** An interface's property signatures, its bases' first (as the checker lists them, flattened). */
  private membersOf(decl: ts.InterfaceDeclaration | ts.TypeLiteralNode): ts.PropertySignature[] {
    const own = (decl.members as ts.NodeArray<ts.TypeElement>).filter(ts.isPropertySignature);
    if (!ts.isInterfaceDeclaration(decl) || !decl.heritageClauses) return own;
    const inherited: ts.PropertySignature[] = [];
    for (const clause of decl.heritageClauses) {
      for (const t of clause.types) {
        const base = this.resolve(t.expression);
        if (base && ts.isInterfaceDeclaration(base)) inherited.push(...this.membersOf(base));
      }
    }
    const ownNames = new Set(own.map(propName));
    return [...inherited.filter((m) => !ownNames.has(propName(m))), ...own];
  }

  private property(m: ts.PropertySignature, ctx: Ctx): string {
    const override = OVERRIDES[ctx.corePath];
    const optional = !!m.questionToken || !!ctx.partial;
    if (override) {
      return [...jsDoc(override.doc.split('\n'), '  '), `  readonly ${override.name}${optional ? '?' : ''}: ${override.type};`].join('\n');
    }
    if (!m.type) throw new Error(`${ctx.corePath}: no type`);
    const type = this.map(m.type, ctx);
    let doc = docLines(m) ?? [];
    const note = this.notes.get(ctx.corePath);
    if (note) doc = insertBeforeTags(doc, note);
    // A doc of tags only (`/** @default 1 */`) has no summary: the analyzer's description would be empty.
    if (!hasSummary(doc)) doc = [`The core's \`${ctx.corePath}\`.`, ...doc];
    if (ctx.partial && !m.questionToken && !doc.some((l) => /@default\b/.test(l))) doc = [...doc, '@default - left out: the value it is merged into is kept'];
    if (optional && !doc.some((l) => /@default\b/.test(l))) doc = [...doc, `@default - the core's default for \`${ctx.corePath}\``];
    return [...jsDoc(doc, '  '), `  readonly ${propName(m)}${optional ? '?' : ''}: ${type};`].join('\n');
  }

  /** The args type of a core type node. */
  private map(node: ts.TypeNode, ctx: Ctx): string {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return 'string';
      case ts.SyntaxKind.NumberKeyword: return 'number';
      case ts.SyntaxKind.BooleanKeyword: return 'boolean';
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword: return this.allowedAny('any', ctx);
      case ts.SyntaxKind.ObjectKeyword: return this.allowedAny('{ [key: string]: any }', ctx);
      default:
    }
    if (ts.isParenthesizedTypeNode(node)) return this.map(node.type, ctx);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return this.map(node.type, ctx);
    if (ts.isArrayTypeNode(node)) return `${this.map(node.elementType, ctx)}[]`;
    if (ts.isLiteralTypeNode(node)) return ts.isStringLiteral(node.literal) ? 'string' : node.literal.kind === ts.SyntaxKind.NumericLiteral ? 'number' : 'boolean';
    if (ts.isUnionTypeNode(node)) return this.union(node, ctx);
    if (ts.isTypeLiteralNode(node)) return this.typeLiteral(node, ctx);
    if (ts.isTypeReferenceNode(node)) return this.reference(node, ctx);
    if (ts.isIndexedAccessTypeNode(node)) return this.allowedAny('any', ctx);
    throw new Error(`${ctx.corePath}: unsupported type ${ts.SyntaxKind[node.kind]} (${node.getText()})`);
  }

  private union(node: ts.UnionTypeNode, ctx: Ctx): string {
    const types = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword
      && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    if (types.length === 1) return this.map(types[0], ctx);
    const literals = types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined));
    if (literals.every((l): l is string => l !== undefined)) return this.enumOf(`${ctx.owner}${capitalize(lastSegment(ctx.corePath))}`, literals, ctx);
    if (types.every((t) => ts.isLiteralTypeNode(t) && (t.literal.kind === ts.SyntaxKind.TrueKeyword || t.literal.kind === ts.SyntaxKind.FalseKeyword))) return 'boolean';
    const choice = UNIONS[ctx.corePath];
    if (!choice) throw new Error(`${ctx.corePath}: the union ${node.getText()} has no member chosen in UNIONS (the analyzer takes no union)`);
    this.notes.set(ctx.notePath ?? ctx.corePath, `Typed \`${choice.type}\` here: the core takes \`${node.getText()}\`, a union, which other languages cannot be given; ${choice.why}.`);
    if (choice.type === 'any') return this.allowedAny('any', ctx);
    const member = types.find((t) => this.map(t, ctx) === choice.type);
    if (!member) throw new Error(`${ctx.corePath}: UNIONS chooses ${choice.type}, which is no member of ${node.getText()}`);
    return choice.type;
  }

  /** `any` (or a map of it) where ANY_ALLOWED says nothing else will do; an error anywhere else. */
  private allowedAny(type: string, ctx: Ctx): string {
    if (!ANY_ALLOWED[ctx.corePath]) throw new Error(`${ctx.corePath}: would be \`any\` at the Pulumi boundary; type it, or add it to ANY_ALLOWED with why`);
    return type;
  }

  private enumOf(base: string, values: readonly string[], ctx: Ctx, doc?: string[]): string {
    const name = `${base}Enum`;
    if (this.enums.has(name)) return name;
    const keys = values.map((v) => v.toUpperCase().replace(/[^A-Z0-9]+/g, '_'));
    const text = [
      ...jsDoc([...(doc ?? [`The values of the core's \`${ctx.corePath}\`.`]), '(Generated from the core\'s type.)'], ''),
      `export const ${name} = {`,
      ...values.map((v, i) => `  ${keys[i]}: '${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',`),
      '} as const;',
      `/** @see ${name} */`,
      `export type ${name} = typeof ${name}[keyof typeof ${name}];`,
    ].join('\n');
    this.enums.set(name, text);
    this.order.push(name);
    return name;
  }

  private typeLiteral(node: ts.TypeLiteralNode, ctx: Ctx): string {
    const props = node.members.filter(ts.isPropertySignature);
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (props.length === 0 && index) return `{ [key: string]: ${this.map(index.type, ctx)} }`;
    const name = `${ctx.owner}${capitalize(lastSegment(ctx.corePath))}Args`;
    if (this.interfaces.has(name)) return name;
    if (RESERVED.has(name)) throw new Error(`${ctx.corePath}: its args name ${name} is taken`);
    this.interfaces.set(name, '');
    const owner = name.replace(/Args$/, '');
    const lines = [
      ...props.map((m) => this.property(m, { owner, corePath: `${ctx.corePath}.${propName(m)}`, params: ctx.params, partial: ctx.partial })),
      ...this.indexSignature(index, { ...ctx, owner }),
    ];
    const text = [...jsDoc([`The core's \`${ctx.corePath}\`.`], ''), `export interface ${name} {`, lines.join('\n'), '}'].join('\n');
    this.interfaces.set(name, text);
    this.order.push(name);
    return name;
  }

  private reference(node: ts.TypeReferenceNode, ctx: Ctx): string {
    const name = node.typeName.getText();
    const param = ts.isIdentifier(node.typeName) ? ctx.params.get(name) : undefined;
    // A type argument is mapped where it is used (an inline object is named after this property), in the scope it was written in.
    if (param) return this.map(param.node, { ...param.ctx, owner: ctx.owner, corePath: ctx.corePath });
    const args = node.typeArguments ?? [];
    if ((name === 'Array' || name === 'ReadonlyArray') && args.length === 1) return `${this.map(args[0], ctx)}[]`;
    if (name === 'Record' && args.length === 2) return `{ [key: string]: ${this.map(args[1], ctx)} }`;
    const decl = this.resolve(node.typeName);
    if (!decl) throw new Error(`${ctx.corePath}: cannot resolve ${name}`);
    if (ts.isClassDeclaration(decl)) throw new Error(`${ctx.corePath}: the class ${name} cannot be an arg; add an OVERRIDE`);
    if (ts.isInterfaceDeclaration(decl)) {
      if (decl.name.text === 'KubeStructure') return this.kubeStructure(ctx);
      const props = decl.members.filter(ts.isPropertySignature);
      const index = decl.members.find(ts.isIndexSignatureDeclaration);
      if (props.length === 0 && index && !decl.heritageClauses) {
        // A map type: its values are named after it where a choice is made (UNIONS['Claims[key]']), else after the property.
        const values = UNIONS[`${decl.name.text}[key]`] ? { ...ctx, corePath: `${decl.name.text}[key]`, notePath: ctx.corePath } : ctx;
        return `{ [key: string]: ${this.map(index.type, { ...values, params: new Map() })} }`;
      }
      if (args.length === 0) return this.interfaceArgs(decl, [], undefined, undefined, ctx.partial);
      // A generic interface: one args interface per use, named after the use.
      return this.interfaceArgs(decl, args, ctx, `${ctx.owner}${capitalize(lastSegment(ctx.corePath))}Args`, ctx.partial);
    }
    if (ts.isTypeAliasDeclaration(decl)) {
      const aliasName = decl.name.text;
      // The core's `as const` enums (a const and a type of one name) are what the analyzer reads as enums.
      if (this.isConstEnum(decl) && this.coreExports.has(aliasName)) {
        this.imports.add(aliasName);
        return aliasName;
      }
      const t = decl.type;
      if (ts.isUnionTypeNode(t) && t.types.every((u) => ts.isLiteralTypeNode(u) && ts.isStringLiteral(u.literal))) {
        const values = t.types.map((u) => ((u as ts.LiteralTypeNode).literal as ts.StringLiteral).text);
        return this.enumOf(aliasName, values, { ...ctx, corePath: aliasName }, docLines(decl));
      }
      if (aliasName === 'DeepPartial' && args.length === 1) return this.map(args[0], { ...ctx, partial: true });
      if (decl.typeParameters?.length) return this.allowedAny('{ [key: string]: any }', ctx);
      return this.map(t, { ...ctx, params: new Map() });
    }
    if (ts.isEnumDeclaration(decl) && this.coreExports.has(name)) {
      this.imports.add(name);
      return name;
    }
    throw new Error(`${ctx.corePath}: unsupported reference ${name} (${ts.SyntaxKind[decl.kind]})`);
  }

  /** The @pulumi/kubernetes input type of a `KubeStructure` property (KUBE_STRUCTURES), or `any` where allowed. */
  private kubeStructure(ctx: Ctx): string {
    const kube = KUBE_STRUCTURES[lastSegment(ctx.corePath)];
    if (!kube) return this.allowedAny('{ [key: string]: any }', ctx);
    this.kubernetes = true;
    return `kubernetes.types.input.${kube}`;
  }

  /** `type X = typeof X[keyof typeof X]` beside `const X = {...} as const`. */
  private isConstEnum(decl: ts.TypeAliasDeclaration): boolean {
    return ts.isIndexedAccessTypeNode(decl.type) && ts.isTypeQueryNode(decl.type.objectType);
  }

  private resolve(name: ts.EntityName | ts.Expression): ts.Declaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(name);
    if (symbol && isAlias(symbol)) symbol = this.checker.getAliasedSymbol(symbol);
    const decls = symbol?.declarations ?? [];
    return decls.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d));
  }
}

/** The doc with a paragraph added to its summary (before its tags). */
function insertBeforeTags(doc: readonly string[], paragraph: string): string[] {
  const firstTag = doc.findIndex((l) => l.trimStart().startsWith('@'));
  const at = firstTag < 0 ? doc.length : firstTag;
  return [...doc.slice(0, at), ...(at > 0 ? [''] : []), paragraph, ...doc.slice(at)];
}

/** `any` or `unknown`. */
function isOpen(node: ts.TypeNode): boolean {
  return node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.UnknownKeyword;
}

function isAlias(symbol: ts.Symbol): boolean {
  // eslint-disable-next-line no-bitwise
  return (symbol.flags & ts.SymbolFlags.Alias) !== 0;
}

function propName(m: ts.PropertySignature): string {
  return m.name.getText();
}

function hasSummary(doc: readonly string[]): boolean {
  const firstTag = doc.findIndex((l) => l.trimStart().startsWith('@'));
  return (firstTag < 0 ? doc : doc.slice(0, firstTag)).some((l) => l.trim() !== '');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lastSegment(corePath: string): string {
  return corePath.split('.').pop()!;
}

/** The text of a node's JSDoc, as lines (without the comment markers). */
function docLines(node: ts.Node): string[] | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  if (!docs || docs.length === 0) return undefined;
  const text = docs[docs.length - 1].getText();
  const lines = text.replace(/^\/\*\*/, '').replace(/\*\/$/, '').split('\n')
    .map((l) => (/^\s*\*/.test(l) ? l.replace(/^\s*\* ?/, '') : l.trimStart()).trimEnd());
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  // A link to a core symbol does not resolve from the Pulumi entry point: its name, in code.
  return lines.length > 0 ? lines.map((l) => l.replace(/\{@link\s+([^}\s|]+)\s*\|?\s*([^}]*)\}/g, (_, target, label) => `\`${label || target}\``)) : undefined;
}

function jsDoc(lines: readonly string[], indent: string): string[] {
  const one = `${indent}/** ${lines[0]} */`;
  if (lines.length === 1 && one.length <= MAX_LINE) return [one];
  return [`${indent}/**`, ...lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`];
}

/** The generated file's text. */
export function generatePulumiArgs(): string {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.dev.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([INDEX], { ...(config?.options ?? {}), noEmit: true });
  return new Generator(program).run();
}

if (require.main === module) {
  const text = generatePulumiArgs();
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(ARGS_FILE) ? fs.readFileSync(ARGS_FILE, 'utf8') : '';
    if (committed !== text) {
      process.stderr.write(`${path.relative(ROOT, ARGS_FILE)} is not what the core's types generate: run scripts/gen-pulumi-args.ts\n`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(ARGS_FILE, text);
  }
}
