// The composer's own files: each uploads as soon as it is picked or dropped (mailUploads:create),
// with its progress; removing one cancels or deletes the upload. Files that would take the
// message over the attachment limit are refused here, before any byte is sent.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MailUploadDTO } from '../../shared/send';
import { SEND_ERRORS } from '../../shared/send';
import { destroyUpload, uploadFile, type MailApiError } from '../api';
import { useAPIClient } from '../host';
import { attachmentTotal, splitByLimit } from './compose-send';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'error';
  /** 0–1 while uploading. */
  progress: number;
  upload?: MailUploadDTO;
  error?: MailApiError;
}

let nextKey = 1;
const fromUpload = (upload: MailUploadDTO): UploadItem => ({ key: `u${upload.id}`, name: upload.filename, size: upload.size, status: 'done', progress: 1, upload });

export interface AttachmentsState {
  items: UploadItem[];
  /** Finished uploads, as the draft and the send refer to them. */
  uploads: MailUploadDTO[];
  busy: boolean;
  /** Bytes of uploads (done or on their way) plus the forwarded originals. */
  total: number;
  /** Uploads what fits; returns the files refused for the limit. */
  add: (files: File[]) => File[];
  remove: (key: string) => void;
}

export function useAttachments(initial: MailUploadDTO[] | undefined, forwarded: Array<{ size: number }>, limit: number, onTooLarge: (names: string[]) => void): AttachmentsState {
  const api = useAPIClient();
  const [items, setItems] = useState<UploadItem[]>(() => (initial ?? []).map(fromUpload));
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const controllers = useRef(new Map<string, AbortController>());
  const onTooLargeRef = useRef(onTooLarge);
  onTooLargeRef.current = onTooLarge;

  useEffect(() => {
    const running = controllers.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);

  const patch = (key: string, change: Partial<UploadItem>) => setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const total = attachmentTotal(forwarded, items.filter((item) => item.status !== 'error'));

  const add = useCallback(
    (files: File[]) => {
      const current = attachmentTotal(forwarded, itemsRef.current.filter((item) => item.status !== 'error'));
      const { accepted, refused } = splitByLimit(files, current, limit);
      if (refused.length) onTooLargeRef.current(refused.map((file) => file.name));
      const added = accepted.map((file) => ({ file, item: { key: `f${nextKey++}`, name: file.name, size: file.size, status: 'uploading' as const, progress: 0 } }));
      setItems((list) => [...list, ...added.map(({ item }) => item)]);
      for (const { file, item } of added) {
        const controller = new AbortController();
        controllers.current.set(item.key, controller);
        uploadFile(api, file, (progress) => patch(item.key, { progress }), controller.signal).then(
          (upload) => {
            controllers.current.delete(item.key);
            patch(item.key, { status: 'done', progress: 1, upload, size: upload.size ?? item.size });
          },
          (error: MailApiError) => {
            controllers.current.delete(item.key);
            if (controller.signal.aborted) return;
            if (error.code === SEND_ERRORS.TOO_LARGE || error.status === 413) {
              setItems((list) => list.filter((other) => other.key !== item.key));
              onTooLargeRef.current([item.name]);
            } else {
              patch(item.key, { status: 'error', error });
            }
          },
        );
      }
      return refused;
    },
    [api, forwarded, limit],
  );

  const remove = useCallback(
    (key: string) => {
      const item = itemsRef.current.find((other) => other.key === key);
      setItems((list) => list.filter((other) => other.key !== key));
      controllers.current.get(key)?.abort();
      controllers.current.delete(key);
      // Not sent yet: the server forgets it. A failed removal is let go: no draft or send refers to it any more.
      if (item?.upload) destroyUpload(api, item.upload.id).catch(() => undefined);
    },
    [api],
  );

  const uploads = items.filter((item) => item.status === 'done' && item.upload).map((item) => item.upload!);
  return { items, uploads, busy: items.some((item) => item.status === 'uploading'), total, add, remove };
}
