/*
 * Pulumi programs in Python, Go and YAML under the real engine, with no Kubernetes: the Pulumi
 * CLI with the Python, Go and YAML language hosts built by tools/build.sh, the Python SDK from
 * the venv of tools/python-sdk.sh, the Go SDK from the module proxy (pinned by the program's
 * go.mod and go.sum), a local file backend. For each language, one program
 * (test/cluster/languages/<language>) reads stack config and exports outputs computed in that
 * language (Python and Go through a component resource): `pulumi up --yes`, then
 * `pulumi stack output --json` gives them back; a preview plans no change; destroy empties the
 * stack.
 *
 * The binaries: TOOLHIVE_CLUSTER_TOOLS="pulumi pulumi-language-python pulumi-language-go
 * pulumi-language-yaml" limits the global setup's tools/build.sh to them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensurePythonSdk, LanguageStack, languageTools, ProgramLanguage } from './harness/languages';
import { lifecycle } from './harness/pulumi';

const PROGRAMS = path.join(__dirname, 'languages');
const NAME = 'ToolHive';
const WORDS = 'registry operator platform mcp';

/** What each program exports for NAME and WORDS, as `pulumi stack output --json` prints it. */
const EXPECTED: Record<ProgramLanguage, Record<string, unknown>> = {
  python: {
    language: 'python',
    stack: 'dev',
    message: 'Hello, ToolHive!',
    words: ['MCP', 'OPERATOR', 'PLATFORM', 'REGISTRY'],
    count: 4,
    summary: '4 words, longest 8',
  },
  go: {
    language: 'go',
    stack: 'dev',
    message: 'Hello, ToolHive!',
    words: ['MCP', 'OPERATOR', 'PLATFORM', 'REGISTRY'],
    count: 4,
    summary: '4 words, longest 8',
  },
  yaml: {
    language: 'yaml',
    stack: 'dev',
    message: 'Hello, ToolHive!',
    words: ['registry', 'operator', 'platform', 'mcp'],
    summary: 'words: ["registry","operator","platform","mcp"]',
  },
};

/** The module versions a Go binary was built with (`go version -m`): path -> version. */
function builtWith(binary: string): Map<string, string> {
  const out = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  return new Map(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[0] === 'dep' || f[0] === 'mod').map((f) => [f[1], f[2]]));
}

describe('the Python, Go and YAML language hosts and SDKs', () => {
  beforeAll(() => ensurePythonSdk(), 600_000);

  test('are the pinned builds: hosts at the pulumi release of their source, the YAML host at pulumi-yaml v1.25.0, the Python SDKs in the venv', () => {
    const tools = languageTools();
    expect(tools.versions).toMatchObject({ python: 'v3.259.0', go: 'v3.259.0', yaml: 'v1.25.0', pythonSdk: '3.272.0', pythonKubernetesSdk: '4.34.2' });
    for (const host of [tools.hosts.python, tools.hosts.go]) {
      expect(execFileSync(host, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()).toBe('v3.259.0');
      expect(builtWith(host).get('github.com/pulumi/pulumi/sdk/v3')).toBe('v3.259.0');
    }
    expect(builtWith(tools.hosts.yaml).get('github.com/pulumi/pulumi-yaml')).toBe('v1.25.0');
    const imported = execFileSync(tools.python.interpreter, ['-c',
      'import importlib.metadata as m, pulumi, pulumi_kubernetes; print(m.version("pulumi"), m.version("pulumi-kubernetes"))'], { encoding: 'utf8' });
    expect(imported.trim()).toBe('3.272.0 4.34.2');
  });
});

describe.each(['python', 'go', 'yaml'] as const)('a %s program under the real Pulumi engine, no Kubernetes', (language) => {
  const step = lifecycle();
  let stack: LanguageStack;

  beforeAll(() => {
    if (language === 'python') ensurePythonSdk();
    stack = LanguageStack.create(path.join(PROGRAMS, language), 'dev');
    stack.setConfig('name', NAME);
    stack.setConfig('words', WORDS);
  }, 600_000);
  afterAll(() => stack?.remove());

  step('up --yes runs the program with the language host tools/build.sh built', async () => {
    const result = await stack.up();
    expect(result.stdout).toMatch(/Resources:\s*\n\s*\+ \d+ created/);
    // The host that ran is the one tools/build.sh built: the first on the engine's PATH, and none
    // was installed into the stack's plugin folder (no download). (The engine's "using ... from
    // $PATH" warning is not printed for a language host when a provider is also taken from PATH.)
    const env = stack.env();
    const host = `pulumi-language-${language}`;
    const onPath = (env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, host)).filter((f) => fs.existsSync(f));
    expect(onPath[0]).toBe(stack.tools.hosts[language]);
    const plugins = path.join(env.PULUMI_HOME!, 'plugins');
    expect(fs.existsSync(plugins) ? fs.readdirSync(plugins).filter((f) => f.startsWith(`language-${language}`)) : []).toEqual([]);
  });

  step('stack output --json gives back the outputs computed in the program', async () => {
    expect(stack.outputs()).toEqual(EXPECTED[language]);
  });

  if (language !== 'yaml') {
    step('the component resource the program registered is in the state, with its outputs', async () => {
      const greeting = stack.resources().filter((r) => r.type === 'toolhive:test:Greeting');
      expect(greeting.map((r) => [r.urn.split('::').pop(), r.outputs])).toEqual([['greeting', { message: 'Hello, ToolHive!' }]]);
    });
  }

  step('preview plans no change', async () => {
    await stack.previewNoChanges();
  });

  step('destroy leaves no resource and no output', async () => {
    await stack.destroy();
    expect(stack.resources().filter((r) => r.type !== 'pulumi:pulumi:Stack')).toEqual([]);
    expect(stack.outputs()).toEqual({});
  });
});
