/*
 * The rule kit (src/core/rules): one home per rule, each tested here with what it accepts and
 * what it refuses (and why). The options paths that use a rule are tested with hostile input in
 * test/hostile-input.test.ts.
 */
import { parseGoDuration, positiveDurationProblem } from '../../../src/core/rules/durations';
import { imageReferenceProblem, registryHostProblem } from '../../../src/core/rules/images';
import { labelValueProblem, metadataMapProblems, qualifiedNameProblem } from '../../../src/core/rules/labels';
import {
  dns1123LabelProblem, dns1123SubdomainProblem, envVarNameProblem, installNamespaceProblem, namespaceProblem, releaseNameProblem,
  secretKeyProblem, secretNameProblem,
} from '../../../src/core/rules/names';
import { INT32_MAX, portProblem, quantityProblem, wholeNumberProblem } from '../../../src/core/rules/numbers';
import { looksLikeSecretName, secretLookingValue, secretLookingValues, secretRefProblems, urlCredentials } from '../../../src/core/rules/secrets';
import { httpUrlProblem } from '../../../src/core/rules/urls';
import { chartVersionProblem } from '../../../src/core/rules/versions';
import { plainScalarType } from '../../../src/core/rules/yaml';

const ok = (problem: (v: any) => string | undefined, values: unknown[]) => {
  for (const v of values) expect([v, problem(v)]).toEqual([v, undefined]);
};
const refused = (problem: (v: any) => string | undefined, cases: [unknown, RegExp][]) => {
  for (const [v, why] of cases) expect([v, problem(v)]).toEqual([v, expect.stringMatching(why)]);
};

describe('names', () => {
  test('DNS-1123 labels and subdomains', () => {
    ok(dns1123LabelProblem, ['a', 'team-a', 'a1', 'x'.repeat(63)]);
    refused(dns1123LabelProblem, [['', /non-empty/], ['Team_A', /not a valid DNS-1123 label/], ['-a', /label/], ['a.b', /label/],
      ['x'.repeat(64), /longer than 63/], [42, /expected a string, got the number 42/], [null, /got null/]]);
    ok(dns1123SubdomainProblem, ['a.b', 'registry-credentials', 'a'.repeat(253)]);
    refused(dns1123SubdomainProblem, [['A', /subdomain/], ['a..b', /subdomain/], ['a'.repeat(254), /longer than 253/], [{}, /got a map/]]);
  });

  test('namespaces: names YAML reads as numbers, booleans or null are refused (the charts print them unquoted)', () => {
    ok(namespaceProblem, ['team-a', 'n1', 'x123', 'yesterday']);
    refused(namespaceProblem, [['123', /reads as a number/], ['0x1f', /reads as a number/], ['1e5', /reads as a number/], ['yes', /reads as a boolean/],
      ['on', /reads as a boolean/], ['n', /reads as a boolean/], ['null', /reads as null/], ['Team', /not a valid namespace name/]]);
    // go-yaml reads a date as a timestamp (sigs.k8s.io/yaml then writes 2024-01-01T00:00:00Z): the name would not come out as written.
    refused(namespaceProblem, [['2024-01-01', /reads as a timestamp/], ['2024-1-9', /reads as a timestamp/]]);
    refused(installNamespaceProblem, [['2024-01-01', /reads as a timestamp/]]);
    ok(namespaceProblem, ['2024-13-01', '2024-02-30', '2024-01-01-a']);
  });

  test('install namespaces: not a Kubernetes system namespace, not default unless allowed', () => {
    ok(installNamespaceProblem, ['toolhive-system', 'stacklok-system']);
    refused(installNamespaceProblem, [['kube-system', /system namespace/], ['kube-public', /system namespace/], ['kube-node-lease', /system namespace/],
      ['default', /allowDefaultNamespace/]]);
    expect(installNamespaceProblem('default', true)).toBeUndefined();
    expect(installNamespaceProblem('kube-system', true)).toMatch(/system namespace/);
  });

  test('release names: DNS subdomain, at most 53 characters, not a YAML number or keyword', () => {
    ok(releaseNameProblem, ['toolhive-operator', 'a.b', 'x'.repeat(53)]);
    refused(releaseNameProblem, [['Toolhive Operator!', /not a valid Helm release name/], ['x'.repeat(54), /53/], ['1', /reads as a number/], ['true', /boolean/],
      [undefined, /expected a release name, got nothing/], ['2024-01-01', /reads as a timestamp/]]);
  });

  test('Secret names and keys, env var names', () => {
    ok(secretNameProblem, ['pg', 'registry-db.credentials']);
    refused(secretNameProblem, [['PG', /not a valid Secret name/], [7, /got the number 7/]]);
    ok(secretKeyProblem, ['password', 'tls.crt', 'a_b-c']);
    refused(secretKeyProblem, [['', /not a valid Secret key/], ['a/b', /Secret key/], ['..', /Secret key/], [['x'], /got a list/]]);
    ok(envVarNameProblem, ['GOGC', 'my.var', '_X', 'a-b']);
    refused(envVarNameProblem, [['', /needs a name/], ['MY VAR', /not a valid env var name/], ['1X', /env var/], ['A=B', /env var/], [3, /needs a name/]]);
  });
});

describe('YAML plain scalars (go-yaml v2)', () => {
  test('numbers, booleans and null; everything else is a string', () => {
    for (const n of ['1', '123', '0777', '09', '0x1F', '0o17', '0b101', '1e5', '1.5', '-3', '+.inf', '.nan', '1_000']) expect([n, plainScalarType(n)]).toEqual([n, 'a number']);
    for (const b of ['y', 'Y', 'yes', 'No', 'ON', 'off', 'true', 'False']) expect([b, plainScalarType(b)]).toEqual([b, 'a boolean']);
    for (const z of ['', '~', 'null', 'NULL']) expect(plainScalarType(z)).toBe('null');
    for (const s of ['team-a', '1a', 'a1', '1-2', 'yesno', '0x', '1.2.3', 'e5']) expect([s, plainScalarType(s)]).toEqual([s, undefined]);
  });
});

describe('labels and annotations', () => {
  test('qualified names (label and annotation keys)', () => {
    ok(qualifiedNameProblem, ['app', 'app.kubernetes.io/name', 'example.com/a_b.c', 'A1']);
    refused(qualifiedNameProblem, [['has space', /name must be/], ['a/b/c', /at most one/], ['/x', /prefix .* is empty/], ['Bad_Prefix/x', /prefix must be/],
      ['x'.repeat(64), /1 to 63/], ['-x', /starting and ending/], [1, /got the number 1/]]);
  });

  test('label values', () => {
    ok(labelValueProblem, ['', 'v1', 'a.b-c_d', 'x'.repeat(63)]);
    refused(labelValueProblem, [['has space', /not a valid label value/], ['x'.repeat(64), /at most 63/], ['-x', /label value/], [true, /got the boolean true/]]);
  });

  test('label and annotation maps report each bad key and value', () => {
    expect(metadataMapProblems({ 'ok': 'v', 'bad key': 'v', 'x': 'bad value!' }, 'label')).toEqual([
      { key: 'bad key', problem: expect.stringMatching(/not a valid label key/) },
      { key: 'x', problem: expect.stringMatching(/not a valid label value/) },
    ]);
    expect(metadataMapProblems({ 'a/b': 'any text, even with spaces' }, 'annotation')).toEqual([]);
    expect(metadataMapProblems({ a: 1 }, 'annotation')).toEqual([{ key: 'a', problem: expect.stringMatching(/string annotation value/) }]);
    expect(metadataMapProblems('x', 'label')).toEqual([{ problem: expect.stringMatching(/expected a map of labels/) }]);
  });
});

describe('secrets', () => {
  test('secret-looking names, one pattern for every path', () => {
    for (const n of ['PASSWORD', 'DB_PASSWD', 'API_KEY', 'apiKey', 'GITHUB_TOKEN', 'GITHUB_PAT', 'PAT', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'PRIVATE_KEY',
      'DATABASE_URL', 'client-secret', 'OIDC_CLIENT_SECRET', 'PG_PWD', 'GPG_PASSPHRASE', 'SIGNING_KEY']) {
      expect([n, looksLikeSecretName(n)]).toEqual([n, true]);
    }
    for (const n of ['GOGC', 'LOG_LEVEL', 'PATH', 'PATTERN', 'TOKENIZER_MODEL_SIZE'.replace('TOKEN', 'TOKN'), 'HTTP_PROXY', 'COMPAT']) {
      expect([n, looksLikeSecretName(n)]).toEqual([n, false]);
    }
  });

  test('secret-looking values: well-known token formats and URLs with credentials, whatever the key', () => {
    const cases: [string, RegExp][] = [
      [`ghp_${'a1B2'.repeat(9)}`, /GitHub token/],
      [`github_pat_${'11AAAAAAA0'.repeat(3)}_x`, /GitHub fine-grained/],
      ['AKIAIOSFODNN7EXAMPLE', /AWS access key/],
      ['xoxb-1234567890-abcdefghij', /Slack token/],
      [`glpat-${'a1B2c3D4e5'.repeat(2)}`, /GitLab token/],
      [`AIza${'Sy0123456789abcdefghijklmnopqrstu'}AB`, /Google API key/],
      [`sk-${'a1B2c3D4e5'.repeat(3)}`, /API secret key/],
      ['https://x-access-token@github.com/acme/catalog.git', /URL with credentials/],
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', /JSON Web Token/],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', /PEM private key/],
      ['-----BEGIN PRIVATE KEY-----', /PEM private key/],
      ['https://bot:ghp_secret@github.com/acme/catalog.git', /URL with credentials/],
      ['postgres://app:hunter2@db:5432/app', /URL with credentials/],
    ];
    for (const [v, why] of cases) expect([v, secretLookingValue(v)]).toEqual([v, expect.stringMatching(why)]);
    for (const v of ['hunter2', 'https://github.com/acme/catalog.git', 'ghcr.io/stacklok/toolhive/operator:v0.44.0', 'team-a,team-b', 'sk-short', 'user@example.com']) {
      expect([v, secretLookingValue(v)]).toEqual([v, undefined]);
    }
    expect(secretLookingValues({ a: { b: ['x', 'AKIAIOSFODNN7EXAMPLE'] }, c: 'fine' }, 'config')).toEqual([{ path: 'config.a.b[1]', what: 'an AWS access key' }]);
  });

  test('Secret references', () => {
    expect(secretRefProblems({ name: 'pg', key: 'password' })).toEqual([]);
    expect(secretRefProblems({ name: 'pg' })).toEqual([]);
    expect(secretRefProblems({ name: 'pg' }, true)).toEqual([{ field: 'key', problem: 'required: the key in the Secret' }]);
    expect(secretRefProblems({ name: 'PG', key: 'a b', value: 'hunter2' })).toEqual([
      { field: 'name', problem: expect.stringMatching(/not a valid Secret name/) },
      { field: 'key', problem: expect.stringMatching(/not a valid Secret key/) },
      { field: 'value', problem: expect.stringMatching(/unknown key/) },
    ]);
    expect(secretRefProblems('pg')).toEqual([{ field: '', problem: expect.stringMatching(/expected a Secret reference/) }]);
  });
});

describe('images and registries', () => {
  test('image references', () => {
    ok(imageReferenceProblem, ['ghcr.io/stacklok/toolhive/operator:v0.44.0', 'nginx', 'localhost:5000/a/b:1', 'registry.example.com/x@sha256:' + 'a'.repeat(64),
      'docker.io/library/busybox:1.36', 'GHCR.io/stacklok/operator:v1']);
    refused(imageReferenceProblem, [['', /cannot be empty/], ['GHCR.io/Stacklok/Operator:Latest!', /not a valid image reference/], ['a b', /image reference/],
      ['ghcr.io/x:', /image reference/], [42, /got the number 42/]]);
  });

  test('registry hosts', () => {
    ok(registryHostProblem, ['registry.example.com', 'registry.example.com:5000/mirror', 'localhost:5000']);
    refused(registryHostProblem, [['https://registry.example.com', /not a registry host/], ['registry.example.com/', /registry host/], ['Registry.Example.com', /registry host/]]);
  });
});

describe('numbers', () => {
  test('whole numbers within int32, ports', () => {
    ok((v) => wholeNumberProblem(v), [0, 1, INT32_MAX]);
    refused((v) => wholeNumberProblem(v), [[-1, /at least 0/], [1e12, /at most 2147483647/], [1.5, /whole number, got the number 1.5/], ['2', /got the string "2"/]]);
    ok(portProblem, [1, 8080, 65535]);
    refused(portProblem, [[0, /port/], [65536, /port/], ['80', /got the string "80"/]]);
  });

  test('quantities', () => {
    ok(quantityProblem, ['500m', '1', '1.5', '128Mi', '2Gi', '1e3', 0, 2, '0']);
    refused(quantityProblem, [['lots', /not a quantity/], ['-1Gi', /negative/], ['1 Gi', /not a quantity/], [-1, /non-negative/], [true, /got the boolean/]]);
  });
});

describe('URLs', () => {
  test('absolute http(s) URLs, base URLs, credentials, plain http only where allowed', () => {
    ok((u) => httpUrlProblem(u), ['https://a.example.com', 'https://a.example.com/path?q=1']);
    ok((u) => httpUrlProblem(u, { base: true }), ['https://registry.example.com', 'https://registry.example.com/']);
    ok((u) => httpUrlProblem(u, { http: 'loopback' }), ['http://localhost:8080', 'http://127.0.0.1', 'http://[::1]:9000']);
    ok((u) => httpUrlProblem(u, { http: true }), ['http://registry.internal']);
    refused((u) => httpUrlProblem(u), [['registry.example.com', /not an absolute http\(s\) URL/], ['ftp://x', /absolute/], [7, /got the number 7/],
      ['https://bot:pat@github.com/x', /credentials in the URL/], ['https://token@github.com/x', /credentials/], ['http://registry.internal', /plain http/]]);
    refused((u) => httpUrlProblem(u, { base: true }), [['https://registry.example.com/v0', /base URL/], ['https://r.example.com?x=1', /base URL/]]);
    refused((u) => httpUrlProblem(u, { http: 'loopback' }), [['http://127.0.0.2', /only allowed for localhost/], ['http://example.com', /only allowed/]]);
  });
});

describe('Go durations', () => {
  test('parse like time.ParseDuration (nanoseconds)', () => {
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('500ms')).toBe(5e8);
    expect(parseGoDuration('1.5s')).toBe(1.5e9);
    expect(parseGoDuration('-2m')).toBe(-120e9);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['', '1', '1d', '5 m', 'm', '1.s.', 'abc', 30]) expect([bad, parseGoDuration(bad)]).toEqual([bad, undefined]);
    expect(parseGoDuration('1d', true)).toBe(86400e9);
    expect(positiveDurationProblem('30s')).toBeUndefined();
    expect(positiveDurationProblem('0s')).toMatch(/longer than zero/);
    expect(positiveDurationProblem('soon')).toMatch(/not a Go duration/);
  });
});

describe('versions', () => {
  test('chart versions', () => {
    ok((v) => chartVersionProblem(v, '0.44.0'), ['0.44.0', '1.0.0-rc.1', '1.2.3+build.5']);
    refused((v) => chartVersionProblem(v, '0.44.0'), [['v0.44.0', /not a chart version/], ['0.44', /chart version/], ['01.2.3', /chart version/], [44, /got the number 44/]]);
  });
});

describe('URL credentials: one rule for every URL (repositories, registries, mirrors, Argo CD)', () => {
  test.each([
    ['https://me:secret@git.example.com/x.git', true],
    ['https://x-access-token@github.com/org/repo.git', true],
    ['oci://robot@registry.example.com/m', true],
    ['http://user@host:8080/', true],
    ['ssh://me:pw@git.example.com/x.git', true],
    ['ssh://ghp_0123456789abcdefghijklmnopqrstuvwxyzAB@github.com/x.git', true],
    ['me:pw@git.example.com:org/x.git', true],
    ['ssh://git@git.example.com/x.git', false],
    ['git+ssh://git@git.example.com/x.git', false],
    ['git@git.example.com:platform/x.git', false],
    ['https://git.example.com/x.git', false],
    ['https://git.example.com/a@b', false],
    ['not a url', false],
  ])('%s: %s', (url, expected) => {
    expect(urlCredentials(url)).toBe(expected);
  });
});

