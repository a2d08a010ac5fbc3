// The shortcuts the sandbox takes to stay cheap at 10,000+ messages must not change a byte on
// the wire: the header block served without building the bodies is the full message's, and
// Gmail's padded URL-safe base64 is the same however it is computed.
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../sandbox/google/format';
import { SandboxMailbox } from '../../sandbox/store/mailbox';
import { SEED_USERS } from '../../sandbox/store/users';

const ANCHOR = Date.UTC(2026, 10, 30, 12);

describe('sandbox shortcuts', () => {
  it("rawHeaders is exactly the header block of raw, for messages with and without attachments, on both providers", async () => {
    for (const email of ['alice@example.com', 'carol@contoso.example']) {
      const user = SEED_USERS.find((u) => u.email === email)!;
      const mailbox = new SandboxMailbox(user, 5, 300, ANCHOR);
      const messages = mailbox.list({ includeSpamTrash: true });
      const withAttachments = messages.filter((m) => m.hasAttachments);
      expect(withAttachments.length).toBeGreaterThan(5);
      for (const m of [...withAttachments.slice(0, 20), ...messages.slice(0, 20)]) {
        // A fresh mailbox each time, so rawHeaders cannot just read the raw cache.
        const headers = await new SandboxMailbox(user, 5, 300, ANCHOR).rawHeaders(m.id);
        const raw = await mailbox.raw(m.id);
        const end = raw.indexOf('\r\n\r\n') + 4;
        expect(headers.toString('latin1')).toBe(raw.subarray(0, end).toString('latin1'));
      }
    }
  });

  it('toBase64Url is standard base64 with the URL-safe alphabet and its padding kept', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n * 31) % 256));
      expect(toBase64Url(bytes)).toBe(bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_'));
    }
  });
});
