// The state a message-delta link carries. Graph's tokens are opaque; these are too (base64url
// JSON), and they encode everything needed to resume: folder, phase, position, change sequence,
// and the $select/$filter of the first request, which later links apply without repeating them.
import { createHash } from 'node:crypto';
import { GraphError } from './errors';

export interface DeltaState {
  /** Folder id. */
  f: string;
  /** Mailbox owner (hashed), so a token cannot be replayed against another mailbox. */
  u: string;
  /** 'i': initial enumeration of the folder; 'c': changes since a sequence. */
  p: 'i' | 'c';
  /** i: the snapshot sequence the enumeration reflects; c: changes after this sequence. */
  s: number;
  /** c (while paging a round): the last sequence included in this round. */
  t?: number;
  /** i: id and date of the last message already returned. */
  c?: string;
  cd?: number;
  /** c: items of this round already returned. */
  o?: number;
  /** $select as first requested. */
  sel?: string;
  /** receivedDateTime lower bound from `$filter=receivedDateTime ge …`. */
  ge?: number;
}

export function ownerHash(email: string) {
  return createHash('sha1').update(email.toLowerCase()).digest('base64url').slice(0, 8);
}

export function encodeDelta(state: DeltaState) {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeDelta(token: string, folderId: string, email: string): DeltaState {
  let state: DeltaState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new GraphError(400, 'ErrorInvalidUrlQuery', 'The sync state is invalid.');
  }
  if (!state || typeof state !== 'object' || typeof state.s !== 'number' || (state.p !== 'i' && state.p !== 'c')) {
    throw new GraphError(400, 'ErrorInvalidUrlQuery', 'The sync state is invalid.');
  }
  if (state.f !== folderId || state.u !== ownerHash(email)) {
    throw new GraphError(400, 'ErrorInvalidUrlQuery', 'The sync state does not belong to this folder.');
  }
  return state;
}
