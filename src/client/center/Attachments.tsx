// The composer's attachments: the original's files (forward), the user's uploads with a progress
// bar each, "Attach files", and the running total against the limit. Dropping files anywhere on
// the composer's body adds them too (see Composer).
import { CloseOutlined, FileOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Progress, Space, Tag, Typography } from 'antd';
import React, { useRef } from 'react';
import type { MailAttachmentDTO } from '../../shared/mail';
import { useLanguage, useT } from '../i18n';
import { fileSize } from './format';
import type { AttachmentsState } from './useAttachments';

export function AttachFilesButton({ onFiles }: { onFiles: (files: File[]) => void }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button icon={<PaperClipOutlined />} onClick={() => input.current?.click()}>
        {t('Attach files')}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

export function Attachments({ state, forwarded, limit, onRemoveForwarded }: {
  state: AttachmentsState;
  forwarded: MailAttachmentDTO[];
  limit: number;
  onRemoveForwarded: (remoteId: string) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const over = state.total > limit;
  return (
    <div className="em-attachments" data-testid="composer-attachments">
      {forwarded.length > 0 && (
        <>
          <Typography.Text type="secondary" className="em-attachments-title">
            <PaperClipOutlined /> {t('Included from the original message')}
          </Typography.Text>
          <Space wrap size={8}>
            {forwarded.map((attachment) => (
              <Tag key={attachment.remoteId} icon={<FileOutlined />} className="em-attachment-tag" closable onClose={() => onRemoveForwarded(attachment.remoteId)}>
                {attachment.size ? `${attachment.filename} · ${fileSize(attachment.size, language)}` : attachment.filename}
              </Tag>
            ))}
          </Space>
        </>
      )}
      {state.items.map((item) => (
        <div key={item.key} className="em-upload" data-testid="upload" data-status={item.status}>
          <FileOutlined />
          <span className="em-upload-name">{item.name}</span>
          <span className="em-upload-size">{fileSize(item.size, language)}</span>
          {item.status === 'uploading' && <Progress percent={Math.round(item.progress * 100)} size="small" style={{ width: 120, margin: 0 }} />}
          {item.status === 'error' && (
            <Typography.Text type="danger" className="em-upload-error">
              {t('Upload failed: {{error}}', { error: item.error?.message ?? '' })}
            </Typography.Text>
          )}
          <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('Remove {{name}}', { name: item.name })} onClick={() => state.remove(item.key)} />
        </div>
      ))}
      <Typography.Text type={over ? 'danger' : 'secondary'} className="em-attachments-total" data-testid="attachments-total">
        {t('{{used}} of {{limit}}', { used: fileSize(state.total, language), limit: fileSize(limit, language) })}
      </Typography.Text>
    </div>
  );
}
