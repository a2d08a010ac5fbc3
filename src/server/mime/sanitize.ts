// Mail HTML is hostile input. It is sanitised once, on ingest, and the client renders the result
// in a sandboxed iframe without scripts: two layers, so a gap in one is not a hole.
//
// Kept: formatting, tables, links (http, https, mailto, tel), inline styles and <style> without
// anything that loads, cid: images (the client resolves them from the attachments) and small
// data: images. Gone: scripts, event handlers, forms, frames, objects, meta/base/link.
// Remote images are not loaded on open (read receipts by pixel): their address moves to
// data-remote-src, and hasRemoteImages tells the client to offer "show images".
import sanitizeHtml from 'sanitize-html';
import { cleanCss } from './css';
import { TextCollector } from './html-text';

export const REMOTE_SRC = 'data-remote-src';

export interface SanitizedHtml {
  html: string;
  hasRemoteImages: boolean;
  /** The visible text, line by line; only when asked for (withText). */
  text?: string;
}

const TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img', 'font', 'center', 'big', 'small', 'strike', 'del', 'ins', 'tt', 'u', 'style',
];

const GLOBAL_ATTRIBUTES = [
  'style', 'class', 'id', 'dir', 'lang', 'title', 'align', 'valign', 'width', 'height',
  'bgcolor', 'color', 'border', 'role', 'aria-label', 'aria-hidden',
];

const ATTRIBUTES: sanitizeHtml.IOptions['allowedAttributes'] = {
  '*': GLOBAL_ATTRIBUTES,
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt', 'hspace', 'vspace', REMOTE_SRC],
  table: ['cellpadding', 'cellspacing', 'summary', 'frame', 'rules'],
  td: ['colspan', 'rowspan', 'nowrap', 'scope', 'headers', 'abbr'],
  th: ['colspan', 'rowspan', 'nowrap', 'scope', 'headers', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  font: ['face', 'size'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value'],
  blockquote: ['cite'],
  time: ['datetime'],
  style: ['media'],
};

const REMOTE = /^(?:https?:)?\/\//i;
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,/i;

/** Decides an <img>'s source: cid: and small raster data: stay, remote moves aside, the rest goes. */
function placeImage(attribs: sanitizeHtml.Attributes, found: { remote: boolean }) {
  const src = (attribs.src || '').trim();
  delete attribs.src;
  if (REMOTE.test(src)) {
    attribs[REMOTE_SRC] = src.startsWith('//') ? `https:${src}` : src;
    found.remote = true;
  } else if (/^cid:/i.test(src) || INLINE_IMAGE.test(src)) {
    attribs.src = src;
  }
}

function options(found: { remote: boolean }, text?: TextCollector): sanitizeHtml.IOptions {
  return {
    // Always the same keys, collecting or not: sanitize-html's hot paths then see one object
    // shape whichever kind of message comes next.
    textFilter: text
      ? (escaped) => {
          text.text(escaped);
          return escaped;
        }
      : undefined,
    onOpenTag: text ? (tag) => text.open(tag) : undefined,
    onCloseTag: text ? (tag) => text.close(tag) : undefined,
    allowedTags: TAGS,
    allowedAttributes: ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    // Checked after transformTags, which has already moved remote sources aside.
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    // <style> is wanted (newsletters are unreadable without it) and its text is cleaned below.
    allowVulnerableTags: true,
    // cleanCss (in transformTags) already filtered style attributes; sanitize-html's own
    // filter would only reparse each one with postcss, the slowest step of the whole sanitiser.
    parseStyleAttributes: false,
    // The text of these is code or chrome, not content, when the tag itself is dropped.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'select', 'template'],
    // Deeper nesting than any real mail: bounds the work a hostile message can cause.
    nestingLimit: 200,
    transformTags: {
      '*': (tagName, attribs) => {
        // Only this sanitiser may say where a blocked image lives.
        for (const name of Object.keys(attribs)) if (name.startsWith('data-remote-')) delete attribs[name];
        if (attribs.style !== undefined) {
          const style = cleanCss(attribs.style);
          if (style.trim()) attribs.style = style;
          else delete attribs.style;
        }
        if (tagName === 'img') placeImage(attribs, found);
        if (tagName === 'a' && attribs.href) {
          // Links leave the mail view and tell the site nothing about where they came from.
          attribs.target = '_blank';
          attribs.rel = 'noopener noreferrer';
        }
        return { tagName, attribs };
      },
    },
  };
}

/**
 * sanitize-html writes an allowed <style> element's text unchanged, and a transform cannot
 * see that text, so the stylesheet is cleaned in its output, where every <style> element
 * has the exact shape sanitize-html gives it and its text cannot contain "</style".
 */
function cleanStyleElements(html: string): string {
  return html.replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi, (_m, open: string, css: string, close: string) => open + cleanCss(css) + close);
}

export function sanitizeMailHtml(html: string | null | undefined, { withText = false } = {}): SanitizedHtml {
  if (!html) return withText ? { html: '', hasRemoteImages: false, text: '' } : { html: '', hasRemoteImages: false };
  const found = { remote: false };
  const text = withText ? new TextCollector() : undefined;
  const clean = cleanStyleElements(sanitizeHtml(html, options(found, text)));
  return text ? { html: clean, hasRemoteImages: found.remote, text: text.result() } : { html: clean, hasRemoteImages: found.remote };
}
