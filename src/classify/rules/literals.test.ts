// Required literals read from patterns: what they find in the shapes rules use, nothing when
// unsure, and (property) never a literal that some match of the pattern lacks.

import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './literals.js';

describe('requiredLiterals', () => {
  it('finds the longest literal run a match must contain', () => {
    expect(requiredLiterals('wget\\s+http://')).toStrictEqual({ literals: ['http://'],
      nocase: false });
    expect(requiredLiterals('/picsdesc\\.xml')).toStrictEqual({ literals: ['/picsdesc.xml'],
      nocase: false });
    expect(requiredLiterals('^\\x00\\x00\\x00.\\xffSMB')?.literals).toStrictEqual(['\xffSMB']);
  });

  it('takes one literal from each branch of an alternation', () => {
    expect(requiredLiterals('(?:wget|curl|tftp) ')?.literals).toStrictEqual(['wget', 'curl',
      'tftp']);
    expect(requiredLiterals('x(?:wget|curl)[^\\n]*https?://')?.literals)
      .toStrictEqual(['wget', 'curl']);
  });

  it('lower-cases the literals of a pattern that ignores case anywhere', () => {
    expect(requiredLiterals('(?i)\\$\\{\\s*JNDI:')).toStrictEqual({ literals: ['jndi:'],
      nocase: true });
    expect(requiredLiterals('ab(?i:CD)EFG')).toStrictEqual({ literals: ['efg'], nocase: true });
  });

  it('leaves out what may be absent: optional atoms, repeats from zero, classes', () => {
    expect(requiredLiterals('ab?c')?.literals).toStrictEqual(['a']);
    expect(requiredLiterals('xy+z')?.literals).toStrictEqual(['xy']);
    expect(requiredLiterals('(?:abc)?d')?.literals).toStrictEqual(['d']);
    expect(requiredLiterals('ab{0,3}')?.literals).toStrictEqual(['a']);
    expect(requiredLiterals('#{[^}]{0,1000}T\\(')?.literals).toStrictEqual(['#{']);
  });

  it('knows nothing of patterns with no required literal or forms it does not read', () => {
    for (const pattern of ['\\d+', '[a-z]+', 'a|\\d', '.*', '(?:ab)*', '\\x{41}bc', '\\Qa\\E',
      '\\101bc', 'a)']) {
      expect(requiredLiterals(pattern)).toBeNull();
    }
  });

  it('never names a literal that a match lacks (property, against RE2 itself)', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'K', 's', '\\.', '.', '[ab]', '[^a]', '\\s', '\\d', '\\b', '^',
        '$', '\\x41', '{', '}'),
    );
    const quantifier = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,3}', '{1,}', '+?');
    const piece = fc.tuple(atom, quantifier).map(([a, q]) => a + q);
    const concat = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    const pattern = fc.letrec((tie) => ({
      expr: fc.oneof({ depthSize: 'small' }, concat,
        fc.tuple(tie('expr'), tie('expr')).map(([x, y]) => `${x}|${y}`),
        fc.tuple(concat, tie('expr'), fc.constantFrom('', '?', '+', '{2}'), concat)
          .map(([x, y, q, z]) => `${x}(?:${y})${q}${z}`),
        fc.tuple(fc.constantFrom('(?i)', '(?i:', '(?s)'), concat)
          .map(([f, x]) => (f === '(?i:' ? `${f}${x})` : f + x))),
    })).expr;
    const text = fc.stringMatching(/^[abkKsSſ\u212a. A{}\n0-9x]{0,40}$/);

    fc.assert(fc.property(pattern, text, (source, value) => {
      let re: RE2;
      try {
        re = new RE2(source);
      } catch {
        return true; // RE2 refuses it: the loader never gets here
      }
      const required = requiredLiterals(source);
      if (required === null || !re.test(value)) return true;
      // The matcher compares lower-cased only on ASCII values: RE2 folds ſ and K (Kelvin).
      if (required.nocase && /[\u0080-\uffff]/.test(value)) return true;
      const seen = required.nocase ? value.toLowerCase() : value;
      return required.literals.some((literal) => seen.includes(literal));
    }), { numRuns: 3000 });
  });
});
