// The Drafts folder's own part: drafts written in the composer here (mailDrafts), newest first,
// above the provider's drafts. These are the ones a user can reopen and send; a draft written in
// Gmail or Outlook stays a conversation to read. Opening one brings back its content, files and
// account.
import { DeleteOutlined, FileTextOutlined } from '@ant-design/icons';
import { Button, Pagination, Popconfirm, Tooltip, Typography } from 'antd';
import React, { useState } from 'react';
import type { DraftDTO } from '../../shared/send';
import { destroyDraft, getDraft, useDrafts, useOnDraftsChanged, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useAPIClient } from '../host';
import { useLanguage, useT } from '../i18n';
import type { ComposerDraft } from './compose';
import { draftFromSaved } from './compose-send';
import { fullDate, listDate } from './format';

const PAGE_SIZE = 10;

function preview(html: string | undefined, text: string | undefined) {
  if (text) return text.slice(0, 140);
  if (!html) return '';
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 140);
}

export function DraftList({ onOpen }: { onOpen: (draft: ComposerDraft) => void }) {
  const t = useT();
  const language = useLanguage();
  const toast = useMessage();
  const api = useAPIClient();
  const [page, setPage] = useState(1);
  const drafts = useDrafts(page, PAGE_SIZE);
  useOnDraftsChanged(drafts.refresh);
  const rows = drafts.data ?? [];
  const count = drafts.meta?.count ?? rows.length;
  if (!rows.length && page === 1) return null;

  const open = (row: DraftDTO) =>
    getDraft(api, row.id).then(
      (saved) => onOpen(draftFromSaved(saved ?? row)),
      (error: MailApiError) => toast.error(t('The draft could not be opened: {{error}}', { error: error.message })),
    );
  const remove = (row: DraftDTO) =>
    destroyDraft(api, row.id).then(
      () => drafts.refresh(),
      (error: MailApiError) => toast.error(t('The draft could not be deleted: {{error}}', { error: error.message })),
    );

  return (
    <section className="em-drafts" data-testid="saved-drafts">
      <div className="em-folder-group">{t('Written here ({{count}})', { count })}</div>
      {rows.map((row) => (
        <div
          key={String(row.id)}
          role="button"
          tabIndex={0}
          className="em-draft"
          data-testid="saved-draft"
          onClick={() => open(row)}
          onKeyDown={(e) => (e.key === 'Enter' ? open(row) : undefined)}
        >
          <FileTextOutlined />
          <span className="em-who">{row.to?.length ? row.to.join(', ') : t('(no recipients)')}</span>
          <span className="em-line" style={{ flex: 1 }}>
            <span className="em-subject">{row.subject || t('(no subject)')}</span>
            <span className="em-snippet"> – {preview(row.html, row.text)}</span>
          </span>
          <Tooltip title={fullDate(row.updatedAt, language)}>
            <span className="em-date">{listDate(row.updatedAt, language)}</span>
          </Tooltip>
          <span onClick={(e) => e.stopPropagation()}>
            <Popconfirm title={t('Discard this draft?')} okText={t('Discard')} cancelText={t('Keep')} onConfirm={() => remove(row)}>
              <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('Discard')} />
            </Popconfirm>
          </span>
        </div>
      ))}
      {count > PAGE_SIZE && <Pagination simple size="small" current={page} pageSize={PAGE_SIZE} total={count} onChange={setPage} style={{ padding: '4px 16px' }} />}
      <Typography.Text type="secondary" className="em-folder-group" style={{ display: 'block' }}>
        {t('In Gmail or Outlook')}
      </Typography.Text>
    </section>
  );
}
