// Everything the app says: the system log (app.log and its children), the request log, and
// the console, captured as text so tests can assert that no secret ever shows up in it.
import type { MockServer } from '@nocobase/test';
import { Writable } from 'node:stream';
import { vi } from 'vitest';

function stringify(value: unknown): string {
  const seen = new WeakSet();
  try {
    return JSON.stringify(value, (_key, v) => {
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
      return v;
    });
  } catch {
    return String(value);
  }
}

/**
 * A bare object-mode stream piped from the logger receives every entry, whatever the levels
 * of the logger's own transports (winston filters per transport). winston wants a `log`
 * member of arity 2 on anything it adds as a transport.
 */
function collector(lines: string[]) {
  const sink = new Writable({
    objectMode: true,
    write(info: Record<string | symbol, unknown>, _encoding, callback) {
      const symbols = Object.getOwnPropertySymbols(info).map((s) => stringify(info[s]));
      lines.push([stringify(info), ...symbols].join(' '));
      callback();
    },
  });
  return Object.assign(sink, { log: (_info: unknown, next: () => void) => next() });
}

export interface Captured {
  lines: string[];
  text(): string;
  stop(): void;
}

type WinstonLike = { add(t: Writable): unknown; remove(t: Writable): unknown };

export function captureLogs(app: MockServer): Captured {
  const lines: string[] = [];
  const sink = collector(lines);
  const loggers = [app.log, (app as unknown as { requestLogger: unknown }).requestLogger].filter(Boolean) as unknown as WinstonLike[];
  for (const logger of loggers) logger.add(sink);
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(`console.${method} ${args.map(stringify).join(' ')}`);
    }),
  );
  return {
    lines,
    text: () => lines.join('\n'),
    stop() {
      for (const logger of loggers) logger.remove(sink);
      for (const spy of spies) spy.mockRestore();
    },
  };
}
