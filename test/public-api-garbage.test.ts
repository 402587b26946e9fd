/*
 * Every public function of the three entry points (as API.md lists them), called with plain
 * JavaScript garbage: it returns, or throws the one ToolhiveValidationError; never a TypeError or
 * any other error. The names come from API.md, so a new public function is swept automatically.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as core from '../src';
import * as cdk8s from '../src/cdk8s';
import * as pulumiEntry from '../src/pulumi';
import { REPO_ROOT } from './support/paths';
import { installPulumiMocks } from './support/pulumi-mocks';

installPulumiMocks();

const GARBAGE: unknown[][] = [
  [], [null], [undefined], [42], [NaN], ['x'], [''], [true], [{}], [[]], [() => 1], [Symbol('s')], [new Date(0)],
  [null, null], [{}, null], [null, {}], ['x', 42], [{}, {}, null], [{ a: { b: null } }, 'x'], [[null]], [[{}]], [{ metadata: null }],
  [JSON.parse('{"__proto__": {"polluted": 1}}')], [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 7 } }],
];

/** The function names API.md documents for an entry point (its `## \`name\`` section). */
function documentedFunctions(entry: string): string[] {
  const md = fs.readFileSync(path.join(REPO_ROOT, 'API.md'), 'utf8');
  const start = md.indexOf(`## \`${entry}\``);
  const end = md.indexOf('\n## `', start + 1);
  const section = md.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^#### (\w+)\(\)$/gm)].map((m) => m[1]);
}

function describeArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === 'symbol' ? 'Symbol' : typeof a === 'function' ? 'fn' : JSON.stringify(a) ?? String(a))).join(', ');
}

/** The calls whose error is not a ToolhiveValidationError. */
function sweep(name: string, fn: (...args: unknown[]) => unknown): string[] {
  const bad: string[] = [];
  for (const args of GARBAGE) {
    try {
      fn(...args);
    } catch (e) {
      if (!(e instanceof core.ToolhiveValidationError)) bad.push(`${name}(${describeArgs(args)}): ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message).split('\n')[0]}`);
    }
    expect(({} as any).polluted).toBeUndefined();
  }
  return bad;
}

describe.each([
  ['toolhive-constructs', core],
  ['toolhive-constructs/cdk8s', cdk8s],
  ['toolhive-constructs/pulumi', pulumiEntry],
] as [string, Record<string, unknown>][])('%s', (entry, mod) => {
  const names = documentedFunctions(entry);

  test('API.md lists its functions, and each is exported', () => {
    if (entry === 'toolhive-constructs') expect(names.length).toBeGreaterThan(25);
    for (const n of names) expect([n, typeof mod[n]]).toEqual([n, 'function']);
  });

  test('every public function, called with garbage, returns or throws the validation error', () => {
    const bad = names.flatMap((n) => sweep(n, mod[n] as (...a: unknown[]) => unknown));
    expect(bad).toEqual([]);
  });
});

test('the static factories, called with garbage, return or throw the validation error', () => {
  const bad = [
    ...sweep('RbacScope.namespaces', (...a) => core.planOperatorInstall({ rbac: (core.RbacScope.namespaces as any)(...a) })),
    ...sweep('CrdSource.fromDirectory', (...a) => (core.CrdSource.fromDirectory as any)(...a).load()),
    ...sweep('CrdSource.fromRelease', (...a) => (core.CrdSource.fromRelease as any)(...a).load()),
    ...sweep('CrdSource.releaseFileUrl', (...a) => (core.CrdSource.releaseFileUrl as any)(...a)),
  ];
  expect(bad).toEqual([]);
});
