import { AutoComplete, Form } from 'antd';
import React from 'react';
import { useT } from '../i18n';
import { DEFAULT_TENANT } from './changes';

/** Microsoft only: who may sign in. The three well-known values, or a tenant ID or domain. */
export function TenantField() {
  const t = useT();
  const options = [
    { value: DEFAULT_TENANT, label: `${DEFAULT_TENANT} · ${t('Work, school and personal accounts')}` },
    { value: 'organizations', label: `organizations · ${t('Work or school accounts only')}` },
    { value: 'consumers', label: `consumers · ${t('Personal Microsoft accounts only')}` },
  ];
  return (
    <Form.Item
      name={['options', 'tenant']}
      label={t('Microsoft tenant')}
      extra={t('Use common unless you want to limit sign-in. Enter your tenant ID or domain (such as contoso.onmicrosoft.com) to allow only your organisation.')}
    >
      <AutoComplete options={options} placeholder={DEFAULT_TENANT} />
    </Form.Item>
  );
}
