// How a message's (server-sanitised) HTML becomes the document of a sandboxed iframe. The
// iframe is the second layer: no scripts (no allow-scripts), an opaque origin (no
// allow-same-origin), and a CSP that loads nothing but inline styles and data: images, and
// https images only after the user asked for them ("Show images").
import { INLINE_SRC } from '../../shared/mail';

/** Where the server moved a remote image's address (src/server/mime/sanitize.ts). */
export const REMOTE_SRC = 'data-remote-src';

/** The iframe's sandbox: links may open in a new tab; nothing else is allowed. */
export const MAIL_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

export function mailFrameCsp(showImages: boolean) {
  const images = showImages ? "data: https:" : 'data:';
  return `default-src 'none'; img-src ${images}; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`;
}

/** The body's look inside the frame, and of the copy measured for its height. */
export const MAIL_BODY_CSS =
  'margin:0;padding:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;' +
  'font-size:14px;line-height:1.5;color:rgba(0,0,0,0.88);word-wrap:break-word;overflow-wrap:anywhere;';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Elements that load or run something; never present in the server's output, removed again here. */
const ACTIVE = 'script, iframe, frame, frameset, object, embed, applet, link, meta, base, form, input, button, textarea, select, video, audio, source, track, picture, svg, math, noscript, template, portal';
const LOADING_ATTRIBUTES = new Set(['srcset', 'background', 'poster', 'action', 'formaction', 'data', 'xlink:href', 'ping', 'lowsrc', 'dynsrc']);

export interface PrepareOptions {
  /** Resolved inline images: the server's INLINE_SRC URL → data: URL. */
  inline?: Record<string, string>;
  showImages: boolean;
  /** The copy measured in the page for the frame's height: nothing in it may load remotely. */
  forMeasure?: boolean;
}

/**
 * Parses the sanitised HTML inertly (DOMParser runs nothing and loads nothing), puts the
 * resolved cid: images and, when asked, the remote images in place, and strips anything
 * active once more. Returns the body element of the inert document.
 */
export function prepareMailBody(html: string, { inline = {}, showImages, forMeasure = false }: PrepareOptions): HTMLElement {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(ACTIVE).forEach((node) => node.remove());
  for (const element of Array.from(doc.body.querySelectorAll('*'))) {
    for (const { name } of Array.from(element.attributes)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || LOADING_ATTRIBUTES.has(lower)) element.removeAttribute(name);
      else if (lower === 'href' && element.tagName !== 'A') element.removeAttribute(name);
      else if (lower === 'href' && !/^(https?:|mailto:|tel:|#)/i.test(element.getAttribute(name)?.trim() ?? '')) element.removeAttribute(name);
    }
    if (forMeasure && element.hasAttribute('style')) element.setAttribute('style', neutraliseCss(element.getAttribute('style') ?? ''));
  }
  if (forMeasure) doc.querySelectorAll('style').forEach((node) => (node.textContent = neutraliseCss(node.textContent ?? '')));
  for (const image of Array.from(doc.body.querySelectorAll('img'))) {
    const src = image.getAttribute('src')?.trim() ?? '';
    const remote = image.getAttribute(REMOTE_SRC)?.trim() ?? '';
    const own = image.getAttribute(INLINE_SRC)?.trim() ?? '';
    // Only data: images load in the frame; the inline ones arrive as data: URLs fetched by the page.
    if (src && !/^data:image\//i.test(src)) image.removeAttribute('src');
    if (own && inline[own]) image.setAttribute('src', inline[own]);
    if (remote && showImages && /^https:\/\//i.test(remote)) image.setAttribute('src', remote);
  }
  return doc.body;
}

/** Nothing in a stylesheet of the measured copy may fetch (url(), @import, image-set()). */
function neutraliseCss(css: string) {
  return css.replace(/@import/gi, '@x-import').replace(/\b(url|image-set|image)\s*\(/gi, 'x-$1(');
}

/** The iframe's srcdoc: CSP first, then a base that opens links in a new tab, then the mail. */
export function mailFrameDocument(html: string, options: Omit<PrepareOptions, 'forMeasure'>) {
  const body = prepareMailBody(html, options);
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(mailFrameCsp(options.showImages))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<base target="_blank">',
    `<style>html,body{${MAIL_BODY_CSS}}img{max-width:100%;height:auto}blockquote{margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex}</style>`,
  ].join('');
  return `<!DOCTYPE html><html><head>${head}</head><body>${body.innerHTML}</body></html>`;
}
