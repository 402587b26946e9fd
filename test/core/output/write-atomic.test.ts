/*
 * The manifest writer is all or nothing, under failures injected at every file system call it
 * makes: after any failure the target holds the previous tree or the new one, byte for byte, and
 * nothing beside it that `git add -A` would pick up; after a simulated crash (the process stops
 * at that call: nothing more runs, no clean-up) the same holds, except between the two renames of
 * the swap, where the previous tree is parked whole in the git-ignored work folder, and the next
 * run puts it back before writing.
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { planPlatform, PlatformPlan, PlatformSpec, RbacScope, writeManifests } from '../../../src';
import { readTree } from '../../support/consumer';

// The module object itself (not an import wrapper), so that spies replace what the writer calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');

const OPS = ['mkdirSync', 'writeFileSync', 'renameSync', 'rmSync'] as const;
type Op = typeof OPS[number];

function platform(clusters: string[], replicas: number): PlatformPlan {
  const spec: PlatformSpec = {
    edition: 'open-source',
    clusters: Object.fromEntries(clusters.map((c) => [c, { role: 'workload', toolhiveOperator: { rbac: RbacScope.namespaces(['team-a']), replicas } }])),
  };
  return planPlatform(spec);
}
const OLD = platform(['east', 'west'], 1);
const NEW = platform(['west', 'north'], 2);

/** A git repository with the output folder `clusters` in it. */
function repo(): { root: string; target: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'write-atomic-'));
  execFileSync('git', ['init', '-q', root]);
  return { root, target: path.join(root, 'clusters') };
}
/** What `git add -A` would add, as paths. */
const gitWouldAdd = (root: string) => execFileSync('git', ['add', '-A', '--dry-run'], { cwd: root, encoding: 'utf8' })
  .split('\n').filter(Boolean).map((l) => l.replace(/^add '(.*)'$/, '$1'));

let oldTree: Record<string, string>;
let newTree: Record<string, string>;
/** How many times a clean replacing run calls each operation. */
const calls: Record<Op, number> = { mkdirSync: 0, writeFileSync: 0, renameSync: 0, rmSync: 0 };

beforeAll(() => {
  const { target } = repo();
  writeManifests(OLD, target);
  oldTree = readTree(target);
  const spies = OPS.map((op) => jest.spyOn(fs, op));
  try {
    writeManifests(NEW, target);
    OPS.forEach((op, i) => { calls[op] = spies[i].mock.calls.length; });
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  newTree = readTree(target);
  expect(newTree).not.toEqual(oldTree);
  expect(calls.renameSync).toBe(2);
});

/** Runs a replacing write with the `n`th call of `op` failing (EIO); with `crash`, every later mutating call fails too, doing nothing. */
function injected(op: Op, n: number, crash: boolean): { root: string; target: string; error?: Error } {
  const { root, target } = repo();
  writeManifests(OLD, target);
  let seen = 0;
  let dead = false;
  const spies = OPS.map((o) => {
    const real = (fs as any)[o].bind(fs);
    return jest.spyOn(fs, o).mockImplementation(((...args: any[]) => {
      if (dead) throw Object.assign(new Error(`${o}: the process is gone`), { code: 'EIO' });
      if (o === op && ++seen === n) {
        if (crash) dead = true;
        throw Object.assign(new Error(`EIO: injected failure of ${op} call ${n}`), { code: 'EIO' });
      }
      return real(...args);
    }) as any);
  });
  let error: Error | undefined;
  try {
    writeManifests(NEW, target);
  } catch (e) {
    error = e as Error;
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return { root, target, error };
}

const cases = () => OPS.flatMap((op) => Array.from({ length: calls[op] }, (_, i) => [op, i + 1] as const));

test('a replacing run makes each kind of call at least once (the cases below cover every call)', () => {
  expect(Object.values(calls).every((c) => c > 0)).toBe(true);
});

test('a failure at any call: the target holds the previous tree or the new one, and git sees nothing else', () => {
  const results: string[] = [];
  for (const [op, n] of cases()) {
    const { root, target, error } = injected(op, n, false);
    const tree = readTree(target);
    const which = JSON.stringify(tree) === JSON.stringify(oldTree) ? 'old' : JSON.stringify(tree) === JSON.stringify(newTree) ? 'new' : 'neither';
    // Only the output is in the repository's eyes, whatever is left on disk.
    expect([op, n, gitWouldAdd(root).filter((f) => !f.startsWith('clusters/'))]).toEqual([op, n, []]);
    // The new tree only if the run reported success; the old one with the error.
    expect([op, n, which]).toEqual([op, n, error ? 'old' : 'new']);
    // The next run writes the new tree and leaves nothing beside it.
    writeManifests(NEW, target);
    expect([op, n, readTree(target)]).toEqual([op, n, newTree]);
    expect([op, n, fs.readdirSync(root).sort()]).toEqual([op, n, ['.git', 'clusters']]);
    results.push(`${op}#${n} ${which}`);
  }
  expect(results.length).toBe(Object.values(calls).reduce((a, b) => a + b, 0));
});

test('a crash at any call: the previous tree or the new one at the target, or (between the renames) parked and put back by the next run', () => {
  for (const [op, n] of cases()) {
    const { root, target } = injected(op, n, true);
    expect([op, n, gitWouldAdd(root).filter((f) => !f.startsWith('clusters/'))]).toEqual([op, n, []]);
    if (fs.existsSync(target)) {
      const tree = JSON.stringify(readTree(target));
      expect([op, n, tree === JSON.stringify(oldTree) || tree === JSON.stringify(newTree)]).toEqual([op, n, true]);
    } else {
      // Only a crash at the second rename of the swap leaves no target.
      expect([op, n]).toEqual(['renameSync', 2]);
      // The previous tree is parked whole in the work folder, which git ignores ...
      const work = path.join(root, '.toolhive-constructs.tmp');
      const parked = fs.readdirSync(work).filter((e) => /^clusters\.old-/.test(e));
      expect(parked).toHaveLength(1);
      expect(readTree(path.join(work, parked[0]))).toEqual(oldTree);
      // ... and a run that fails validation touches nothing.
      expect(() => writeManifests({ clusters: 'nope' } as any, target)).toThrow();
      expect(fs.existsSync(path.join(work, parked[0]))).toBe(true);
      // The next good run starts by putting it back.
      const rename = jest.spyOn(fs, 'renameSync');
      try {
        writeManifests(NEW, target);
        expect(rename.mock.calls[0]).toEqual([path.join(work, parked[0]), target]);
      } finally {
        rename.mockRestore();
      }
    }
    // ... and a good run writes the new one, cleaning up every leftover.
    writeManifests(NEW, target);
    expect([op, n, readTree(target)]).toEqual([op, n, newTree]);
    expect([op, n, fs.readdirSync(root).sort()]).toEqual([op, n, ['.git', 'clusters']]);
  }
});
