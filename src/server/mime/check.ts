// mailparser reads almost anything without complaint: a multipart cut off mid-attachment comes
// back with a short attachment, bad base64 with garbage, a message without headers with its
// body taken for headers. This scan of the MIME structure notices those, so the message is
// stored flagged (malformed + parseError) instead of silently wrong.

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/**
 * A line of a base64 body: only the alphabet, padding and white space. A loop rather than a
 * regular expression: it runs on every line of every attachment, and under NocoBase's SES
 * lockdown each regular expression call takes V8's slow path.
 */
function isBase64Line(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61 ||
      c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
    if (!ok) return false;
  }
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
  // A string separator, not /\r?\n/: NocoBase loads SES, after which V8 takes its slow path
  // for every split and replace by regular expression in the process (about 20 times slower).
  const lines = raw.toString('latin1').split('\n');
  if (!HEADER_LINE.test(lines[0])) return 'the message has no header section';

  const open: string[] = []; // boundaries of the multiparts we are inside, outermost first
  let headerLines: string[] | undefined = []; // set while reading a part's headers
  let part: PartHeaders = { base64: false };
  let problem: string | undefined;

  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (headerLines) {
      if (line !== '') {
        headerLines.push(line);
        continue;
      }
      part = readPartHeaders(headerLines);
      headerLines = undefined;
      if (part.boundary) open.push(part.boundary);
      continue;
    }
    if (line.startsWith('--') && open.length) {
      const depth = delimiterDepth(open, line);
      if (depth) {
        const { index, closing } = depth;
        if (index < open.length - 1) problem ??= 'a nested multipart is not closed';
        open.length = closing ? index : index + 1;
        if (closing) part = { base64: false };
        else headerLines = [];
        continue;
      }
    }
    if (part.base64 && problem === undefined && !isBase64Line(line)) problem = 'a base64 part contains invalid characters';
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
