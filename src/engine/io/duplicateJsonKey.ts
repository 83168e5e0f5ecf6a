/** A key that one JSON object of `text` holds twice, with the keys of the objects around it. */
export interface DuplicateJsonKey {
  key: string;
  /** Keys leading to the object that repeats `key` (empty for the outermost object). */
  path: string[];
}

/**
 * Finds the first key repeated within one object of `text`, which must be valid JSON.
 * `JSON.parse` silently keeps the last of two equal keys, so a format whose keys are names
 * (a safetensors header) has to look at the text itself.
 */
export function findDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  // One frame per open object or array; `key` is the object's last key, for the path.
  const stack: { keys: Set<string> | null; expectKey: boolean; key: string }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ keys: c === '{' ? new Set() : null, expectKey: c === '{', key: '' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = stack[stack.length - 1];
      if (!top?.keys || !top.expectKey) continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (top.keys.has(key)) return { key, path: stack.slice(0, -1).map((f) => f.key) };
      top.keys.add(key);
      top.key = key;
      top.expectKey = false;
    }
  }
  return undefined;
}
