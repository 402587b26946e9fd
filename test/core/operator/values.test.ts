import * as fs from 'fs';
import { parse } from 'yaml';
import { operatorChartDefaults, renderCrdsChart, renderOperatorChart, CrdSource } from '../../../src';
import { toolhiveUpstream } from '../../support/upstream';

const upstream = toolhiveUpstream();
const release = { releaseName: 'toolhive-operator', namespace: 'toolhive-system' };

describe('chart-values layer against the upstream values.yaml', () => {
  const upstreamValues = parse(fs.readFileSync(upstream.operatorValuesFile, 'utf8'));

  test('our defaults are the chart\'s defaults, key for key', () => {
    expect(operatorChartDefaults()).toEqual(upstreamValues);
  });

  test('an existing values.yaml with every upstream key is accepted and renders the default', () => {
    expect(renderOperatorChart(upstreamValues, release)).toEqual(renderOperatorChart({}, release));
  });

  test('the defaults are a fresh copy each time', () => {
    const a = operatorChartDefaults() as any;
    a.operator.replicaCount = 9;
    expect(operatorChartDefaults().operator!.replicaCount).toBe(1);
  });

  test('the CRD chart\'s values.yaml is accepted, and its defaults are install + keep', () => {
    const crdValues = parse(fs.readFileSync(upstream.crdsValuesFile, 'utf8'));
    expect(crdValues).toEqual({ crds: { keep: true, install: true } });
    const source = CrdSource.fromDirectory(upstream.crdsDir);
    expect(renderCrdsChart(crdValues, release, source)).toEqual(renderCrdsChart({}, release, source));
  });
});
