import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ComponentProvider } from '@pulumi/pulumi/provider/experimental/provider';
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
    const schemaText = fs.readFileSync(path.join(dirname, 'schema.json'), 'utf8');
    const schema = JSON.parse(schemaText) as PackageSchema;
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

/**
 * The entry of the component package's plugin (`pulumi-plugin/index.js`): serves the components
 * to the engine that started the plugin (the arguments Pulumi's Node.js plugin runner passes).
 * @param dirname The plugin's folder.
 */
export function serveComponentPackage(dirname: string): Promise<void> {
  return pulumi.provider.main(new ToolhiveComponentProvider(dirname), process.argv.slice(2));
}
