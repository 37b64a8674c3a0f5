import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import CSSMatrix from '@thednp/dommatrix';
import type { DocumentMeta } from '../../../shared/model';
import { canonicalText } from '../../../shared/plain-text';
import type { ImportOptions } from './formats';
import { pageLines, type Line, type TextRun } from './pdf-lines';
import { pagesToBlocks } from './pdf-paragraphs';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, isoDate, type ImportedText } from './types';

/**
 * PDF files, read with pdfjs-dist (Mozilla's PDF.js, the legacy build for Node) in this thread
 * through its "fake worker": text runs per page to lines (pdf-lines.ts), lines to headings and
 * paragraphs (pdf-paragraphs.ts). Nothing is ever fetched: the standard fonts and character maps
 * pdfjs may need are read from its own package folder, eval is off, fonts are never loaded into
 * anything, and image decoders (WebAssembly) are off — text needs none of them.
 */

/** A PDF's text, with the page (1-based) each top-level block starts on, `pages[i]` for `blocks[i]`. */
export type ImportedPdf = ImportedText & { pages: number[] };

/** What one PDF import may cost. */
export interface PdfLimits {
  /** The most pages a PDF may have. */
  pages: number;
  /** The time reading one PDF may take; the caller's worker has its own, longer limit. */
  timeMs: number;
}

/** The limits every import keeps to: 2,000 pages (a long book), 50 seconds (inside the worker's 60). */
export const PDF_LIMITS: PdfLimits = { pages: 2000, timeMs: 50_000 };

/** The refusals the user sees, by what is wrong with the file. */
export const PDF_MESSAGES = {
  password: 'The PDF is protected by a password; Gloss cannot open it. Remove the protection in a PDF reader and import it again.',
  noText: 'The PDF has no text layer — it seems to be scanned pages (images of text). Run it through OCR (text recognition) in another program first, then import the result.',
  damaged: 'The PDF is damaged or incomplete (perhaps cut short when it was copied or downloaded), and Gloss cannot read it.',
  unreadableText: 'The PDF’s text cannot be read: its fonts do not say which letters they draw. Run it through OCR (text recognition) in another program first, then import the result.',
} as const;

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;

let loaded: Promise<{ pdfjs: Pdfjs; dataDir: string }> | null = null;

/** pdfjs, loaded once, with its worker code run in this thread and its data folder located. */
function loadPdfjs(): Promise<{ pdfjs: Pdfjs; dataDir: string }> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dataDir = path.dirname(require.resolve('pdfjs-dist/package.json'));
    // pdfjs makes a DOMMatrix as it loads. In Node it borrows one from @napi-rs/canvas, a native
    // module installed with it in development but not in the desktop package; reading text needs
    // only the matrix arithmetic, so a plain-script one is set first, the same everywhere.
    (globalThis as { DOMMatrix?: unknown }).DOMMatrix ??= CSSMatrix;
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // In Node pdfjs never starts a worker thread; it imports this module and runs it in-thread.
    pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;
    return { pdfjs, dataDir };
  })();
  loaded.catch(() => (loaded = null));
  return loaded;
}

/** Imports a PDF's text (see the module comment and pdf-paragraphs.ts for the rules). */
export async function importPdf(bytes: Uint8Array, _opts: ImportOptions = {}, limits: PdfLimits = PDF_LIMITS): Promise<ImportedPdf> {
  const { pdfjs, dataDir } = await loadPdfjs();
  const deadline = Date.now() + limits.timeMs;
  // Folders, not URLs: pdfjs reads them with fs in Node. They must end with "/".
  const folder = (name: string): string => `${path.join(dataDir, name)}/`;
  const task = pdfjs.getDocument({
    // A copy: pdfjs takes the buffer over (transfers it) and the caller's bytes must stay intact.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    enableXfa: false,
    standardFontDataUrl: folder('standard_fonts'),
    cMapUrl: folder('cmaps'),
    cMapPacked: true,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await pdfCall(task.promise, deadline, limits);
    if (doc.numPages > limits.pages) {
      throw new ImportFailure(`The PDF has ${doc.numPages.toLocaleString('en')} pages; Gloss imports PDFs of up to ${limits.pages.toLocaleString('en')} pages. Split it into parts in a PDF program and import them one by one.`);
    }
    const meta = await metadataOf(doc, deadline, limits);
    const { pages, unreadable, chars, garbled } = await readPages(doc, deadline, limits);
    if (unreadable.length === doc.numPages) throw new ImportFailure(PDF_MESSAGES.damaged);
    if (chars > 0 && garbled / chars > 0.5) throw new ImportFailure(PDF_MESSAGES.unreadableText);
    const laid = pagesToBlocks(pages);
    if (laid.blocks.length === 0) throw new ImportFailure(PDF_MESSAGES.noText);
    let length = 0;
    for (const b of laid.blocks) length += b.type === 'heading' || b.type === 'paragraph' ? b.text.length : 0;
    if (length > IMPORT_LIMITS.textChars) throw new ImportFailure(`The text is too long to import (${(length / 1048576).toFixed(1)} million characters; the limit is ${IMPORT_LIMITS.textChars / 1048576} million).`);
    if (laid.blocks.length > IMPORT_LIMITS.blocks) throw new ImportFailure(`The PDF has more than ${IMPORT_LIMITS.blocks.toLocaleString('en')} paragraphs; Gloss does not import texts that long.`);
    return { meta, blocks: laid.blocks, pages: laid.pages, notes: notesOf(doc.numPages, pages, unreadable, laid.dropped) };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** The time limit passed: the whole import fails, whatever step it was in. */
class TimeUp extends ImportFailure {}

/** A pdfjs call within the time left; what pdfjs throws becomes a failure saying what is wrong with the file. */
async function pdfCall<T>(work: Promise<T>, deadline: number, limits: PdfLimits): Promise<T> {
  const tooLong = (): TimeUp =>
    new TimeUp(`Reading the PDF took more than ${Math.max(1, Math.round(limits.timeMs / 1000))} seconds, so Gloss stopped. The file may be damaged, or built in a way that is too costly to read.`);
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooLong()), Math.max(0, deadline - Date.now()));
  });
  // Once time is up nobody waits for the work, which pdfjs rejects when the document is destroyed.
  work.catch(() => undefined);
  try {
    // Checked before, not only raced: work that settles without yielding would always win the race.
    if (Date.now() >= deadline) throw tooLong();
    return await Promise.race([work, timeUp]);
  } catch (e) {
    if (e instanceof ImportFailure) throw e;
    const { name, message } = (e ?? {}) as { name?: unknown; message?: unknown };
    // pdfjs itself failing to start is this build's fault, not the file's.
    if (typeof message === 'string' && message.startsWith('Setting up fake worker failed')) throw new Error(`Gloss could not start its PDF reader (pdfjs): ${message}`);
    throw new ImportFailure(name === 'PasswordException' ? PDF_MESSAGES.password : PDF_MESSAGES.damaged);
  } finally {
    clearTimeout(timer);
  }
}

/** Every page's lines; a page pdfjs cannot read is left empty and counted. */
async function readPages(doc: PdfDocument, deadline: number, limits: PdfLimits): Promise<{ pages: Line[][]; unreadable: number[]; chars: number; garbled: number }> {
  const pages: Line[][] = [];
  const unreadable: number[] = [];
  let chars = 0;
  let garbled = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    let content;
    try {
      const page = await pdfCall(doc.getPage(n), deadline, limits);
      content = await pdfCall(page.getTextContent({ disableNormalization: true }), deadline, limits);
      page.cleanup();
    } catch (e) {
      if (!(e instanceof ImportFailure) || e instanceof TimeUp) throw e;
      unreadable.push(n);
      pages.push([]);
      continue;
    }
    const runs: TextRun[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const text = cleanText(item.str);
      const t = item.transform as number[];
      runs.push({ text, x: t[4]!, y: t[5]!, width: item.width, size: Math.hypot(t[2]!, t[3]!) || item.height, rtl: item.dir === 'rtl' });
      const visible = text.replace(/\s+/g, '');
      chars += visible.length;
      garbled += visible.length - visible.replace(/[\p{Co}\uFFFD]/gu, '').length;
    }
    // Bounded before any layout work: a page of millions of runs costs memory, not just time.
    if (chars > IMPORT_LIMITS.textChars) throw new ImportFailure(`The text is too long to import (more than ${IMPORT_LIMITS.textChars / 1048576} million characters).`);
    pages.push(pageLines(runs));
  }
  return { pages, unreadable, chars, garbled };
}

/** Letters drawn as one glyph (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ): NFKC gives their letters. */
const LIGATURES = /[\ufb00-\ufb06]/g;
/** Arabic and Hebrew letters in their contextual shapes, as many PDFs hold them: NFKC gives the letters. */
const PRESENTATION_FORMS = /[\ufb1d-\ufb4f\ufb50-\ufdff\ufe70-\ufefe]/g;
/** Spaces of other widths, tabs and line breaks inside a run: one space each. */
const SPACES = /[\t\n\r\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|\p{Cs}/gu;

/**
 * A run's text as Gloss keeps it: ligatures and presentation forms as their letters (NFKC on
 * those code points only, so that superscripts, full-width forms and the like stay as written),
 * odd spaces as spaces, control characters and broken surrogates dropped.
 */
export function cleanText(text: string): string {
  return text.replace(LIGATURES, (c) => c.normalize('NFKC')).replace(PRESENTATION_FORMS, (c) => c.normalize('NFKC')).replace(SPACES, ' ').replace(CONTROLS, '');
}

/**
 * Title and author from the XMP metadata (preferred: it is Unicode and usually the newer) or the
 * document information dictionary. The date is left empty unless the XMP states a publication
 * date (PRISM's publicationDate or coverDate, which publishers write): the PDF's own dates
 * (CreationDate, ModDate, xmp:CreateDate) say when the file was made or saved, and an article of
 * 1998 printed to PDF in 2024 was not published in 2024.
 */
async function metadataOf(doc: PdfDocument, deadline: number, limits: PdfLimits): Promise<DocumentMeta> {
  const meta = emptyMeta();
  let found;
  try {
    found = await pdfCall(doc.getMetadata(), deadline, limits);
  } catch (e) {
    // Damaged metadata costs the metadata, not the text.
    if (e instanceof TimeUp) throw e;
    return meta;
  }
  const info = (found.info ?? {}) as Record<string, unknown>;
  // pdfjs lowercases XMP names; dc:creator is a list.
  const xmp = (name: string): unknown => found.metadata?.get(name) ?? null;
  const text = (value: unknown): string => (typeof value === 'string' ? canonicalText(cleanText(value)).replace(/\s+/g, ' ').trim().slice(0, 1000) : '');
  const creators = xmp('dc:creator');
  const title = [text(xmp('dc:title')), text(info.Title)].find((t) => t !== '' && !isFileName(t)) ?? '';
  meta.title = title;
  meta.author = (Array.isArray(creators) ? creators.map(text).filter((c) => c !== '').join('; ') : '') || text(info.Author);
  meta.publication = text(xmp('prism:publicationname'));
  meta.date = isoDate(text(xmp('prism:publicationdate')) || text(xmp('prism:coverdate')));
  const url = text(xmp('prism:url'));
  meta.url = /^https?:\/\/\S+$/i.test(url) ? url : '';
  return meta;
}

/** Titles that programs write in place of one: a file name, "Microsoft Word - draft.docx", "Untitled". */
function isFileName(title: string): boolean {
  return /\.(docx?|odt|rtf|pdf|txt|html?|tex|dvi|ps|indd|qxp|pages|pptx?|xlsx?)$/i.test(title) || /^microsoft (word|powerpoint|excel) - /i.test(title) || /^untitled\b/i.test(title);
}

function notesOf(numPages: number, pages: Line[][], unreadable: number[], dropped: number): string[] {
  const notes = [`The PDF has ${numPages.toLocaleString('en')} page${numPages === 1 ? '' : 's'}.`];
  const columns = pages.filter((lines) => lines.some((l) => l.column !== '')).length;
  if (columns) notes.push(`${columns === 1 ? 'One page was' : `${columns} pages were`} read as columns, each column from top to bottom.`);
  if (dropped) notes.push('Running headers, footers and page numbers (lines repeated on most pages) were left out.');
  if (unreadable.length) {
    const list = unreadable.slice(0, 10).join(', ') + (unreadable.length > 10 ? ', …' : '');
    notes.push(`${unreadable.length === 1 ? `Page ${list} could not be read and was` : `${unreadable.length} pages could not be read (${list}) and were`} left out.`);
  }
  return notes;
}
