// Deterministic mailboxes. A plan (ids, threads, dates, folders, flags) is made for every
// message up front and is small; the content of a message is rebuilt from the seed on demand,
// so a 100,000-message mailbox never holds its bodies in memory.
import type { Address, AttachmentContent, FolderKind, MessageContent, SandboxUser } from '../core/types';
import { ATTACHMENT_KINDS, CONTACTS, LABEL_NAMES, PNG_1PX, SENTENCES, TOPICS } from './corpus';
import { random, shortHash } from './prng';

export interface PlannedMessage {
  index: number;
  id: string;
  threadId: string;
  /** Index of the message this one replies to, or -1. */
  parent: number;
  date: number;
  folder: FolderKind;
  /** Index into LABEL_NAMES for a Gmail user label / custom folder, or -1. */
  label: number;
  read: boolean;
  starred: boolean;
  outgoing: boolean;
  contact: number;
  topic: number;
  attachments: number;
  messageId: string;
  subject: string;
  snippet: string;
  /** Rough raw size, for sizeEstimate. */
  size: number;
}

const DAY = 864e5;

export function gmailId(date: number, n: number) {
  // Gmail ids are 16 hex digits that grow with time.
  return ((BigInt(date) << 20n) | BigInt(n & 0xfffff)).toString(16).padStart(16, '0');
}

export function graphId(prefix: string, ...parts: (string | number)[]) {
  return `${prefix}${shortHash(42, ...parts).toString('base64').replace(/\//g, '_').replace(/\+/g, '-')}`;
}

function topicSubject(topic: number, r: () => number) {
  return TOPICS[topic].replace('{n}', String(1000 + Math.floor(r() * 9000)));
}

/** The body text of a message; also gives the snippet. Cheap: string work only. */
function bodyText(seed: number, user: SandboxUser, index: number) {
  const r = random(seed, user.email, index, 'body');
  const count = r.chance(0.1) ? r.int(12, 40) : r.int(2, 6);
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) sentences.push(r.pick(SENTENCES));
  return sentences.join(' ');
}

export function planMailbox(seed: number, user: SandboxUser, size: number, anchor: number): PlannedMessage[] {
  const span = Math.max(30 * DAY, Math.min(size * 15 * 60 * 1000, 3 * 365 * DAY));
  const step = span / Math.max(1, size);
  const recentThreads: number[] = [];
  const lastInThread = new Map<number, number>();
  const plans: PlannedMessage[] = new Array(size);
  const graph = user.provider === 'microsoft';
  for (let n = 0; n < size; n++) {
    const r = random(seed, user.email, n);
    const date = Math.floor(anchor - span + n * step + r() * step * 0.9);
    let parent = -1;
    let root = n;
    if (recentThreads.length && r.chance(0.3)) {
      root = r.pick(recentThreads);
      parent = lastInThread.get(root) ?? root;
    }
    const rootPlan = parent >= 0 ? plans[root] : undefined;
    const outgoing = r.chance(0.2);
    let folder: FolderKind = outgoing ? (r.chance(0.03) ? 'drafts' : 'sent') : 'inbox';
    let label = -1;
    if (!outgoing) {
      const roll = r();
      if (roll < 0.15) folder = 'archive';
      else if (roll < 0.22) {
        folder = graph ? 'custom' : 'archive';
        label = r.int(0, LABEL_NAMES.length - 1);
      } else if (roll < 0.25) folder = 'spam';
      else if (roll < 0.27) folder = 'trash';
    }
    const recent = anchor - date < 7 * DAY;
    const read = outgoing || (recent ? r.chance(0.5) : r.chance(0.95));
    const contact = rootPlan ? rootPlan.contact : r.int(0, CONTACTS.length - 1);
    const topic = rootPlan ? rootPlan.topic : r.int(0, TOPICS.length - 1);
    const attachments = r.chance(0.15) ? r.int(1, 3) : 0;
    const id = graph ? graphId('AAMkADI1', seed, user.email, n) + '=' : gmailId(date, n);
    const threadId = rootPlan ? rootPlan.threadId : graph ? graphId('AAQkADI1', seed, user.email, 'conv', n) + '=' : id;
    const baseSubject = rootPlan ? rootPlan.subject.replace(/^(Re: )+/, '') : topicSubject(topic, r);
    const subject = parent >= 0 ? `Re: ${baseSubject}` : baseSubject;
    const domain = outgoing ? user.email.split('@')[1] : CONTACTS[contact].address.split('@')[1];
    const text = bodyText(seed, user, n);
    plans[n] = {
      index: n,
      id,
      threadId,
      parent,
      date,
      folder,
      label,
      read,
      starred: r.chance(0.05),
      outgoing,
      contact,
      topic,
      attachments,
      messageId: `<sbx.${shortHash(9, seed, user.email, n).toString('hex')}.${n}@${domain}>`,
      subject,
      // A copy, not a slice: V8 slices keep the whole body text alive.
      snippet: Buffer.from(text.slice(0, 120)).toString(),
      size: 2000 + text.length * 2 + attachments * 40000,
    };
    if (parent < 0) {
      recentThreads.push(n);
      if (recentThreads.length > 12) recentThreads.shift();
    }
    lastInThread.set(root, n);
  }
  return plans;
}

function attachmentsFor(seed: number, user: SandboxUser, plan: PlannedMessage): AttachmentContent[] {
  const r = random(seed, user.email, plan.index, 'attachments');
  const out: AttachmentContent[] = [];
  for (let i = 0; i < plan.attachments; i++) {
    const kind = r.pick(ATTACHMENT_KINDS);
    // Mostly small files, now and then a large one.
    const size = r.chance(0.02) ? r.int(1_000_000, 3_000_000) : r.int(2_000, 120_000);
    const base = r.pick(['report', 'offerte', '报价单', 'Übersicht', 'invoice', 'photo', 'notes']);
    out.push({ filename: `${base}-${plan.index}-${i + 1}.${kind.ext}`, contentType: kind.contentType, content: kind.make(size, plan.index * 7 + i) });
  }
  return out;
}

function escapeHtml(text: string) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rebuilds a seeded message's content. `plans` gives the thread's ancestors for References. */
export function generateContent(seed: number, user: SandboxUser, plans: PlannedMessage[], index: number): MessageContent & { textEncoding: 'quoted-printable' | 'base64' } {
  const plan = plans[index];
  const r = random(seed, user.email, index, 'content');
  const me: Address = { name: user.name, address: user.email };
  const them = CONTACTS[plan.contact];
  const references: string[] = [];
  for (let p = plan.parent; p >= 0; p = plans[p].parent) references.unshift(plans[p].messageId);
  const text = bodyText(seed, user, index);
  const attachments = attachmentsFor(seed, user, plan);
  const inlineImage = r.chance(0.1);
  const remoteImage = r.chance(0.2);
  const cc = r.chance(0.2) ? [CONTACTS[(plan.contact + 1) % CONTACTS.length]] : [];
  const html = plan.attachments === 0 && r.chance(0.15)
    ? undefined // some mail is plain text only
    : [
        '<div dir="ltr">',
        `<p>${escapeHtml(text)}</p>`,
        r.chance(0.3) ? '<p><a href="https://www.example.com/offer?utm_source=mail">View the offer</a></p>' : '',
        remoteImage ? '<p><img src="https://images.example.com/banner.png" alt="banner" width="600"></p>' : '',
        inlineImage ? '<p><img src="cid:logo@sandbox" alt="logo"></p>' : '',
        `<p>— ${escapeHtml(plan.outgoing ? user.name : them.name || them.address)}</p>`,
        '</div>',
      ].join('');
  if (inlineImage && html) attachments.push({ filename: 'logo.png', contentType: 'image/png', content: PNG_1PX, cid: 'logo@sandbox', inline: true });
  return {
    messageId: plan.messageId,
    inReplyTo: plan.parent >= 0 ? plans[plan.parent].messageId : undefined,
    references: references.length ? references : undefined,
    subject: plan.subject,
    from: plan.outgoing ? me : them,
    to: plan.outgoing ? [them] : [me],
    cc,
    bcc: [],
    date: new Date(plan.date),
    text,
    html,
    attachments,
    textEncoding: r.chance(0.3) ? 'base64' : 'quoted-printable',
  };
}
