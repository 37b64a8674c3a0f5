import type { Code } from '../../shared/model';
import { codePath } from '../state';

/** A code as a passage's lists show it: its colour and its path ("Parent › Child"). */
export function CodeChip({ codes, id }: { codes: readonly Code[]; id: string }) {
  const code = codes.find((c) => c.id === id);
  return (
    <span class={`chip code-${code ? code.slot : 'x'}`}>
      <span class="swatch" aria-hidden="true" />
      {code ? codePath(codes, id) : `Unknown code (${id})`}
    </span>
  );
}
