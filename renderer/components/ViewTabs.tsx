import { useRef } from 'preact/hooks';
import type { CenterView } from '../retrieval-actions';

/**
 * What the middle of the window shows, as tabs above it: the article, every coded passage of the
 * project, the search of its texts, the memos, the quote collections. Arrow keys, Home and End move between the tabs
 * (one Tab stop, as a tab list has); Ctrl/⌘+Shift+L and Ctrl/⌘+Shift+F reach two of them from
 * anywhere (App.tsx).
 */
const TABS: readonly { view: CenterView; label: string; panel: string; key?: string }[] = [
  { view: 'article', label: 'Article', panel: 'view-article' },
  { view: 'passages', label: 'All passages', panel: 'view-passages', key: 'L' },
  { view: 'search', label: 'Search texts', panel: 'view-search', key: 'F' },
  { view: 'memos', label: 'Memos', panel: 'view-memos' },
  { view: 'collections', label: 'Collections', panel: 'view-collections' },
];

export function ViewTabs({ current, isMac, onChoose }: { current: CenterView; isMac: boolean; onChoose: (view: CenterView) => void }) {
  const list = useRef<HTMLDivElement>(null);
  const focusTab = (i: number): void => {
    const tabs = [...(list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [])];
    const tab = tabs[(i + tabs.length) % tabs.length];
    tab?.focus();
    tab?.click();
  };
  return (
    <div
      class="view-tabs"
      role="tablist"
      aria-label="Views"
      ref={list}
      onKeyDown={(e) => {
        const at = TABS.findIndex((t) => t.view === current);
        const to: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 };
        if (!(e.key in to) || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        focusTab(to[e.key]!);
      }}
    >
      {TABS.map((t) => (
        <button
          key={t.view}
          type="button"
          role="tab"
          id={`tab-${t.view}`}
          aria-selected={current === t.view}
          aria-controls={t.panel}
          tabIndex={current === t.view ? 0 : -1}
          title={t.key ? `${t.label} (${isMac ? '⌘⇧' : 'Ctrl+Shift+'}${t.key})` : t.label}
          aria-keyshortcuts={t.key ? `${isMac ? 'Meta' : 'Control'}+Shift+${t.key}` : undefined}
          onClick={() => onChoose(t.view)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
