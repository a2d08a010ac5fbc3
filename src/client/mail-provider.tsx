import { GoogleOutlined, WindowsOutlined } from '@ant-design/icons';
import { Space } from 'antd';
import React from 'react';
import type { ProviderName } from '../shared/types';

// Product names stay in English in every language, as Google and Microsoft write them.
const LABELS: Record<ProviderName, string> = {
  google: 'Google (Gmail)',
  microsoft: 'Microsoft (Outlook / Microsoft 365)',
};

export function providerLabel(name: ProviderName | string) {
  return LABELS[name as ProviderName] ?? name;
}

export function ProviderIcon({ name }: { name: ProviderName | string }) {
  if (name === 'google') return <GoogleOutlined aria-hidden style={{ color: '#4285F4' }} />;
  if (name === 'microsoft') return <WindowsOutlined aria-hidden style={{ color: '#0078D4' }} />;
  return null;
}

/** Icon and product name, as cards, menus and tables show a provider. */
export function ProviderTitle({ name }: { name: ProviderName | string }) {
  return (
    <Space size={6}>
      <ProviderIcon name={name} />
      <span>{providerLabel(name)}</span>
    </Space>
  );
}
