// The Microsoft half of the sandbox: Entra ID (/{tenant}/oauth2/v2.0/…) and Graph mail
// (/v1.0/…) on one https origin, as msal-node and the Graph client expect.
import type { Router, SandboxState } from '../core/types';
import { mountBatch } from './batch';
import { GraphApi, responder } from './pipeline';
import { GraphError } from './errors';
import { mountAttachments } from './graph-attachments';
import { mountDelta } from './graph-delta';
import { mountFolders } from './graph-folders';
import { mountMe } from './graph-me';
import { FlagMemory, mountMessages } from './graph-messages';
import { mountSend } from './graph-send';
import { mountIdentity } from './identity';
import { UploadSessions, mountUploadUrls } from './upload-session';

export { MailboxThrottle, OUTLOOK_LIMITS } from './throttle';
export { BATCH_LIMIT } from './batch';
export { DELTA_PAGE } from './graph-delta';
export { REQUEST_LIMIT, UPLOAD_SESSION_MIN, MESSAGE_SIZE_LIMIT } from './limits';

export function mountMicrosoft(router: Router, state: SandboxState, options: { baseUrl: string }): GraphApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  mountIdentity(router, state, baseUrl);
  const api = new GraphApi(router, state, baseUrl);
  mountMe(api);
  mountFolders(api);
  // Delta before the message routes: /messages/delta must not be read as a message id.
  mountDelta(api);
  mountMessages(api, new FlagMemory());
  mountSend(api);
  const sessions = new UploadSessions(baseUrl);
  mountAttachments(api, sessions);
  mountUploadUrls(router, state, sessions);
  mountBatch(router, state);
  // Anything else under /v1.0 is a segment Graph does not know.
  router.on('*', '/v1.0/*', (ctx) => {
    const segment = ctx.params['*'].split('/').pop() || '';
    responder(ctx).fail(new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`));
  });
  return api;
}
