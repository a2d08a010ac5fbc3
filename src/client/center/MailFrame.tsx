import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { MAIL_BODY_CSS, MAIL_FRAME_SANDBOX, mailFrameDocument, prepareMailBody } from './mail-frame';

const MIN_HEIGHT = 48;

/**
 * The frame cannot tell its page how tall its content is (no scripts, opaque origin), so an
 * inert copy of the same HTML — active parts stripped, nothing that loads remotely unless the
 * user showed images — is laid out off-screen in a shadow root at the frame's width, and the
 * frame takes its height. It follows images loading and the frame's width changing.
 */
function useMeasuredHeight(frame: React.RefObject<HTMLIFrameElement>, html: string, inline: Record<string, string>, showImages: boolean) {
  const [height, setHeight] = useState(MIN_HEIGHT);
  useLayoutEffect(() => {
    const iframe = frame.current;
    if (!iframe || typeof document === 'undefined') return undefined;
    const host = document.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText = 'position:absolute;left:-100000px;top:0;visibility:hidden;pointer-events:none;contain:layout style;';
    document.body.appendChild(host);
    const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    const style = document.createElement('style');
    style.textContent = `.mail-body{${MAIL_BODY_CSS}display:flow-root}.mail-body img{max-width:100%;height:auto}.mail-body blockquote{margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex}`;
    const wrapper = document.createElement('div');
    wrapper.className = 'mail-body';
    const body = prepareMailBody(html, { inline, showImages, forMeasure: true });
    for (const node of Array.from(body.childNodes)) wrapper.appendChild(document.importNode(node, true));
    wrapper.querySelectorAll('img').forEach((image) => image.setAttribute('referrerpolicy', 'no-referrer'));
    root.appendChild(style);
    root.appendChild(wrapper);

    const measure = () => {
      host.style.width = `${iframe.clientWidth || 600}px`;
      const next = Math.max(MIN_HEIGHT, Math.ceil(wrapper.scrollHeight) + 8);
      setHeight((previous) => (Math.abs(previous - next) > 1 ? next : previous));
    };
    measure();
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => measure());
      observer.observe(wrapper);
      observer.observe(iframe);
    }
    return () => {
      observer?.disconnect();
      host.remove();
    };
  }, [frame, html, inline, showImages]);
  return height;
}

/** A message's HTML in a sandboxed iframe without scripts, as tall as its content. */
export function MailFrame({ html, inline, showImages, title }: { html: string; inline: Record<string, string>; showImages: boolean; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const srcDoc = useMemo(() => mailFrameDocument(html, { inline, showImages }), [html, inline, showImages]);
  const height = useMeasuredHeight(frame, html, inline, showImages);
  return (
    <iframe
      ref={frame}
      title={title}
      data-testid="mail-frame"
      sandbox={MAIL_FRAME_SANDBOX}
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
      style={{ width: '100%', height, border: 0, display: 'block', background: 'transparent' }}
    />
  );
}
