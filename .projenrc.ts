import { javascript, typescript } from 'projen';

/**
 * projen owns package.json, tsconfig*, .gitignore, .npmignore and the task
 * definitions. Edit this file and run `npx projen` to regenerate them.
 */

const NODE_VERSION = '22.23.3';

const project = new typescript.TypeScriptProject({
  name: 'toolhive-constructs',
  description: 'Deploy the Stacklok ToolHive platform (operator, CRDs, Registry Server, enterprise components) to many Kubernetes clusters from cdk8s or Pulumi.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  license: 'Apache-2.0',
  copyrightOwner: 'toolhive-constructs authors',
  repository: 'https://github.com/stacklok/toolhive-constructs.git',
  homepage: 'https://github.com/stacklok/toolhive-constructs#readme',
  keywords: ['cdk8s', 'pulumi', 'toolhive', 'mcp', 'kubernetes', 'helm', 'stacklok', 'constructs'],
  // The tarball is an allowlist (`files` below), not an ignore list.
  npmignoreEnabled: false,

  // TypeScript 5.9: ts-jest does not support the native 7.x compiler.
  typescriptVersion: '~5.9.3',
  minNodeVersion: '22.0.0',

  // Our CI is `.ci/run`; no generated GitHub workflows, no release machinery.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // CEL (x-kubernetes-validations), Go-compatible regular expressions (schema patterns), and
  // protobuf well-known types (CEL durations, timestamps): offline validation of custom resources.
  deps: ['yaml@^2.9.1', '@bufbuild/cel@0.6.1', '@bufbuild/protobuf@^2.6.2', '@bufbuild/re2@0.6.1'],
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    'cdk8s@^2.70.0',
    'constructs@^10.4.0',
    '@pulumi/pulumi@^3.200.0',
    '@pulumi/kubernetes@^4.20.0',
  ],
  devDeps: [
    // The project brings its own Node 22: npm puts node_modules/.bin first on
    // PATH, so every script and test runs under this Node.
    `node@${NODE_VERSION}`,
    'cdk8s@2.70.106',
    'constructs@10.8.1',
    '@pulumi/pulumi@3.270.0',
    '@pulumi/kubernetes@4.34.2',
    'typedoc@0.28.20',
    'typedoc-plugin-markdown@4.14.1',
    'ts-node@^10.9.2',
    'tsconfig-paths@^4.2.0',
    'tinybench@^6.2.3',
    // Bundles lib/'s entry points after tsc (post-compile, scripts/bundle-lib.ts).
    'esbuild@0.28.2',
    // Mermaid's real parser (ESM, under jsdom) checks every diagram the tests draw (test/support/mermaid.ts).
    'mermaid@12.4.0',
    'jsdom@31.0.1',
  ],
  jestOptions: {
    jestVersion: '^29',
    junitReporting: false,
    // Snapshots are checked, never silently rewritten: `npx jest -u` updates them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
      moduleNameMapper: {
        '^toolhive-constructs$': '<rootDir>/src/index.ts',
        '^toolhive-constructs/(cdk8s|pulumi)$': '<rootDir>/src/$1/index.ts',
      },
      collectCoverage: false,
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      // No source maps in the package: an inline map would ship the whole source and point stack
      // traces at src/ files that are not in the tarball.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts'],
    fileExtensions: ['.ts'],
    tsconfigPath: './tsconfig.dev.json',
    // Lint checks; it never rewrites files in CI (run `npx eslint --fix` by hand).
    commandOptions: { fix: false },
  },
  tsconfigDev: {
    compilerOptions: {
      paths: {
        'toolhive-constructs': ['./src/index.ts'],
        'toolhive-constructs/cdk8s': ['./src/cdk8s/index.ts'],
        'toolhive-constructs/pulumi': ['./src/pulumi/index.ts'],
      },
      baseUrl: '.',
    },
    include: ['examples/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts'],
  },
  // '/node_modules' too: 'node_modules/' does not ignore a node_modules symlink (a worktree's), which was once committed.
  gitignore: ['/.cache/', '/dist/', '/cdk8s.out/', 'examples/**/dist/', 'examples/**/sdks/', 'examples/**/venv/', '/node_modules'],
  sampleCode: false,
  docgen: false,
});

// Tests live in test/ only (projen's defaults would also pick up src/**/spec.ts).
project.tryFindObjectFile('package.json')?.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);

// Optional peers: importing one adapter never needs the other framework.
project.package.addField('peerDependenciesMeta', {
  'cdk8s': { optional: true },
  'constructs': { optional: true },
  '@pulumi/pulumi': { optional: true },
  '@pulumi/kubernetes': { optional: true },
});

// The package's version (0.x: the API may still change between minor versions); CHANGELOG.md
// records each user-visible change.
project.package.addVersion('0.1.0');

// What the tarball holds: the compiled entry points and their declarations, the docs, and the
// Pulumi component package (pulumi-plugin/: the plugin Python, Go and YAML programs load).
// package.json, README.md and LICENSE are always included. test/consumer lists the tarball.
project.package.addField('files', [
  'lib/**/*.js', 'lib/**/*.d.ts', 'API.md', 'CHANGELOG.md',
  'pulumi-plugin/PulumiPlugin.yaml', 'pulumi-plugin/package.json', 'pulumi-plugin/index.js', 'pulumi-plugin/schema.json',
]);

// Subpath types for TypeScript's `node` (node10) resolution, which ignores `exports`: the
// resolution cdk8s's typescript-app template and older Pulumi templates use.
project.package.addField('typesVersions', {
  '*': {
    cdk8s: ['lib/cdk8s/index.d.ts'],
    pulumi: ['lib/pulumi/index.d.ts'],
  },
});

project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './cdk8s': { types: './lib/cdk8s/index.d.ts', default: './lib/cdk8s/index.js' },
  './pulumi': { types: './lib/pulumi/index.d.ts', default: './lib/pulumi/index.js' },
  './package.json': './package.json',
});

// lib/: one bundle per entry point over one shared core (cold import of /cdk8s within 1.2x of
// cdk8s alone; see scripts/bundle-lib.ts). tsc still type-checks and emits the .d.ts files.
project.postCompileTask.exec('ts-node --transpile-only scripts/bundle-lib.ts');

// Packaging: `npm pack` (and `npm publish`) always builds lib/ first, so a tarball is never a
// stale or empty build; `prepare` builds it when npm installs the library from git (npm runs
// only `prepare` there), and does nothing after `npm install` in a clone.
const prepack = project.addTask('prepack', { description: 'Build lib/ (compile and bundle): npm runs it before `npm pack` and `npm publish`' });
prepack.spawn(project.compileTask);
prepack.spawn(project.postCompileTask);
project.addTask('prepare', {
  description: 'Build lib/ when npm installs the library from git (scripts/prepare-git-dependency.js); nothing in a clone',
  exec: 'node scripts/prepare-git-dependency.js',
});

// API.md: one markdown file generated from the source, checked fresh by `test`.
const docgen = project.addTask('docgen', {
  description: 'Generate API.md from the source',
  exec: 'ts-node --transpile-only scripts/docgen.ts',
});
const docgenCheck = project.addTask('docgen:check', {
  description: 'Fail when API.md is not what the source generates',
  exec: 'ts-node --transpile-only scripts/docgen.ts --check',
});

// The Pulumi component package's schema (pulumi-plugin/schema.json, what Pulumi's analyzer infers
// from the components' sources) and the plugin's package.json, checked fresh by `test`
// (test/pulumi/multi-language.test.ts).
project.addTask('pulumi:schema', {
  description: 'Generate pulumi-plugin/schema.json and pulumi-plugin/package.json from the Pulumi components\' sources',
  exec: 'ts-node --transpile-only scripts/gen-pulumi-schema.ts',
});

// Props documented like a reference: every prop a summary, every optional one its @default.
// test/doc-coverage.test.ts enforces it in `test`; this task prints the figures per folder.
project.addTask('docs:coverage', {
  description: 'Print the props\' documentation coverage per folder; fail listing each enforced prop without a summary or @default (`-- --all`: every file)',
  exec: 'ts-node --transpile-only scripts/doc-coverage.ts',
  receiveArgs: true,
});

// The example synthesized by the README's first command (no cluster, no network).
project.addTask('synth', {
  description: 'Synthesize the main example (examples/cdk8s-operator-namespaces) into dist/',
  exec: 'ts-node --transpile-only -r tsconfig-paths/register -P tsconfig.dev.json scripts/synth.ts',
});

const genCrdTypes = project.addTask('gen:crd-types', {
  description: 'Regenerate src/core/crds/generated from the ToolHive CRDs: types from the newest release, the field history from every release',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json scripts/gen-crd-types.ts',
});
genCrdTypes.exec('ts-node --transpile-only -P tsconfig.dev.json scripts/gen-field-history.ts');

// ToolHive releases as data (src/core/release-table.ts): each release's charts, CRDs and
// helm-unittest suites from its Go module into .cache/upstream, verified against the table.
project.addTask('upstream:fetch', {
  description: 'Fetch and verify the supported ToolHive releases (or the ones named) into .cache/upstream',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json scripts/upstream.ts fetch',
  receiveArgs: true,
});
project.addTask('upstream:add', {
  description: 'Add a ToolHive release: fetch, pin, regenerate types and history, report what changed, run its suites (npm run upstream:add -- X.Y.Z)',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json scripts/upstream-add.ts add',
  receiveArgs: true,
});

// Benchmarks (not tests): ratios against floors measured in the same run, written to BENCHMARKS.md.
project.addTask('bench', {
  description: 'Run the benchmarks and write BENCHMARKS.md (full mode, about 15 minutes)',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json bench/run.ts',
  receiveArgs: true,
});
project.addTask('bench:quick', {
  description: 'Run the benchmarks in quick mode (small N, few iterations): checks the suite still works',
  exec: 'ts-node --transpile-only -P tsconfig.dev.json bench/run.ts --quick',
});

project.addTask('check:node', {
  description: 'Fail unless the project runs on its own Node 22+',
  exec: 'node -e "const m=+process.versions.node.split(\'.\')[0]; if (m < 22) { console.error(\'Node \'+process.versions.node+\' is too old: run through npm so node_modules/.bin/node (22) is used\'); process.exit(1) }"',
});

// Long messages and URLs are normal here; code lines still wrap at 150.
project.eslint?.addRules({
  '@stylistic/max-len': ['error', {
    code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreComments: true, ignoreRegExpLiterals: true,
  }],
});

// Lint test, example and script files with the dev tsconfig (the project service only finds tsconfig.json).
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');

// Real components (test/cluster): builds the pinned kube-apiserver, etcd and ToolHive operator
// from Go modules into .cache/tools (only when a pin changes) and runs them on loopback.
const testCluster = project.addTask('test:cluster', {
  description: 'Real-component tests: etcd, kube-apiserver, the ToolHive operator and the Pulumi engine built from Go sources, on loopback',
});
testCluster.spawn(project.tasks.tryFind('check:node')!);
testCluster.exec("jest --ci --runInBand --globalSetup '<rootDir>/test/cluster/global-setup.ts' --testMatch '<rootDir>/test/cluster/**/*.cluster.ts' --testTimeout 600000", { receiveArgs: true });

// The raw manifests against the real `helm template` (test/differential): Helm built from Go
// modules into .cache/tools, random values over every key of the three charts' values.yaml.
const testHelm = project.addTask('test:helm', {
  description: 'Differential test: the raw manifests against the real `helm template` (Helm built from Go modules), for random values; HELM_DIFF_SEEDS=5000 for a long run',
});
testHelm.spawn(project.tasks.tryFind('check:node')!);
testHelm.exec("jest --ci --runInBand --globalSetup '<rootDir>/test/differential/global-setup.ts' --testMatch '<rootDir>/test/differential/**/*.differential.ts' --testTimeout 3600000", { receiveArgs: true });

// The package as users install it (test/consumer): packed, installed into fresh cdk8s and
// Pulumi projects (dependencies from the npm registry), type-checked, synthesized, run.
const testConsumer = project.addTask('test:consumer', {
  description: 'Pack the library and use it from fresh cdk8s and Pulumi projects (needs the npm registry)',
});
testConsumer.spawn(project.tasks.tryFind('check:node')!);
testConsumer.exec("jest --ci --runInBand --testMatch '<rootDir>/test/consumer/**/*.consumer.ts' --testTimeout 900000", { receiveArgs: true });

project.testTask.prependSpawn(project.tasks.tryFind('check:node')!);
project.testTask.spawn(docgenCheck);
void docgen;

project.synth();
