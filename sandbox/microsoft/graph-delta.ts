// GET /me/mailFolders/{id}/messages/delta: a first pass that enumerates the folder as of one
// change sequence, then rounds that report what changed since: current state for messages
// added or changed in the folder, `@removed` for those deleted or moved out. An expired
// sequence (mailbox.expireHistory) answers 410 SyncStateNotFound through the pipeline.
import type { Mailbox, MessageState, RequestContext } from '../core/types';
import { badRequest } from './errors';
import { requireFolder } from './folders';
import { checkSelect, formatMessage } from './format';
import type { GraphApi, GraphContext } from './pipeline';
import { parseFilter, parsePrefer, parseSelect } from './odata';
import { decodeDelta, encodeDelta, ownerHash, type DeltaState } from './delta-token';

/** Graph's page size for message delta when no odata.maxpagesize is given. */
export const DELTA_PAGE = 10;
const MAX_PAGE = 1000;

interface Listing {
  ids: string[];
  index: Map<string, number>;
}

// The first pass lists the folder once per mailbox sequence rather than once per page.
const listings = new WeakMap<Mailbox, { key: string; listing: Listing }>();

function initialListing(mailbox: Mailbox, st: DeltaState): Listing {
  const key = `${st.f}|${st.s}|${st.ge ?? ''}|${mailbox.seq}`;
  const cached = listings.get(mailbox);
  if (cached?.key === key) return cached.listing;
  const ids = mailbox
    .list({ folderIds: [st.f], includeSpamTrash: true })
    // Messages changed after the snapshot are left to the next round, which reports them.
    .filter((m) => m.seq <= st.s && (st.ge === undefined || m.date >= st.ge))
    .map((m) => m.id);
  const listing = { ids, index: new Map(ids.map((id, i) => [id, i])) };
  listings.set(mailbox, { key, listing });
  return listing;
}

function initialPage(mailbox: Mailbox, st: DeltaState, size: number) {
  const { ids, index } = initialListing(mailbox, st);
  let start = 0;
  if (st.c !== undefined) {
    const at = index.get(st.c);
    if (at !== undefined) start = at + 1;
    else {
      // The last message returned has since changed: resume by date (the listing is newest first).
      start = ids.findIndex((id) => (mailbox.get(id)?.date ?? Infinity) < (st.cd ?? Infinity));
      if (start < 0) start = ids.length;
    }
  }
  const slice = ids.slice(start, start + size);
  const items: { message?: MessageState; id: string }[] = slice.map((id) => {
    const message = mailbox.get(id);
    return { id, message: message && message.folderId === st.f ? message : undefined };
  });
  const last = slice.length ? mailbox.get(slice[slice.length - 1]) : undefined;
  const more = start + size < ids.length;
  const next: DeltaState = more
    ? { ...st, c: slice[slice.length - 1], cd: last?.date ?? st.cd }
    : { f: st.f, u: st.u, p: 'c', s: st.s, sel: st.sel, ge: st.ge };
  return { items: items.filter((i) => i.message), more, next };
}

function changesPage(mailbox: Mailbox, st: DeltaState, size: number) {
  const to = st.t ?? mailbox.seq;
  // Every message whose folder membership or flags changed in this folder, in change order.
  const lastChange = new Map<string, number>();
  for (const change of mailbox.changesSince(st.s)) {
    if (change.seq > to) break;
    if (change.folderBefore !== st.f && change.folderAfter !== st.f) continue;
    lastChange.delete(change.messageId);
    lastChange.set(change.messageId, change.seq);
  }
  const offset = st.o ?? 0;
  const touched = [...lastChange.keys()];
  const items = touched.slice(offset, offset + size).flatMap((id): { id: string; message?: MessageState }[] => {
    const message = mailbox.get(id);
    if (message && message.folderId === st.f) return st.ge !== undefined && message.date < st.ge ? [] : [{ id, message }];
    return [{ id, message: undefined }];
  });
  const more = offset + size < touched.length;
  const next: DeltaState = more ? { ...st, t: to, o: offset + size } : { f: st.f, u: st.u, p: 'c', s: to, sel: st.sel, ge: st.ge };
  return { items, more, next };
}

async function delta(ctx: RequestContext, g: GraphContext) {
  const folder = requireFolder(g.mailbox, ctx.params.folderId);
  const token = ctx.query.get('$skiptoken') ?? ctx.query.get('$deltatoken');
  let st: DeltaState;
  if (token) {
    st = decodeDelta(token, folder.id, g.user.email);
  } else {
    const select = parseSelect(ctx.query);
    checkSelect(select);
    const filter = parseFilter(ctx.query.get('$filter'));
    if (filter && !/^\s*receivedDateTime\s+(ge|gt)\s+\S+\s*$/i.test(filter.source)) {
      throw badRequest('Only receivedDateTime ge/gt filters are supported for message delta.', 'ErrorInvalidUrlQueryFilter');
    }
    st = { f: folder.id, u: ownerHash(g.user.email), p: 'i', s: g.mailbox.seq, sel: select?.join(','), ge: filter?.receivedFrom };
  }
  const prefs = parsePrefer(ctx);
  const size = Math.min(prefs.maxPageSize ?? DELTA_PAGE, MAX_PAGE);
  if (prefs.maxPageSize) prefs.applied.push(`odata.maxpagesize=${size}`);
  if (prefs.bodyContentType) prefs.applied.push(`outlook.body-content-type="${prefs.bodyContentType}"`);

  const page = st.p === 'i' ? initialPage(g.mailbox, st, size) : changesPage(g.mailbox, st, size);
  const select = st.sel ? st.sel.split(',') : undefined;
  const value: Record<string, unknown>[] = [];
  for (const item of page.items) {
    value.push(
      item.message
        ? await formatMessage(g.mailbox, item.message, { select, bodyContentType: prefs.bodyContentType, odataType: true })
        : { '@odata.type': '#microsoft.graph.message', id: item.id, '@removed': { reason: 'deleted' } },
    );
  }
  const link = `${g.root}/mailFolders/${encodeURIComponent(folder.id)}/messages/delta`;
  const body: Record<string, unknown> = { '@odata.context': `${g.baseUrl}/v1.0/$metadata#Collection(message)`, value };
  if (page.more) body['@odata.nextLink'] = `${link}?$skiptoken=${encodeDelta(page.next)}`;
  else body['@odata.deltaLink'] = `${link}?$deltatoken=${encodeDelta(page.next)}`;
  g.json(200, body, prefs.applied.length ? { 'preference-applied': prefs.applied.join(', ') } : {});
}

export function mountDelta(api: GraphApi) {
  api.route('GET', '/mailFolders/:folderId/messages/delta', 'graph.messages.delta', 'read', delta);
}
