import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberPendingLink } from '../../src/client/api';
import { goToExternal } from '../../src/client/browser';
import { OAuthCallbackPage } from '../../src/client/oauth/OAuthCallbackPage';
import { LINK_ERRORS } from '../../src/shared/types';
import { host } from './fake-host';
import { fail, type FakeMailServer } from './fake-server';
import { LOCALES } from './i18n';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.mock('../../src/client/browser', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/client/browser')>()),
  goToExternal: vi.fn(),
}));

let visit = 0;
/** The provider's redirect; each visit has its own single-use state, as in real life. */
function arriveWith(query: Record<string, string>) {
  const state = `state-${++visit}`;
  const search = new URLSearchParams({ state, ...query }).toString();
  window.history.replaceState({}, '', `/admin/settings/mail/oauth2?${search}`);
  return state;
}

const PLAIN_WORDS: Record<string, string> = {
  [LINK_ERRORS.STATE_MISSING]: 'did not say which linking attempt it belongs to',
  [LINK_ERRORS.STATE_INVALID]: 'is not valid or has already been used',
  [LINK_ERRORS.STATE_EXPIRED]: 'took longer than 10 minutes and has expired',
  [LINK_ERRORS.STATE_OTHER_USER]: 'was started by another NocoBase user',
  [LINK_ERRORS.CONSENT_DENIED]: 'Access was not granted',
  [LINK_ERRORS.PROVIDER_DISABLED]: 'has switched this mail provider off',
  [LINK_ERRORS.PROVIDER_MISCONFIGURED]: 'is not set up correctly',
  [LINK_ERRORS.CODE_REJECTED]: 'did not accept the sign-in',
  [LINK_ERRORS.ADDRESS_MISMATCH]: 'a different mailbox than the one you are reconnecting',
  [LINK_ERRORS.NETWORK]: 'could not reach the mail provider',
  [LINK_ERRORS.ACCOUNT_NOT_FOUND]: 'no longer exists',
  [LINK_ERRORS.INVALID_REDIRECT_URI]: 'does not belong to this NocoBase',
  [LINK_ERRORS.INVALID_SYNC_FROM]: 'start date for syncing is not valid',
};
const CANNOT_RETRY: string[] = [
  LINK_ERRORS.PROVIDER_DISABLED,
  LINK_ERRORS.PROVIDER_MISCONFIGURED,
  LINK_ERRORS.ACCOUNT_NOT_FOUND,
  LINK_ERRORS.INVALID_REDIRECT_URI,
];

describe('OAuth callback page', () => {
  let server: FakeMailServer;

  beforeEach(() => {
    server = startFakeServer();
    server.linkable = ['google', 'microsoft'];
    vi.mocked(goToExternal).mockReset();
    sessionStorage.clear();
  });
  afterEach(cleanup);

  it('covers every LINK_ERRORS code', () => {
    expect(Object.keys(PLAIN_WORDS).sort()).toEqual(Object.values(LINK_ERRORS).sort());
  });

  it('hands the answer to mailAccounts:callback exactly once (strict mode), then goes to the accounts', async () => {
    const state = arriveWith({ code: 'auth-code', scope: 'mail' });
    server.linkedAddress = 'user@example.com';
    const { unmount } = await renderIn(<OAuthCallbackPage />);

    expect(await screen.findByText('Linked user@example.com')).toBeTruthy();
    await waitFor(() => expect(host.navigate).toHaveBeenCalledWith('/admin/email', { replace: true }));
    expect(server.callsTo('mailAccounts:callback')).toHaveLength(1);
    expect(server.callsTo('mailAccounts:callback')[0]).toMatchObject({ method: 'post', data: { state, code: 'auth-code' } });

    // Coming back to the same page (the host re-mounts it) must not spend the state again.
    unmount();
    await renderIn(<OAuthCallbackPage />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.callsTo('mailAccounts:callback')).toHaveLength(1);
  });

  it('shows a wait state while the server works', async () => {
    arriveWith({ code: 'slow' });
    server.on('mailAccounts:callback', () => new Promise(() => undefined));
    await renderIn(<OAuthCallbackPage />);
    expect(screen.getByText('Finishing linking your mail account…')).toBeTruthy();
  });

  it('says "Reconnected" when an existing account was refreshed', async () => {
    arriveWith({ code: 'again' });
    server.on('mailAccounts:callback', () => ({
      body: { data: { account: { id: 7, provider: 'google', address: 'ann@example.com', status: 'active', createdAt: '' }, created: false } },
    }));
    await renderIn(<OAuthCallbackPage />);
    expect(await screen.findByText('Reconnected ann@example.com')).toBeTruthy();
  });

  it('forwards the provider\'s own error to the server and explains a refused consent', async () => {
    arriveWith({ error: 'access_denied', error_description: 'The user denied access' });
    await renderIn(<OAuthCallbackPage />);
    expect(await screen.findByText(/Access was not granted/)).toBeTruthy();
    expect(server.callsTo('mailAccounts:callback')[0].data).toMatchObject({ error: 'access_denied', error_description: 'The user denied access' });
    expect(host.navigate).not.toHaveBeenCalled();
  });

  it.each(Object.entries(PLAIN_WORDS))('explains %s in plain words', async (code, words) => {
    arriveWith({ code: 'c' });
    server.on('mailAccounts:callback', () => fail(400, code, `server says ${code}`));
    await renderIn(<OAuthCallbackPage />);
    expect(await screen.findByText('The mail account was not linked')).toBeTruthy();
    expect(screen.getByText(new RegExp(words))).toBeTruthy();
    expect(screen.getByTestId('link-error-details').textContent).toBe(`${code}: server says ${code}`);
    expect(!!screen.queryByRole('button', { name: 'Try again' })).toBe(!CANNOT_RETRY.includes(code));

    fireEvent.click(screen.getByRole('button', { name: 'Back to mail accounts' }));
    expect(host.navigate).toHaveBeenCalledWith('/admin/email', undefined);
  });

  it('shows the server\'s message for an error it has no words for', async () => {
    arriveWith({ code: 'c' });
    server.on('mailAccounts:callback', () => fail(500, 'E_SOMETHING_NEW', 'Disk full'));
    await renderIn(<OAuthCallbackPage />);
    expect(await screen.findByText('Linking the account failed: Disk full')).toBeTruthy();
  });

  it('"Try again" starts the same link again (provider and account) from the stored attempt', async () => {
    rememberPendingLink({ provider: 'microsoft', accountId: 42 });
    arriveWith({ code: 'c' });
    server.on('mailAccounts:callback', () => fail(400, LINK_ERRORS.STATE_EXPIRED, 'expired'));
    await renderIn(<OAuthCallbackPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));

    await waitFor(() => expect(goToExternal).toHaveBeenCalledWith('https://consent.example/microsoft?state=opaque'));
    expect(server.callsTo('mailAccounts:authorize')[0].data).toEqual({
      provider: 'microsoft',
      redirectUri: 'http://localhost:3000/admin/settings/mail/oauth2',
      accountId: 42,
    });
  });

  it.each([
    ['zh-CN', '已关联 user@example.com', '邮箱账户未能关联'],
    ['nl-NL', 'user@example.com gekoppeld', 'Het e-mailaccount is niet gekoppeld'],
  ])('speaks %s', async (lng, linked, failed) => {
    arriveWith({ code: 'ok' });
    await renderIn(<OAuthCallbackPage />, lng);
    expect(await screen.findByText(linked)).toBeTruthy();
    cleanup();

    arriveWith({ code: 'bad' });
    server.on('mailAccounts:callback', () => fail(400, LINK_ERRORS.STATE_EXPIRED, 'expired'));
    await renderIn(<OAuthCallbackPage />, lng);
    expect(await screen.findByText(failed)).toBeTruthy();
    const expired = LOCALES[lng]['The sign-in took longer than 10 minutes and has expired. Please try again.'];
    expect(screen.getByText(expired)).toBeTruthy();
  });
});
