import chardet from 'chardet';
import type { Block } from '../../../shared/model';
import { canonicalText } from '../../../shared/plain-text';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, isSpace, trimEnds, type ImportedText } from './types';

/**
 * Bytes to text, never guessed silently: UTF-8 (with or without a byte-order mark) and UTF-16
 * with a byte-order mark are read as they are; anything else needs the user to choose the
 * encoding, and the refusal names the likeliest ones (chardet's guesses) for them to choose from.
 */

/** A text file in an encoding the user must choose; `suggestions` are the likeliest, best first. */
export class EncodingNeeded extends ImportFailure {
  override name = 'EncodingNeeded';
  constructor(
    message: string,
    readonly suggestions: string[],
  ) {
    super(message);
  }
}

/** The encodings a user may choose (the WHATWG labels Node's TextDecoder knows), with names to show. */
export const ENCODINGS: Readonly<Record<string, string>> = {
  'utf-8': 'Unicode (UTF-8)',
  'utf-16le': 'Unicode (UTF-16, little-endian)',
  'utf-16be': 'Unicode (UTF-16, big-endian)',
  'windows-1252': 'Western European (Windows-1252)',
  'iso-8859-1': 'Western European (ISO 8859-1)',
  'iso-8859-15': 'Western European (ISO 8859-15)',
  'iso-8859-2': 'Central European (ISO 8859-2)',
  'windows-1250': 'Central European (Windows-1250)',
  'windows-1251': 'Cyrillic (Windows-1251)',
  'koi8-r': 'Cyrillic (KOI8-R)',
  'iso-8859-7': 'Greek (ISO 8859-7)',
  'windows-1253': 'Greek (Windows-1253)',
  'iso-8859-9': 'Turkish (ISO 8859-9)',
  'windows-1254': 'Turkish (Windows-1254)',
  'iso-8859-8': 'Hebrew (ISO 8859-8)',
  'windows-1255': 'Hebrew (Windows-1255)',
  'windows-1256': 'Arabic (Windows-1256)',
  'shift_jis': 'Japanese (Shift_JIS)',
  'euc-jp': 'Japanese (EUC-JP)',
  'iso-2022-jp': 'Japanese (ISO-2022-JP)',
  'euc-kr': 'Korean (EUC-KR)',
  'gb18030': 'Chinese, simplified (GB18030)',
  'big5': 'Chinese, traditional (Big5)',
};

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252's bytes 0x80–0x9F. Node 20's TextDecoder reads that label as ISO 8859-1 (C1
 * controls there, where every Windows text has its curly quotes and dashes), so they are mapped
 * here; the five bytes the encoding leaves undefined stay as they are, as the WHATWG table has it.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWith(label: string, bytes: Uint8Array): string {
  const text = new TextDecoder(label, { fatal: true }).decode(bytes);
  return label === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : text;
}

/** chardet's names, mapped to the labels above. */
function labelOf(name: string): string | null {
  const key = name.toLowerCase().replace(/^iso_/, 'iso-');
  if (key in ENCODINGS) return key;
  if (key === 'gb2312' || key === 'gbk') return 'gb18030';
  if (key === 'utf-32le' || key === 'utf-32be' || key === 'ascii') return null;
  return null;
}

/** Decodes a text file (see module comment). `encoding` is the user's choice, when they made one. */
export function decodeText(bytes: Uint8Array, encoding?: string): { text: string; encoding: string } {
  if (encoding !== undefined) {
    const label = encoding.toLowerCase();
    if (!(label in ENCODINGS)) throw new ImportFailure(`Gloss does not know the encoding “${encoding}”. Choose one of: ${Object.keys(ENCODINGS).join(', ')}.`);
    try {
      return { text: stripBom(decodeWith(label, bytes)), encoding: label };
    } catch {
      throw new ImportFailure(`The file is not valid ${ENCODINGS[label]} text: some bytes mean nothing in that encoding. Choose another encoding.`);
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeOrFail(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeOrFail(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: stripBom(STRICT_UTF8.decode(bytes)), encoding: 'utf-8' };
  } catch {
    const guesses = chardet
      .analyse(bytes.subarray(0, 1024 * 1024))
      .map((g) => labelOf(g.name))
      .filter((l): l is string => l !== null && l !== 'utf-8');
    const suggestions = [...new Set(guesses)].slice(0, 4);
    const likely = suggestions.length ? ` It looks most like ${suggestions.slice(0, 2).map((s) => ENCODINGS[s]).join(' or ')}.` : '';
    throw new EncodingNeeded(`The file is not UTF-8 text, and Gloss will not guess its encoding.${likely} Choose the encoding it was saved in.`, suggestions);
  }
}

function decodeOrFail(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFailure(`The file says it is ${ENCODINGS[label]} text (it starts with that byte-order mark) but holds bytes that are not.`);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Refuses text that is plainly not text (NUL characters: a binary file renamed). */
export function assertText(text: string, limit: number = IMPORT_LIMITS.textChars): void {
  if (text.includes('\0')) throw new ImportFailure(`The file holds NUL characters, so it is not a text file (perhaps a binary file with a text file's name).`);
  if (text.length > limit) throw new ImportFailure(`The text is too long to import (${(text.length / 1048576).toFixed(1)} million characters; the limit is ${limit / 1048576} million).`);
}

/**
 * Plain text to blocks. Where the text has blank lines, they separate paragraphs and single line
 * breaks stay inside them (verse, addresses); where it has none, as in most transcripts, every
 * line is a paragraph of its own.
 */
export function textToBlocks(raw: string): Block[] {
  const text = canonicalText(raw);
  const blankLines = /\n[ \t]*\n/.test(text.trim());
  const parts = blankLines ? text.split(/\n(?:[ \t]*\n)+/) : text.split('\n');
  const blocks: Block[] = [];
  for (const part of parts) {
    const body = trimEnds(
      part
        .split('\n')
        .map((l) => trimEnds(l, (c) => c === ' ' || c === '\t', () => false))
        .join('\n'),
      isSpace,
      (c) => c === '\n',
    );
    if (body.trim() === '') continue;
    blocks.push({ type: 'paragraph', text: body });
    if (blocks.length > IMPORT_LIMITS.blocks) throw new ImportFailure(`The text has more than ${IMPORT_LIMITS.blocks.toLocaleString('en')} paragraphs; Gloss does not import texts that long.`);
  }
  return blocks;
}

/** Imports a plain-text file. */
export function importPlainText(bytes: Uint8Array, encoding?: string): ImportedText {
  const { text, encoding: used } = decodeText(bytes, encoding);
  assertText(text);
  const notes = used === 'utf-8' ? [] : [`Read as ${ENCODINGS[used]}.`];
  return { meta: emptyMeta(), blocks: textToBlocks(text), notes };
}
