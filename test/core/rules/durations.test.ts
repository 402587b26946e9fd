/**
 * One Go-duration rule (rules/durations.ts goDurationProblem) with one set of messages: the
 * Registry Server's config (sync interval, api timeout, file timeout, connMaxLifetime) and the
 * platform spec's durations all say the same thing for the same mistake.
 */
import { validateRegistryConfig } from '../../../src';
import { goDurationProblem, parseGoDuration, positiveDurationProblem } from '../../../src/core/rules/durations';

describe('goDurationProblem', () => {
  test.each([
    ['30s', {}, undefined],
    ['1h30m', {}, undefined],
    ['-1s', {}, undefined],
    ['soon', {}, '"soon" is not a Go duration like "30s", "5m" or "1h30m"'],
    ['10', {}, '"10" is not a Go duration like "30s", "5m" or "1h30m"'],
    [30, {}, '30 is not a Go duration like "30s", "5m" or "1h30m"'],
    ['0s', { min: 'positive' }, '"0s" must be longer than zero'],
    ['0s', { min: 'non-negative' }, undefined],
    ['-1m', { min: 'non-negative' }, '"-1m" is negative; expected zero or longer'],
    ['5m', { min: 'positive', max: [300e9, '5m'] }, undefined],
    ['5m1s', { min: 'positive', max: [300e9, '5m'] }, '"5m1s" is longer than 5m, the most it may be'],
  ] as const)('%p %p', (text, bounds, expected) => {
    expect(goDurationProblem(text, bounds as any)).toBe(expected);
  });

  test('positiveDurationProblem is the rule with a lower bound', () => {
    for (const t of ['0s', 'x', '1s', '-5m']) expect(positiveDurationProblem(t)).toBe(goDurationProblem(t, { min: 'positive' }));
    expect(parseGoDuration('1h')).toBe(3600e9);
  });
});

describe('the Registry Server config says what the rule says', () => {
  const config = (source: object): any => ({
    sources: [{ name: 'catalog', ...source }],
    registries: [{ name: 'default', sources: ['catalog'] }],
    database: { host: 'pg', port: 5432, user: 'u', database: 'd' },
    auth: { mode: 'anonymous' },
  });
  test.each([
    ['a file timeout', { file: { path: '/data/registry.json', timeout: 'soon' } }, 'sources[0].file.timeout', goDurationProblem('soon')],
    ['an api timeout above 5m', { api: { endpoint: 'https://registry.example.com', timeout: '10m' } }, 'sources[0].api.timeout',
      goDurationProblem('10m', { min: 'positive', max: [300e9, '5m'] })],
    ['a sync interval of zero', { file: { path: '/data/registry.json' }, syncPolicy: { interval: '0s' } }, 'sources[0].syncPolicy.interval', '"0s" must be longer than zero'],
  ])('%s', (_name, source, path, message) => {
    expect(validateRegistryConfig(config(source))).toContainEqual({ path, message });
  });
});
