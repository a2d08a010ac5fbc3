// Plain text from an HTML body, for messages that come without a text body (Graph hands over
// one body, usually HTML): the text column feeds search and the snippet, so it needs words and
// line breaks, not layout. It is collected while sanitize.ts walks the HTML anyway, because a
// second pass over every body of a sync costs as much as the sanitising itself.

/** Elements whose end (or, for br and hr, whose presence) ends a line of text. */
const LINE_BREAKS = new Set(['br', 'hr', 'p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote', 'pre', 'ul', 'ol', 'dl', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'caption']);
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

export class TextCollector {
  private readonly parts: string[] = [];

  /** Text as sanitize-html hands it to textFilter: escaped as &amp; &lt; &gt;. */
  text(escaped: string) {
    this.parts.push(escaped);
  }

  open(tag: string) {
    if (tag === 'br' || tag === 'hr') this.parts.push('\n');
  }

  close(tag: string) {
    if (tag === 'br' || tag === 'hr') return;
    if (LINE_BREAKS.has(tag)) this.parts.push('\n');
    // Table cells side by side stay apart as words.
    else if (tag === 'td' || tag === 'th') this.parts.push(' ');
  }

  result(): string {
    return this.parts
      .join('')
      .replace(/&(?:amp|lt|gt|quot);/g, (entity) => ENTITIES[entity])
      // Runs of white space, and any single one that is not a plain space (most words are
      // separated by one space, and leaving those alone is what keeps this cheap).
      .replace(/[ \t\f\v\r\u00a0]{2,}|[\t\f\v\r\u00a0]/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}
