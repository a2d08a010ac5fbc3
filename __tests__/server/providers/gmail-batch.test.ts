// parseBatchResponse reads each message's `raw` straight from the answer's bytes. Whatever the
// bytes, what it returns must be what JSON.parse and Buffer.from(raw, 'base64url') would give:
// the fast path is only a shortcut.
import { describe, expect, it } from 'vitest';
import { parseBatchResponse } from '../../../src/server/providers/gmail/batch';

const BOUNDARY = 'batch_abc';

/** A batch answer whose parts carry these JSON bodies, as written (escapes and all). */
function answer(bodies: string[]): Buffer {
  const parts = bodies.map(
    (body, i) => `--${BOUNDARY}\r\nContent-Type: application/http\r\nContent-ID: <response-item${i}>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${body}\r\n`,
  );
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`, 'utf8');
}

// The last three bytes encode as "++//" ("--__" in base64url): every message has both alphabets' odd characters.
const mime = (n: number) => Buffer.concat([Buffer.from(`Subject: message ${n}\r\n\r\n${'body ünïcode ✓ '.repeat(n)}\r\n`), Buffer.from([0xfb, 0xef, 0xff])]);
/** The fifth character as a \u escape, and every "/" as "\/": JSON that means the same text. */
const escaped = (text: string) => `${text.slice(0, 4)}\\u00${text.charCodeAt(4).toString(16)}${text.slice(5)}`.replace(/\//g, '\\/');
const plain = (bytes: Buffer) => bytes.toString('base64url');
const padded = (bytes: Buffer) => bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

describe('parseBatchResponse', () => {
  const cases: Array<[string, string]> = [
    ['unpadded base64url', plain(mime(1))],
    ['padded base64url, as Gmail sends it', padded(mime(2))],
    ['the standard alphabet', mime(3).toString('base64')],
    ['JSON escapes ("\\/", "\\u0041")', escaped(mime(4).toString('base64'))],
    ['a line break inside the text', `${plain(mime(5)).slice(0, 8)}\\n${plain(mime(5)).slice(8)}`],
    ['one stray character past whole groups', `${plain(mime(6))} `],
    ['a byte outside ASCII', `${plain(mime(7)).slice(0, 4)}é${plain(mime(7)).slice(4)}`],
  ];

  it.each(cases)('gives the bytes JSON.parse and base64url decoding give: %s', (_name, text) => {
    const body = `{\n  "id": "m1",\n  "threadId": "t1",\n  "labelIds": ["INBOX"],\n  "raw": "${text}"\n}`;
    const parsed = parseBatchResponse(answer([body]), BOUNDARY).get(0);
    const expected = Buffer.from((JSON.parse(body) as { raw: string }).raw, 'base64url');
    expect(parsed?.status).toBe(200);
    expect((parsed?.body as { id: string }).id).toBe('m1');
    expect(parsed?.raw ?? Buffer.from((parsed?.body as { raw: string }).raw, 'base64url')).toEqual(expected);
  });

  it('keeps several messages of one answer apart', () => {
    const bodies = [1, 2, 3].map((n) => `{"id":"m${n}","raw":"${padded(mime(n))}"}`);
    const answers = parseBatchResponse(answer(bodies), BOUNDARY);
    expect([0, 1, 2].map((i) => answers.get(i)?.raw?.toString())).toEqual([1, 2, 3].map((n) => mime(n).toString()));
  });
});
