/**
 * The literal words a regular expression cannot match without: for a pattern, a set of ASCII strings (lower case)
 * of which every match contains at least one, or null when no such set is worth having. A line that holds none of
 * them cannot match, so the pattern need not run on it (knowledge/prefilter.ts). Read from the pattern's syntax tree
 * (@eslint-community/regexpp, the ECMAScript parser eslint uses), never from its text by hand.
 *
 * Soundness is what matters (a set that a match could avoid would change decisions), and follows from:
 * - characters adjacent in an alternative are adjacent in the text: a run of literal characters is required;
 *   zero-width assertions (`^`, `\b`, lookarounds) consume nothing and do not cut a run;
 * - a quantified atom with min ≥ 1 is there at least once: the run up to its first copy, and a run from its last
 *   copy on, are both required; with min 0 nothing of it is;
 * - a group requires the union of its alternatives' sets, and only when each alternative has one;
 * - classes, `.`, escapes like `\d`, back-references cut runs (but a class of one letter in both cases, `[Ff]`, is
 *   that letter: the index folds case); non-ASCII characters cut runs (the index is ASCII);
 * - case: the index folds A–Z to a–z in the text and the literals, which can only add hits; under the `i` flag
 *   without `u`/`v` an ASCII letter matches only ASCII letters (ECMAScript's Canonicalize keeps non-ASCII apart),
 *   with `u`/`v` it may match `ſ` or the Kelvin sign, so such patterns get no set.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** Literals shorter than this filter almost nothing: a set holding one is no better than none. */
export const MIN_LITERAL = 3;

/**
 * The shortest literal a prefilter accepts for a pattern that has no set at MIN_LITERAL (PrefilteredPatterns): a
 * two-character set filters little, but a pattern without any set runs on every text (one unanchored fail2ban
 * filter for access logs, `…\s+-\s+-\s+\[\]…`, has only `[]`: it ran on every new authentication line's shape).
 */
export const FALLBACK_MIN_LITERAL = 2;

type Requirement = string[] | null;

const parser = new RegExpParser({ ecmaVersion: 2025 });

function lowerAscii(code: number): string | null {
  if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
  return code < 128 ? String.fromCharCode(code) : null;
}

/** The better of two requirements: the longer shortest literal, then the fewer literals. */
function better(a: Requirement, b: Requirement): Requirement {
  if (!a) return b;
  if (!b) return a;
  const minA = Math.min(...a.map((s) => s.length));
  const minB = Math.min(...b.map((s) => s.length));
  if (minA !== minB) return minA > minB ? a : b;
  return a.length <= b.length ? a : b;
}

function ofAlternatives(alternatives: readonly AST.Alternative[], minLiteral: number): Requirement {
  const union = new Set<string>();
  for (const alternative of alternatives) {
    const required = ofSequence(alternative.elements, minLiteral);
    if (!required) return null;
    for (const s of required) union.add(s);
  }
  return [...union];
}

/**
 * The one (lower-case ASCII) character an element stands for in the folded text, or null: a character, or a class
 * of one letter in both cases (`[Ff]`, the commonest way to write a case-blind initial) — the index folds A–Z to
 * a–z, so every character such a class matches reads as that letter there.
 */
function foldedCharacter(element: AST.Element | AST.QuantifiableElement): string | null {
  if (element.type === 'Character') return lowerAscii(element.value);
  if (element.type !== 'CharacterClass' || element.negate || element.elements.length === 0) return null;
  let folded: string | null = null;
  for (const member of element.elements) {
    if (member.type !== 'Character') return null;
    const c = lowerAscii(member.value);
    if (c === null || (folded !== null && c !== folded)) return null;
    folded = c;
  }
  return folded;
}

function ofSequence(elements: readonly AST.Element[], minLiteral: number): Requirement {
  let best: Requirement = null;
  let run = '';
  const cut = (): void => {
    if (run.length >= minLiteral) best = better(best, [run]);
    run = '';
  };
  for (const element of elements) {
    switch (element.type) {
      case 'Character':
      case 'CharacterClass': {
        const c = foldedCharacter(element);
        if (c === null) cut();
        else run += c;
        break;
      }
      case 'Assertion':
        break; // zero width: the characters around it are adjacent in the text
      case 'Quantifier': {
        const inner = element.element;
        if (element.min === 0) {
          cut();
          break;
        }
        if (inner.type === 'Character' || inner.type === 'CharacterClass') {
          const c = foldedCharacter(inner);
          if (c === null) {
            cut();
            break;
          }
          if (element.min === 1 && element.max === 1) {
            run += c;
            break;
          }
          run += c; // up to the first copy
          cut();
          run = c; // from the last copy on
          break;
        }
        cut();
        if (inner.type === 'Group' || inner.type === 'CapturingGroup') best = better(best, ofAlternatives(inner.alternatives, minLiteral));
        break;
      }
      case 'Group':
      case 'CapturingGroup':
        cut();
        best = better(best, ofAlternatives(element.alternatives, minLiteral));
        break;
      default:
        cut(); // classes, sets, back-references
    }
  }
  cut();
  return best;
}

/** The required literal set of a pattern (lower case, each ≥ minLiteral long), or null for none. */
export function requiredLiterals(source: string, flags = '', minLiteral = MIN_LITERAL): string[] | null {
  if (/[uv]/.test(flags) && flags.includes('i')) return null;
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, undefined, undefined, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  } catch {
    return null;
  }
  return ofAlternatives(pattern.alternatives, minLiteral);
}
