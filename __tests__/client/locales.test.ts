import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from './i18n';

const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx)$/.test(entry.name) ? [file] : [];
  });
}

/** Every literal passed to t('…') or {{t("…")}} in the sources. */
function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*(['"])((?:(?!\1).)+)\1/g)) keys.add(match[2]);
    for (const match of text.matchAll(/\{\{t\(\\?"((?:[^"\\])+)\\?"/g)) keys.add(match[1]);
  }
  return [...keys];
}

describe('locales', () => {
  const en = LOCALES['en-US'];

  it('finds the strings the sources use', () => {
    expect(usedKeys()).toContain('Email settings');
  });

  it('has every string the sources use in en-US', () => {
    const missing = usedKeys().filter((key) => !(key in en));
    expect(missing).toEqual([]);
  });

  it.each(['zh-CN', 'nl-NL'])('translates every en-US string in %s', (lang) => {
    const strings = LOCALES[lang];
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    const untranslated = Object.entries(strings).filter(([key, value]) => !value.trim() || value === key);
    expect(untranslated).toEqual([]);
  });

  it('has no strings that nothing uses', () => {
    const used = new Set(usedKeys());
    expect(Object.keys(en).filter((key) => !used.has(key))).toEqual([]);
  });
});
