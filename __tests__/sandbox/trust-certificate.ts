// Workers inherit the environment of the main process: NODE_EXTRA_CA_CERTS set here makes
// every https client in the tests (Graph client, msal-node) trust the sandbox, as a real
// deployment would trust a corporate proxy's certificate.
import { loadCertificate } from '../../sandbox/core/tls';

export default async function setup() {
  const cert = await loadCertificate();
  process.env.NODE_EXTRA_CA_CERTS = cert.file;
}
