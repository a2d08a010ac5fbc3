import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Input, Space, Typography } from 'antd';
import React, { useState } from 'react';
import { useT } from '../i18n';

interface SecretInputProps {
  /** A secret is stored on the server (the browser never sees it). */
  saved: boolean;
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
}

/** Write-only: shows that a secret is stored, and takes a new one only when asked to replace it. */
export function SecretInput({ saved, id, value, onChange }: SecretInputProps) {
  const t = useT();
  const [replacing, setReplacing] = useState(false);

  if (saved && !replacing) {
    return (
      <Space>
        <CheckCircleFilled style={{ color: '#52c41a' }} aria-hidden />
        <Typography.Text>{t('A secret is saved')}</Typography.Text>
        <Button size="small" onClick={() => setReplacing(true)}>
          {t('Replace')}
        </Button>
      </Space>
    );
  }

  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input.Password
        id={id}
        value={value ?? ''}
        onChange={(event) => onChange?.(event.target.value)}
        autoComplete="new-password"
        placeholder={saved ? t('Enter the new client secret') : t('Paste the client secret')}
        autoFocus={replacing}
      />
      {saved && (
        <Button
          onClick={() => {
            setReplacing(false);
            onChange?.('');
          }}
        >
          {t('Keep the saved secret')}
        </Button>
      )}
    </Space.Compact>
  );
}
