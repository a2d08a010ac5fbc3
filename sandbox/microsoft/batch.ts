// POST /v1.0/$batch: JSON batching. Up to 20 requests, each dispatched through the router (so
// each is authenticated, counted, throttled and fault-injected on its own). Independent requests
// run in parallel as on Graph, which is why a large batch can meet the mailbox's concurrency
// limit; `dependsOn` chains run in order and a failed dependency answers 424.
import type { RequestContext, Router, SandboxState } from '../core/types';
import { applyFaults } from '../core/faults';
import { GraphError, badRequest, faultErrorBody, graphErrorBody } from './errors';
import { authenticate, responder } from './pipeline';

export const BATCH_LIMIT = 20;

interface BatchRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
  dependsOn?: unknown;
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function validate(raw: unknown): (BatchRequest & { id: string; method: string; url: string; dependsOn: string[] })[] {
  const requests = (raw as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || !requests.length) throw badRequest('Invalid batch payload format.', 'BadRequest');
  if (requests.length > BATCH_LIMIT) throw badRequest('Number of requests inside batch exceeds the limit.', 'BadRequest');
  const ids = new Set<string>();
  return requests.map((r: BatchRequest) => {
    if (!r || typeof r !== 'object' || r.id === undefined || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw badRequest('Invalid batch payload format.', 'BadRequest');
    }
    const id = String(r.id);
    if (ids.has(id)) throw badRequest(`Batch request with Id '${id}' is a duplicate.`, 'BadRequest');
    ids.add(id);
    if (/^https?:/i.test(r.url)) throw badRequest('Batch requests must use relative URLs.', 'BadRequest');
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { ...r, id, method: r.method.toUpperCase(), url: r.url, dependsOn };
  });
}

/** Sub-response bodies: JSON stays JSON, anything else is base64 (as Graph does). */
function decodeBody(headers: Record<string, string>, body: Buffer): unknown {
  if (!body.length) return undefined;
  if ((headers['content-type'] || '').startsWith('application/json')) {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      return body.toString('base64');
    }
  }
  return body.toString('base64');
}

export function mountBatch(router: Router, state: SandboxState) {
  router.on('POST', '/v1.0/$batch', async (ctx: RequestContext) => {
    const r = responder(ctx);
    ctx.operation = 'graph.batch';
    state.counters.count('graph.batch');
    try {
      // The batch itself needs a valid token; each request inside is then checked on its own.
      ctx.user = authenticate(ctx, state).user;
      if (await applyFaults(ctx, state, 'microsoft', faultErrorBody)) return;
      const requests = validate(await ctx.json());
      const known = new Set(requests.map((q) => q.id));
      for (const q of requests) {
        for (const dep of q.dependsOn) if (!known.has(dep)) throw badRequest(`Batch request '${q.id}' depends on unknown request '${dep}'.`, 'BadRequest');
      }
      const authorization = String(ctx.req.headers.authorization || '');
      const results = new Map<string, Promise<BatchResponse>>();
      const run = (q: (typeof requests)[number]): Promise<BatchResponse> => {
        const existing = results.get(q.id);
        if (existing) return existing;
        const promise = (async () => {
          const deps = await Promise.all(q.dependsOn.map((d) => run(requests.find((x) => x.id === d) as (typeof requests)[number])));
          if (deps.some((d) => d.status >= 400)) {
            return { id: q.id, status: 424, headers: { 'content-type': 'application/json' }, body: graphErrorBody('FailedDependency', 'Failed dependency.', r.requestId) };
          }
          const headers: Record<string, string> = { authorization };
          for (const [k, v] of Object.entries(q.headers || {})) headers[k.toLowerCase()] = String(v);
          let body: Buffer | undefined;
          if (q.body !== undefined) {
            const text = typeof q.body === 'string' && !(headers['content-type'] || '').includes('json') ? q.body : JSON.stringify(q.body);
            headers['content-type'] ??= 'application/json';
            body = Buffer.from(text, 'utf8');
          }
          const url = '/v1.0' + (q.url.startsWith('/') ? '' : '/') + q.url.replace(/^\/?v1\.0(?=\/)/, '');
          const res = await router.dispatch({ method: q.method, url, headers, body });
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (k !== 'request-id' && k !== 'client-request-id') out[k === 'content-type' ? 'Content-Type' : k] = v;
          return { id: q.id, status: res.status, headers: out, body: decodeBody(res.headers, res.body) };
        })();
        results.set(q.id, promise);
        return promise;
      };
      const responses = await Promise.all(requests.map(run));
      r.json(200, { responses: responses.map((x) => (x.body === undefined ? { id: x.id, status: x.status, headers: x.headers } : x)) });
    } catch (err) {
      r.fail(err instanceof GraphError || err instanceof SyntaxError ? err : new GraphError(500, 'UnknownError', (err as Error).message));
    }
  });
}
