// startSandbox(): the Google emulator (and the control API) over http, the Microsoft emulator
// over https, on loopback ports (random unless given). See sandbox/README.md.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRouter } from './core/http';
import { createState, type StateOptions } from './core/state';
import { loadCertificate } from './core/tls';
import type { SandboxState } from './core/types';
import { mountControl } from './control/api';
import { mountGoogle } from './google';
import { servedPayloadOf } from './google/gmail-resource';
import { mountMicrosoft } from './microsoft';

export * from './core/types';

export interface SandboxOptions extends StateOptions {
  host?: string;
  /** Google + control (http). 0: any free port. */
  googlePort?: number;
  /** Microsoft (https). 0: any free port. */
  microsoftPort?: number;
  /** Folder of the self-signed certificate (kept between runs). */
  certDir?: string;
  /** Build every seeded message before listening and keep it built (see SandboxMailbox.prebuild). */
  prebuild?: boolean;
}

export interface Sandbox {
  googleUrl: string;
  microsoftUrl: string;
  controlUrl: string;
  /** PEM file of the Microsoft server's certificate: trust it with NODE_EXTRA_CA_CERTS. */
  certFile: string;
  state: SandboxState;
  stop(): Promise<void>;
}

function listen(server: http.Server | https.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host || '127.0.0.1';
  const state = createState(options);
  if (options.prebuild) {
    for (const mailbox of state.mailboxes.values()) {
      await mailbox.prebuild();
      // Gmail keeps mail parsed: format=full answers should not parse on every read either.
      if (mailbox.user.provider === 'google') for (const m of mailbox.list({ includeSpamTrash: true })) await servedPayloadOf(mailbox, m.id);
    }
  }
  const cert = await loadCertificate(options.certDir);

  const google = createRouter();
  const microsoft = createRouter();
  const control = createRouter();

  const httpServer = http.createServer((req, res) => {
    const target = (req.url || '').startsWith('/__sandbox') ? control : google;
    void target.handle(req, res);
  });
  const httpsServer = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => void microsoft.handle(req, res));

  const googlePort = await listen(httpServer, host, options.googlePort ?? 0);
  const microsoftPort = await listen(httpsServer, host, options.microsoftPort ?? 0);
  // The certificate names localhost; Graph and MSAL clients use that host name.
  const googleUrl = `http://${host}:${googlePort}`;
  const microsoftUrl = `https://localhost:${microsoftPort}`;
  const urls = { googleUrl, microsoftUrl, controlUrl: `${googleUrl}/__sandbox`, certFile: cert.file };

  mountControl(control, state, urls);
  mountGoogle(google, state, { baseUrl: googleUrl });
  mountMicrosoft(microsoft, state, { baseUrl: microsoftUrl });

  const close = (server: http.Server | https.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  return {
    ...urls,
    state,
    async stop() {
      await Promise.all([close(httpServer), close(httpsServer)]);
    },
  };
}
