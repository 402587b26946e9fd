import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ToolhiveValidationError } from '../index';

/**
 * One chart's objects, in the order cdk8s's own `Chart.toJson()` gives them, resolving and
 * validating this chart alone.
 *
 * Why this copy of cdk8s's synthesis: `Chart.toJson()` calls `App._synthChart`, which resolves
 * the dependencies of the whole app and validates every construct of it, for each chart; a
 * platform of N clusters is N charts, so `app.synth()` took time in N² (bench/NOTES.md). cdk8s
 * 2.x has no public seam to synthesize one chart without the rest: `App.synth`, `App.synthYaml`
 * and `Testing.synth` all go through `Chart.toJson()`, and `resolveDependencies`, `validate` and
 * `chartToKube` are private functions of its app.js. So this function mirrors those three
 * (cdk8s 2.70, lib/app.js) on the chart's subtree, using only public API (`DependencyGraph`,
 * `node.addDependency`, `node.validate`, `ApiObject.toJson`). Edges outside the subtree are
 * left out: `DependencyGraph` ignores them when it orders one chart.
 *
 * It is the only place the adapter re-implements cdk8s: test/cdk8s/synth.test.ts compares its
 * output with cdk8s's own `Chart.toJson()` on charts with dependencies (within a chart, across
 * charts, nested charts, groups), so a change of cdk8s underneath fails there.
 *
 * Differences, on purpose: only this chart's constructs are validated (`app.synth()` has
 * validated the whole app before it asks any chart), and their problems are one
 * {@link ToolhiveValidationError} (each issue at the construct's path) where cdk8s throws a
 * plain `Error` "Validation failed with the following errors".
 * @internal
 */
export function synthChartAlone(chart: Chart): any[] {
  const members = chart.node.findAll();
  resolveDependencies(members);
  const issues = members.flatMap((c) => c.node.validate().map((message) => ({ path: c.node.path, message })));
  if (issues.length > 0) {
    throw new ToolhiveValidationError(issues, `cdk8s chart ${chart.node.path} (the constructs' own validations; each must pass)`);
  }
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => o.toJson());
}

/** cdk8s's `resolveDependencies` (lib/app.js), for the dependencies whose source is in `members`. */
function resolveDependencies(members: readonly IConstruct[]): void {
  const isChart = (c: IConstruct): c is Chart => c instanceof Chart;
  // A nested chart is a dependency of its parent chart.
  for (const parent of members.filter(isChart)) {
    for (const child of parent.node.children.filter(isChart)) parent.node.addDependency(child);
  }
  // A construct dependency across charts is a dependency between the charts.
  for (const { source, target } of dependencies(members)) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
  }
  // Every construct dependency (the chart ones just added too) is one between their ApiObjects.
  for (const { source, target } of dependencies(members)) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = target.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = source.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (s !== t) s.node.addDependency(t);
  }
}

function dependencies(members: readonly IConstruct[]): { source: IConstruct; target: IConstruct }[] {
  return members.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
}
