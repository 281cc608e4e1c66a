/**
 * Escaping for everything the report writes. Report text comes from users (issue titles, causes,
 * minutes), so every string passes through one of these before it reaches HTML, SVG or Markdown.
 */

// Characters XML 1.0 forbids outright (C0 controls other than tab, LF, CR; lone surrogates;
// U+FFFE/U+FFFF). An SVG containing one would not parse, so they are dropped rather than escaped.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for HTML or SVG content and attribute values (quoted either way). */
export function escapeXml(value: string | number): string {
  return String(value)
    .replace(XML_INVALID, "")
    .replace(/[&<>"']/g, (char) => XML_ENTITIES[char]);
}

/**
 * Inline text for a Markdown table cell, list item or heading: the characters that start inline
 * syntax (emphasis, code, links, HTML, entities, table pipes) are backslash-escaped, so a title
 * like `<script>` or `**x**` shows literally; line breaks become spaces (a newline would end the
 * row). Block markers (`-`, `1.`) need no escape because the text never starts a line.
 */
export function escapeMarkdown(value: string | number): string {
  return String(value)
    .replace(XML_INVALID, "")
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/[\\`*_[\]<>|~&#!]/g, (char) => `\\${char}`);
}
