// Who counts as a mail administrator: a role holding the settings snippet (root holds all).
// Checked inside handlers too, not only by the ACL: a role whose data strategy says "view
// everything" would otherwise pass the ACL for list/get on the plugin's collections.
import type { Context } from '@nocobase/actions';
import { SETTINGS_SNIPPET } from '../../shared/constants';
import { MailApiError } from '../errors';

interface AclRoleLike {
  /** Snippet names the role holds, its wildcards (pm.*) expanded. */
  effectiveSnippets?(): { allowed: string[] };
}

export function isMailAdmin(ctx: Context): boolean {
  const roles: string[] = ctx.state?.currentRoles || (ctx.state?.currentRole ? [ctx.state.currentRole] : []);
  if (roles.includes('root')) return true;
  const acl = ctx.app.acl;
  return roles.some((name) => {
    const role = acl.getRole(name) as unknown as AclRoleLike | undefined;
    return !!role?.effectiveSnippets?.().allowed.includes(SETTINGS_SNIPPET);
  });
}

export function requireMailAdmin(ctx: Context) {
  if (!isMailAdmin(ctx)) throw new MailApiError('E_FORBIDDEN', 'Only administrators of the email manager may do this.', 403);
}
