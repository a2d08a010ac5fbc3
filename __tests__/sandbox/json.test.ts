// The emulator's JSON writer: parts serialised ahead of time are written as stored, and the
// answer is byte for byte what JSON.stringify of the plain tree gives, whatever the content holds.
import { describe, expect, it } from 'vitest';
import { Serialized, toJson } from '../../sandbox/core/json';

describe('toJson', () => {
  it('writes stored parts in place, as JSON.stringify of the plain values would', () => {
    const payload = { mimeType: 'text/plain', headers: [{ name: 'Subject', value: 'Grüße "quoted" \u2028 \\ 😀' }], body: { size: 3, data: 'aGk' } };
    const plain = { id: 'm1', payload, list: [payload, { n: 1 }], tail: 'x' };
    const stored = { id: 'm1', payload: new Serialized(payload), list: [new Serialized(payload), { n: 1 }], tail: 'x' };
    expect(toJson(stored)).toBe(JSON.stringify(plain));
    expect(JSON.parse(toJson(stored))).toEqual(plain);
    expect(toJson({ a: 1 })).toBe('{"a":1}');
  });

  it('leaves content that looks like a placeholder alone', () => {
    const sneaky = { subject: '\u00000:0\u0000', other: '"\\u00000\\u0000"' };
    const stored = { message: sneaky, payload: new Serialized({ z: 1 }) };
    expect(JSON.parse(toJson(stored))).toEqual({ message: sneaky, payload: { z: 1 } });
  });
});
