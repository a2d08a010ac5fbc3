import { Alert, Button, Card, Select, Space, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import { useMailSettings, useRoles, useSaveMailSettings, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';

/** Role titles are often host templates (the t-call of a word in double braces): show the words inside. */
function plainTitle(title: string | undefined, name: string) {
  const inner = title?.match(/^\{\{\s*t\(\s*["'](.+?)["']/)?.[1];
  return inner || title || name;
}

/**
 * Which roles may read every user's mail (blocks with "everyone's mail", the Email center's other
 * mailboxes). Nobody but root by default: mail is private unless an administrator decides otherwise.
 */
export function AllMailRolesCard() {
  const t = useT();
  const message = useMessage();
  const settings = useMailSettings();
  const roles = useRoles();
  const save = useSaveMailSettings();
  const stored = settings.data?.allMailRoles;
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => setPicked(stored ?? []), [stored]);
  const changed = JSON.stringify([...picked].sort()) !== JSON.stringify([...(stored ?? [])].sort());
  const options = (roles.data ?? []).filter((role) => role.name !== 'root').map((role) => ({ value: role.name, label: `${t(plainTitle(role.title, role.name))} (${role.name})` }));

  const submit = () =>
    save.run({ allMailRoles: picked }).then(
      () => {
        message.success(t('Saved: who may read all mail'));
        settings.refresh();
      },
      (error: MailApiError) => message.error(t('The sync settings could not be saved: {{message}}', { message: error.message })),
    );

  return (
    <Card type="inner" data-testid="all-mail-roles" title={t('Who may read all mail')} style={{ marginBottom: 24 }}>
      <Typography.Paragraph type="secondary">
        {t('People see only the mailboxes they linked. Users with these roles may also read everyone else’s mail, in mail blocks and the Email center; they cannot change it.')}
      </Typography.Paragraph>
      {settings.error && !settings.data ? (
        <Alert type="error" showIcon message={t('The sync settings could not be loaded')} description={settings.error.message} />
      ) : (
        <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
          <Select
            aria-label={t('Roles that may read all mail')}
            mode={roles.data ? 'multiple' : 'tags'}
            style={{ width: '100%' }}
            placeholder={t('Nobody')}
            options={options}
            value={picked}
            onChange={setPicked}
            loading={settings.loading && !settings.data}
          />
          <Button type="primary" loading={save.loading} disabled={!changed || !settings.data} onClick={submit}>
            {t('Save')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
