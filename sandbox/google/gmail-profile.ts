// users.getProfile: the address, totals and the current historyId a sync starts from.
import type { Router, SandboxState } from '../core/types';
import { gmailMethod } from './gmail-route';

export function mountProfile(router: Router, state: SandboxState) {
  gmailMethod(router, state)('GET', '/profile', 'gmail.users.getProfile', 'labels', (call) => {
    const all = call.mailbox.list({ includeSpamTrash: true });
    call.ok({
      emailAddress: call.user.email,
      messagesTotal: call.mailbox.count(),
      threadsTotal: new Set(all.map((m) => m.threadId)).size,
      historyId: String(call.mailbox.seq),
    });
  });
}
