/**
 * Where the user was, per project on this computer: which panels are open and how wide, the
 * document last open, and where each document was scrolled to. Kept in the page's localStorage
 * (the browser profile, or the desktop app's own), never in the project folder, so colleagues
 * sharing a project each keep their own. A project is known by its folder, as in preferences.ts.
 *
 * Like VS Code's storage service: the memory is read once, changed in memory, written after a
 * short pause (only when something changed) and at once when the page is hidden or unloaded.
 * Where storage is refused it lasts as long as the page.
 */

/** Which panels are shown and how wide (px); every field may be missing (never chosen). */
export interface PanelMemory {
  documents?: boolean;
  codes?: boolean;
  passages?: boolean;
  /** The left column's width (documents and codes). */
  leftWidth?: number;
  /** The right column's width (passages). */
  rightWidth?: number;
  /** The share of the left column the documents list takes when the codes are shown too (0–1). */
  documentsShare?: number;
}

/**
 * Where a document was scrolled to: the text offset at the top of the article's view and how far
 * the view's top was below the top of that line (robust to chunks laid out lazily, and to a
 * changed width), or, while the view's top was above the text (title, byline), pixels.
 */
export type ReadingPlace = { offset: number; within: number } | { px: number };

interface Memory {
  panels: PanelMemory;
  document?: string;
  /** By document id, with when it was last read (the oldest are forgotten past `MAX_PLACES`). */
  places: Record<string, ReadingPlace & { at: number }>;
}

const PREFIX = 'gloss.layout:';
/** Documents whose place is kept; the least recently read beyond these are forgotten. */
export const MAX_PLACES = 200;
/** A change is written after this pause (scrolling changes the place many times a second). */
const WRITE_DELAY_MS = 400;

const memories = new Map<string, Memory>();
const dirty = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Reading `localStorage` itself throws where the page may not store anything.
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What was stored, keeping only fields of the right types (storage is anyone's to edit). */
function parse(raw: string | null): Memory {
  const memory: Memory = { panels: {}, places: {} };
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw) : null;
  } catch {
    return memory;
  }
  if (!isRecord(value)) return memory;
  if (isRecord(value['panels'])) {
    const p = value['panels'];
    for (const k of ['documents', 'codes', 'passages'] as const) if (typeof p[k] === 'boolean') memory.panels[k] = p[k];
    for (const k of ['leftWidth', 'rightWidth', 'documentsShare'] as const) if (finite(p[k])) memory.panels[k] = p[k];
  }
  if (typeof value['document'] === 'string') memory.document = value['document'];
  if (isRecord(value['places'])) {
    for (const [id, place] of Object.entries(value['places'])) {
      if (!isRecord(place) || !finite(place['at'])) continue;
      if (finite(place['offset']) && finite(place['within'])) memory.places[id] = { offset: place['offset'], within: place['within'], at: place['at'] };
      else if (finite(place['px'])) memory.places[id] = { px: place['px'], at: place['at'] };
    }
  }
  return memory;
}

function memoryOf(location: string): Memory {
  let memory = memories.get(location);
  if (!memory) {
    let raw: string | null = null;
    try {
      raw = storage()?.getItem(PREFIX + location) ?? null;
    } catch {
      raw = null;
    }
    memory = parse(raw);
    memories.set(location, memory);
  }
  return memory;
}

/** What runs before memory is written as the page goes (a place not yet kept while scrolling paused). */
const beforeFlush = new Set<() => void>();

/** Runs `hook` before the memory is written when the page is hidden or goes; returns its removal. */
export function onLayoutMemoryFlush(hook: () => void): () => void {
  beforeFlush.add(hook);
  return () => beforeFlush.delete(hook);
}

/** Writes every changed memory now (the page is going away, or a test asks). */
export function flushLayoutMemory(): void {
  for (const hook of [...beforeFlush]) hook();
  clearTimeout(timer);
  timer = undefined;
  const store = storage();
  for (const location of dirty) {
    try {
      store?.setItem(PREFIX + location, JSON.stringify(memoryOf(location)));
    } catch {
      // Full or refused: kept in memory for the page's life.
    }
  }
  dirty.clear();
}

function changed(location: string): void {
  dirty.add(location);
  timer ??= setTimeout(flushLayoutMemory, WRITE_DELAY_MS);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', flushLayoutMemory);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushLayoutMemory());
}

/** The panels as last left in the project at `location`. */
export function rememberedPanels(location: string): PanelMemory {
  return { ...memoryOf(location).panels };
}

/** Changes some of what is remembered of the panels. */
export function rememberPanels(location: string, change: PanelMemory): void {
  const memory = memoryOf(location);
  const next = { ...memory.panels, ...change };
  if (JSON.stringify(next) === JSON.stringify(memory.panels)) return;
  memory.panels = next;
  changed(location);
}

/** The document last open, if the project still has it. */
export function rememberedDocument(location: string, ids: readonly { id: string }[]): string | undefined {
  const id = memoryOf(location).document;
  return id !== undefined && ids.some((d) => d.id === id) ? id : undefined;
}

export function rememberDocument(location: string, documentId: string): void {
  const memory = memoryOf(location);
  if (memory.document === documentId) return;
  memory.document = documentId;
  changed(location);
}

/** Where a document was last scrolled to (none: its start). */
export function rememberedPlace(location: string, documentId: string): ReadingPlace | undefined {
  const place = memoryOf(location).places[documentId];
  if (!place) return undefined;
  return 'px' in place ? { px: place.px } : { offset: place.offset, within: place.within };
}

/** Keeps where a document is scrolled to (`null`: its start, which needs no memory). */
export function rememberPlace(location: string, documentId: string, place: ReadingPlace | null, now = Date.now()): void {
  const memory = memoryOf(location);
  const was = memory.places[documentId];
  if (!place) {
    if (!was) return;
    delete memory.places[documentId];
    changed(location);
    return;
  }
  if (was && JSON.stringify({ ...was, at: 0 }) === JSON.stringify({ ...place, at: 0 })) return;
  memory.places[documentId] = { ...place, at: now };
  const ids = Object.keys(memory.places);
  if (ids.length > MAX_PLACES) {
    ids.sort((a, b) => memory.places[a]!.at - memory.places[b]!.at);
    for (const id of ids.slice(0, ids.length - MAX_PLACES)) delete memory.places[id];
  }
  changed(location);
}

/** Forgets what was read from storage (tests: as a new page would start). */
export function resetLayoutMemoryForTests(): void {
  clearTimeout(timer);
  timer = undefined;
  memories.clear();
  dirty.clear();
}
