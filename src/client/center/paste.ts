// What survives a paste into the composer: paragraphs, line breaks, bold, italic, underline,
// lists, quotes and links (http, https, mailto). Everything else is unwrapped to its text, so a
// page, a Word document or Google Docs pastes as readable mail instead of their styles and
// scripts. The server sanitises again before sending; this keeps the editor itself clean.

const KEEP: Record<string, string> = {
  B: 'strong',
  STRONG: 'strong',
  I: 'em',
  EM: 'em',
  U: 'u',
  UL: 'ul',
  OL: 'ol',
  LI: 'li',
  P: 'p',
  DIV: 'p',
  H1: 'p',
  H2: 'p',
  H3: 'p',
  H4: 'p',
  H5: 'p',
  H6: 'p',
  BLOCKQUOTE: 'blockquote',
  BR: 'br',
  A: 'a',
};
const DROP = new Set(['SCRIPT', 'STYLE', 'TITLE', 'META', 'LINK', 'HEAD', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE', 'SVG', 'MATH']);
const SAFE_HREF = /^(https?:|mailto:)/i;

/** Inline styles that mean bold/italic/underline (Google Docs and Word paste spans like these). */
function styleWrappers(element: Element): string[] {
  const style = (element.getAttribute('style') ?? '').toLowerCase();
  const wrappers: string[] = [];
  if (/font-weight\s*:\s*(bold|[6-9]00)/.test(style)) wrappers.push('strong');
  if (/font-style\s*:\s*italic/.test(style)) wrappers.push('em');
  if (/text-decoration[^;]*underline/.test(style)) wrappers.push('u');
  return wrappers;
}

function copy(node: Node, into: Node, doc: Document) {
  if (node.nodeType === Node.TEXT_NODE) {
    into.appendChild(doc.createTextNode(node.textContent ?? ''));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const element = node as Element;
  const tag = element.tagName.toUpperCase();
  if (DROP.has(tag)) return;
  let target: Node = into;
  const kept = KEEP[tag];
  // <b style="font-weight:normal"> is Google Docs' wrapper around a whole paste, not bold.
  const notBold = tag === 'B' && /font-weight\s*:\s*(normal|[1-4]00)/i.test(element.getAttribute('style') ?? '');
  if (kept && !notBold) {
    const made = doc.createElement(kept);
    if (kept === 'a') {
      const href = element.getAttribute('href')?.trim() ?? '';
      if (!SAFE_HREF.test(href)) {
        element.childNodes.forEach((child) => copy(child, into, doc));
        return;
      }
      made.setAttribute('href', href);
    }
    into.appendChild(made);
    target = made;
  }
  for (const wrapper of styleWrappers(element)) {
    if (wrapper === kept) continue;
    const made = doc.createElement(wrapper);
    target.appendChild(made);
    target = made;
  }
  if (kept !== 'br') element.childNodes.forEach((child) => copy(child, target, doc));
}

/** The pasted HTML reduced to the composer's formatting (an inert parse: nothing runs or loads). */
export function cleanPastedHtml(html: string): string {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = document.implementation.createHTMLDocument('');
  const root = out.createElement('div');
  parsed.body.childNodes.forEach((child) => copy(child, root, out));
  return root.innerHTML;
}
