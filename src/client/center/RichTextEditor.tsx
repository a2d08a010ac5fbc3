// The composer's body: a contentEditable area with a small toolbar (bold, italic, underline,
// bulleted and numbered lists, link). The host's RichText (@nocobase/client) is a Formily field
// that expects a Formily form around it, and @nocobase/client exists only in the browser host,
// so it could not be tested here; bundling Quill ourselves would add far more than this file.
// So: a plain controlled component, `value` HTML in, `onChange` HTML out. Paste keeps basic
// formatting (paste.ts). The server sanitises the HTML and generates the text part.
import { BoldOutlined, ItalicOutlined, LinkOutlined, OrderedListOutlined, UnderlineOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Button, Input, Popover, Space, Tooltip } from 'antd';
import React, { useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import { textToHtml } from './compose';
import { cleanPastedHtml } from './paste';

type Command = 'bold' | 'italic' | 'underline' | 'insertUnorderedList' | 'insertOrderedList';

/** document.execCommand is deprecated but remains the one editing API every browser has. */
function exec(command: string, argument?: string) {
  const run = (document as Document & { execCommand?: Document['execCommand'] }).execCommand;
  return typeof run === 'function' ? run.call(document, command, false, argument) : false;
}

function insertHtml(editor: HTMLElement, html: string) {
  if (exec('insertHTML', html)) return;
  // Without execCommand (or when it refuses): replace the selection inside the editor, else append.
  const selection = window.getSelection();
  const range = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
  if (range && editor.contains(range.commonAncestorContainer)) {
    range.deleteContents();
    const fragment = range.createContextualFragment(html);
    const last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) {
      range.setStartAfter(last);
      range.collapse(true);
      selection!.removeAllRanges();
      selection!.addRange(range);
    }
  } else {
    editor.insertAdjacentHTML('beforeend', html);
  }
}

export function RichTextEditor({ value, onChange, label }: { value?: string; onChange?: (html: string) => void; label: string }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  /** The HTML last emitted or set, so that our own changes don't reset the caret. */
  const shown = useRef<string | undefined>(undefined);
  const saved = useRef<Range | null>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');

  useLayoutEffect(() => {
    if (ref.current && value !== shown.current) {
      ref.current.innerHTML = value ?? '';
      shown.current = value;
    }
  }, [value]);

  const emit = () => {
    const html = ref.current?.innerHTML ?? '';
    if (html === shown.current) return;
    shown.current = html;
    onChange?.(html);
  };

  const format = (command: Command) => {
    ref.current?.focus();
    exec(command);
    emit();
  };

  const rememberSelection = () => {
    const selection = window.getSelection();
    const range = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
    saved.current = range && ref.current?.contains(range.commonAncestorContainer) ? range.cloneRange() : null;
  };

  const applyLink = () => {
    const url = href.trim();
    setLinkOpen(false);
    setHref('');
    if (!url || !ref.current) return;
    const safe = /^(https?:|mailto:)/i.test(url) ? url : /^[^\s@]+@[^\s@]+$/.test(url) ? `mailto:${url}` : `https://${url}`;
    ref.current.focus();
    const selection = window.getSelection();
    if (saved.current && selection) {
      selection.removeAllRanges();
      selection.addRange(saved.current);
    }
    const collapsed = !saved.current || saved.current.collapsed;
    if (collapsed || !exec('createLink', safe)) {
      const text = collapsed ? textToHtml(url) : textToHtml(saved.current!.toString());
      insertHtml(ref.current, `<a href="${safe.replace(/"/g, '&quot;')}">${text}</a>`);
    }
    emit();
  };

  const tool = (command: Command, title: string, icon: React.ReactNode) => (
    <Tooltip title={title} key={command}>
      {/* mousedown would move the focus (and the selection) out of the editor */}
      <Button type="text" size="small" aria-label={title} icon={icon} onMouseDown={(e) => e.preventDefault()} onClick={() => format(command)} />
    </Tooltip>
  );

  return (
    <div className="em-editor">
      <Space size={2} className="em-editor-toolbar" role="toolbar" aria-label={t('Formatting')}>
        {tool('bold', t('Bold'), <BoldOutlined />)}
        {tool('italic', t('Italic'), <ItalicOutlined />)}
        {tool('underline', t('Underline'), <UnderlineOutlined />)}
        {tool('insertUnorderedList', t('Bulleted list'), <UnorderedListOutlined />)}
        {tool('insertOrderedList', t('Numbered list'), <OrderedListOutlined />)}
        <Popover
          open={linkOpen}
          onOpenChange={(open) => {
            if (open) rememberSelection();
            setLinkOpen(open);
          }}
          trigger="click"
          content={
            <Space.Compact>
              <Input autoFocus aria-label={t('Link address')} placeholder="https://" value={href} onChange={(e) => setHref(e.target.value)} onPressEnter={applyLink} style={{ width: 260 }} />
              <Button type="primary" onClick={applyLink}>
                {t('Add link')}
              </Button>
            </Space.Compact>
          }
        >
          <Button type="text" size="small" aria-label={t('Link')} icon={<LinkOutlined />} onMouseDown={(e) => e.preventDefault()} />
        </Popover>
      </Space>
      <div
        ref={ref}
        className="em-editor-body"
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        contentEditable
        suppressContentEditableWarning
        onInput={emit}
        onBlur={emit}
        onPaste={(e) => {
          e.preventDefault();
          const html = e.clipboardData.getData('text/html');
          const text = e.clipboardData.getData('text/plain');
          if (!ref.current || (!html && !text)) return;
          insertHtml(ref.current, html ? cleanPastedHtml(html) : textToHtml(text));
          emit();
        }}
      />
    </div>
  );
}
