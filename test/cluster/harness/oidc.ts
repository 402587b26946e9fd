/*
 * A token issuer on loopback for the Registry Server's OAuth mode: HTTPS with the test CA's
 * certificate, OpenID discovery (`/.well-known/openid-configuration`), a JWKS with one RSA key,
 * and RS256 access tokens with the claims a test asks for.
 */
import { createSign, generateKeyPairSync, KeyObject, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import { TestCertificates } from './tls';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A running issuer. */
export class TestIssuer {
  static async start(certs: TestCertificates): Promise<TestIssuer> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issuer = new TestIssuer(privateKey, publicKey);
    const server = https.createServer({ cert: fs.readFileSync(certs.certFile), key: fs.readFileSync(certs.keyFile) }, (req, res) => {
      const body = req.url === '/.well-known/openid-configuration' ? issuer.discovery()
        : req.url === '/jwks' ? { keys: [issuer.jwk()] } : undefined;
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer.server = server;
    issuer.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** `https://127.0.0.1:<port>`: the issuer URL (`iss`). */
  url = '';
  private server?: https.Server;
  private readonly kid = randomUUID();

  private constructor(private readonly privateKey: KeyObject, private readonly publicKey: KeyObject) {}

  private discovery(): object {
    return {
      issuer: this.url,
      jwks_uri: `${this.url}/jwks`,
      authorization_endpoint: `${this.url}/authorize`,
      token_endpoint: `${this.url}/token`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  private jwk(): object {
    return { ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' };
  }

  /** A signed access token for `audience` with `claims` (valid for 10 minutes). */
  token(audience: string, claims: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const payload = b64url(JSON.stringify({ iss: this.url, aud: audience, sub: 'test-user', iat: now, nbf: now - 5, exp: now + 600, ...claims }));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
