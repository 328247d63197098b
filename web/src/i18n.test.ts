import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { missingEnglish, t } from './i18n';

const SRC = dirname(fileURLToPath(import.meta.url));

describe('i18n', () => {
  it('fills placeholders and keeps Chinese by default', () => {
    expect(t('{n} 分钟', { n: 3 })).toBe('3 分钟');
    expect(t('未收录的文字')).toBe('未收录的文字');
  });

  it('has English for every string the page looks up and every Chinese text of index.html', () => {
    const keys = new Set<string>();
    for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const code = readFileSync(join(SRC, file), 'utf8');
      for (const m of code.matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) keys.add(m[1]);
    }
    const html = readFileSync(join(SRC, '../index.html'), 'utf8');
    for (const m of html.matchAll(/>([^<]*\p{Script=Han}[^<]*)</gu)) keys.add(m[1].trim());
    for (const m of html.matchAll(/(?:placeholder|aria-label)="([^"]*\p{Script=Han}[^"]*)"/gu)) keys.add(m[1]);
    expect(keys.size).toBeGreaterThan(80);
    expect(missingEnglish([...keys])).toEqual([]);
  });
});
