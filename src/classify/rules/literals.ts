// Literals that every match of a regex must contain, read from the pattern (as RE2's own
// prefilter does, in a smaller way). A value holding none of them cannot match, so the
// regex is not run on it: a substring search costs far less than a call into RE2.

/** What a match must contain: one of `literals` (lower-cased when `nocase`). */
export interface Required {
  literals: string[];
  /** The pattern ignores case somewhere: compare lower-cased, and only on ASCII values. */
  nocase: boolean;
}

/** One requirement of a part of a pattern: any of these strings, or nothing known. */
type AnyOf = string[] | null;

class Unsure extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
const REPEAT = /^\{(\d+)(?:,(\d*))?\}/;

/** The better of two requirements: the one whose shortest literal is longest. */
function better(a: AnyOf, b: AnyOf): AnyOf {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  const shortest = (x: string[]) => Math.min(...x.map((s) => s.length));
  return shortest(b) > shortest(a) ? b : a;
}

class PatternReader {
  readonly #src: string;
  #at = 0;

  constructor(src: string) {
    this.#src = src;
  }

  /** alternation := concat ('|' concat)* ; any branch without a requirement voids it. */
  alternation(): AnyOf {
    const branches: AnyOf[] = [this.#concat()];
    while (this.#src[this.#at] === '|') {
      this.#at++;
      branches.push(this.#concat());
    }
    if (branches.some((b) => b === null || b.length === 0)) return null;
    return [...new Set(branches.flat() as string[])];
  }

  get done(): boolean {
    return this.#at >= this.#src.length;
  }

  #concat(): AnyOf {
    let best: AnyOf = null;
    let run = '';
    const endRun = () => {
      if (run !== '') best = better(best, [run]);
      run = '';
    };
    while (!this.done && this.#src[this.#at] !== '|' && this.#src[this.#at] !== ')') {
      const atom = this.#atom();
      const min = this.#quantifierMin();
      if (typeof atom === 'string' && min === 1) {
        run += atom;
        continue;
      }
      if (typeof atom === 'string' && min === 2) {
        run += atom;
        endRun();
        continue;
      }
      endRun();
      if (min >= 1 && typeof atom !== 'string' && atom.group) best = better(best, atom.required);
    }
    endRun();
    return best;
  }

  /**
   * A literal character, or what else stands there: a group's requirement, or nothing known
   * (a class, `.`, an escape such as `\d`, an anchor or a flag setting).
   */
  #atom(): string | { group: boolean; required: AnyOf } {
    const c = this.#src[this.#at++]!;
    if (c === '(') return { group: true, required: this.#group() };
    if (c === '[') {
      this.#skipClass();
      return { group: false, required: null };
    }
    if (c === '\\') return this.#escape();
    if ('.^$'.includes(c)) return { group: false, required: null };
    if ('*+?'.includes(c)) throw new Unsure('a quantifier with nothing before it');
    return c;
  }

  #group(): AnyOf {
    const rest = this.#src.slice(this.#at);
    if (rest.startsWith('?')) {
      const flags = /^\?[a-zA-Z-]*\)/.exec(rest);
      if (flags !== null) {
        this.#at += flags[0].length;
        return null;
      }
      const opener = /^\?(?:[a-zA-Z-]*:|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(rest);
      if (opener === null) throw new Unsure('a group form this reader does not know');
      this.#at += opener[0].length;
    }
    const required = this.alternation();
    if (this.#src[this.#at] !== ')') throw new Unsure('an unclosed group');
    this.#at++;
    return required;
  }

  #escape(): string | { group: boolean; required: AnyOf } {
    const c = this.#src[this.#at++];
    if (c === undefined) throw new Unsure('a pattern ending in a backslash');
    if (c === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(this.#src.slice(this.#at));
      if (hex === null) throw new Unsure('a \\x form this reader does not know');
      this.#at += 2;
      return String.fromCharCode(parseInt(hex[0], 16));
    }
    if (SIMPLE_ESCAPES[c] !== undefined) return SIMPLE_ESCAPES[c];
    if (/[0-9]|Q|E/.test(c)) throw new Unsure('an escape this reader does not know');
    if (/[A-Za-z]/.test(c)) {
      // \d \w \s \b \A \z, and \p / \P with their one-letter or braced class name.
      if ((c === 'p' || c === 'P') && this.#src[this.#at] === '{') {
        this.#at = this.#src.indexOf('}', this.#at) + 1;
        if (this.#at === 0) throw new Unsure('an unclosed \\p{');
      } else if (c === 'p' || c === 'P') {
        this.#at++;
      }
      return { group: false, required: null };
    }
    return c;
  }

  #skipClass(): void {
    if (this.#src[this.#at] === '^') this.#at++;
    if (this.#src[this.#at] === ']') this.#at++;
    while (this.#at < this.#src.length) {
      const c = this.#src[this.#at]!;
      if (c === '\\') this.#at += 2;
      else if (this.#src.startsWith('[:', this.#at)) {
        const end = this.#src.indexOf(':]', this.#at + 2);
        if (end < 0) throw new Unsure('an unclosed [:class:]');
        this.#at = end + 2;
      } else if (c === ']') {
        this.#at++;
        return;
      } else this.#at++;
    }
    throw new Unsure('an unclosed character class');
  }

  /**
   * How the atom just read repeats: 1 exactly once (a literal run goes on), 0 maybe never,
   * 2 at least once but maybe more (a literal run ends after it).
   */
  #quantifierMin(): 0 | 1 | 2 {
    const c = this.#src[this.#at];
    let min: number;
    if (c === '*' || c === '?' || c === '+') {
      this.#at++;
      min = c === '+' ? 2 : 0;
    } else if (c === '{') {
      const repeat = REPEAT.exec(this.#src.slice(this.#at));
      if (repeat === null) return 1; // RE2 reads a `{` that is no repeat as a literal
      this.#at += repeat[0].length;
      min = Math.min(Number(repeat[1]), 2);
    } else return 1;
    if (this.#src[this.#at] === '?') this.#at++; // lazy: the same minimum
    return min === 0 ? 0 : 2;
  }
}

/** One of these must appear in every match of `pattern`, or null when nothing is sure. */
export function requiredLiterals(pattern: string): Required | null {
  const nocase = /\(\?[a-zA-Z]*-?[a-zA-Z]*i/.test(pattern);
  try {
    const reader = new PatternReader(pattern);
    const required = reader.alternation();
    if (!reader.done || required === null || required.length === 0) return null;
    const literals = nocase ? required.map((l) => l.toLowerCase()) : required;
    return { literals: [...new Set(literals)], nocase };
  } catch (err) {
    if (err instanceof Unsure) return null;
    throw err;
  }
}
