// Last line of defence for anything the plugin logs or answers: every secret value known at
// that point (client secret, code, verifier, tokens) is cut out of the text, whatever
// produced it. Messages are built from safe parts in the first place; this catches the rest.
const MIN_SECRET_LENGTH = 6;

export function redact(text: string, secrets: Array<string | undefined | null>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]');
  }
  return out;
}

const MAX_REASON = 300;

/** A provider failure as one safe, short line: described by the adapter, secrets cut, then shortened. */
export function safeReason(adapter: { describeError(err: unknown): string }, err: unknown, secrets: Array<string | undefined | null>): string {
  const text = redact(adapter.describeError(err), secrets);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
