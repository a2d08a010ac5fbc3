// Messages: list (per folder or whole mailbox), get with $select/$expand, PATCH of flags and
// categories (and of a draft's subject, body, recipients and internetMessageId), move/copy,
// delete (to Deleted Items, as Outlook does), raw MIME and attachments.
import type { MessageState, RequestContext } from '../core/types';
import { GraphError, badRequest, notFound } from './errors';
import { findFolder, folderOfKind, requireFolder } from './folders';
import { attachmentIndex, checkSelect, formatAttachment, formatMessage } from './format';
import type { GraphMessageInput } from './compose';
import { DRAFT_PROPERTIES, patchDraft } from './draft-edit';
import type { GraphApi, GraphContext } from './pipeline';
import { parseExpand, parseFilter, parseIntParam, parsePrefer, parseSelect, queryString } from './odata';

const LIST_PAGE = 10;
const MAX_TOP = 1000;
const FLAG_STATUSES = new Set(['notFlagged', 'flagged', 'complete']);

export function requireMessage(g: GraphContext, id: string): MessageState {
  const message = g.mailbox.get(id);
  if (!message) throw notFound();
  return message;
}

/** Flag "complete" has no place in MessageState: remembered here per mailbox and message. */
export class FlagMemory {
  private readonly complete = new Set<string>();
  status = (email: string) => (m: MessageState) => (this.complete.has(`${email}|${m.id}`) && !m.starred ? 'complete' : undefined);
  set(email: string, id: string, status: string) {
    if (status === 'complete') this.complete.add(`${email}|${id}`);
    else this.complete.delete(`${email}|${id}`);
  }
}

async function render(ctx: RequestContext, g: GraphContext, m: MessageState, flags: FlagMemory) {
  const select = parseSelect(ctx.query);
  checkSelect(select);
  const prefs = parsePrefer(ctx);
  const body = await formatMessage(g.mailbox, m, { select, bodyContentType: prefs.bodyContentType, flagStatus: flags.status(g.user.email) });
  if (parseExpand(ctx.query).includes('attachments')) {
    const content = await g.mailbox.content(m.id);
    body.attachments = content.attachments.map((a, i) => formatAttachment(m, a, i));
  }
  const headers: Record<string, string> = prefs.bodyContentType ? { 'preference-applied': `outlook.body-content-type="${prefs.bodyContentType}"` } : {};
  return { body, headers };
}

async function list(ctx: RequestContext, g: GraphContext, flags: FlagMemory, folderIdOrName?: string) {
  const folder = folderIdOrName === undefined ? undefined : requireFolder(g.mailbox, folderIdOrName);
  const select = parseSelect(ctx.query);
  checkSelect(select);
  const filter = parseFilter(ctx.query.get('$filter'));
  const top = parseIntParam(ctx.query, '$top', LIST_PAGE, MAX_TOP);
  const skip = parseIntParam(ctx.query, '$skip', 0);
  const orderby = (ctx.query.get('$orderby') || 'receivedDateTime desc').trim();
  if (!/^receivedDateTime(\s+(asc|desc))?$/i.test(orderby)) throw badRequest(`The $orderby '${orderby}' is not supported.`, 'ErrorInvalidUrlQuery');
  let all = g.mailbox.list({ folderIds: folder ? [folder.id] : undefined, includeSpamTrash: true });
  if (filter) all = all.filter(filter.test);
  if (/\basc$/i.test(orderby)) all = all.slice().reverse();
  const prefs = parsePrefer(ctx);
  const value = [];
  for (const m of all.slice(skip, skip + top)) {
    value.push(await formatMessage(g.mailbox, m, { select, bodyContentType: prefs.bodyContentType, flagStatus: flags.status(g.user.email) }));
  }
  const path = folder ? `/mailFolders/${encodeURIComponent(folderIdOrName as string)}/messages` : '/messages';
  const body: Record<string, unknown> = { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages`, value };
  if (ctx.query.get('$count') === 'true') body['@odata.count'] = all.length;
  if (skip + top < all.length) {
    body['@odata.nextLink'] = `${g.root}${path}${queryString({
      $select: select?.join(','),
      $filter: filter?.source,
      $orderby: ctx.query.get('$orderby') ?? undefined,
      $top: top,
      $skip: skip + top,
    })}`;
  }
  g.json(200, body);
}

interface MessagePatch {
  isRead?: unknown;
  flag?: { flagStatus?: unknown };
  categories?: unknown;
}

async function patch(ctx: RequestContext, g: GraphContext, flags: FlagMemory) {
  const m = requireMessage(g, ctx.params.id);
  const body = await ctx.json<MessagePatch>();
  const change: { read?: boolean; starred?: boolean; addLabels?: string[]; removeLabels?: string[] } = {};
  if (body.isRead !== undefined) {
    if (typeof body.isRead !== 'boolean') throw badRequest("Invalid value for property 'isRead'.", 'ErrorInvalidProperty');
    change.read = body.isRead;
  }
  if (body.flag !== undefined) {
    const status = body.flag?.flagStatus;
    if (typeof status !== 'string' || !FLAG_STATUSES.has(status)) throw badRequest(`Invalid value '${String(status)}' for property 'flagStatus'.`, 'ErrorInvalidProperty');
    change.starred = status === 'flagged';
    flags.set(g.user.email, m.id, status);
  }
  if (body.categories !== undefined) {
    if (!Array.isArray(body.categories) || body.categories.some((c) => typeof c !== 'string')) throw badRequest("Invalid value for property 'categories'.", 'ErrorInvalidProperty');
    // Categories live in the state's labels, so a change is logged and shows up in delta.
    const next = [...new Set(body.categories as string[])];
    change.addLabels = next.filter((c) => !m.labels.includes(c));
    change.removeLabels = m.labels.filter((c) => !next.includes(c));
  }
  if (DRAFT_PROPERTIES.some((name) => (body as Record<string, unknown>)[name] !== undefined)) {
    if (m.folderId !== folderOfKind(g.mailbox, 'drafts').id) {
      throw badRequest('Update operation is invalid for property of a sent message.', 'ErrorInvalidPropertyUpdateSentMessage');
    }
    await patchDraft(g.mailbox, m, body as GraphMessageInput, g.user);
  }
  const updated = g.mailbox.modify(m.id, change);
  if (!updated) throw notFound();
  const out = await render(ctx, g, updated, flags);
  g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages/$entity`, ...out.body }, out.headers);
}

async function destination(ctx: RequestContext, g: GraphContext) {
  const body = await ctx.json<{ destinationId?: unknown }>();
  if (typeof body.destinationId !== 'string' || !body.destinationId) throw badRequest("The property 'destinationId' is required.", 'ErrorInvalidRequest');
  const folder = findFolder(g.mailbox, body.destinationId);
  if (!folder) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return folder;
}

export function mountMessages(api: GraphApi, flags: FlagMemory) {
  api.route('GET', '/messages', 'graph.messages.list', 'read', (ctx, g) => list(ctx, g, flags));
  api.route('GET', '/mailFolders/:folderId/messages', 'graph.messages.list', 'read', (ctx, g) => list(ctx, g, flags, ctx.params.folderId));

  const get = async (ctx: RequestContext, g: GraphContext) => {
    const out = await render(ctx, g, requireMessage(g, ctx.params.id), flags);
    g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages/$entity`, ...out.body }, out.headers);
  };
  api.route('GET', '/messages/:id', 'graph.messages.get', 'read', get);
  api.route('GET', '/mailFolders/:folderId/messages/:id', 'graph.messages.get', 'read', get);
  api.route('PATCH', '/messages/:id', 'graph.messages.update', 'write', (ctx, g) => patch(ctx, g, flags));

  api.route('DELETE', '/messages/:id', 'graph.messages.delete', 'write', (_ctx, g) => {
    const m = requireMessage(g, _ctx.params.id);
    const trash = folderOfKind(g.mailbox, 'trash');
    // Outlook moves a deleted item to Deleted Items; deleting it there removes it.
    if (m.folderId === trash.id) g.mailbox.remove(m.id);
    else g.mailbox.modify(m.id, { folderId: trash.id });
    g.send(204);
  });
  api.route('POST', '/messages/:id/permanentDelete', 'graph.messages.permanentDelete', 'write', (ctx, g) => {
    g.mailbox.remove(requireMessage(g, ctx.params.id).id);
    g.send(204);
  });

  api.route('POST', '/messages/:id/move', 'graph.messages.move', 'write', async (ctx, g) => {
    const m = requireMessage(g, ctx.params.id);
    const folder = await destination(ctx, g);
    const moved = g.mailbox.modify(m.id, { folderId: folder.id }) as MessageState;
    const out = await render(ctx, g, moved, flags);
    g.json(201, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages/$entity`, ...out.body });
  });
  api.route('POST', '/messages/:id/copy', 'graph.messages.copy', 'write', async (ctx, g) => {
    const m = requireMessage(g, ctx.params.id);
    const folder = await destination(ctx, g);
    const copy = await g.mailbox.insert({ raw: await g.mailbox.raw(m.id), folderId: folder.id, read: m.read, threadId: m.threadId, labels: m.labels, date: m.date });
    const out = await render(ctx, g, copy, flags);
    g.json(201, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages/$entity`, ...out.body });
  });

  api.route('GET', '/messages/:id/$value', 'graph.messages.mime', 'read', async (ctx, g) => {
    const raw = await g.mailbox.raw(requireMessage(g, ctx.params.id).id);
    g.send(200, raw, { 'content-type': 'text/plain' });
  });

  api.route('GET', '/messages/:id/attachments', 'graph.attachments.list', 'read', async (ctx, g) => {
    const m = requireMessage(g, ctx.params.id);
    const select = parseSelect(ctx.query);
    const content = await g.mailbox.content(m.id);
    const value = content.attachments.map((a, i) => {
      const full: Record<string, unknown> = formatAttachment(m, a, i, !select || select.includes('contentBytes'));
      return select ? Object.fromEntries(Object.entries(full).filter(([k]) => k.startsWith('@') || k === 'id' || select.includes(k))) : full;
    });
    g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages('${m.id}')/attachments`, value });
  });
  const attachment = async (ctx: RequestContext, g: GraphContext) => {
    const m = requireMessage(g, ctx.params.id);
    const index = attachmentIndex(m.id, ctx.params.attachmentId);
    const content = await g.mailbox.content(m.id);
    const found = content.attachments[index];
    if (!found) throw notFound();
    return { m, found, index };
  };
  api.route('GET', '/messages/:id/attachments/:attachmentId', 'graph.attachments.get', 'read', async (ctx, g) => {
    const { m, found, index } = await attachment(ctx, g);
    g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages('${m.id}')/attachments/$entity`, ...formatAttachment(m, found, index) });
  });
  api.route('GET', '/messages/:id/attachments/:attachmentId/$value', 'graph.attachments.get', 'read', async (ctx, g) => {
    const { found } = await attachment(ctx, g);
    g.send(200, found.content, { 'content-type': found.contentType });
  });
}
