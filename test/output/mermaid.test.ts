/*
 * Platform diagrams: what they show for the examples and fixtures, deterministic, refused for
 * an invalid platform, and the README's copy fresh.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/cdk8s-multi-cluster/main';
import { platformDiagram, PlatformSpec, TOOLHIVE_VERSION, writePlatformDiagram } from '../../src';
import { ToolhivePlatform } from '../../src/cdk8s';
import { issuesOf } from '../support/errors';
import { REPO_ROOT } from '../support/paths';
import { centralized, layered } from '../support/platform-fixtures';

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
      ['subgraph ap_south', 'subgraph control', 'subgraph dev', 'subgraph eu_west', 'subgraph staging', 'subgraph us_east']);
    expect(text).toContain(`eu_west__operator["ToolHive operator ${TOOLHIVE_VERSION}<br/>namespaces: payments, search"]`);
    expect(text).toContain('  eu_west__operator -. "registry: https://registry.example.com" .-> control__registry');
    expect(text).toContain('aggregates: production, staging, development');
    expect(text).toContain('  dev__registry == "promotes to staging (git)" ==> staging__registry');
    expect(text).toContain('  staging__registry == "promotes to production (git)" ==> control__registry');
    expect(text).toContain('  catalog -- "entries tagged env:production" --> control__registry');
    expect(text).toMatchSnapshot();
  });

  test('a mixed-version fleet: each cluster\'s operator shows its own release', () => {
    const text = platformDiagram({
      version: '0.44.0',
      clusters: { a: { role: 'workload', toolhiveOperator: {} }, b: { role: 'workload', version: '0.66.0', toolhiveOperator: {} }, c: { role: 'workload', toolhiveOperator: { version: '0.59.0' } } },
    });
    expect(text).toContain('a__operator["ToolHive operator 0.44.0<br/>cluster-wide"]');
    expect(text).toContain('b__operator["ToolHive operator 0.66.0<br/>cluster-wide"]');
    expect(text).toContain('c__operator["ToolHive operator 0.59.0<br/>cluster-wide"]');
  });

  test('enterprise: the Enterprise Manager and Cloud UI, linked from the workload clusters; api promotion', () => {
    const text = platformDiagram(centralized());
    expect(text).toContain('control__manager["Enterprise Manager<br/>https://config.example.com"]');
    expect(text).toContain('control__ui["Cloud UI<br/>https://ui.example.com"]');
    expect(text).toContain('eu_west__operator -. "Enterprise Manager: https://config.example.com" .-> control__manager');
    expect(platformDiagram(layered())).toMatch(/__registry == "promotes to production \(api\)" ==> prod__registry/);
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
