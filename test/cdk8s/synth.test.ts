import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ToolhiveValidationError } from '../../src';
import { ToolhivePlatform } from '../../src/cdk8s';
import { synthChartAlone } from '../../src/cdk8s/synth';
import { standaloneRegistryServer } from '../support/platform-fixtures';

/*
 * synthChartAlone mirrors cdk8s's private chart synthesis (App._synthChart: resolveDependencies,
 * validate, chartToKube) on one chart. These tests hold it to cdk8s's own Chart.toJson(), so an
 * upgrade of cdk8s that changes its synthesis fails here, not in users' manifests.
 */

const cm = (scope: Construct, name: string) => new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

/** An app whose objects are declared in the opposite of their dependency order, within and across charts. */
function tangledApp(): { app: App; charts: Chart[] } {
  const app = Testing.app();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  // Within a chart: objects depending on later ones, groups depending on groups.
  const a3 = cm(a, 'a3');
  const a2 = cm(a, 'a2');
  const a1 = cm(a, 'a1');
  a3.node.addDependency(a2);
  a2.node.addDependency(a1);
  const late = new Construct(a, 'late');
  cm(late, 'late-x');
  cm(late, 'late-y');
  const early = new Construct(a, 'early');
  cm(early, 'early-x');
  late.node.addDependency(early);
  // A nested chart, which one of its parent's objects depends on.
  const nested = new Chart(a, 'nested');
  const n2 = cm(nested, 'n2');
  cm(nested, 'n1');
  n2.node.addDependency(nested.node.children[1]);
  a1.node.addDependency(n2);
  // Across charts: b's objects depend on a's group.
  const b2 = cm(b, 'b2');
  const b1 = cm(b, 'b1');
  b2.node.addDependency(b1);
  b2.node.addDependency(early);
  return { app, charts: [a, nested, b] };
}

describe('synthChartAlone (the one copy of cdk8s\'s chart synthesis)', () => {
  test('gives each chart exactly what cdk8s\'s own Chart.toJson() gives: objects and order', () => {
    const ours = tangledApp();
    const theirs = tangledApp();
    const names = (objects: any[]) => objects.map((o) => o.metadata.name);
    for (const [i, chart] of ours.charts.entries()) {
      const expected = Chart.prototype.toJson.call(theirs.charts[i]);
      expect(expected.length).toBeGreaterThan(1);
      expect(synthChartAlone(chart)).toEqual(expected);
    }
    // What the comparison covers: dependencies reorder objects within a chart, and the nested chart is its own.
    expect(ours.charts.map((c) => names(synthChartAlone(c)))).toEqual([
      ['a1', 'a2', 'a3', 'early-x', 'late-x', 'late-y'], ['n1', 'n2'], ['b1', 'b2'],
    ]);
  });

  test('the same output whether the app was resolved before (app.synth) or not (a chart alone)', () => {
    const first = tangledApp();
    const expected = first.charts.map((c) => synthChartAlone(c));
    const second = tangledApp();
    second.app.synthYaml(); // cdk8s resolves the whole app first, as app.synth() does
    expect(second.charts.map((c) => synthChartAlone(c))).toEqual(expected);
  });

  test('a construct\'s failing validation is one ToolhiveValidationError, at the construct\'s path', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const obj = cm(chart, 'x');
    obj.node.addValidation({ validate: () => ['x is broken: give it a y'] });
    new Construct(chart, 'group').node.addValidation({ validate: () => ['group is broken too'] });
    let error: unknown;
    try {
      synthChartAlone(chart);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect((error as ToolhiveValidationError).issues).toEqual([
      { path: 'c/group', message: 'group is broken too' },
      { path: 'c/x', message: 'x is broken: give it a y' },
    ]);
    // cdk8s's own synthesis throws for the same constructs (a plain Error of its own).
    expect(() => Chart.prototype.toJson.call(chart)).toThrow(/Validation failed with the following errors:[\s\S]*\[c\/x\] x is broken/);
  });
});

describe('a platform cluster synthesizes through synthChartAlone', () => {
  test('app.synth() still throws on a failing validation of a user\'s construct in a cluster, as cdk8s does; the cluster alone throws it as a ToolhiveValidationError', () => {
    const app = Testing.app();
    const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source' });
    const east = platform.addWorkloadCluster('east', { toolhiveOperator: {} });
    cm(east, 'mine').node.addValidation({ validate: () => ['mine needs a label'] });
    expect(() => app.synth()).toThrow(/mine needs a label/);
    let error: unknown;
    try {
      east.toJson();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolhiveValidationError);
    expect((error as ToolhiveValidationError).issues).toEqual([{ path: 'east/mine', message: 'mine needs a label' }]);
  });

  test('a cluster\'s objects equal cdk8s\'s own synthesis of the same chart, with a user\'s dependencies on its deliverables', () => {
    const build = () => {
      const app = Testing.app();
      const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source' });
      const east = platform.addWorkloadCluster('east', { toolhiveOperator: {} });
      const mine = cm(east, 'mine');
      mine.node.addDependency(east.deliverable('toolhive-operator-crds'));
      return east;
    };
    const ours = build().toJson();
    expect(ours).toEqual(Chart.prototype.toJson.call(build()));
    const kinds = ours.map((o: any) => o.kind);
    expect(kinds.indexOf('ConfigMap')).toBeGreaterThan(kinds.lastIndexOf('CustomResourceDefinition'));
  });

  test('clusters with dependencies across them: each cluster\'s objects equal cdk8s\'s own synthesis', () => {
    const build = () => {
      const app = Testing.app();
      const platform = new ToolhivePlatform(app, 'acme', { edition: 'open-source' });
      const control = platform.addControlCluster('control', { registryServer: standaloneRegistryServer('c', 'https://registry.example.com') });
      const east = platform.addWorkloadCluster('east', { toolhiveOperator: {} });
      const first = cm(east, 'first');
      first.node.addDependency(control.deliverable('toolhive-registry-server'));
      cm(control, 'after-registry').node.addDependency(control.deliverable('toolhive-registry-server'));
      return [control, east];
    };
    const ours = build().map((c) => c.toJson());
    expect(ours).toEqual(build().map((c) => Chart.prototype.toJson.call(c)));
    // And app.synth() (which orders the charts too) accepts the app.
    const app = build()[0].node.scope as App;
    expect(() => app.synthYaml()).not.toThrow();
  });
});
