// Stands in for the plugin's HTTP API as shared/types.ts describes it, behind the real
// @nocobase/sdk APIClient (what the host's APIClient extends). Only the transport is fake:
// requests go through axios and its interceptors, answers come back as NocoBase shapes them
// (`{ data }`, or a 4xx with `{ errors: [{ code, message, field? }] }`).
import { APIClient } from '@nocobase/sdk';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type {
  LinkErrorCode,
  MailAccountDTO,
  MailProviderDTO,
  MailProviderUpdate,
  MailSettingsDTO,
  ProviderName,
} from '../../src/shared/types';

export interface Call {
  action: string;
  method: string;
  params: Record<string, unknown>;
  data: Record<string, unknown> | undefined;
}

interface Reply {
  status?: number;
  body: unknown;
}

type Handler = (call: Call) => Reply | Promise<Reply>;

export const ok = (data: unknown): Reply => ({ body: { data } });
export const fail = (status: number, code: string, message: string, field?: string): Reply => ({
  status,
  body: { errors: [{ code, message, ...(field ? { field } : {}) }] },
});

export function provider(name: ProviderName, values: Partial<MailProviderDTO> = {}): MailProviderDTO {
  return { name, enabled: false, clientId: '', clientSecretSet: false, options: {}, ...values };
}

let nextId = 1;
export function account(values: Partial<MailAccountDTO> = {}): MailAccountDTO {
  const id = nextId++;
  return {
    id,
    provider: 'google',
    address: `user${id}@example.com`,
    displayName: `User ${id}`,
    status: 'active',
    lastSyncAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    lastError: null,
    createdAt: new Date().toISOString(),
    ...values,
  };
}

export class FakeMailServer {
  providers: MailProviderDTO[] = [provider('google'), provider('microsoft')];
  linkable: ProviderName[] = [];
  settings: MailSettingsDTO = { syncIntervalMinutes: 5 };
  accounts: MailAccountDTO[] = [];
  /** The provider's answer on the callback page, for the default `mailAccounts:callback`. */
  linkedAddress = 'user@example.com';
  readonly calls: Call[] = [];
  readonly api: APIClient;
  private handlers = new Map<string, Handler>();

  constructor() {
    this.api = new APIClient({ baseURL: '/api/', storageType: 'memory', adapter: (config) => this.transport(config) });
  }

  /** Answers `action` differently from the contract's happy path. */
  on(action: string, handler: Handler) {
    this.handlers.set(action, handler);
    return this;
  }

  callsTo(action: string) {
    return this.calls.filter((call) => call.action === action);
  }

  private async transport(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const call: Call = {
      action: String(config.url).replace(/^\/?(api\/)?/, ''),
      method: String(config.method),
      params: { ...(config.params ?? {}) },
      data: typeof config.data === 'string' && config.data ? JSON.parse(config.data) : config.data,
    };
    this.calls.push(call);
    const reply = await (this.handlers.get(call.action) ?? ((c: Call) => this.contract(c)))(call);
    const response: AxiosResponse = {
      data: reply.body,
      status: reply.status ?? 200,
      statusText: '',
      headers: {},
      config,
      request: {},
    };
    if (response.status >= 400) {
      throw new AxiosError(`Request failed with status code ${response.status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
    }
    return response;
  }

  private contract(call: Call): Reply {
    const filterByTk = call.params.filterByTk;
    switch (call.action) {
      case 'mailProviders:list':
        return ok(this.providers);
      case 'mailProviders:update':
        return this.updateProvider(filterByTk as ProviderName, (call.data ?? {}) as MailProviderUpdate);
      case 'mailSettings:get':
        return ok(this.settings);
      case 'mailSettings:save': {
        const minutes = call.data?.syncIntervalMinutes;
        if (typeof minutes !== 'number' || minutes < 1 || minutes > 1440) return fail(400, 'E_INVALID_SETTINGS', 'syncIntervalMinutes: a whole number of minutes from 1 to 1440', 'syncIntervalMinutes');
        this.settings = { syncIntervalMinutes: minutes };
        return ok(this.settings);
      }
      case 'mailAccounts:providers':
        return ok(this.linkable.map((name) => ({ name })));
      case 'mailAccounts:list':
        return ok(this.accounts);
      case 'mailAccounts:authorize': {
        const name = call.data?.provider as ProviderName;
        if (!this.linkable.includes(name)) return fail(400, 'E_PROVIDER_DISABLED' satisfies LinkErrorCode, `${name} is not enabled`);
        return ok({ url: `https://consent.example/${name}?state=opaque` });
      }
      case 'mailAccounts:destroy': {
        const before = this.accounts.length;
        this.accounts = this.accounts.filter((a) => String(a.id) !== String(filterByTk));
        return before === this.accounts.length ? fail(404, 'E_ACCOUNT_NOT_FOUND', 'No such account') : ok(1);
      }
      case 'mailAccounts:sync':
        return this.accounts.some((a) => String(a.id) === String(filterByTk)) ? ok({ started: true }) : fail(404, 'E_ACCOUNT_NOT_FOUND', 'No such account');
      case 'mailAccounts:callback':
        if (call.data?.error) return fail(400, 'E_CONSENT_DENIED', `The provider answered ${call.data.error}`);
        return ok({ account: account({ address: this.linkedAddress }), created: true });
      default:
        return fail(404, 'E_NOT_FOUND', `No action ${call.action}`);
    }
  }

  private updateProvider(name: ProviderName, values: MailProviderUpdate): Reply {
    const stored = this.providers.find((p) => p.name === name);
    if (!stored) return fail(404, 'E_PROVIDER_NOT_FOUND', `Unknown provider ${name}`);
    const next: MailProviderDTO = {
      ...stored,
      ...(values.enabled !== undefined ? { enabled: values.enabled } : {}),
      ...(values.clientId !== undefined ? { clientId: values.clientId } : {}),
      clientSecretSet: stored.clientSecretSet || !!values.clientSecret,
      options: values.options ?? stored.options,
      updatedAt: new Date().toISOString(),
    };
    if (next.enabled && !next.clientId) return fail(400, 'E_INVALID_SETTINGS', 'clientId: is required to enable the provider', 'clientId');
    this.providers = this.providers.map((p) => (p.name === name ? next : p));
    return ok(next);
  }
}
