/* examples/airgap-mirror: the mirror list a mirroring job reads, snapshot-tested. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { airGappedPlatform, writeAirGapMirrorList } from '../../examples/airgap-mirror/main';
import { planPlatform } from '../../src';

describe('examples/airgap-mirror', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-')), 'mirror.txt');
  const list = writeAirGapMirrorList(file);

  test('every chart the plans pull comes from the mirror, each image from the registry, each with its public source', () => {
    const charts = planPlatform(airGappedPlatform()).clusters.flatMap((c) => c.deliverables).flatMap((d) => (d.type === 'helm-release' ? [d.release.repository] : []));
    expect(list.charts.map((c) => c.repository).sort()).toEqual([...new Set(charts)].sort());
    expect(list.images.every((i) => i.image.startsWith('registry.internal/mirror/') && i.source)).toBe(true);
    expect(list.charts.every((c) => c.source?.startsWith('oci://ghcr.io/'))).toBe(true);
  });

  test('snapshot', () => {
    expect(fs.readFileSync(file, 'utf8')).toMatchSnapshot();
  });
});
