// Raw MIME → Gmail's `payload` part tree. mailsplit does the MIME splitting and transfer
// decoding; this file only shapes its nodes the way Gmail numbers and describes parts.
import { mailsplit, libmime, type MailsplitChunk, type MailsplitNode } from './vendor';
import { toBase64Url } from './format';

export interface GmailHeader {
  name: string;
  value: string;
}

export interface GmailPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: GmailHeader[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: GmailPart[];
}

interface SplitNode {
  node: MailsplitNode;
  children: SplitNode[];
  chunks: Buffer[];
}

/** A part's decoded bytes, kept so attachments.get can serve them by part id. */
export interface ParsedMessage {
  payload: GmailPart;
  /** partId → decoded content of every leaf part. */
  contents: Map<string, Buffer>;
}

async function split(raw: Buffer): Promise<SplitNode | undefined> {
  // Embedded message/rfc822 parts stay leaves, as Gmail serves them (one attachment).
  const splitter = new mailsplit.Splitter({ ignoreEmbedded: true });
  const byNode = new Map<MailsplitNode, SplitNode>();
  let root: SplitNode | undefined;
  await new Promise<void>((resolve, reject) => {
    splitter.on('data', (chunk: MailsplitChunk) => {
      if (chunk.type === 'node') {
        const entry: SplitNode = { node: chunk, children: [], chunks: [] };
        byNode.set(chunk, entry);
        const parent = chunk.parentNode && byNode.get(chunk.parentNode);
        if (parent) parent.children.push(entry);
        else root ??= entry;
      } else if (chunk.type === 'body') {
        byNode.get(chunk.node)?.chunks.push(chunk.value);
      }
    });
    splitter.on('end', resolve);
    splitter.on('error', reject);
    splitter.end(raw);
  });
  return root;
}

function decode(entry: SplitNode): Promise<Buffer> {
  const decoder = entry.node.getDecoder();
  const out: Buffer[] = [];
  return new Promise((resolve, reject) => {
    decoder.on('data', (chunk: Buffer) => out.push(chunk));
    decoder.on('end', () => resolve(Buffer.concat(out)));
    decoder.on('error', reject);
    for (const chunk of entry.chunks) decoder.write(chunk);
    decoder.end();
  });
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Headers in their original order and case, unfolded, encoded-words decoded (as Gmail lists them). */
export function headersOf(node: MailsplitNode): GmailHeader[] {
  return node.headers.getList().map(({ line }) => {
    // mailsplit keeps header lines as binary strings; raw UTF-8 (SMTPUTF8) must be re-read.
    const text = Buffer.from(String(line), 'binary').toString('utf8').replace(/\r?\n(?=[ \t])/g, '');
    const colon = text.indexOf(':');
    return colon < 0 ? { name: text.trim(), value: '' } : { name: text.slice(0, colon).trim(), value: decodeWords(text.slice(colon + 1).trim()) };
  });
}

export function attachmentIdFor(messageId: string, partId: string): string {
  // Opaque to clients, as Gmail's are; it names the part so no server-side table is needed.
  return 'ANGjdJ' + Buffer.from(`${messageId}:${partId}`).toString('base64url');
}

export function parseAttachmentId(attachmentId: string): { messageId: string; partId: string } | undefined {
  if (!attachmentId.startsWith('ANGjdJ')) return undefined;
  const [messageId, partId] = Buffer.from(attachmentId.slice(6), 'base64url').toString('utf8').split(':');
  return messageId && partId !== undefined ? { messageId, partId } : undefined;
}

function mimeTypeOf(node: MailsplitNode): string {
  return node.contentType || 'text/plain';
}

/**
 * Builds the part tree: the root has partId "", its children "0", "1", …, grandchildren
 * "0.0" and so on. Multipart containers carry `body: { size: 0 }` and `parts`; leaves carry
 * the decoded size and either `data` or, for parts with a file name, an `attachmentId`.
 */
export async function parseMessage(raw: Buffer, messageId: string): Promise<ParsedMessage> {
  const root = await split(raw);
  const contents = new Map<string, Buffer>();
  if (!root) {
    return { payload: { partId: '', mimeType: 'text/plain', filename: '', headers: [], body: { size: 0 } }, contents };
  }
  const build = async (entry: SplitNode, partId: string): Promise<GmailPart> => {
    const node = entry.node;
    const filename = node.filename ? String(node.filename) : '';
    const part: GmailPart = { partId, mimeType: mimeTypeOf(node), filename, headers: headersOf(node), body: { size: 0 } };
    if (node.multipart) {
      const prefix = partId === '' ? '' : `${partId}.`;
      part.parts = await Promise.all(entry.children.map((child, i) => build(child, `${prefix}${i}`)));
      return part;
    }
    const bytes = await decode(entry);
    contents.set(partId, bytes);
    if (filename) part.body = { attachmentId: attachmentIdFor(messageId, partId), size: bytes.length };
    else if (bytes.length) part.body = { size: bytes.length, data: toBase64Url(bytes) };
    return part;
  };
  return { payload: await build(root, ''), contents };
}

/** Only the top-level headers: cheap enough for format=metadata and for send. */
export async function parseHeaders(raw: Buffer): Promise<{ mimeType: string; headers: GmailHeader[] }> {
  // The header block ends at the first empty line; splitting just that keeps large bodies out.
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') + 4 : raw.indexOf('\n\n') >= 0 ? raw.indexOf('\n\n') + 2 : raw.length;
  const root = await split(Buffer.concat([raw.subarray(0, end), Buffer.from('\r\n')]));
  if (!root) return { mimeType: 'text/plain', headers: [] };
  return { mimeType: mimeTypeOf(root.node), headers: headersOf(root.node) };
}
