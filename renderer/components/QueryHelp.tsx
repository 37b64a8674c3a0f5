/** The query language in brief, as the README has it in full: folded until the user asks. */

const TERMS: readonly [string, string][] = [
  ['code:"Repression tactic"', 'coded with the code or any code below it; code="…" for the code itself only; a shared name needs its path: code:"A > B"'],
  ['uncoded, unplaced, hasmemo', 'without a code; no longer found in the current text; with a memo'],
  ['overlaps:X, contains:X, within:X', 'sharing words with, holding, or lying inside a passage coded X'],
  ['near:X, near(5):X', 'at most 10 (5) words from a passage coded X'],
  ['doc:"words"', 'in documents with those words in their title'],
  ['coder:"Name"', 'made by that coder'],
  ['created>=2024-05, modified<2025', 'made or changed on such dates'],
  ['@Site=Busan, @Wave>=2, @Notes~rice', 'in documents with such a value of a document variable'],
  ['text:words, memo:words, "several words"', 'whose words, memo, or either, hold them'],
];

export function QueryHelp() {
  return (
    <details class="query-help">
      <summary>How to write a query</summary>
      <p>
        Combine terms with <code>AND</code> (or a space), <code>OR</code> and <code>NOT</code>, with brackets:{' '}
        <code>code:Interrogation AND (@Wave&gt;=2 OR near(5):Remittances)</code>.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col">Passages…</th>
          </tr>
        </thead>
        <tbody>
          {TERMS.map(([term, meaning]) => (
            <tr key={term}>
              <td>
                <code>{term}</code>
              </td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
