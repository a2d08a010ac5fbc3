import { Select, Tag } from 'antd';
import React from 'react';
import { isValidAddress, parseRecipient } from './format';

/** Recipients as tags; a tag that is not an address shows red and the form says so. */
export function RecipientsInput({ value, onChange, label }: { value?: string[]; onChange?: (value: string[]) => void; label: string }) {
  return (
    <Select
      mode="tags"
      aria-label={label}
      value={value}
      onChange={(next: string[]) => onChange?.(next.map((v) => v.trim()).filter(Boolean))}
      tokenSeparators={[',', ';', ' ']}
      open={false}
      suffixIcon={null}
      variant="borderless"
      style={{ width: '100%' }}
      tagRender={({ label: text, value: tagValue, closable, onClose }) => {
        const valid = isValidAddress(parseRecipient(String(tagValue)));
        return (
          <Tag color={valid ? undefined : 'error'} closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }} data-valid={valid ? 'true' : 'false'}>
            {text}
          </Tag>
        );
      }}
    />
  );
}
