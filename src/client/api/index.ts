// Typed hooks over the host's APIClient for this plugin's own resources (shared/types.ts).
export { MailApiError, toMailApiError } from './errors';
export { useActionQuery, useMutation } from './hooks';
export type { QueryState, MutationState } from './hooks';
export { useAccounts, useDeleteAccount, useLinkableProviders, useSyncAccount } from './accounts';
export { blankProvider, useProviderSettings, useSaveProvider } from './providers';
export { useMailSettings, useRoles, useSaveMailSettings } from './sync-settings';
export type { RoleOption } from './sync-settings';
export {
  forgetPendingLink,
  readPendingLink,
  redirectUriFor,
  rememberPendingLink,
  useLinkAccount,
  useRedirectUri,
} from './link';
export type { PendingLink } from './link';
export { completeLinkOnce, readCallbackQuery, useOAuthCallback } from './oauth';
export type { CallbackOutcome } from './oauth';
export {
  fetchAttachment,
  fetchUnread,
  notifyMailChanged,
  useFolders,
  useOnMailChanged,
  useParamsQuery,
  useSetRead,
  useThread,
  useThreads,
} from './mail';
export type { ListMeta, ParamsQueryState } from './mail';
export {
  destroyDraft,
  destroyOutboxRow,
  destroyUpload,
  getDraft,
  notifyDraftsChanged,
  notifyOutboxChanged,
  saveDraft,
  sendMail,
  uploadFile,
  useDrafts,
  useOnDraftsChanged,
  useOnOutboxChanged,
  useOutbox,
  useOutboxActions,
  useSendLimits,
} from './send';
