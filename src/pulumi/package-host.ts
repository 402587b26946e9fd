import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ComponentProvider } from '@pulumi/pulumi/provider/experimental/provider';
import { isPlainObject, ToolhiveValidationError } from '../index';
import { ToolhiveOperator } from './operator';
import { ToolhivePlatform } from './platform';
import { RegistryServer } from './registry-server';

/** The components the Pulumi component package serves, by name (the last part of their type token). */
export const PACKAGE_COMPONENTS = { ToolhiveOperator, RegistryServer, ToolhivePlatform };

/** A component package's schema, as far as the host reads it: its resources' outputs. */
interface PackageSchema {
  readonly name: string;
  readonly resources: { readonly [token: string]: { readonly properties?: { readonly [output: string]: unknown } } };
}

/**
 * The Pulumi component package (`pulumi-plugin/` in the npm package): `@pulumi/pulumi`'s
 * component provider host, serving {@link ToolhiveOperator}, {@link RegistryServer} and
 * {@link ToolhivePlatform} to Python, Go, YAML and other Pulumi programs, with the schema
 * generated in the repository by Pulumi's own analyzer (`pulumi-plugin/schema.json`) instead of
 * one inferred at every start. A validation error reaches the program as the library's message,
 * every problem with its path, without a Node.js stack.
 */
export class ToolhiveComponentProvider extends ComponentProvider {
  private readonly schemaText: string;
  private readonly outputsOf: { [component: string]: { outputs: { readonly [output: string]: unknown } } };

  /**
   * @param dirname The plugin's folder: its package.json (name, version) and schema.json.
   */
  constructor(dirname: string) {
    const { schemaText, schema } = pluginSchema(dirname);
    super({ dirname, name: schema.name, components: Object.values(PACKAGE_COMPONENTS) });
    this.schemaText = schemaText;
    this.outputsOf = {};
    for (const [token, resource] of Object.entries(schema.resources)) {
      this.outputsOf[token.split(':')[2]] = { outputs: resource.properties ?? {} };
    }
    // The host reads each component's outputs from the analyzer's result, which the schema holds.
    (this as unknown as { componentDefinitions: unknown }).componentDefinitions = this.outputsOf;
  }

  /** The package's schema: the generated `schema.json`. */
  public override async getSchema(): Promise<string> {
    return this.schemaText;
  }

  /** Creates a component; a validation error becomes the engine's error for the component's inputs. */
  public override async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions) {
    try {
      return await super.construct(name, type, inputs, options);
    } catch (e) {
      const issues = (e as { __toolhiveValidationError?: boolean; issues?: { path: string; message: string }[] });
      if (issues?.__toolhiveValidationError === true && Array.isArray(issues.issues)) {
        // The library's message, every problem with its path; no stack (a ResourceError's would name this process's files).
        throw new Error((e as Error).message);
      }
      throw e;
    }
  }
}

/** The plugin folder's schema.json; anything else is refused at `dirname`. */
function pluginSchema(dirname: unknown): { schemaText: string; schema: PackageSchema } {
  const refuse = (message: string): never => {
    throw new ToolhiveValidationError([{ path: 'dirname', message }], 'Pulumi component package');
  };
  const expected = 'expected the plugin\'s folder (pulumi-plugin/ of the installed package, holding schema.json)';
  if (typeof dirname !== 'string' || dirname === '') {
    return refuse(`${expected}, got ${dirname === '' ? 'an empty string' : dirname === null ? 'null' : Array.isArray(dirname) ? 'a list' : typeof dirname}`);
  }
  let schemaText = '';
  try {
    schemaText = fs.readFileSync(path.join(dirname, 'schema.json'), 'utf8');
  } catch {
    return refuse(`${JSON.stringify(dirname)} holds no readable schema.json: ${expected}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return refuse(`${JSON.stringify(dirname)}/schema.json is not JSON: ${expected}`);
  }
  if (!isPlainObject(schema) || typeof schema.name !== 'string' || !isPlainObject(schema.resources)) {
    return refuse(`${JSON.stringify(dirname)}/schema.json is not a package schema (a name and resources): ${expected}`);
  }
  return { schemaText, schema: schema as unknown as PackageSchema };
}

/**
 * The entry of the component package's plugin (`pulumi-plugin/index.js`): serves the components
 * to the engine that started the plugin (the arguments Pulumi's Node.js plugin runner passes).
 * @param dirname The plugin's folder.
 */
export function serveComponentPackage(dirname: string): Promise<void> {
  // Checked before anything is served (a bad folder is refused, no server started).
  const provider = new ToolhiveComponentProvider(dirname);
  return pulumi.provider.main(provider, process.argv.slice(2));
}
