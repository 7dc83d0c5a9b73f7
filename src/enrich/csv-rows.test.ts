import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countLines, decimal128Field, decimalField, forEachRow, MAX_ORG_CHARS, orgField, type RowSpan,
} from './csv-rows.js';

function rows(text: string): { line: number; fields: string[]; org: string }[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: { line: number; fields: string[]; org: string }[] = [];
  forEachRow(bytes, (row: RowSpan) => {
    const cut = (a: number, b: number): string => bytes.toString('utf8', a, b);
    out.push({
      line: row.line,
      fields: [cut(row.start, row.comma1), cut(row.comma1 + 1, row.comma2),
        cut(row.comma2 + 1, row.comma3)],
      org: row.comma3 === -1 ? '' : orgField(bytes, row),
    });
  });
  return out;
}

describe('ip-location-db CSV rows', () => {
  it('splits rows and unquotes the organisation, commas and doubled quotes included', () => {
    const text = '16777216,16777471,13335,"Cloudflare, Inc."\r\n' +
      '35309568,35313663,201907,"LLC ""SPUTNIK"""\n\n' +
      '1,2,3,Réseau plain\n';
    expect(rows(text)).toEqual([
      { line: 1, fields: ['16777216', '16777471', '13335'], org: 'Cloudflare, Inc.' },
      { line: 2, fields: ['35309568', '35313663', '201907'], org: 'LLC "SPUTNIK"' },
      { line: 4, fields: ['1', '2', '3'], org: 'Réseau plain' },
    ]);
  });

  it('reports missing commas as -1 rather than finding them on the next line', () => {
    const seen: number[] = [];
    forEachRow(Buffer.from('1,2\n3,4,5,x\n'), (row) => seen.push(row.comma3));
    expect(seen).toEqual([-1, 9]);
  });

  it('cuts organisation names at MAX_ORG_CHARS', () => {
    const [row] = rows(`1,2,3,${'x'.repeat(MAX_ORG_CHARS + 50)}\n`);
    expect(row!.org).toHaveLength(MAX_ORG_CHARS);
  });

  it('counts lines as an upper bound on rows', () => {
    expect(countLines(Buffer.from('a\nb\nc'))).toBe(3);
    expect(countLines(Buffer.from(''))).toBe(1);
  });

  it('parses bounded decimals and refuses anything else', () => {
    const b = Buffer.from('4294967295|4294967296|12a|');
    expect(decimalField(b, 0, 10, 0xffffffff)).toBe(0xffffffff);
    expect(decimalField(b, 11, 21, 0xffffffff)).toBe(-1);
    expect(decimalField(b, 22, 25, 0xffffffff)).toBe(-1);
    expect(decimalField(b, 26, 26, 0xffffffff)).toBe(-1);
  });

  it('parses 128-bit decimals exactly as BigInt does', () => {
    const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(fc.property(u128, (value) => {
      const text = Buffer.from(value.toString());
      const words = new Uint32Array(6);
      expect(decimal128Field(text, 0, text.length, words, 1)).toBe(true);
      const back = (BigInt(words[1]!) << 96n) | (BigInt(words[2]!) << 64n)
        | (BigInt(words[3]!) << 32n) | BigInt(words[4]!);
      expect(back).toBe(value);
      expect([words[0], words[5]]).toEqual([0, 0]);
    }));
  });

  it('refuses 128-bit decimals that overflow or hold other characters', () => {
    const words = new Uint32Array(4);
    const over = Buffer.from((1n << 128n).toString());
    expect(decimal128Field(over, 0, over.length, words, 0)).toBe(false);
    const bad = Buffer.from('42540528726795050063891204319802818560x');
    expect(decimal128Field(bad, 0, bad.length, words, 0)).toBe(false);
    expect(decimal128Field(bad, 0, 0, words, 0)).toBe(false);
  });
});
