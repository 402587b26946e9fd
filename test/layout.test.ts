/**
 * Tests mirror src/: a folder of test/core/ is a folder of src/core/, so the tests of a file are
 * found where the file is (issue #26 item 7).
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const dirs = (dir: string): string[] => fs.readdirSync(path.join(root, dir), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== '__snapshots__').map((e) => e.name).sort();

test('every folder of test/core/ is a folder of src/core/', () => {
  const src = new Set(dirs('src/core'));
  expect(dirs('test/core').filter((d) => !src.has(d))).toEqual([]);
});

test('no test file outside the mirror for core code (test/output/ moved to test/core/output/)', () => {
  expect(fs.existsSync(path.join(root, 'test/output'))).toBe(false);
  const topLevel = fs.readdirSync(path.join(root, 'test')).filter((f) => f.endsWith('.test.ts'));
  // Top-level tests are about the package as a whole (entry points, bundle, README, public API).
  for (const f of topLevel) expect(f).not.toMatch(/^(operator|registry|platform|crds|rules|helm|output)-/);
});
