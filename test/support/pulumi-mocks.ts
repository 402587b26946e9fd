import * as pulumi from '@pulumi/pulumi';

/** A resource the mocked engine was asked to create. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  readonly provider?: string;
}

const recorded: RecordedResource[] = [];

/** Installs Pulumi mocks (no CLI, no plugin, no network) that record every resource. */
export function installPulumiMocks(config: Record<string, string> = {}): RecordedResource[] {
  pulumi.runtime.setAllConfig(config);
  void pulumi.runtime.setMocks({
    newResource: (args) => {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'toolhive', 'test', false);
  return recorded;
}

/** The value of an output, once resolved. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => {
    resolve(v);
    return v;
  }));
}

/** Waits until every given resource is registered. */
export async function settled(resources: pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => valueOf(r.urn)));
  await new Promise((r) => setImmediate(r));
}

/** The parent chain of a URN: `Parent$Child` types. */
export function typeChain(urn: string): string[] {
  return urn.split('::')[2].split('$');
}

/** The provider's logical name in a provider reference (`urn…::name::id`). */
export function providerName(ref: string | undefined): string | undefined {
  return ref?.split('::')[3];
}

/** A recorded resource's inputs, summarized for snapshots: object lists as `Kind/ns/name`, CRDs without their upstream schema. */
export function summarize(r: RecordedResource): any {
  const inputs = { ...r.inputs };
  if (Array.isArray(inputs.objs)) inputs.objs = inputs.objs.map((o: any) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
  return { type: r.type, name: r.name, provider: providerName(r.provider), inputs };
}
