import { useState } from 'preact/hooks';
import { encodingGroups, type EncodingChoice } from '../import-files';

/**
 * The encoding to read a file with again, when main would not guess it: its likeliest first,
 * then every one main reads, and "Try again". With `fileName` (one file among several) the
 * controls' names say which file they are for.
 */
export function EncodingRetry({ suggestions, choices, fileName, onTry }: { suggestions: string[]; choices: EncodingChoice[]; fileName?: string; onTry: (label: string) => void }) {
  const [value, setValue] = useState(suggestions[0] ?? choices[0]?.label ?? 'utf-8');
  return (
    <div class="encoding-choice">
      <label>
        Encoding{fileName === undefined ? null : <span class="sr-only"> of {fileName}</span>}
        <select value={value} onChange={(e) => setValue((e.target as HTMLSelectElement).value)}>
          {encodingGroups(suggestions, choices).map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.options.map((o) => (
                <option key={o.label} value={o.label}>
                  {o.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <button type="button" aria-label={fileName === undefined ? undefined : `Try again: ${fileName}`} onClick={() => onTry(value)}>
        Try again
      </button>
    </div>
  );
}
