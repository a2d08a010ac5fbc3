// The FlowModels behind the page blocks, for NocoBase 2.x "Modern page (v2)" pages and popups:
//  - EmailManagerMessagesBlockModel: "Email messages" under Add block → Other blocks.
//  - EmailManagerSendEmailActionModel: "Send email" under a table block's Actions.
// Their classes extend the host's BlockModel / ActionModel, so they are created when the plugin
// loads (the host hands the base classes over at run time). Labels are `{{t()}}` expressions
// the host compiles in the user's language.
import React from 'react';
import { NAMESPACE } from '../../shared/constants';
// A namespace import: the base classes are read when the plugin loads, not when this file does.
import * as host from '../host';
import type { FlowContext, FlowEngine } from '../host';
import { EmailMessagesTable } from './EmailMessagesTable';
import { openComposer } from './composer-store';
import { DEFAULT_COLUMNS, MESSAGE_COLUMNS, recipientsOf, type MessageColumn, type ScopeMode } from './query';

const NS = JSON.stringify({ ns: [NAMESPACE, 'client'], nsMode: 'fallback' });

/** Names the models are saved under in pages (flowModels.use): never rename them. */
export const MESSAGES_BLOCK_MODEL = 'EmailManagerMessagesBlockModel';
export const SEND_EMAIL_ACTION_MODEL = 'EmailManagerSendEmailActionModel';

const COLUMN_LABELS: Record<MessageColumn, string> = {
  from: `{{t("From", ${NS})}}`,
  to: `{{t("To", ${NS})}}`,
  subject: `{{t("Subject", ${NS})}}`,
  snippet: `{{t("Preview", ${NS})}}`,
  date: `{{t("Date", ${NS})}}`,
  read: `{{t("Read", ${NS})}}`,
  attachments: `{{t("Attachments", ${NS})}}`,
};

/** `t` of this plugin's namespace in a flow context (ctx.t falls back to the key). */
function tFor(ctx: FlowContext) {
  return (key: string, options?: Record<string, unknown>) => (ctx.t ? ctx.t(key, { ns: [NAMESPACE, 'client'], nsMode: 'fallback', ...options }) : key);
}

interface CollectionFieldLike {
  name: string;
  title?: string;
  interface?: string;
  type?: string;
  uiSchema?: { title?: string };
}

/** The string fields of the table block's collection, email fields first. */
function emailFieldChoices(ctx: FlowContext) {
  const block = ctx.blockModel ?? ctx.model?.context?.blockModel;
  const fields: CollectionFieldLike[] = block?.collection?.getFields?.() ?? [];
  const text = fields.filter((f) => f.interface === 'email' || ['string', 'text'].includes(String(f.type)));
  text.sort((a, b) => Number(b.interface === 'email') - Number(a.interface === 'email'));
  return text.map((f) => ({ value: f.name, label: tFor(ctx)(f.title || f.uiSchema?.title || f.name) }));
}

export function createMailBlockModels() {
  const { ActionModel, ActionSceneEnum, BlockModel, TextAreaWithContextSelector } = host;

  class EmailManagerMessagesBlockModel extends BlockModel {
    renderComponent() {
      return <EmailMessagesTable {...this.props} />;
    }
  }

  EmailManagerMessagesBlockModel.define({ label: `{{t("Email messages", ${NS})}}`, icon: 'MailOutlined' });

  EmailManagerMessagesBlockModel.registerFlow({
    key: 'emailMessagesSettings',
    title: `{{t("Email messages", ${NS})}}`,
    steps: {
      columns: {
        title: `{{t("Columns", ${NS})}}`,
        uiSchema: {
          columns: {
            type: 'array',
            title: `{{t("Columns", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': 'Checkbox.Group',
            enum: MESSAGE_COLUMNS.map((value) => ({ value, label: COLUMN_LABELS[value] })),
          },
        },
        defaultParams: { columns: DEFAULT_COLUMNS },
        handler(ctx, params) {
          const chosen = Array.isArray(params.columns) ? (params.columns as MessageColumn[]) : DEFAULT_COLUMNS;
          ctx.model.setProps({ columns: chosen.length ? chosen : DEFAULT_COLUMNS });
        },
      },
      mailScope: {
        title: `{{t("Whose mail", ${NS})}}`,
        uiSchema: {
          allMail: {
            type: 'boolean',
            title: `{{t("Whose mail", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': 'Radio.Group',
            enum: [
              { value: false, label: `{{t("The current user's mail", ${NS})}}` },
              { value: true, label: `{{t("Everyone's mail (roles granted it in Email settings)", ${NS})}}` },
            ],
          },
        },
        defaultParams: { allMail: false },
        handler(ctx, params) {
          ctx.model.setProps({ allMail: params.allMail === true });
        },
      },
      dataScope: {
        title: `{{t("Data scope", ${NS})}}`,
        uiSchema: {
          mode: {
            type: 'string',
            title: `{{t("Show mail", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': 'Radio.Group',
            enum: [
              { value: 'none', label: `{{t("All messages", ${NS})}}`},
              { value: 'address', label: `{{t("With this participant address", ${NS})}}` },
              { value: 'domain', label: `{{t("With a participant in this domain", ${NS})}}` },
            ],
          },
          value: {
            type: 'string',
            title: `{{t("Address or domain", ${NS})}}`,
            description: `{{t("Type a value or pick a variable, such as the current popup record's email field. For a domain, an email address stands for its domain. Matching ignores case.", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': TextAreaWithContextSelector,
            'x-component-props': { rows: 1 },
            'x-reactions': { dependencies: ['mode'], fulfill: { state: { hidden: '{{$deps[0] === "none" || !$deps[0]}}' } } },
          },
        },
        defaultParams: { mode: 'none', value: '' },
        // params arrive with their variables ({{ctx.popup.record.email}} …) resolved by the flow engine.
        async handler(ctx, params) {
          let value: unknown = params.value;
          if (typeof value === 'string' && value.includes('{{') && ctx.resolveJsonTemplate) value = await ctx.resolveJsonTemplate(value);
          ctx.model.setProps({ scopeMode: (params.mode as ScopeMode) || 'none', scopeValue: value });
        },
      },
      pageSize: {
        title: `{{t("Page size", ${NS})}}`,
        uiSchema: {
          pageSize: {
            type: 'number',
            title: `{{t("Page size", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': 'Select',
            enum: [10, 20, 50, 100].map((n) => ({ value: n, label: String(n) })),
          },
        },
        defaultParams: { pageSize: 20 },
        handler(ctx, params) {
          ctx.model.setProps({ pageSize: Number(params.pageSize) || 20 });
        },
      },
    },
  });

  class EmailManagerSendEmailActionModel extends ActionModel {
    static scene = ActionSceneEnum.collection;
    defaultProps = { title: `{{t("Send email", ${NS})}}`, icon: 'MailOutlined' };
    /** Whoever may see the records may write to them. */
    getAclActionName() {
      return 'view';
    }
  }

  EmailManagerSendEmailActionModel.define({ label: `{{t("Send email", ${NS})}}` });

  EmailManagerSendEmailActionModel.registerFlow({
    key: 'sendEmailSettings',
    title: `{{t("Send email", ${NS})}}`,
    on: 'click',
    steps: {
      recipients: {
        title: `{{t("Email field", ${NS})}}`,
        uiSchema: (ctx) => ({
          field: {
            type: 'string',
            title: `{{t("Email field", ${NS})}}`,
            description: `{{t("The field of the selected records that holds their email address.", ${NS})}}`,
            'x-decorator': 'FormItem',
            'x-component': 'Select',
            enum: emailFieldChoices(ctx),
          },
        }),
        defaultParams: (ctx) => ({ field: emailFieldChoices(ctx)[0]?.value ?? 'email' }),
        handler(ctx, params) {
          const t = tFor(ctx);
          const resource = ctx.blockModel?.resource;
          const rows: Array<Record<string, unknown>> = resource?.getSelectedRows?.() ?? [];
          if (!rows.length) {
            ctx.message?.warning(t('Select the records to write to first.'));
            return;
          }
          const to = recipientsOf(rows, String(params.field || 'email'));
          if (!to.length) {
            ctx.message?.warning(t('None of the selected records has an email address.'));
            return;
          }
          openComposer({ to });
        },
      },
    },
  });

  return { EmailManagerMessagesBlockModel, EmailManagerSendEmailActionModel };
}

/** Registers the block and the action with the host's flow engine. */
export function registerMailBlocks(engine: FlowEngine) {
  const models = createMailBlockModels();
  engine.registerModels({ [MESSAGES_BLOCK_MODEL]: models.EmailManagerMessagesBlockModel, [SEND_EMAIL_ACTION_MODEL]: models.EmailManagerSendEmailActionModel });
  return models;
}
