import { useEffect, useRef, useState } from 'preact/hooks';
import { carriesFiles } from '../import-files';

/**
 * Files dragged anywhere over the window: an overlay says "Drop to import", and a drop hands the
 * files to `onFiles` (the import dialog). Drags that carry no files (text, a code of the codebook)
 * are left to the page. While `blocked()` (another dialog is open) a drop does nothing, and
 * never makes the window navigate to the file, as a browser (and Electron) would by default.
 */
export function FileDrop({ onFiles, blocked }: { onFiles: (files: File[]) => void; blocked: () => boolean }) {
  const [over, setOver] = useState(false);
  const latest = useRef({ onFiles, blocked });
  latest.current = { onFiles, blocked };

  useEffect(() => {
    // dragenter of the element entered comes before dragleave of the one left: a count of them
    // is zero only once the drag has left the window.
    let depth = 0;
    const enter = (e: DragEvent): void => {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth++;
      setOver(!latest.current.blocked());
    };
    const move = (e: DragEvent): void => {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = latest.current.blocked() ? 'none' : 'copy';
    };
    const leave = (e: DragEvent): void => {
      if (!carriesFiles(e.dataTransfer)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const end = (): void => {
      depth = 0;
      setOver(false);
    };
    const drop = (e: DragEvent): void => {
      if (!carriesFiles(e.dataTransfer)) return;
      // Captured at the window: no element below (a text field, the codebook tree) takes the files.
      e.preventDefault();
      e.stopPropagation();
      end();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length && !latest.current.blocked()) latest.current.onFiles(files);
    };
    const listeners: [string, (e: DragEvent) => void][] = [
      ['dragenter', enter],
      ['dragover', move],
      ['dragleave', leave],
      ['dragend', end],
      ['drop', drop],
    ];
    for (const [type, fn] of listeners) window.addEventListener(type, fn as EventListener, true);
    return () => {
      for (const [type, fn] of listeners) window.removeEventListener(type, fn as EventListener, true);
    };
  }, []);

  return over ? (
    <div class="drop-overlay">
      <p>Drop to import</p>
    </div>
  ) : null;
}
