// Failure injection by rule: latency, a status code with a provider-shaped body, Retry-After,
// or a dropped connection. Rules match on provider, operation, path, method and user.
import type { FaultRule, ProviderName, RequestContext, SandboxState } from './types';

let nextId = 1;

export function createFaults() {
  let rules: FaultRule[] = [];
  return {
    add(rule: FaultRule) {
      const stored = { ...rule, id: rule.id || `fault-${nextId++}` };
      rules.push(stored);
      return stored;
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.filter((r) => r.times === undefined || r.times > 0);
    },
  };
}

function matches(rule: FaultRule, ctx: RequestContext, provider: ProviderName) {
  if (rule.times !== undefined && rule.times <= 0) return false;
  if (rule.provider && rule.provider !== provider) return false;
  if (rule.method && rule.method.toUpperCase() !== ctx.method) return false;
  if (rule.operation && rule.operation !== ctx.operation) return false;
  if (rule.path && !new RegExp(rule.path).test(ctx.path)) return false;
  if (rule.user && rule.user.toLowerCase() !== ctx.user?.email.toLowerCase()) return false;
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies the first matching rule. Latency-only rules delay and let the request go on;
 * others answer it. Returns true when the request has been answered (or dropped).
 */
export async function applyFaults(
  ctx: RequestContext,
  state: SandboxState,
  provider: ProviderName,
  errorBody: (status: number, message: string) => unknown,
): Promise<boolean> {
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  for (const rule of state.faults.list()) {
    if (!matches(rule, ctx, provider)) continue;
    if (rule.after !== undefined && rule.after > 0) {
      rule.after -= 1;
      continue;
    }
    if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
    if (rule.times !== undefined) rule.times -= 1;
    state.counters.faults += 1;
    if (rule.latencyMs) await sleep(rule.latencyMs);
    if (rule.drop) {
      ctx.req.socket?.destroy();
      ctx.res.destroy?.();
      return true;
    }
    if (!rule.status) return false;
    const headers: Record<string, string> = {};
    if (rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter);
    if (rule.status === 429 || (rule.status === 403 && ctx.operation)) state.counters.limited(ctx.operation || ctx.path);
    ctx.sendJson(rule.status, rule.body ?? errorBody(rule.status, `Injected fault ${rule.id}`), headers);
    return true;
  }
  return false;
}
