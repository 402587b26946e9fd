/** A short description of a value for messages: its type, and the value when it is small. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    // A built-in object that is not a map says what it is: a Date, a RegExp, a Map, ...
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    return tag === 'Object' ? 'a map' : `a ${tag}`;
  }
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
