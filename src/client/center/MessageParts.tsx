import { FileOutlined, PaperClipOutlined, PictureOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import { ATTACHMENT_ACTION, INLINE_SRC, type MailAttachmentDTO, type MailMessageDTO } from '../../shared/mail';
import { fetchAttachment, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useAPIClient } from '../host';
import { useLanguage, useT } from '../i18n';
import { useMailErrorText } from './errorText';
import { fileSize } from './format';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

/** Plain-text mail: line breaks kept, http(s) addresses as links that open in a new tab. */
export function PlainTextBody({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={match[0]} target="_blank" rel="noopener noreferrer nofollow">
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <div data-testid="mail-text" className="em-plain-text">
      {parts}
    </div>
  );
}

/** Saves a Blob under its name through a temporary object URL. */
function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The message's files (not its inline images), each downloaded through the server. */
export function AttachmentList({ message }: { message: MailMessageDTO }) {
  const t = useT();
  const language = useLanguage();
  const api = useAPIClient();
  const toast = useMessage();
  const errorText = useMailErrorText();
  const [busy, setBusy] = useState<string>();
  const files = message.attachments.filter((a) => !a.inline);
  if (!files.length) return null;
  const download = async (attachment: MailAttachmentDTO) => {
    setBusy(attachment.remoteId);
    try {
      saveBlob(await fetchAttachment(api, message, attachment.remoteId), attachment.filename || 'attachment');
    } catch (error) {
      toast.error(t('{{filename}} could not be downloaded: {{error}}', { filename: attachment.filename, error: errorText(error as MailApiError), interpolation: { escapeValue: false } }));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="em-attachments" data-testid="attachments">
      <Typography.Text type="secondary" className="em-attachments-title">
        <PaperClipOutlined /> {t('Attachments')} ({files.length})
      </Typography.Text>
      <Space wrap size={8}>
        {files.map((attachment) => (
          <Tooltip key={attachment.remoteId} title={t('Download')}>
            <Button className="em-attachment" icon={<FileOutlined />} loading={busy === attachment.remoteId} onClick={() => download(attachment)}>
              <span className="em-attachment-name">{attachment.filename || t('Unnamed file')}</span>
              <Typography.Text type="secondary">{fileSize(attachment.size, language)}</Typography.Text>
            </Button>
          </Tooltip>
        ))}
      </Space>
    </div>
  );
}

/** Remote images are held back until asked for: trackers learn nothing by the mail being opened. */
export function ImagesBlockedBar({ onShow }: { onShow: () => void }) {
  const t = useT();
  return (
    <div className="em-images-bar" data-testid="images-blocked">
      <PictureOutlined />
      <span>{t('Images in this message are hidden to protect your privacy.')}</span>
      <Button size="small" type="link" onClick={onShow}>
        {t('Show images')}
      </Button>
    </div>
  );
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** The INLINE_SRC URLs of a message's html (inert parse). */
export function inlineImageUrls(html: string) {
  if (!html.includes(INLINE_SRC)) return [];
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const urls = Array.from(doc.querySelectorAll(`img[${INLINE_SRC}]`)).map((img) => img.getAttribute(INLINE_SRC) ?? '');
  // Only this plugin's own attachment action, relative to the API root.
  return [...new Set(urls.filter((url) => url.startsWith(`${ATTACHMENT_ACTION}?`)))];
}

/**
 * The message's inline (cid:) images, fetched through the API client with the user's
 * credentials and handed to the frame as data: URLs: the frame's CSP allows data: images
 * only, and it cannot send the auth header itself. They are part of the message, so they
 * show without "Show images".
 */
export function useInlineImages(message: MailMessageDTO) {
  const api = useAPIClient();
  const [inline, setInline] = useState<Record<string, string>>(NONE);
  const html = message.html ?? '';
  useEffect(() => {
    const urls = inlineImageUrls(html);
    if (!urls.length) return undefined;
    let current = true;
    Promise.all(
      urls.map(async (url) => {
        try {
          const response = await api.request<Blob>({ url, method: 'get', responseType: 'blob', skipNotify: true });
          const blob = response.data;
          return blob && /^image\//.test(blob.type) ? ([url, await blobToDataUrl(blob)] as const) : undefined;
        } catch {
          return undefined; // the image stays empty; the rest of the message shows
        }
      }),
    ).then((entries) => {
      if (current) setInline(Object.fromEntries(entries.filter((e): e is readonly [string, string] => !!e)));
    });
    return () => {
      current = false;
    };
  }, [api, html]);
  return inline;
}

const NONE: Record<string, string> = {};
