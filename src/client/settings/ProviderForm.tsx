import { Alert, Button, Form, Input, Switch, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import React, { useMemo, useState } from 'react';
import type { MailProviderDTO } from '../../shared/types';
import { useSaveProvider, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { providerLabel } from '../mail-provider';
import {
  appliedChanges,
  formValuesOf,
  hasEndpointOverrides,
  OPTION_KEYS,
  providerChanges,
  type ProviderFormValues,
} from './changes';
import { EndpointFields } from './EndpointFields';
import { SecretInput } from './SecretInput';
import { TenantField } from './TenantField';

/** Form fields a server error may name (`errors[0].field`), as dotted paths. */
function knownField(provider: MailProviderDTO, field: string | undefined) {
  if (!field) return undefined;
  const fields = ['enabled', 'clientId', 'clientSecret', ...OPTION_KEYS[provider.name].map((key) => `options.${key}`)];
  return fields.includes(field) ? field.split('.') : undefined;
}

function requiredWhenEnabled(message: string, satisfied: () => boolean = () => false): Rule {
  return ({ getFieldValue }) => ({
    validator: (_, value) =>
      getFieldValue('enabled') && !String(value ?? '').trim() && !satisfied()
        ? Promise.reject(new Error(message))
        : Promise.resolve(),
  });
}

/**
 * One provider's settings. Saves only what changed through `mailProviders:update`; a
 * server error lands next to the field it names, or above the Save button.
 */
export function ProviderForm({ provider, onSaved }: { provider: MailProviderDTO; onSaved: (saved: MailProviderDTO) => void }) {
  const t = useT();
  const message = useMessage();
  const [form] = Form.useForm<ProviderFormValues>();
  const initialValues = useMemo(() => formValuesOf(provider), [provider]);
  const [dirty, setDirty] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(() => hasEndpointOverrides(provider));
  const [failure, setFailure] = useState<MailApiError>();
  const save = useSaveProvider();

  const clientIdRule = requiredWhenEnabled(t('Enter the client ID before switching the provider on'));
  const secretRule = requiredWhenEnabled(t('Enter the client secret before switching the provider on'), () => provider.clientSecretSet);

  const submit = async (values: ProviderFormValues) => {
    const changes = providerChanges(provider, { ...form.getFieldsValue(true), ...values });
    if (!Object.keys(changes).length) return;
    setFailure(undefined);
    try {
      const saved = await save.run(provider.name, changes);
      message.success(t('{{provider}} settings saved', { provider: providerLabel(provider.name) }));
      onSaved(saved ?? appliedChanges(provider, changes));
    } catch (error) {
      const failed = error as MailApiError;
      const field = knownField(provider, failed.field);
      if (!field) return setFailure(failed);
      // The field's label already says which field; drop a leading "clientId: " from the message.
      const prefix = `${failed.field}: `;
      const text = failed.message.startsWith(prefix) ? failed.message.slice(prefix.length) : failed.message;
      (form as FormInstance).setFields([{ name: field, errors: [text.charAt(0).toUpperCase() + text.slice(1)] }]);
      if (field[0] === 'options' && field[1] !== 'tenant') setAdvancedOpen(true);
    }
  };

  return (
    <Form
      form={form}
      name={`mail-provider-${provider.name}`}
      layout="vertical"
      initialValues={initialValues}
      onFinish={submit}
      onValuesChange={() => setDirty(Object.keys(providerChanges(provider, form.getFieldsValue(true))).length > 0)}
    >
      <Form.Item name="enabled" label={t('Enabled')} valuePropName="checked" extra={t('When on, users can link their accounts of this provider.')}>
        <Switch />
      </Form.Item>
      <Form.Item name="clientId" label={t('Client ID')} dependencies={['enabled']} rules={[clientIdRule]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="clientSecret" label={t('Client secret')} dependencies={['enabled']} rules={[secretRule]}>
        <SecretInput saved={provider.clientSecretSet} />
      </Form.Item>
      {provider.name === 'microsoft' && <TenantField />}
      <EndpointFields provider={provider.name} open={advancedOpen} onOpenChange={setAdvancedOpen} />
      {failure && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('The settings were not saved')}
          description={failure.message}
        />
      )}
      <Button type="primary" htmlType="submit" loading={save.loading} disabled={!dirty}>
        {t('Save')}
      </Button>
    </Form>
  );
}
