/**
 * Whether a regular expression can tell one ASCII digit from another: the knowledge memo (linux-knowledge.ts) folds
 * every digit of a line to `1` so that lines differing only in counters, pids and addresses share one entry, which is
 * sound only for patterns that cannot see which digit stands where. Read from the pattern's syntax tree
 * (@eslint-community/regexpp), conservatively: anything not known to be blind counts as sensitive.
 *
 * Blind: `\d`, `\D`, `\w`, `\W`, `\s`, `.`, a class that holds all ten digits or none of them (`[0-9a-f]`, `[^\s:]`).
 * Sensitive: a literal digit (`status=1`), a class holding some digits only (`[1-9]`, `[^0]`), a back-reference
 * (`(\d)\1` compares digits), a Unicode property or set operation (not analysed).
 */
import { Buffer } from 'node:buffer';
import { RegExpParser, type AST } from '@eslint-community/regexpp';

const parser = new RegExpParser({ ecmaVersion: 2025 });
const ZERO = 48;
const NINE = 57;
const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

/** How many of the ten digits a class element matches, or null when not analysed. */
function digitsOf(element: AST.CharacterClassElement): number | null {
  switch (element.type) {
    case 'Character':
      return isDigit(element.value) ? 1 : 0;
    case 'CharacterClassRange':
      return Math.max(0, Math.min(NINE, element.max.value) - Math.max(ZERO, element.min.value) + 1);
    case 'CharacterSet':
      if (element.kind === 'digit' || element.kind === 'word') return element.negate ? 0 : 10;
      if (element.kind === 'space') return element.negate ? 10 : 0;
      return null;
    default:
      return null;
  }
}

function classSensitive(node: AST.CharacterClass): boolean {
  // Ranges and characters may overlap ([0-5\d]): a digit count of 0 or ≥ 10 over the union is decided exactly only
  // when no element is partial, so any partial element makes the class sensitive unless another covers all ten.
  let partial = false;
  let full = false;
  for (const element of node.elements) {
    const n = digitsOf(element as AST.CharacterClassElement);
    if (n === null) return true;
    if (n >= 10) full = true;
    else if (n > 0) partial = true;
  }
  return partial && !full;
}

function sensitive(node: AST.Node): boolean {
  switch (node.type) {
    case 'Character':
      return isDigit(node.value);
    case 'CharacterClass':
      return classSensitive(node);
    case 'CharacterSet':
      return node.kind === 'property';
    case 'Backreference':
    case 'ExpressionCharacterClass':
    case 'ClassStringDisjunction':
      return true;
    case 'Quantifier':
      return sensitive(node.element);
    case 'Group':
    case 'CapturingGroup':
    case 'Pattern':
      return node.alternatives.some(sensitive);
    case 'Alternative':
      return node.elements.some(sensitive);
    case 'Assertion':
      return (node.kind === 'lookahead' || node.kind === 'lookbehind') && node.alternatives.some(sensitive);
    default:
      return true;
  }
}

/** Whether `regex` may match a text and not the same text with some digit replaced by another digit. */
export function readsDigits(regex: RegExp): boolean {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(regex.source, undefined, undefined, { unicode: regex.flags.includes('u'), unicodeSets: regex.flags.includes('v') });
  } catch {
    return true;
  }
  return sensitive(pattern);
}

/**
 * A digit-blind regular expression that matches wherever `regex` matches, and on any text of the same digit shape:
 * `regex` with each digit-telling atom widened (a digit to `\d`, a partial class or back-reference to `[\s\S]*`-like
 * atoms) and every assertion dropped (so it also finds a match that starts or ends inside the text). Used for the
 * sensitive patterns that have no literal set (memo-key.ts).
 */
export function digitBlindCover(regex: RegExp): RegExp {
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(regex.source, undefined, undefined, { unicode: regex.flags.includes('u'), unicodeSets: regex.flags.includes('v') });
  } catch {
    return /[\s\S]?/; // matches every text: every line it may run on is keyed exactly
  }
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: AST.Node): void => {
    switch (node.type) {
      case 'Character':
        if (isDigit(node.value)) edits.push({ start: node.start, end: node.end, text: '\\d' });
        return;
      case 'CharacterClass':
        if (classSensitive(node)) edits.push({ start: node.start, end: node.end, text: '[\\s\\S]' });
        return;
      case 'CharacterSet':
        if (node.kind === 'property') edits.push({ start: node.start, end: node.end, text: '[\\s\\S]' });
        return;
      case 'Backreference':
        edits.push({ start: node.start, end: node.end, text: '[\\s\\S]*' });
        return;
      case 'Assertion':
        edits.push({ start: node.start, end: node.end, text: '(?:)' }); // stays valid under an Annex B quantifier
        return;
      case 'Quantifier':
        visit(node.element);
        return;
      case 'Group':
      case 'CapturingGroup':
      case 'Pattern':
        node.alternatives.forEach(visit);
        return;
      case 'Alternative':
        node.elements.forEach(visit);
        return;
      default:
        edits.push({ start: node.start, end: node.end, text: '[\\s\\S]' });
    }
  };
  visit(pattern);
  let source = regex.source;
  for (const e of edits.sort((a, b) => b.start - a.start)) source = source.slice(0, e.start) + e.text + source.slice(e.end);
  return new RegExp(source, regex.flags.replace(/[gy]/g, ''));
}

/** foldDigits' scratch: a text's UTF-16 units, and a Buffer over their bytes (grown as needed). */
let foldUnits = new Uint16Array(1024);
let foldBytes = Buffer.from(foldUnits.buffer);

/**
 * The memo key's digit folding: every ASCII digit to `1` (what text.replace(/\d/g, '1') gives, tested). A native
 * copy into a buffer, the fold in place and a native decode cost half the regex replace, and the flat string that
 * comes out costs the memo's Map half as much to hash and compare as the replace's (~2 % of a batch pass in all).
 */
export function foldDigits(text: string): string {
  const n = text.length;
  if (foldUnits.length < n) {
    foldUnits = new Uint16Array(2 * n);
    foldBytes = Buffer.from(foldUnits.buffer);
  }
  foldBytes.write(text, 0, 'utf16le');
  const units = foldUnits;
  let folded = false;
  for (let i = 0; i < n; i++) {
    const c = units[i]!;
    if (c >= 48 && c <= 57 && c !== 49) {
      units[i] = 49;
      folded = true; // a text with no other digit than 1 (a shape folded again) is its own fold
    }
  }
  return folded ? foldBytes.toString('utf16le', 0, 2 * n) : text;
}
