/* examples/upgrade-report: the report a user reads before moving 0.44.0 -> 0.66.0, snapshot-tested. */
import { reportText } from '../../examples/upgrade-report/main';

describe('examples/upgrade-report', () => {
  const text = reportText();

  test('0.44.0 -> 0.66.0: no CRD version change, the secrets list-map key, three values keys, new image tags, no migration', () => {
    expect(text.split('\n')[0]).toBe('ToolHive 0.44.0 -> 0.66.0');
    expect(text).toContain('CRD versions: none\n');
    expect(text).toContain('fields removed or changed in type: none\n');
    expect(text).toContain('  - MCPServer v1beta1 spec.secrets: map[name] -> map[name,key]\n');
    expect(text).toContain('values keys added (3):\n  - operator.defaultRedis.tls.caCertSecretRef.key\n');
    expect(text).toContain('  - operator.image: "ghcr.io/stacklok/toolhive/operator:v0.44.0" -> "ghcr.io/stacklok/toolhive/operator:v0.66.0"\n');
    expect(text).toContain('RBAC rules added: none\nRBAC rules removed: none\n');
    expect(text).toContain('storage version migration: not needed');
  });

  test('snapshot', () => {
    expect(text).toMatchSnapshot();
  });
});
