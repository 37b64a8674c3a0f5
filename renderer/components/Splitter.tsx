import { useRef } from 'preact/hooks';

/**
 * A focusable separator that resizes a panel (the window splitter pattern of WAI-ARIA): its
 * value is the panel's size, arrow keys change it (Shift: by more), Home and End take it to its
 * least and most, a drag with the pointer moves it, a double click gives back the usual size.
 * While dragging, `onPreview` shows each size (set straight into CSS, no render); the size is
 * `onChange`d once, when the drag ends, and on each key.
 */
export function Splitter({
  label,
  controls,
  orientation,
  value,
  min,
  max,
  step,
  grows,
  unit,
  pixelsPerUnit = () => 1,
  onPreview,
  onChange,
  onReset,
}: {
  label: string;
  /** The id of the panel it resizes. */
  controls: string;
  /** `vertical`: a bar between columns, dragged left and right. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  step: number;
  /** The direction that makes the panel larger: +1 (right, down) or −1 (left, up). */
  grows: 1 | -1;
  /** How the value is said: "260 pixels", "40%". */
  unit: (v: number) => string;
  /** Pixels of pointer movement per unit of value (1, the default, for a size in pixels). */
  pixelsPerUnit?: () => number;
  onPreview: (v: number) => void;
  onChange: (v: number) => void;
  onReset: () => void;
}) {
  const drag = useRef<{ id: number; from: number; start: number; last: number } | null>(null);
  const clamp = (v: number): number => Math.round(Math.max(min, Math.min(max, v)));
  const vertical = orientation === 'vertical';
  return (
    <div
      class={`splitter ${orientation}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-controls={controls}
      aria-orientation={orientation}
      aria-valuenow={clamp(value)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      aria-valuetext={unit(clamp(value))}
      onKeyDown={(e) => {
        const by = e.shiftKey ? step * 4 : step;
        const back = vertical ? 'ArrowLeft' : 'ArrowUp';
        const forth = vertical ? 'ArrowRight' : 'ArrowDown';
        let next: number | null = null;
        if (e.key === forth) next = value + grows * by;
        else if (e.key === back) next = value - grows * by;
        else if (e.key === 'Home') next = min;
        else if (e.key === 'End') next = max;
        if (next === null || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        onChange(clamp(next));
      }}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        const el = e.currentTarget as HTMLElement;
        el.setPointerCapture(e.pointerId);
        drag.current = { id: e.pointerId, from: vertical ? e.clientX : e.clientY, start: value, last: value };
        el.classList.add('dragging');
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        const moved = (vertical ? e.clientX : e.clientY) - d.from;
        const next = clamp(d.start + (grows * moved) / (pixelsPerUnit() || 1));
        if (next === d.last) return;
        d.last = next;
        const el = e.currentTarget as HTMLElement;
        el.setAttribute('aria-valuenow', String(next));
        el.setAttribute('aria-valuetext', unit(next));
        onPreview(next);
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        drag.current = null;
        (e.currentTarget as HTMLElement).classList.remove('dragging');
        if (d.last !== d.start) onChange(d.last);
      }}
      onPointerCancel={(e) => {
        const d = drag.current;
        if (!d) return;
        drag.current = null;
        (e.currentTarget as HTMLElement).classList.remove('dragging');
        onPreview(d.start);
      }}
      onDblClick={onReset}
    />
  );
}

