import { parseAllDocuments } from 'yaml';
import { renderOperatorChart } from '../../../src';
import { codeBlockAfter, sharedReference } from '../../support/reference';

const reference = sharedReference('operator-chart.md');
const describeWithReference = reference ? describe : describe.skip;

describeWithReference('the default render against Appendix A of the operator-chart reference', () => {
  // describe.skip still runs this body: without the reference, nothing is parsed.
  const expected = parseAllDocuments(reference ? codeBlockAfter(reference, '### A.1 Default render') : '')
    .map((d) => d.toJS())
    .filter((o) => o);
  // Appendix A is the 0.44.0 chart's render: pinned to that release.
  const ours = renderOperatorChart({}, { releaseName: 'toolhive-operator', namespace: 'toolhive-system' }, '0.44.0');

  test('same objects, same order', () => {
    expect(ours.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected.map((o: any) => `${o.kind}/${o.metadata.name}`));
    expect(ours).toHaveLength(6);
  });

  test('identical content, except the version label: the appendix renders the repo checkout (v0.44.0), we render the published chart (0.44.0)', () => {
    const normalize = (o: any) => JSON.parse(JSON.stringify(o).replace(/"app\.kubernetes\.io\/version":"v?0\.44\.0"/g, '"app.kubernetes.io/version":"<appVersion>"'));
    expected.forEach((exp: any, i: number) => {
      expect(normalize(ours[i])).toEqual(normalize(exp));
    });
    const versions = expected.map((o: any) => o.metadata.labels?.['app.kubernetes.io/version']).filter((v: unknown) => v);
    expect(new Set(versions)).toEqual(new Set(['v0.44.0']));
    expect(new Set(ours.map((o) => o.metadata.labels?.['app.kubernetes.io/version']).filter((v) => v))).toEqual(new Set(['0.44.0']));
  });
});
