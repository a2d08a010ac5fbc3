import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { draftFor, forwardSubject, replyRecipients, replySubject } from '../../src/client/center/compose';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { attachment, mailMessage, type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 20_000 });

const t = (key: string, options?: Record<string, unknown>) => key.replace(/\{\{(\w+)\}\}/g, (_, name) => String(options?.[name] ?? ''));
const OWN = ['me@example.com', 'me@work.example'];

describe('composer prefill', () => {
  const original = mailMessage({
    accountId: 1,
    threadKey: 't',
    subject: 'Budget',
    from: { name: 'Ann Example', address: 'ann@example.com' },
    to: [{ name: 'Me', address: 'ME@example.com' }, { name: 'Bob', address: 'bob@example.org' }],
    cc: [{ address: 'cy@example.com' }, { address: 'ann@example.com' }],
    replyTo: [],
    text: 'First line\nSecond line',
    sentAt: '2026-01-10T09:30:00Z',
  });

  it('adds "Re: " and "Fwd: " once, whatever prefix the subject already has', () => {
    expect(replySubject('Budget')).toBe('Re: Budget');
    expect(replySubject('Re: Budget')).toBe('Re: Budget');
    expect(replySubject('RE: Budget')).toBe('RE: Budget');
    expect(replySubject('Antw: Budget')).toBe('Antw: Budget');
    expect(replySubject('回复：预算')).toBe('回复：预算');
    expect(forwardSubject('Budget')).toBe('Fwd: Budget');
    expect(forwardSubject('Fw: Budget')).toBe('Fw: Budget');
    expect(forwardSubject('Re: Budget')).toBe('Fwd: Re: Budget');
  });

  it('replies to Reply-To when there is one, else to From', () => {
    expect(replyRecipients(original, OWN, false)).toEqual({ to: ['Ann Example <ann@example.com>'], cc: [] });
    expect(replyRecipients({ ...original, replyTo: [{ address: 'list@example.com' }] }, OWN, false).to).toEqual(['list@example.com']);
  });

  it('reply all adds To and Cc without the user’s own addresses or duplicates', () => {
    expect(replyRecipients(original, OWN, true)).toEqual({ to: ['Ann Example <ann@example.com>'], cc: ['Bob <bob@example.org>', 'cy@example.com'] });
  });

  it('a reply to one’s own message goes to its recipients', () => {
    const mine = { ...original, from: { name: 'Me', address: 'me@example.com' }, to: [{ address: 'zoe@example.net' }], cc: [] };
    expect(replyRecipients(mine, OWN, false).to).toEqual(['zoe@example.net']);
  });

  it('quotes the original in a <blockquote> under "On <date>, <name> wrote:"', () => {
    const draft = draftFor('reply', original, OWN, t, 'en-US');
    expect(draft.html).toMatch(/^<p><br><\/p><p><br><\/p><p>On Jan 10, 2026, \d{1,2}:30 [AP]M, Ann Example &lt;ann@example.com&gt; wrote:<\/p><blockquote type="cite">First line<br>Second line<\/blockquote>$/);
    expect(draft.source).toEqual({ id: original.id, messageId: original.messageId, references: [] });
  });

  it('forwards with the original’s header, text and files, and no recipients', () => {
    const file = attachment({ filename: 'budget.xlsx' });
    const draft = draftFor('forward', { ...original, attachments: [file, attachment({ inline: true, contentId: 'x' })] }, OWN, t, 'en-US');
    expect(draft.to).toEqual([]);
    expect(draft.subject).toBe('Fwd: Budget');
    expect(draft.html).toContain('---------- Forwarded message ----------<br>From: Ann Example &lt;ann@example.com&gt;');
    expect(draft.html).toContain('Subject: Budget<br>To: Me &lt;ME@example.com&gt;, Bob &lt;bob@example.org&gt;<br>Cc: cy@example.com, ann@example.com<br><br>First line');
    expect(draft.attachments).toEqual([{ messageId: original.id, attachment: file }]);
  });

  it('reads HTML-only mail as text for the quote', () => {
    const html = { ...original, text: null, html: '<p>Hello <b>you</b></p><div>Bye<br>now</div><style>p{}</style>' };
    expect(draftFor('reply', html, OWN, t, 'en-US').html).toContain('<blockquote type="cite">Hello you<br>Bye<br>now</blockquote>');
  });
});

describe('composer', () => {
  let server: FakeMailServer;
  beforeEach(() => {
    server = startFakeServer();
  });
  afterEach(cleanup);

  async function openNewest(subject: string) {
    await renderIn(<EmailCenterPage />);
    fireEvent.click(await screen.findByText(subject));
    const messages = await screen.findAllByTestId('thread-message');
    return within(messages[messages.length - 1]);
  }

  const tags = (label: string) =>
    Array.from(screen.getByRole('combobox', { name: label }).closest('.ant-select')!.querySelectorAll('.ant-tag')).map((tag) => tag.textContent);

  it('Reply all opens the composer with recipients, subject and quote filled in', async () => {
    const { gmail } = seedMailbox(server);
    server.addThread(gmail.id, {
      subject: 'Budget',
      from: { name: 'Ann Example', address: 'ann@example.com' },
      to: [{ address: 'me@example.com' }, { address: 'bob@example.org' }],
      cc: [{ address: 'cy@example.com' }],
      text: 'Numbers inside',
    });
    const newest = await openNewest('Budget');
    fireEvent.click(newest.getByRole('button', { name: 'Reply all' }));
    const drawer = await screen.findByTestId('composer');
    await waitFor(() => expect(tags('To')).toEqual(['Ann Example <ann@example.com>']));
    expect(tags('Cc')).toEqual(['bob@example.org', 'cy@example.com']);
    expect((within(drawer).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Re: Budget');
    const body = within(drawer).getByRole('textbox', { name: 'Message' });
    expect(body.textContent).toMatch(/Ann Example <ann@example.com> wrote:Numbers inside$/);
    expect(body.querySelector('blockquote')?.textContent).toBe('Numbers inside');
    // The From account is the thread's.
    expect(within(drawer).getAllByText('Me <me@example.com>').length).toBeGreaterThan(0);
    expect((screen.getByRole('button', { name: /Send/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('Forward lists the original’s attachments as included and leaves the recipients empty', async () => {
    const { gmail } = seedMailbox(server);
    server.addThread(gmail.id, { subject: 'Files', attachments: [attachment({ filename: 'budget.xlsx', size: 2048 })] });
    const newest = await openNewest('Files');
    fireEvent.click(newest.getByRole('button', { name: /Forward/ }));
    const drawer = await screen.findByTestId('composer');
    await waitFor(() => expect((within(drawer).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Fwd: Files'));
    expect(tags('To')).toEqual([]);
    expect(within(screen.getByTestId('composer-attachments')).getByText('budget.xlsx · 2 KB')).toBeTruthy();
  });

  it('Write email opens an empty composer with a From picker, and flags a wrong address', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    fireEvent.click(await screen.findByRole('button', { name: /Write email/ }));
    const drawer = await screen.findByTestId('composer');
    expect(within(drawer).getByText('New email')).toBeTruthy();
    expect((within(drawer).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('');
    expect(within(drawer).getByRole('textbox', { name: 'Message' }).textContent).toBe('');
    // Both accounts can be picked.
    fireEvent.mouseDown(within(drawer).getByRole('combobox', { name: 'From' }));
    await waitFor(() => expect(document.querySelectorAll('.ant-select-item-option')).toHaveLength(2));

    const to = within(drawer).getByRole('combobox', { name: 'To' });
    fireEvent.change(to, { target: { value: 'not-an-address,' } });
    fireEvent.change(to, { target: { value: 'zoe@example.net,' } });
    await waitFor(() => expect(tags('To')).toEqual(['not-an-address', 'zoe@example.net']));
    const wrong = Array.from(drawer.querySelectorAll('.ant-tag')).find((tag) => tag.textContent === 'not-an-address')!;
    expect(wrong.getAttribute('data-valid')).toBe('false');
  });

  it('is translated: a Chinese quote header', async () => {
    const { gmail } = seedMailbox(server);
    server.addThread(gmail.id, { subject: 'Budget', text: 'Hi' });
    await renderIn(<EmailCenterPage />, 'zh-CN');
    fireEvent.click(await screen.findByText('Budget'));
    const messages = await screen.findAllByTestId('thread-message');
    fireEvent.click(within(messages[messages.length - 1]).getByRole('button', { name: /^(rollback )?回\s?复$/ }));
    const drawer = await screen.findByTestId('composer');
    await waitFor(() => expect(within(drawer).getByRole('textbox', { name: '正文' }).textContent).toMatch(/Ann Example <ann@example.com> 于 2026年1月10日 .+ 写道：Hi$/));
  });
});
