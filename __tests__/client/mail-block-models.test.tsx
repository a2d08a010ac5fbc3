// The flow models behind the page blocks, on stand-ins for the host's BlockModel/ActionModel:
// what the settings steps hand to the block, and what "Send email" does with the selection.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlowContext, FlowDefinition, FlowModelMeta } from '../../src/client/host';
import { MailComposerProvider } from '../../src/client/blocks/MailDrawers';
import { createMailBlockModels, MESSAGES_BLOCK_MODEL, registerMailBlocks, SEND_EMAIL_ACTION_MODEL } from '../../src/client/blocks/models';
import { installSend } from './fake-send';
import { account } from './fake-server';
import { renderIn, startFakeServer } from './render';

const { StubModel } = vi.hoisted(() => {
  class StubModel {
    static meta?: FlowModelMeta;
    static flows: FlowDefinition[] = [];
    static define(meta: FlowModelMeta) {
      this.meta = meta;
    }
    static registerFlow(flow: FlowDefinition) {
      this.flows = [...this.flows, flow];
    }
    props: Record<string, unknown> = {};
    setProps(props: Record<string, unknown>) {
      Object.assign(this.props, props);
    }
  }
  return { StubModel };
});
type StubModel = InstanceType<typeof StubModel>;

vi.mock('../../src/client/host', async () => ({
  ...(await import('./fake-host')),
  BlockModel: class extends StubModel {},
  ActionModel: class extends StubModel {},
  ActionSceneEnum: { collection: 'collection', record: 'record', both: ['collection', 'record'], all: ['collection', 'record'] },
  TextAreaWithContextSelector: () => null,
}));


function flowOf(Model: unknown, key: string) {
  const flow = (Model as typeof StubModel).flows.find((f) => f.key === key);
  if (!flow) throw new Error(`no flow ${key}`);
  return flow;
}

describe('the mail block models', () => {
  afterEach(cleanup);

  it('registers the block and the action under stable names with translated labels', () => {
    const engine = { registerModels: vi.fn() };
    const models = registerMailBlocks(engine);
    expect(Object.keys(engine.registerModels.mock.calls[0][0])).toEqual([MESSAGES_BLOCK_MODEL, SEND_EMAIL_ACTION_MODEL]);
    expect((models.EmailManagerMessagesBlockModel as unknown as typeof StubModel).meta?.label).toBe(
      '{{t("Email messages", {"ns":["@nocobase/plugin-email-manager","client"],"nsMode":"fallback"})}}',
    );
    expect((models.EmailManagerSendEmailActionModel as unknown as { scene: string }).scene).toBe('collection');
  });

  it('hands the resolved data scope, columns and whose mail to the block', async () => {
    const { EmailManagerMessagesBlockModel } = createMailBlockModels();
    const model = new (EmailManagerMessagesBlockModel as unknown as new () => StubModel)();
    const ctx = { model, resolveJsonTemplate: vi.fn(async () => 'carol@contoso.example') } as unknown as FlowContext;
    const steps = flowOf(EmailManagerMessagesBlockModel, 'emailMessagesSettings').steps;
    await steps.columns.handler(ctx, { columns: ['subject', 'date'] });
    await steps.mailScope.handler(ctx, { allMail: true });
    // A value the engine already resolved is taken as it is …
    await steps.dataScope.handler(ctx, { mode: 'domain', value: 'Contoso.example' });
    expect(model.props).toMatchObject({ columns: ['subject', 'date'], allMail: true, scopeMode: 'domain', scopeValue: 'Contoso.example' });
    // … and one still holding a variable is resolved in the block's context.
    await steps.dataScope.handler(ctx, { mode: 'address', value: '{{ctx.popup.record.email}}' });
    expect(ctx.resolveJsonTemplate).toHaveBeenCalledWith('{{ctx.popup.record.email}}');
    expect(model.props).toMatchObject({ scopeMode: 'address', scopeValue: 'carol@contoso.example' });
  });

  it('offers the collection’s email fields first', () => {
    const { EmailManagerSendEmailActionModel } = createMailBlockModels();
    const step = flowOf(EmailManagerSendEmailActionModel, 'sendEmailSettings').steps.recipients;
    const fields = [
      { name: 'name', title: 'Name', type: 'string', interface: 'input' },
      { name: 'age', title: 'Age', type: 'integer', interface: 'number' },
      { name: 'email', title: 'Email', type: 'string', interface: 'email' },
    ];
    const ctx = { model: {}, blockModel: { collection: { getFields: () => fields } } } as unknown as FlowContext;
    const schema = (step.uiSchema as (c: FlowContext) => Record<string, { enum: Array<{ value: string }> }>)(ctx);
    expect(schema.field.enum.map((o) => o.value)).toEqual(['email', 'name']);
    expect((step.defaultParams as (c: FlowContext) => unknown)(ctx)).toEqual({ field: 'email' });
  });

  it('opens the composer with the selected records’ addresses, sends one message each and shows their tracking', { timeout: 30_000 }, async () => {
    const server = startFakeServer();
    const send = installSend(server);
    server.accounts = [account({ address: 'me@example.com', displayName: 'Me' })];
    const { EmailManagerSendEmailActionModel } = createMailBlockModels();
    const step = flowOf(EmailManagerSendEmailActionModel, 'sendEmailSettings').steps.recipients;
    await renderIn(<MailComposerProvider>page</MailComposerProvider>);
    // Nothing is asked before a composer is opened.
    expect(server.callsTo('mailAccounts:list')).toHaveLength(0);
    const warning = vi.fn();
    const selected = [{ email: 'ann@example.com' }, { email: 'bob@contoso.example' }, { email: '' }];
    const ctx = { model: {}, message: { warning }, blockModel: { resource: { getSelectedRows: () => selected } } } as unknown as FlowContext;
    await act(async () => step.handler(ctx, { field: 'email' }));
    // The Email center's composer, from the user's first account.
    const composer = await screen.findByTestId('composer');
    expect(within(composer).getByText('ann@example.com')).toBeTruthy();
    expect(within(composer).getByText('bob@contoso.example')).toBeTruthy();
    expect(within(composer).getByText('Each of the 2 recipients gets a separate message.')).toBeTruthy();
    expect(within(composer).getByText('New email')).toBeTruthy();
    await within(composer).findByText('Me <me@example.com>');
    fireEvent.change(within(composer).getByRole('textbox', { name: 'Subject' }), { target: { value: 'Our spring offer' } });
    fireEvent.click(within(composer).getByRole('button', { name: /Send/ }));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    expect(send.sends[0]).toMatchObject({ perRecipient: true, to: ['ann@example.com', 'bob@contoso.example'], cc: [], bcc: [], subject: 'Our spring offer', accountId: server.accounts[0].id });
    // The tracking view of this send opens in a drawer, refreshing while anything is pending.
    const tracking = await screen.findByTestId('outbox-bulk');
    await waitFor(() => expect(within(tracking).getByTestId('bulk-counts').textContent).toBe('2 pending'));
    expect(server.callsTo('mailOutbox:list').at(-1)?.params.bulkId).toBe(send.sends[0].idempotencyKey);
    send.outbox[0].status = 'sent';
    send.outbox[1].status = 'failed';
    send.outbox[1].error = { code: 'E_PROVIDER_REJECTED', message: 'Mailbox unavailable' };
    await waitFor(() => expect(within(tracking).getByTestId('bulk-counts').textContent).toBe('1 sent, 1 failed'), { timeout: 10_000 });
    expect(within(tracking).getByText('Mailbox unavailable')).toBeTruthy();
  });

  it('asks for a selection first', async () => {
    const { EmailManagerSendEmailActionModel } = createMailBlockModels();
    const step = flowOf(EmailManagerSendEmailActionModel, 'sendEmailSettings').steps.recipients;
    const warning = vi.fn();
    await step.handler({ model: {}, message: { warning }, blockModel: { resource: { getSelectedRows: () => [] } } } as unknown as FlowContext, { field: 'email' });
    expect(warning).toHaveBeenCalledWith('Select the records to write to first.');
  });
});
