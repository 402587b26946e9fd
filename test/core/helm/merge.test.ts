import { mergeHelmValues, ToolhiveValidationError } from '../../../src';

describe('mergeHelmValues (Helm\'s rules)', () => {
  test('maps merge key by key', () => {
    expect(mergeHelmValues({ a: { x: 1, y: 2 } }, { a: { y: 3, z: 4 } })).toEqual({ a: { x: 1, y: 3, z: 4 } });
  });

  test('lists replace the default wholesale', () => {
    expect(mergeHelmValues({ a: [1, 2, 3] }, { a: [9] })).toEqual({ a: [9] });
  });

  test('scalars replace, also with a different type', () => {
    expect(mergeHelmValues({ a: { x: 1 } }, { a: 'flat' })).toEqual({ a: 'flat' });
  });

  test('null deletes the key, at any depth, also inside new maps', () => {
    const merged = mergeHelmValues({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: null }, b: null, c: { d: null, e: 1 } } as any);
    expect(merged).toEqual({ a: { y: 2 }, c: { e: 1 } });
  });

  test('neither input is modified', () => {
    const defaults = { a: { x: 1 } };
    const over = { a: { x: 2 } };
    mergeHelmValues(defaults, over);
    expect(defaults).toEqual({ a: { x: 1 } });
    expect(over).toEqual({ a: { x: 2 } });
  });
});

describe('ToolhiveValidationError', () => {
  test('lists every problem, sorted by path, duplicates once', () => {
    const e = new ToolhiveValidationError([
      { path: 'b.x', message: 'two' },
      { path: 'a', message: 'one' },
      { path: 'b.x', message: 'two' },
    ], 'thing');
    expect(e.issues).toEqual([{ path: 'a', message: 'one' }, { path: 'b.x', message: 'two' }]);
    expect(e.message).toBe('Invalid thing (2 problems):\n  - a: one\n  - b.x: two');
  });
});
