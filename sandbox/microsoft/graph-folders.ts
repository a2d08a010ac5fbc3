// /me/mailFolders: top-level folders, child folders, one folder, creation, and folder delta.
import { createHash } from 'node:crypto';
import type { Mailbox, RequestContext } from '../core/types';
import { GraphError, badRequest } from './errors';
import { childrenOf, folderCounts, formatFolder, formatRoot, resolveFolder } from './folders';
import type { GraphApi, GraphContext } from './pipeline';
import { parseIntParam, parseSelect, queryString } from './odata';

/** Graph pages folder lists by 10 unless $top says otherwise. */
const FOLDER_PAGE = 10;

function pick(item: Record<string, unknown>, select: string[] | undefined) {
  if (!select) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => k === 'id' || select.includes(k)));
}

function listFolders(ctx: RequestContext, g: GraphContext, parentIdOrName: string | undefined, path: string) {
  const parent = parentIdOrName === undefined ? 'root' : resolveFolder(g.mailbox, parentIdOrName);
  const top = parseIntParam(ctx.query, '$top', FOLDER_PAGE, 1000);
  const skip = parseIntParam(ctx.query, '$skip', 0);
  const select = parseSelect(ctx.query);
  const counts = folderCounts(g.mailbox);
  const all = childrenOf(g.mailbox, parent);
  const page = all.slice(skip, skip + top).map((f) => pick(formatFolder(g.mailbox, f, counts), select));
  const body: Record<string, unknown> = { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/mailFolders`, value: page };
  if (skip + top < all.length) body['@odata.nextLink'] = `${g.root}${path}${queryString({ $top: ctx.query.get('$top') ?? undefined, $select: select?.join(','), $skip: skip + top })}`;
  g.json(200, body);
}

async function createFolder(ctx: RequestContext, g: GraphContext, parentIdOrName: string | undefined) {
  const parent = parentIdOrName === undefined ? 'root' : resolveFolder(g.mailbox, parentIdOrName);
  const body = await ctx.json<{ displayName?: unknown }>();
  const name = typeof body.displayName === 'string' ? body.displayName.trim() : '';
  if (!name) throw badRequest("The property 'displayName' is required.", 'ErrorInvalidRequest');
  if (childrenOf(g.mailbox, parent).some((f) => f.name.toLowerCase() === name.toLowerCase())) {
    throw new GraphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  const folder = g.mailbox.addFolder({ name, parentId: parent === 'root' ? undefined : parent.id });
  g.json(201, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/mailFolders/$entity`, ...formatFolder(g.mailbox, folder) });
}

/** A folder's fingerprint in a folder delta token: name, place and counts. */
function fingerprints(mailbox: Mailbox) {
  const counts = folderCounts(mailbox);
  const out: Record<string, string> = {};
  for (const f of mailbox.folders) {
    const c = counts.get(f.id);
    out[f.id] = createHash('sha1').update(`${f.name}|${f.parentId || ''}|${c?.total || 0}|${c?.unread || 0}`).digest('base64url').slice(0, 10);
  }
  return out;
}

function folderDelta(ctx: RequestContext, g: GraphContext) {
  const token = ctx.query.get('$deltatoken');
  let seen: Record<string, string> = {};
  if (token) {
    try {
      seen = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      throw new GraphError(400, 'ErrorInvalidUrlQuery', 'The delta token is malformed.');
    }
  }
  const now = fingerprints(g.mailbox);
  const counts = folderCounts(g.mailbox);
  const value: Record<string, unknown>[] = g.mailbox.folders
    .filter((f) => seen[f.id] !== now[f.id])
    .map((f) => ({ '@odata.type': '#microsoft.graph.mailFolder', ...formatFolder(g.mailbox, f, counts) }));
  for (const id of Object.keys(seen)) if (!(id in now)) value.push({ '@odata.type': '#microsoft.graph.mailFolder', id, '@removed': { reason: 'deleted' } });
  g.json(200, {
    '@odata.context': `${g.baseUrl}/v1.0/$metadata#Collection(mailFolder)`,
    value,
    '@odata.deltaLink': `${g.root}/mailFolders/delta?$deltatoken=${Buffer.from(JSON.stringify(now)).toString('base64url')}`,
  });
}

export function mountFolders(api: GraphApi) {
  api.route('GET', '/mailFolders', 'graph.mailFolders.list', 'read', (ctx, g) => listFolders(ctx, g, undefined, '/mailFolders'));
  api.route('POST', '/mailFolders', 'graph.mailFolders.create', 'write', (ctx, g) => createFolder(ctx, g, undefined));
  api.route('GET', '/mailFolders/delta', 'graph.mailFolders.delta', 'read', folderDelta);
  api.route('GET', '/mailFolders/:folderId', 'graph.mailFolders.get', 'read', (ctx, g) => {
    const folder = resolveFolder(g.mailbox, ctx.params.folderId);
    const body = folder === 'root' ? formatRoot(g.mailbox) : formatFolder(g.mailbox, folder);
    g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/mailFolders/$entity`, ...pick(body, parseSelect(ctx.query)) });
  });
  api.route('GET', '/mailFolders/:folderId/childFolders', 'graph.mailFolders.childFolders', 'read', (ctx, g) =>
    listFolders(ctx, g, ctx.params.folderId, `/mailFolders/${encodeURIComponent(ctx.params.folderId)}/childFolders`),
  );
  api.route('POST', '/mailFolders/:folderId/childFolders', 'graph.mailFolders.create', 'write', (ctx, g) => createFolder(ctx, g, ctx.params.folderId));
  api.route('GET', '/mailFolders/:parentId/childFolders/:folderId', 'graph.mailFolders.get', 'read', (ctx, g) => {
    const folder = resolveFolder(g.mailbox, ctx.params.folderId);
    if (folder === 'root' || folder.parentId !== resolveParentId(g.mailbox, ctx.params.parentId)) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    g.json(200, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/mailFolders/$entity`, ...pick(formatFolder(g.mailbox, folder), parseSelect(ctx.query)) });
  });
}

function resolveParentId(mailbox: Mailbox, idOrName: string) {
  const parent = resolveFolder(mailbox, idOrName);
  return parent === 'root' ? undefined : parent.id;
}
