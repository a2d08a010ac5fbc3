// mailsplit and libmime (both postalsys, the parsers behind mailparser) ship without type
// declarations. An ambient `declare module` could clash with another half of the sandbox
// declaring the same module, so the few members used here are typed locally instead.
import type { Transform } from 'node:stream';

export interface MailsplitHeaders {
  getList(): { key: string; line: Buffer | string }[];
  getFirst(key: string): string;
}

export interface MailsplitNode {
  type: 'node';
  root: boolean;
  parentNode?: MailsplitNode;
  headers: MailsplitHeaders;
  contentType: string | false;
  multipart: string | false;
  disposition: string | false;
  filename: string | false;
  getDecoder(): Transform;
}

export type MailsplitChunk = MailsplitNode | { type: 'data'; value: Buffer } | { type: 'body'; value: Buffer; node: MailsplitNode };

interface MailsplitModule {
  Splitter: new (options?: { ignoreEmbedded?: boolean }) => Transform;
}

interface LibmimeModule {
  decodeWords(value: string): string;
  encodeWord(value: string, mimeWordEncoding?: 'Q' | 'B'): string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const mailsplit = require('mailsplit') as MailsplitModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const libmime = require('libmime') as LibmimeModule;
