// The one escape for text that goes into markup Strata writes as a string (the HTML report).
// Everything else reaches the DOM as text nodes or through XMLSerializer, which escape on their own.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` safe as HTML or XML text and as a quoted attribute value: `& < > " '` become entities,
 * so no user string (class name, title, file name) can open a tag, close an attribute or end a
 * `<style>`/CDATA section. Non-strings are converted with String() first.
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
