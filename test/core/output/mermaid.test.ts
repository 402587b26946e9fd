/*
 * Platform diagrams: what they show for the examples and fixtures, deterministic, refused for
 * an invalid platform, and the README's copy fresh.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../../examples/cdk8s-multi-cluster/main';
import { MERMAID_MAX_TEXT_SIZE, platformDiagram, PlatformSpec, RbacScope, TOOLHIVE_VERSION, writePlatformDiagram } from '../../../src';
import { ToolhivePlatform } from '../../../src/cdk8s';
import { issuesOf } from '../../support/errors';
import { parseMermaid } from '../../support/mermaid';
import { REPO_ROOT } from '../../support/paths';
import { centralized, layered, standaloneRegistryServer } from '../../support/platform-fixtures';

function exampleDiagram(): string {
  const app = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-')));
  return (app.node.findAll().find((c) => c instanceof ToolhivePlatform) as ToolhivePlatform).diagram();
}

describe('platformDiagram', () => {
  test('the multi-cluster example: clusters, components, the URLs linking them, the promotion flow', () => {
    const text = exampleDiagram();
    const lines = text.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines.filter((l) => l.startsWith('  subgraph ')).map((l) => l.split('[')[0].trim())).toEqual(
      ['subgraph cl_ap_south', 'subgraph cl_control', 'subgraph cl_dev', 'subgraph cl_eu_west', 'subgraph cl_staging', 'subgraph cl_us_east']);
    expect(text).toContain(`cl_eu_west__operator["ToolHive operator ${TOOLHIVE_VERSION}<br/>namespaces: payments, search"]`);
    expect(text).toContain('  cl_eu_west__operator -. "registry: https://registry.example.com" .-> cl_control__registry');
    expect(text).toContain('aggregates: production, staging, development');
    expect(text).toContain('  cl_dev__registry == "promotes to staging (git)" ==> cl_staging__registry');
    expect(text).toContain('  cl_staging__registry == "promotes to production (git)" ==> cl_control__registry');
    expect(text).toContain('  promotion_catalog -- "entries tagged env:production" --> cl_control__registry');
    expect(text).toMatchSnapshot();
  });

  test('a mixed-version fleet: each cluster\'s operator shows its own release', () => {
    const text = platformDiagram({
      version: '0.44.0',
      clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', version: '0.66.0', toolhiveOperator: {} }, c: { role: 'workload', toolhiveOperator: { version: '0.59.0' } } },
    });
    expect(text).toContain('cl_a__operator["ToolHive operator 0.44.0<br/>cluster-wide"]');
    expect(text).toContain('cl_b__operator["ToolHive operator 0.66.0<br/>cluster-wide"]');
    expect(text).toContain('cl_c__operator["ToolHive operator 0.59.0<br/>cluster-wide"]');
  });

  test('enterprise: the Enterprise Manager and Cloud UI, linked from the workload clusters; api promotion', () => {
    const text = platformDiagram(centralized());
    expect(text).toContain('cl_control__manager["Enterprise Manager<br/>https://config.example.com"]');
    expect(text).toContain('cl_control__ui["Cloud UI<br/>https://ui.example.com"]');
    expect(text).toContain('cl_eu_west__operator -. "Enterprise Manager: https://config.example.com" .-> cl_control__manager');
    expect(platformDiagram(layered())).toMatch(/__registry == "promotes to production \(api\)" ==> cl_prod__registry/);
  });

  test('the same text whatever order the clusters are declared in; labels cannot break out of their quotes', () => {
    const spec = centralized();
    const reversed: PlatformSpec = { ...spec, clusters: Object.fromEntries(Object.entries(spec.clusters).reverse()) };
    expect(platformDiagram(reversed)).toBe(platformDiagram(spec));
    const app = buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-')));
    const example = app.node.findAll().find((c) => c instanceof ToolhivePlatform) as ToolhivePlatform;
    const layering = (example as any).props.registryLayering;
    (example as any).props = { ...(example as any).props, registryLayering: { ...layering, catalog: { ...layering.catalog, path: 'a"] --> x["b<c>#.json' } } };
    expect(example.diagram()).toContain('<br/>a#34;] --#62; x[#34;b#60;c#62;#35;.json")]');
  });

  test('an invalid platform gets its validation error, and no file is written', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-')), 'platform.md');
    const bad = { clusters: { Control: { role: 'control' } } } as any;
    expect(issuesOf(() => writePlatformDiagram(bad, file)).length).toBeGreaterThan(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(issuesOf(() => platformDiagram(centralized(), { direction: 'up' as any }))).toEqual([{ path: 'direction', message: 'expected "LR" or "TB", got "up"' }]);
    const markdown = writePlatformDiagram(centralized(), file, 'Acme');
    expect(fs.readFileSync(file, 'utf8')).toBe(markdown);
    expect(markdown).toBe(`# Acme\n\n\`\`\`mermaid\n${platformDiagram(centralized())}\`\`\`\n`);
  });

  test('README.md shows the multi-cluster example\'s diagram as the library draws it', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`mermaid\n${exampleDiagram()}\`\`\``);
  });
});

/** The ids a flowchart defines: subgraphs and nodes (`id[`, `id[(`). */
function definedIds(text: string): string[] {
  return [...text.matchAll(/^\s*(?:subgraph )?([A-Za-z0-9_]+)\[/gm)].map((m) => m[1]);
}

describe('platformDiagram, read by Mermaid\'s own parser', () => {
  /** Lower-case words of Mermaid's flowchart grammar, and the ids of the diagram's fixed nodes, as cluster names. */
  const RISKY_NAMES = [
    'default', 'end', 'style', 'linkstyle', 'interpolate', 'classdef', 'class', 'href', 'call', 'click', 'graph', 'flowchart',
    'flowchart-elk', 'subgraph', 'direction', 'self', 'blank', 'parent', 'top', 'v', 'o', 'x', 'td', 'tb', 'bt', 'rl', 'lr',
    'accessibility', 'icon', 'img', 'markdown', 'md', 'str', 'node', 'edge', 'br', 'a', 'e',
    // The fixed nodes and the id prefixes.
    'catalog', 'promotion-catalog', 'grp-1', 'grp', 'cl', 'cl-default', 'end-end', '0', '1-1',
  ];

  test('the example, the fixtures and a mixed-version fleet parse', () => {
    const texts = [exampleDiagram(), platformDiagram(centralized()), platformDiagram(layered()),
      platformDiagram({ version: '0.44.0', clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', version: '0.66.0', toolhiveOperator: {} } } })];
    expect(parseMermaid(texts)).toEqual(texts.map(() => ({ ok: true, type: 'flowchart-v2' })));
  });

  test('the parser can fail: a keyword as an id is refused (why cluster ids are prefixed)', () => {
    expect(parseMermaid(['flowchart LR\n  subgraph default["x"]\n  end\n'])[0]).toMatchObject({ ok: false });
  });

  test('every cluster name that is a Mermaid keyword or a fixed node\'s id: parses, and every cluster keeps its own ids', () => {
    const texts = RISKY_NAMES.map((name) => {
      const spec = layered();
      // The risky name as a workload cluster beside the layered registries and their git catalog.
      return platformDiagram({
        ...spec,
        edition: 'open-source',
        enterprise: undefined,
        registryLayering: { ...spec.registryLayering!, promotion: 'git', catalog: { repository: 'https://git.example.com/c.git', path: 'r.json' } },
        clusters: {
          ...Object.fromEntries(Object.entries(spec.clusters).map(([n, c]) => [n, { ...c, enterpriseManager: undefined, cloudUi: undefined }])),
          [name]: { role: 'workload', toolhiveOperator: {} },
        },
      } as PlatformSpec);
    });
    const parsed = parseMermaid(texts);
    expect(parsed.map((p, i) => [RISKY_NAMES[i], p])).toEqual(RISKY_NAMES.map((n) => [n, { ok: true, type: 'flowchart-v2' }]));
    for (const [i, text] of texts.entries()) {
      const ids = definedIds(text);
      expect(new Set(ids).size).toBe(ids.length);
      // The cluster's subgraph and operator, and the catalog, each once.
      expect(ids).toEqual(expect.arrayContaining([`cl_${RISKY_NAMES[i].replace(/-/g, '_')}`, `cl_${RISKY_NAMES[i].replace(/-/g, '_')}__operator`, 'promotion_catalog']));
    }
  });

  test('1,000 clusters: alike workload clusters collapse into one node with their count, under Mermaid\'s maxTextSize, and it parses', () => {
    const clusters: PlatformSpec['clusters'] = {
      control: { role: 'control', registryServer: standaloneRegistryServer('control', 'https://registry.example.com') },
    };
    const teams = [['payments'], ['search', 'checkout'], undefined];
    for (let i = 0; i < 999; i++) {
      const t = teams[i % 3];
      (clusters as any)[`w-${String(i).padStart(3, '0')}`] = {
        role: 'workload', ...(i % 2 ? { version: '0.44.0' } : {}), toolhiveOperator: { rbac: t ? RbacScope.namespaces(t) : RbacScope.cluster() },
      };
    }
    const spec: PlatformSpec = { edition: 'open-source', clusters };
    const text = platformDiagram(spec);
    expect(text.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT_SIZE);
    expect(parseMermaid([text])).toEqual([{ ok: true, type: 'flowchart-v2' }]);
    // 3 RBAC scopes x 2 releases = 6 groups, whose counts add up to the 999 workload clusters.
    const groups = [...text.matchAll(/^ {2}subgraph (grp_\d+)\["(\d+) workload clusters<br\/>[^"]*"\]$/gm)];
    expect(groups).toHaveLength(6);
    expect(groups.reduce((n, m) => n + Number(m[2]), 0)).toBe(999);
    expect([...text.matchAll(/__operator\["[^"]*<br\/>x(\d+)"\]/g)].reduce((n, m) => n + Number(m[1]), 0)).toBe(999);
    // Each group links to the control cluster's Registry Server, as each of its clusters would.
    expect([...text.matchAll(/^ {2}grp_\d+__operator -\. "registry: https:\/\/[^"]+" \.-> cl_control__registry$/gm)]).toHaveLength(6);
    // Uncollapsed, the same platform is far over what Mermaid renders.
    expect(platformDiagram(spec, { maxTextSize: 10_000_000 }).length).toBeGreaterThan(3 * MERMAID_MAX_TEXT_SIZE);
    // A small platform is drawn in full, whatever the limit.
    expect(platformDiagram(centralized())).not.toContain('grp_');
  });

  test('the collapse threshold is an option; bad options get one error listing each', () => {
    const spec: PlatformSpec = { clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', toolhiveOperator: {} } } };
    expect(platformDiagram(spec, { maxTextSize: 10 })).toContain('subgraph grp_1["2 workload clusters<br/>a, b"]');
    expect(issuesOf(() => platformDiagram(spec, { direction: 'up' as any, maxTextSize: -1 })).map((i) => i.path)).toEqual(['direction', 'maxTextSize']);
    expect(issuesOf(() => platformDiagram(spec, 'x' as any)).map((i) => i.path)).toEqual(['options']);
  });
});
