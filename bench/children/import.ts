/*
 * A cold import: run in a fresh process, requires one module and prints how long that took.
 * Usage: node import.js <module specifier or absolute path>... | -
 * (`-` imports nothing: the cost of the process itself; several modules are required in order.)
 */
const targets = process.argv.slice(2).filter((t) => t !== '-');
/** Time from process start to this line: Node's own start-up. */
const bootMs = performance.now();
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
for (const target of targets) require(target);
const importMs = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ bootMs, importMs, rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
