// The Graph client and msal-node insist on https: a self-signed certificate for localhost and
// 127.0.0.1, kept in a file so that a client process can trust it (NODE_EXTRA_CA_CERTS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
  /** PEM file of the certificate, for NODE_EXTRA_CA_CERTS. */
  file: string;
}

export const DEFAULT_CERT_DIR = path.join(os.tmpdir(), 'email-manager-sandbox-tls');

/** Loads the certificate in `dir`, generating it on first use (or when it nears expiry). */
export async function loadCertificate(dir = DEFAULT_CERT_DIR): Promise<Certificate> {
  const keyFile = path.join(dir, 'key.pem');
  const file = path.join(dir, 'cert.pem');
  if (fs.existsSync(keyFile) && fs.existsSync(file)) {
    const cert = fs.readFileSync(file, 'utf8');
    const { X509Certificate } = await import('node:crypto');
    if (new Date(new X509Certificate(cert).validTo).getTime() > Date.now() + 7 * 864e5) {
      return { key: fs.readFileSync(keyFile, 'utf8'), cert, file };
    }
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 365 * 864e5),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(file, pems.cert);
  return { key: pems.private, cert: pems.cert, file };
}
