import { plainText } from '../../../shared/plain-text';
import { importDocx } from './docx';
import { importEpub } from './epub';
import { importHtml } from './html';
import { importOdt } from './odt';
import { importPdf } from './pdf';
import { importMarkdown } from './markdown';
import { ENCODINGS, assertText, decodeText, importPlainText } from './text';
import { IMPORT_LIMITS, ImportFailure, titleOr, type ImportFormat, type ImportedText } from './types';

/**
 * Which importer a file goes to: by its extension, checked against what its first bytes say, so
 * that a file that is not what its name says is refused with what it seems to be instead of
 * being read as garbage.
 */

const EXTENSIONS: Record<string, ImportFormat> = {
  txt: 'txt', text: 'txt', md: 'md', markdown: 'md', html: 'html', htm: 'html', xhtml: 'html',
  docx: 'docx', odt: 'odt', epub: 'epub', pdf: 'pdf',
};

/** The names users see for each format. */
export const FORMAT_NAMES: Record<ImportFormat, string> = {
  txt: 'plain text', md: 'Markdown', html: 'HTML', docx: 'Word (.docx)', odt: 'OpenDocument text (.odt)', epub: 'EPUB', pdf: 'PDF',
};

/** The extensions Gloss imports, for file choosers. */
export const IMPORT_EXTENSIONS = Object.keys(EXTENSIONS);

/** What the first bytes say a file is, when they say anything. */
export function sniff(bytes: Uint8Array): 'pdf' | 'zip' | 'ole' | 'binary' | null {
  const head = Buffer.from(bytes.subarray(0, 1024));
  if (head.indexOf('%PDF-') >= 0 && head.indexOf('%PDF-') < 1024) return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) return 'zip';
  // The old binary Word and Excel formats (OLE compound files).
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole';
  if (head[0] === 0x89 && head.subarray(1, 4).toString('latin1') === 'PNG') return 'binary';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'binary';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'binary';
  return null;
}

/** The format of a file by its name, or a failure naming the extensions Gloss reads. */
export function formatOf(fileName: string): ImportFormat {
  const ext = /\.([^.\\/]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const format = EXTENSIONS[ext];
  if (!format) {
    throw new ImportFailure(
      ext === 'doc'
        ? 'Old Word documents (.doc) cannot be imported; save the file as .docx (Word) or .odt first.'
        : `Gloss does not import ${ext ? `.${ext}` : 'files without an extension'}; it imports ${IMPORT_EXTENSIONS.map((e) => `.${e}`).join(', ')}.`,
    );
  }
  return format;
}

/** What a sniffed kind of file is called in a refusal. */
const SEEMS: Record<string, string> = { pdf: 'a PDF', zip: 'a zip archive (perhaps a Word, OpenDocument or EPUB file)', ole: 'an old-style Office document (.doc or .xls)', binary: 'an image' };

/** Refuses a file whose content is not what its extension says. */
export function checkContent(format: ImportFormat, bytes: Uint8Array): void {
  const seems = sniff(bytes);
  const zipped = format === 'docx' || format === 'odt' || format === 'epub';
  if (format === 'pdf' && seems !== 'pdf') throw new ImportFailure(`The file is named .pdf but is not a PDF${seems ? ` (it seems to be ${SEEMS[seems]})` : ''}.`);
  if (zipped && seems !== 'zip') throw new ImportFailure(`The file is named .${format} but is not one: a ${FORMAT_NAMES[format]} file is a zip archive, and this is ${seems ? SEEMS[seems] : 'not'}. It may be damaged or renamed.`);
  if (!zipped && format !== 'pdf' && seems !== null) throw new ImportFailure(`The file is named as ${FORMAT_NAMES[format]} but seems to be ${SEEMS[seems]}; rename it with the right extension, or choose another file.`);
}

/** Options of one import. */
export interface ImportOptions {
  /** The text encoding the user chose (txt, md, html), when the file's own is not known. */
  encoding?: string;
}

/** The importers of container formats, each in its own module. */
const containerImporters: Partial<Record<ImportFormat, (bytes: Uint8Array, opts: ImportOptions) => Promise<ImportedText>>> = {
  docx: importDocx,
  odt: importOdt,
  epub: importEpub,
  pdf: importPdf,
};

/** Imports one file's bytes: the blocks, the metadata it states (title at least: its name otherwise), notes. */
export async function importBytes(fileName: string, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportedText & { format: ImportFormat }> {
  const format = formatOf(fileName);
  if (bytes.length === 0) throw new ImportFailure('The file is empty.');
  if (bytes.length > IMPORT_LIMITS.fileBytes) throw new ImportFailure(`The file is too large to import (${(bytes.length / 1048576).toFixed(0)} MB; the limit is ${IMPORT_LIMITS.fileBytes / 1048576} MB).`);
  checkContent(format, bytes);
  let result: ImportedText;
  switch (format) {
    case 'txt':
      result = importPlainText(bytes, opts.encoding);
      break;
    case 'md':
      result = importMarkdown(bytes, opts.encoding);
      break;
    case 'html': {
      const { text } = decodeText(bytes, opts.encoding ?? declaredCharset(bytes));
      // Markup, not text: the page's own limit is importHtml's.
      assertText(text, Number.POSITIVE_INFINITY);
      result = importHtml(text);
      break;
    }
    default: {
      const importer = containerImporters[format];
      if (!importer) throw new ImportFailure(`Importing ${FORMAT_NAMES[format]} files is not available in this version of Gloss.`);
      result = await importer(bytes, opts);
    }
  }
  if (result.blocks.length === 0) throw new ImportFailure('The file holds no text to import.');
  // Whatever the format, the text itself is bounded (markup limits are each importer's).
  assertText(plainText(result.blocks));
  return { ...result, meta: titleOr(result.meta, fileName), format };
}

/** The charset an HTML file declares in its first bytes (`<meta charset>`), if a known one other than UTF-8. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  const label = m?.[1]?.toLowerCase();
  if (!label || label === 'utf-8' || label === 'utf8') return undefined;
  // As browsers do: the Latin-1 labels mean Windows-1252.
  const known = label === 'iso-8859-1' || label === 'latin1' || label === 'us-ascii' ? 'windows-1252' : label;
  return known in ENCODINGS ? known : undefined;
}
