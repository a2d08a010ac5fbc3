// Folder kinds: the same words for Gmail system labels and Graph well-known folders.
export const FOLDER_KINDS = ['inbox', 'sent', 'drafts', 'starred', 'archive', 'spam', 'trash', 'custom'] as const;
export type FolderKind = (typeof FOLDER_KINDS)[number];
