// Plugin option gmailQuotaUnitsPerMinute: the budget the Gmail sync paces itself to. Unset is
// Google's 15,000 units per user per minute (production behaviour); 0 or Infinity turns the
// client-side pacing off, while a Retry-After from Gmail is still honoured.
import type { MockServer } from '@nocobase/test';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { GmailProvider } from '../../../src/server/providers/gmail';
import { gmailPacingFor, sharedGmailPacing, TokenBucketPacing, UnpacedGmail, type GmailPacing } from '../../../src/server/providers/gmail/pacing';
import { syncAdapterTuning } from '../../../src/server/providers/registry';
import type { MailProvider } from '../../../src/server/providers/types';
import { bootApp, configureProviders, plugin } from '../helpers/app';

const CONFIG = { clientId: 'id', clientSecret: 'secret', options: {} };

/** The pacer a Gmail provider's sync uses (private to the adapter; read here to prove the wiring). */
function pacingOf(provider: MailProvider): GmailPacing {
  return (provider.sync as unknown as { calls: { pacing: GmailPacing } }).calls.pacing;
}

/** 'now' when the acquire resolved before any timer could fire, 'waited' otherwise. */
async function settlesAtOnce(promise: Promise<void>): Promise<'now' | 'waited'> {
  return Promise.race([promise.then(() => 'now' as const), new Promise<'waited'>((resolve) => setImmediate(() => resolve('waited')))]);
}

describe('gmailQuotaUnitsPerMinute', () => {
  it("defaults to Google's 15,000 units per minute: the process-wide pacer, which makes a large call wait", async () => {
    expect(gmailPacingFor(undefined)).toBe(sharedGmailPacing);
    expect(gmailPacingFor(15_000)).toBe(sharedGmailPacing);
    const pacing = new TokenBucketPacing({ ratePerSecond: 237.5, burst: 500 });
    const waiting = pacing.acquire('a@example.com', 5000);
    expect(await settlesAtOnce(waiting)).toBe('waited');
  });

  it('0 and Infinity mean no client-side pacing: a whole mailbox of messages.get never waits', async () => {
    const pacing = gmailPacingFor(0);
    expect(pacing).toBeInstanceOf(UnpacedGmail);
    expect(gmailPacingFor(Infinity)).toBe(pacing);
    for (let i = 0; i < 100; i++) expect(await settlesAtOnce(pacing.acquire('a@example.com', 500))).toBe('now');
  });

  it('without pacing, a Retry-After from Gmail still holds that mailbox back, and only that one', async () => {
    let now = 1_000_000;
    const pacing = new UnpacedGmail(() => now);
    pacing.penalize('A@example.com', 2000);
    expect(await settlesAtOnce(pacing.acquire('b@example.com', 5))).toBe('now');
    expect(await settlesAtOnce(pacing.acquire('a@example.com', 5))).toBe('waited');
    now += 2000;
    expect(await settlesAtOnce(pacing.acquire('a@example.com', 5))).toBe('now');
  });

  it('another budget gets its own shared pacer; a nonsense value is refused', () => {
    const raised = gmailPacingFor(60_000);
    expect(raised).toBeInstanceOf(TokenBucketPacing);
    expect(raised).not.toBe(sharedGmailPacing);
    expect(gmailPacingFor(60_000)).toBe(raised);
    expect(() => gmailPacingFor(-1)).toThrow(RangeError);
    expect(() => gmailPacingFor(Number.NaN)).toThrow(RangeError);
  });

  it('tunes only the Gmail adapter the sync engine uses', () => {
    const gmail = new GmailProvider(CONFIG);
    expect(pacingOf(gmail)).toBe(sharedGmailPacing);
    expect(syncAdapterTuning({})(gmail)).toBe(gmail);
    expect(pacingOf(syncAdapterTuning({ gmailQuotaUnitsPerMinute: 0 })(gmail))).toBeInstanceOf(UnpacedGmail);
    const other = { name: 'microsoft' } as unknown as MailProvider;
    expect(syncAdapterTuning({ gmailQuotaUnitsPerMinute: 0 })(other)).toBe(other);
  });
});

describe('gmailQuotaUnitsPerMinute as a plugin option', () => {
  let app: MockServer | undefined;
  let sandbox: Sandbox | undefined;

  afterEach(async () => {
    await app?.destroy();
    await sandbox?.stop();
    app = undefined;
    sandbox = undefined;
  });

  /** The Gmail adapter the plugin's sync runner builds from the saved provider settings. */
  async function runnerAdapter(options?: Record<string, unknown>) {
    sandbox = await startSandbox({ seed: 3, size: 0 });
    app = await bootApp(options);
    await configureProviders(app, sandbox);
    const runner = plugin(app).services.runner as unknown as { deps: { adapterFor(name: 'google'): Promise<MailProvider> } };
    return runner.deps.adapterFor('google');
  }

  it("is off by default: the runner's Gmail adapter paces to Google's quota", async () => {
    expect(pacingOf(await runnerAdapter())).toBe(sharedGmailPacing);
  });

  it("set to 0, the runner's Gmail adapter does not pace", async () => {
    expect(pacingOf(await runnerAdapter({ gmailQuotaUnitsPerMinute: 0 }))).toBeInstanceOf(UnpacedGmail);
  });
});
