/**
 * The deepest nesting of `[` and `{` in JSON text (brackets inside strings not counted), in one
 * pass without recursion: readers check it before `JSON.parse` so hostile input nested a million
 * levels deep is refused with a clear error instead of overflowing the stack in a later walk.
 *
 * @example jsonDepth('{"a": [1, {"b": "[["}]}') // => 3
 */
export function jsonDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; ++i) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) max = depth;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth -= 1;
  }
  return max;
}
