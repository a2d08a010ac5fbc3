// Words, people and attachments the generator draws from. Realistic mail is multilingual,
// has long and short bodies, newsletters, replies and every common attachment type.
import type { Address } from '../core/types';

export const CONTACTS: Address[] = [
  { name: 'José Álvarez', address: 'jose@acme.example' },
  { name: '李娜', address: 'li.na@example.cn' },
  { name: 'Sophie van den Berg', address: 'sophie@bakkerij.example' },
  { name: 'Jürgen Weiß', address: 'juergen@firma.example' },
  { name: 'Priya Sharma', address: 'priya@startup.example' },
  { name: 'Olivia Brown', address: 'olivia@shop.example' },
  { name: 'Noah Smith', address: 'noah.smith@customer.example' },
  { name: 'Emma Janssen', address: 'emma@klant.example' },
  { name: 'Zoë Ñúñez-O\'Brien', address: 'zoe@partner.example' },
  { name: 'Acme Newsletter', address: 'news@acme.example' },
  { name: 'Billing', address: 'billing@vendor.example' },
  { name: '张伟', address: 'zhang.wei@supplier.example' },
];

export const TOPICS: string[] = [
  'Quarterly report',
  'Offerte voor de nieuwe website',
  '关于下周会议的安排',
  'Invoice {n}',
  'Lunch on Friday? 🍕',
  'Contract renewal',
  'Shipping delay for order {n}',
  'Kickoff meeting notes',
  'Vraag over factuur {n}',
  'Your weekly digest',
  'Budget 2027 – first draft',
  'Re: Übergabe der Unterlagen',
  'Welcome aboard!',
  'Urgent: server maintenance tonight',
  '报价单确认',
  'Photos from the team day 📸',
];

export const SENTENCES: string[] = [
  'Thanks for getting back to me so quickly.',
  'Please find the details below.',
  'Could you confirm the dates before Thursday?',
  'I have attached the latest version of the document.',
  'Let me know if anything is unclear.',
  'Hartelijk dank voor uw snelle reactie.',
  'Wij sturen de offerte uiterlijk vrijdag.',
  '请在周五之前确认。',
  '附件是最新的报价单。',
  'Vielen Dank für Ihre Nachricht.',
  'The shipment left the warehouse this morning.',
  'We reviewed the numbers and they look good — nice work.',
  'Can we move the call to 15:30 CET?',
  'Zoë said the café on the corner does great crème brûlée.',
  'Naïve question: is the €1.250 amount incl. VAT?',
];

export const LABEL_NAMES = ['Work', 'Customers/Acme', 'Receipts', '项目'];

// A 1×1 PNG, valid enough for any viewer.
export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export interface AttachmentKind {
  ext: string;
  contentType: string;
  make(size: number, seed: number): Buffer;
}

function filler(size: number, seed: number) {
  const out = Buffer.alloc(size);
  let x = seed || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const ATTACHMENT_KINDS: AttachmentKind[] = [
  { ext: 'pdf', contentType: 'application/pdf', make: (size, seed) => Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n'), filler(Math.max(0, size - 20), seed), Buffer.from('\n%%EOF\n')]) },
  { ext: 'png', contentType: 'image/png', make: () => PNG_1PX },
  { ext: 'csv', contentType: 'text/csv', make: (size) => Buffer.from('date,amount,customer\n' + '2026-11-01,1250.00,Acme\n'.repeat(Math.max(1, Math.floor(size / 25)))) },
  { ext: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', make: (size, seed) => Buffer.concat([Buffer.from('PK\u0003\u0004'), filler(size, seed)]) },
  { ext: 'ics', contentType: 'text/calendar', make: () => Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Kickoff\r\nDTSTART:20261203T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n') },
  { ext: 'txt', contentType: 'text/plain', make: (size) => Buffer.from('Notes\n'.repeat(Math.max(1, Math.floor(size / 6)))) },
];
