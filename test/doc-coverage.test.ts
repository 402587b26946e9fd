/**
 * Props documented like a reference (issue #26 item 6): every prop of the enforced hand-written files
 * has a summary and every optional one its `@default` (scripts/doc-coverage.ts, which prints the
 * figures of every folder).
 */
import { allProps, ENFORCED, isEnforced, lacksDocs, missing, NOT_YET_ENFORCED, PENDING_PROPS, propsOf, SKIPPED_DECLARATIONS } from '../scripts/doc-coverage';

const props = allProps();

test('every prop of the enforced files has a summary, every optional one its @default', () => {
  expect(missing(props, ENFORCED)).toEqual([]);
});

test('the props left pending still exist and still lack their docs (the list only shrinks)', () => {
  const byName = new Map(props.map((p) => [p.name, p]));
  const stale = PENDING_PROPS.filter((name) => !byName.has(name) || !lacksDocs(byName.get(name)!));
  expect(stale).toEqual([]);
});

test('the check counts what it says it counts', () => {
  // A file with props of each kind is measured (and the lists name only paths that exist).
  const registry = propsOf('src/core/registry/config.ts');
  expect(registry.length).toBeGreaterThan(50);
  expect(registry.some((p) => p.name.includes('.') && p.optional)).toBe(true);
  // Generated files are not counted; the declarations skipped (SKIPPED_DECLARATIONS) are not counted anywhere,
  // and the ones that moved home (helm/release.ts, k8s/) are.
  expect(props.some((p) => p.file.startsWith('src/core/crds/generated/'))).toBe(false);
  expect(props.some((p) => p.file.startsWith('src/core/output/gitops-types/'))).toBe(false);
  for (const name of SKIPPED_DECLARATIONS) expect(props.some((p) => p.name.startsWith(`${name}.`))).toBe(false);
  for (const name of ['ReleaseContext', 'SecretKeyReference', 'IRbacScope', 'RbacScope']) expect(props.some((p) => p.name.startsWith(`${name}.`))).toBe(true);
  expect(props.some((p) => p.name.startsWith('AirGapOptions.'))).toBe(true);
  // The paths left out for now are left out (none now), and every other hand-written file is enforced.
  for (const p of NOT_YET_ENFORCED) expect(props.some((q) => q.file.startsWith(p) && isEnforced(q.file, ENFORCED))).toBe(false);
  expect(props.filter((p) => !NOT_YET_ENFORCED.some((n) => p.file.startsWith(n)) && !isEnforced(p.file, ENFORCED)).map((p) => p.file)).toEqual([]);
  for (const folder of ['src/core/platform/', 'src/core/airgap.ts', 'src/cdk8s/', 'src/pulumi/']) expect(props.some((p) => p.file.startsWith(folder))).toBe(true);
});

test('a prop without a summary or an optional one without @default is reported at its line', () => {
  const lacking = missing([
    { file: 'src/x.ts', line: 3, name: 'XProps.a', optional: true, documented: true, hasDefault: false },
    { file: 'src/x.ts', line: 5, name: 'XProps.b', optional: false, documented: false, hasDefault: false },
    { file: 'src/x.ts', line: 7, name: 'XProps.c', optional: true, documented: true, hasDefault: true },
  ], ['src/x.ts']);
  expect(lacking).toEqual(['src/x.ts:3 XProps.a: no @default', 'src/x.ts:5 XProps.b: no summary']);
});
