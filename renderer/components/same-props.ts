/**
 * Whether two props objects hold the same values, compared shallowly (`Object.is` per key): for
 * the `shouldComponentUpdate` of components whose props are plain values and stable functions,
 * so that they redraw only when one changes (`memo` is in preact/compat, whose import would
 * change how every input's events are bound).
 */
export function sameProps(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && Object.is(x[k], y[k]));
}
