/**
 * Test helpers that read the report's markup without a DOM: a strict well-formedness check (every
 * tag closed in order, attributes quoted, no bare `<` or `&` in text) and small queries over
 * elements. The browser test checks the same documents in a real parser.
 */

export interface Element {
  name: string;
  attributes: Record<string, string>;
  /** Start offset of the element in the source, and of its end tag's end. */
  start: number;
  end: number;
  /** The raw inner markup. */
  inner: string;
}

const TOKEN = /<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\/([A-Za-z][\w:-]*)\s*>|<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39|#\d+|#x[0-9a-fA-F]+);)/g;
const VOID_HTML = new Set(["meta", "link", "br", "hr", "img", "input", "col", "wbr"]);
const RAW_TEXT = new Set(["style", "script"]);

/** All elements in document order; throws on markup that is not well formed. */
export function parseMarkup(source: string): Element[] {
  const elements: Element[] = [];
  const stack: { element: Element; innerStart: number }[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN.exec(source))) {
    const [token, closing, opening, attributeText, selfClosing] = match;
    if (token.startsWith("<!")) continue;
    if (token === "<" || token.startsWith("&")) {
      throw new Error(`bare ${token} at ${match.index}: ${source.slice(Math.max(0, match.index - 40), match.index + 40)}`);
    }
    if (closing) {
      const top = stack.pop();
      if (!top || top.element.name !== closing) {
        throw new Error(`</${closing}> at ${match.index} closes <${top?.element.name ?? "nothing"}>`);
      }
      top.element.end = match.index + token.length;
      top.element.inner = source.slice(top.innerStart, match.index);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, name, value] of attributeText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (name in attributes) throw new Error(`attribute ${name} twice on <${opening}>`);
      attributes[name] = value;
    }
    const element: Element = { name: opening, attributes, start: match.index, end: match.index + token.length, inner: "" };
    elements.push(element);
    if (selfClosing || VOID_HTML.has(opening.toLowerCase())) continue;
    if (RAW_TEXT.has(opening)) {
      const close = source.indexOf(`</${opening}>`, TOKEN.lastIndex);
      if (close < 0) throw new Error(`<${opening}> is never closed`);
      element.inner = source.slice(TOKEN.lastIndex, close);
      element.end = close + opening.length + 3;
      TOKEN.lastIndex = element.end;
      continue;
    }
    stack.push({ element, innerStart: TOKEN.lastIndex });
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1].element.name}> is never closed`);
  return elements;
}

/** Elements named `name` having every attribute in `where` (value or just presence with `true`). */
export function select(elements: Element[], name: string, where: Record<string, string | true> = {}): Element[] {
  return elements.filter(
    (element) =>
      element.name === name &&
      Object.entries(where).every(([key, value]) =>
        value === true ? key in element.attributes : element.attributes[key] === value,
      ),
  );
}

/** Elements inside `outer` (by source position). */
export function within(elements: Element[], outer: Element): Element[] {
  return elements.filter((element) => element.start > outer.start && element.end <= outer.end);
}

/** The text content of an element: tags removed, entities decoded. */
export function textOf(element: Element): string {
  return decode(element.inner.replace(/<title>[\s\S]*?<\/title>/g, "").replace(/<[^>]+>/g, ""));
}

export function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Texts of every `<text>` element, decoded. */
export function texts(elements: Element[]): string[] {
  return select(elements, "text").map(textOf);
}
