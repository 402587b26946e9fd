/*
 * The release table's generator and `upstream:add` (see scripts/upstream.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cmpVersions, ensureRelease, readFetched } from './upstream';

const TABLE_FILE = path.resolve(__dirname, '..', 'src', 'core', 'release-table.ts');

/** Writes src/core/release-table.ts for `versions` (fetched first; releases not yet pinned are trusted to the Go checksum database). */
export function writeReleaseTable(versions: readonly string[]): void {
  const sorted = [...new Set(versions)].sort(cmpVersions);
  const rows = sorted.map((v) => {
    ensureRelease(v, { trustNew: true });
    const f = readFetched(v);
    const digests = Object.entries(f.crdDigests).map(([plural, d]) => `      ${plural}: '${d}',`).join('\n');
    return [
      '  {',
      `    version: '${f.version}',`,
      `    date: '${f.date}',`,
      `    operatorChartVersion: '${f.operatorChartVersion}',`,
      `    crdsChartVersion: '${f.crdsChartVersion}',`,
      `    goSum: '${f.goSum}',`,
      '    crdDigests: {',
      digests,
      '    },',
      '  },',
    ].join('\n');
  });
  const text = fs.readFileSync(TABLE_FILE, 'utf8');
  const head = text.slice(0, text.indexOf('export const TOOLHIVE_RELEASES'));
  fs.writeFileSync(TABLE_FILE, `${head}export const TOOLHIVE_RELEASES: readonly ToolhiveRelease[] = [\n${rows.join('\n')}\n];\n`);
  console.log(`${path.relative(process.cwd(), TABLE_FILE)}: ${sorted.length} releases (${sorted[0]} to ${sorted[sorted.length - 1]})`);
}

/** `upstream:add`: filled in below. */
export function addRelease(version: string): void {
  throw new Error(`not implemented yet (${version})`);
}
