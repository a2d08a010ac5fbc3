// A small router over node:http: exact control over status codes, headers and bodies is the
// point of an emulator, so no framework sits between the routes and the wire.
import { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { toJson } from './json';
import type { Handler, RequestContext, Router } from './types';

type Middleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void>;

interface Route {
  method: string;
  pattern: string;
  match: (segments: string[]) => Record<string, string> | undefined;
  handler: Handler;
}

function compile(pattern: string) {
  const parts = pattern.split('/').filter(Boolean);
  return (segments: string[]) => {
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '*') {
        params['*'] = segments.slice(i).join('/');
        return params;
      }
      const segment = segments[i];
      if (segment === undefined) return undefined;
      if (part.startsWith(':')) params[part.slice(1)] = segment;
      else if (part !== segment) return undefined;
    }
    return segments.length === parts.length ? params : undefined;
  };
}

function decodeSegments(path: string) {
  return path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

function createContext(req: IncomingMessage, res: ServerResponse): RequestContext {
  const url = new URL(req.url || '/', 'http://sandbox.local');
  let bodyPromise: Promise<Buffer> | undefined;
  const ctx: RequestContext = {
    req,
    res,
    method: (req.method || 'GET').toUpperCase(),
    path: url.pathname,
    params: {},
    query: url.searchParams,
    body() {
      bodyPromise ??= new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
      });
      return bodyPromise;
    },
    async json() {
      const body = await ctx.body();
      const type = String(req.headers['content-type'] || '');
      if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      if (!body.length) return {};
      return JSON.parse(body.toString('utf8'));
    },
    async form() {
      return new URLSearchParams((await ctx.body()).toString('utf8'));
    },
    bearer() {
      const header = String(req.headers.authorization || '');
      const match = /^Bearer\s+(.+)$/i.exec(header);
      return match ? match[1].trim() : undefined;
    },
    send(status, body, headers = {}) {
      if (res.headersSent) return;
      res.writeHead(status, headers);
      res.end(body);
    },
    sendJson(status, body, headers = {}) {
      ctx.send(status, toJson(body), { 'content-type': 'application/json; charset=UTF-8', ...headers });
    },
    redirect(location) {
      ctx.send(302, undefined, { location });
    },
  };
  return ctx;
}

export function createRouter(): Router {
  const routes: Route[] = [];
  const middlewares: Middleware[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const ctx = createContext(req, res);
    const segments = decodeSegments(ctx.path);
    let route: Route | undefined;
    let methodMismatch = false;
    for (const candidate of routes) {
      const params = candidate.match(segments);
      if (!params) continue;
      if (candidate.method !== ctx.method && candidate.method !== '*') {
        methodMismatch = true;
        continue;
      }
      route = candidate;
      ctx.params = params;
      break;
    }
    const run = async (index: number): Promise<void> => {
      if (index < middlewares.length) return middlewares[index](ctx, () => run(index + 1));
      if (!route) {
        ctx.sendJson(methodMismatch ? 405 : 404, { error: { code: methodMismatch ? 405 : 404, message: `No route for ${ctx.method} ${ctx.path}` } });
        return;
      }
      await route.handler(ctx);
    };
    try {
      await run(0);
      if (!res.headersSent && !res.writableEnded) ctx.send(204);
    } catch (err) {
      if (!res.headersSent) ctx.sendJson(500, { error: { code: 500, message: (err as Error).message } });
    }
  }

  async function dispatch(request: { method: string; url: string; headers: Record<string, string>; body?: Buffer }) {
    // An in-memory request through the same routes and middleware, for batch endpoints.
    const input = new PassThrough() as unknown as IncomingMessage;
    Object.assign(input, { method: request.method, url: request.url, headers: lowerKeys(request.headers) });
    (input as unknown as PassThrough).end(request.body || Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let status = 200;
    let headers: Record<string, string> = {};
    const done = new Promise<void>((resolve) => {
      const output = {
        headersSent: false,
        writableEnded: false,
        statusCode: 200,
        writeHead(code: number, h: Record<string, string> = {}) {
          status = code;
          headers = lowerKeys(h);
          this.headersSent = true;
          return this;
        },
        setHeader(name: string, value: string) {
          headers[name.toLowerCase()] = String(value);
        },
        write(chunk: Buffer | string) {
          chunks.push(Buffer.from(chunk));
          return true;
        },
        end(chunk?: Buffer | string) {
          if (chunk) chunks.push(Buffer.from(chunk));
          this.writableEnded = true;
          this.headersSent = true;
          resolve();
        },
        destroy() {
          status = 0;
          resolve();
        },
        on() {
          return this;
        },
      };
      Object.assign(input, { socket: { destroy: () => output.destroy() } });
      handle(input, output as unknown as ServerResponse).then(() => resolve(), () => resolve());
    });
    await done;
    return { status, headers, body: Buffer.concat(chunks) };
  }

  return {
    on(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), pattern, match: compile(pattern), handler });
    },
    use(middleware) {
      middlewares.push(middleware);
    },
    handle,
    dispatch,
  };
}

function lowerKeys(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
