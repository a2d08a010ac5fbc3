import { cleanup, render, screen } from '@testing-library/react';
import React from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { EmailSettingsPage } from '../../src/client/settings/EmailSettingsPage';
import { createI18n } from './i18n';

async function renderIn(lng: string) {
  const i18n = await createI18n(lng);
  render(
    <I18nextProvider i18n={i18n}>
      <EmailSettingsPage />
    </I18nextProvider>,
  );
}

describe('EmailSettingsPage', () => {
  afterEach(cleanup);

  it('shows the providers card with an empty state that says nothing is configured', async () => {
    await renderIn('en-US');
    expect(screen.getByText('Mail providers')).toBeTruthy();
    expect(screen.getByText('No mail provider is configured yet')).toBeTruthy();
  });

  it.each([
    ['zh-CN', '邮件服务商', '尚未配置邮件服务商'],
    ['nl-NL', 'E-mailproviders', 'Er is nog geen e-mailprovider ingesteld'],
  ])('is translated in %s', async (lng, title, empty) => {
    await renderIn(lng);
    expect(screen.getByText(title)).toBeTruthy();
    expect(screen.getByText(empty)).toBeTruthy();
    expect(screen.queryByText('No mail provider is configured yet')).toBeNull();
  });
});
