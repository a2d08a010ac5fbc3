// A real provider adapter with some of its sync methods replaced, for tests that make a sync
// fail, crash or report at a chosen point while everything else talks to the sandbox.
import type { MailSync } from '../../../src/server/providers/sync-types';
import type { MailProvider } from '../../../src/server/providers/types';

/**
 * `real` with `methods` in place of its sync's own (they may call `real.sync`). With
 * `finalErrors`, whatever they throw ends the run at once, as a rejected call would, instead
 * of being retried as a temporary failure.
 */
export function withSync(real: MailProvider, methods: Partial<MailSync>, { finalErrors = false } = {}): MailProvider {
  const sync = Object.assign(Object.create(real.sync), methods);
  const errors = finalErrors ? { classifyError: () => 'rejected', describeError: (e: Error) => e.message } : {};
  return Object.assign(Object.create(real), { sync, ...errors }) as MailProvider;
}
