import { describe, expect, it } from 'vitest';
import { domainOf, messageListParams, recipientsOf, scopeFilter } from '../../src/client/blocks/query';

describe('the Email messages block query', () => {
  it('filters by a participant domain, case-insensitively, taking the domain of an address', () => {
    expect(scopeFilter('domain', 'Contoso.EXAMPLE')).toEqual({ participantDomains: { $eq: 'contoso.example' } });
    expect(scopeFilter('domain', 'Carol de Vries <Carol@Contoso.example>')).toEqual({ participantDomains: { $eq: 'contoso.example' } });
    expect(scopeFilter('domain', '@contoso.example')).toEqual({ participantDomains: { $eq: 'contoso.example' } });
    expect(domainOf('ann@sub.example.org')).toBe('sub.example.org');
  });

  it('filters by a participant address, lower-cased', () => {
    expect(scopeFilter('address', ' Alice <ALICE@example.com> ')).toEqual({ participants: { $eq: 'alice@example.com' } });
  });

  it('asks nothing when the scope is bound to an empty or unresolved value, rather than showing all mail', () => {
    expect(messageListParams({ allMail: false, scopeMode: 'domain', scopeValue: '', page: 1, pageSize: 20 })).toBeNull();
    expect(messageListParams({ allMail: false, scopeMode: 'address', scopeValue: null, page: 1, pageSize: 20 })).toBeNull();
    expect(messageListParams({ allMail: false, scopeMode: 'address', scopeValue: '{{ctx.popup.record.email}}', page: 1, pageSize: 20 })).toBeNull();
  });

  it('builds the list params of mailMessages:list, with scope=all only when asked', () => {
    expect(messageListParams({ allMail: false, scopeMode: 'none', page: 2, pageSize: 500 })).toEqual({ page: 2, pageSize: 200, sort: '-receivedAt' });
    expect(messageListParams({ allMail: true, scopeMode: 'domain', scopeValue: ['Contoso.example'], page: 1, pageSize: 20 })).toEqual({
      page: 1,
      pageSize: 20,
      sort: '-receivedAt',
      filter: JSON.stringify({ participantDomains: { $eq: 'contoso.example' } }),
      scope: 'all',
    });
  });

  it('takes recipients from the selected records, once each, skipping empty values', () => {
    const rows = [{ email: 'ann@example.com' }, { email: '' }, { email: 'ANN@example.com' }, { email: 'bob@example.com; carl@example.com' }, { other: 'x' }];
    expect(recipientsOf(rows, 'email')).toEqual(['ann@example.com', 'bob@example.com', 'carl@example.com']);
  });
});
