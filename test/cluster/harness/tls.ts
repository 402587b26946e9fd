/*
 * A test certificate authority (openssl, from Debian) and serving certificates for loopback,
 * so the Registry Server tests keep the TLS settings the library emits (`sslMode: require` or
 * `verify-full` for PostgreSQL, https issuers): the servers present a certificate for
 * 127.0.0.1 and localhost, and the Registry Server trusts the CA through SSL_CERT_FILE (Go's
 * system roots on Linux), with no change to its configuration.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A CA and one serving certificate for 127.0.0.1 and localhost (PEM files). */
export interface TestCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** Writes a CA and a serving certificate into `dir`. */
export function loopbackCertificates(dir: string): TestCertificates {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=toolhive-constructs test CA'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  fs.writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf'], dir);
  fs.chmodSync(path.join(dir, 'server.key'), 0o600);
  return { caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
}
