import { render, waitFor } from '@testing-library/react';
import { StyleProvider } from '@ant-design/cssinjs';
import { message } from 'antd';
import React from 'react';
import { I18nextProvider } from 'react-i18next';
import { createI18n } from './i18n';
import { FakeMailServer } from './fake-server';
import { host } from './fake-host';

/** A fresh fake server behind the fake host, as seen by components. */
export function startFakeServer(options: { publicPath?: string; canOpenSettings?: boolean } = {}) {
  const server = new FakeMailServer();
  host.api = server.api as unknown as typeof host.api;
  host.publicPath = options.publicPath ?? '/';
  host.canOpenSettings = options.canOpenSettings ?? true;
  host.navigate.mockReset();
  message.destroy();
  return server;
}

// antd's CSS-in-JS goes to a detached node: jsdom parsing every style tag made these tests 5x slower.
const styles = document.createElement('div');

/** Renders in a language, in React's strict mode like the host's development build. */
export async function renderIn(ui: React.ReactElement, lng = 'en-US') {
  const i18n = await createI18n(lng);
  return render(
    <React.StrictMode>
      <StyleProvider container={styles}>
        <I18nextProvider i18n={i18n}>{ui}</I18nextProvider>
      </StyleProvider>
    </React.StrictMode>,
  );
}

/** The open antd Popconfirm (it renders in a portal, outside the component's container). */
export function findPopconfirm() {
  return waitFor(() => {
    const popup = document.querySelector('.ant-popconfirm:not(.ant-popover-hidden)');
    if (!popup) throw new Error('no confirmation open');
    return popup as HTMLElement;
  });
}
