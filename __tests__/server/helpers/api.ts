// Drives the plugin's HTTP API as a user, the way the client half does, and keeps every
// response body and every secret the flow produced (codes, PKCE verifiers, tokens), so a test
// can assert that none of them ever appears in an answer or a log line.
import type { MockServer } from '@nocobase/test';
import { REDIRECT_URI } from './app';
import { callbackValues, consent, type Decision } from './consent';

export interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ code?: string; message: string; field?: string }> };
  text: string;
}

/** Everything sensitive seen in one test file, and every answer body. */
export const seen = { bodies: [] as string[], secrets: new Set<string>() };

type Agent = ReturnType<MockServer['agent']>;

/** Adds the PKCE verifiers of pending states and the tokens of every account to `seen`. */
export async function collectSecrets(app: MockServer) {
  const aes = app.aesEncryptor;
  for (const row of await app.db.getRepository('mailOAuthStates').find()) {
    seen.secrets.add(await aes.decrypt(row.get('codeVerifier') as string));
  }
  for (const row of await app.db.getRepository('mailAccounts').find()) {
    const tokens = JSON.parse(await aes.decrypt(row.get('tokens') as string));
    seen.secrets.add(tokens.accessToken);
    seen.secrets.add(tokens.refreshToken);
  }
}

export class Api {
  constructor(
    readonly app: MockServer,
    readonly agent: Agent,
  ) {}

  static async as(app: MockServer, user: unknown) {
    return new Api(app, await app.agent().login(user as never));
  }

  async call(resource: string, action: string, params: Record<string, unknown> = {}): Promise<Answer> {
    const client = this.agent.resource(resource) as unknown as Record<string, (p: unknown) => Promise<{ status: number; body: Answer['body']; text: string }>>;
    const res = await client[action](params);
    seen.bodies.push(res.text);
    return { status: res.status, body: res.body, text: res.text };
  }

  data<T>(answer: Answer): T {
    if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.text}`);
    return answer.body.data as T;
  }

  async authorize(values: Record<string, unknown>) {
    const answer = await this.call('mailAccounts', 'authorize', { values: { redirectUri: REDIRECT_URI, ...values } });
    await collectSecrets(this.app);
    return answer;
  }

  async callback(values: Record<string, unknown>) {
    const answer = await this.call('mailAccounts', 'callback', { values });
    await collectSecrets(this.app);
    return answer;
  }

  /** authorize → consent page → redirect back; returns what the landing page forwards. */
  async consentFor(values: Record<string, unknown>, email: string, decision: Decision = 'approve') {
    const { url } = this.data<{ url: string }>(await this.authorize(values));
    const forwarded = callbackValues(await consent(url, email, decision));
    if (forwarded.code) seen.secrets.add(forwarded.code);
    return forwarded;
  }

  /** The whole flow; returns the callback's answer. */
  async link(provider: string, email: string, extra: Record<string, unknown> = {}) {
    return this.callback(await this.consentFor({ provider, ...extra }, email));
  }
}
