// Size limits of Graph mail and of Outlook's attachment upload sessions.
import { GraphError } from './errors';

/**
 * Graph refuses request bodies over 4 MB with 413 (sendMail, POST messages, POST attachments; the
 * docs name 4 MB for MIME payloads). 4 MiB exactly: the largest file attachment one POST can carry
 * has been measured at 3,145,611 bytes, which is 4 MiB once base64 and the JSON around it are added.
 */
export const REQUEST_LIMIT = 4 * 1024 * 1024;
/**
 * createUploadSession refuses smaller files (ErrorAttachmentSizeShouldNotBeLessThanMinimumSize).
 * The docs say "3 MB"; the measured floor is 2,097,152 bytes. Clients that follow the docs (POST
 * under 3 MB, upload session from 3 MB) work either way.
 */
export const UPLOAD_SESSION_MIN = 2 * 1024 * 1024;
/** Exchange Online's default maximum message size (tenants can raise it to 150 MB). */
export const MESSAGE_SIZE_LIMIT = 35 * 1024 * 1024;
/** How long an uploadUrl (and the token in it) stays valid. */
export const UPLOAD_SESSION_TTL_MS = 60 * 60 * 1000;

export const requestTooLarge = () => new GraphError(413, 'ErrorRequestEntityTooLarge', 'The maximum request length supported is 4MB.');
export const messageTooLarge = () => new GraphError(400, 'ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.');
