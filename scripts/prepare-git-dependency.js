/*
 * npm's `prepare` script. npm runs it in two places: after `npm install` in a clone of this
 * repository (nothing to do: tests and examples run from src/), and when a project installs the
 * library from git (`npm install git+https://…/toolhive-constructs.git#<ref>`), where npm clones
 * the repository into its cache, installs the dev dependencies, runs `prepare`, then packs the
 * folder: there lib/ must be built, or the installed package has no code. npm runs only
 * `prepare` there, not `prepack`, so this builds lib/ when the folder is inside npm's cache.
 * Plain JavaScript: it runs before anything else is known to work.
 */
const { execFileSync } = require('child_process');
const path = require('path');

const cache = process.env.npm_config_cache;
const inNpmCache = !!cache && !path.relative(path.resolve(cache), process.cwd()).startsWith('..');
if (inNpmCache || process.env.TOOLHIVE_CONSTRUCTS_BUILD_ON_PREPARE === '1') {
  for (const task of ['compile', 'post-compile']) {
    execFileSync('npx', ['projen', task], { stdio: 'inherit' });
  }
}
