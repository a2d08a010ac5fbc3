// mailparser reads almost anything without complaint: a multipart cut off mid-attachment comes
// back with a short attachment, bad base64 with garbage, a message without headers with its
// body taken for headers. This scan of the MIME structure notices those, so the message is
// stored flagged (malformed + parseError) instead of silently wrong.

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/**
 * Bytes allowed on a line of a base64 body: the alphabet, padding and white space (NBSP too,
 * which some mailers put there). A table over bytes rather than a regular expression or a
 * string: the scan reads every byte of every attachment, so it works on the Buffer itself.
 */
const BASE64_LINE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n\v\f') BASE64_LINE[c.charCodeAt(0)] = 1;
BASE64_LINE[0xa0] = 1;

function isBase64Line(raw: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!BASE64_LINE[raw[i]]) return false;
  return true;
}

interface PartHeaders {
  boundary?: string;
  base64: boolean;
}

function readPartHeaders(lines: string[]): PartHeaders {
  // Unfold: a line starting with white space continues the previous header.
  const unfolded = lines.join('\n').replace(/\n[ \t]+/g, ' ');
  const type = /^content-type[ \t]*:(.*)$/im.exec(unfolded)?.[1] ?? '';
  const boundary = /^\s*multipart\//i.test(type) ? /boundary[ \t]*=[ \t]*(?:"([^"]+)"|([^;\s]+))/i.exec(type) : null;
  return {
    boundary: boundary ? boundary[1] ?? boundary[2] : undefined,
    base64: /^content-transfer-encoding[ \t]*:[ \t]*base64\b/im.test(unfolded),
  };
}

/** What is structurally wrong with a raw message, in a few words; undefined when nothing is. */
export function mimeProblem(raw: Buffer): string | undefined {
  if (!raw.length) return 'the message is empty';
  // Line by line over the bytes: only header lines and "--" lines become (latin1) strings. A
  // string of the whole message split at "\n" would copy every attachment twice.
  const firstEnd = raw.indexOf(0x0a);
  if (!HEADER_LINE.test(raw.toString('latin1', 0, firstEnd === -1 ? raw.length : firstEnd))) return 'the message has no header section';

  const open: string[] = []; // boundaries of the multiparts we are inside, outermost first
  let headerLines: string[] | undefined = []; // set while reading a part's headers
  let part: PartHeaders = { base64: false };
  let problem: string | undefined;

  for (let start = 0; start <= raw.length; ) {
    const newline = raw.indexOf(0x0a, start);
    const next = newline === -1 ? raw.length + 1 : newline + 1;
    let end = newline === -1 ? raw.length : newline;
    if (end > start && raw[end - 1] === 0x0d) end--;
    const lineAt = start;
    start = next;
    if (headerLines) {
      if (end > lineAt) {
        headerLines.push(raw.toString('latin1', lineAt, end));
        continue;
      }
      part = readPartHeaders(headerLines);
      headerLines = undefined;
      if (part.boundary) open.push(part.boundary);
      continue;
    }
    if (open.length && end - lineAt >= 2 && raw[lineAt] === 0x2d && raw[lineAt + 1] === 0x2d) {
      const depth = delimiterDepth(open, raw.toString('latin1', lineAt, end));
      if (depth) {
        const { index, closing } = depth;
        if (index < open.length - 1) problem ??= 'a nested multipart is not closed';
        open.length = closing ? index : index + 1;
        if (closing) part = { base64: false };
        else headerLines = [];
        continue;
      }
    }
    if (part.base64 && problem === undefined && !isBase64Line(raw, lineAt, end)) problem = 'a base64 part contains invalid characters';
  }
  if (open.length) return 'the multipart body is truncated (its closing boundary is missing)';
  return problem;
}

/** Which open boundary a "--boundary" or "--boundary--" line belongs to, innermost first. */
function delimiterDepth(open: string[], line: string): { index: number; closing: boolean } | undefined {
  for (let index = open.length - 1; index >= 0; index--) {
    const marker = `--${open[index]}`;
    if (!line.startsWith(marker)) continue;
    const rest = line.slice(marker.length);
    if (rest.startsWith('--')) return { index, closing: true };
    if (rest.trim() === '') return { index, closing: false };
  }
  return undefined;
}
