import { escapeMarkdown } from "./escape";
import type { Block, ListItem, ReportDocument, TableBlock } from "./document";

/**
 * The report as Markdown, for pasting into a wiki or a mail: the same sections and tables as the
 * HTML page; each chart is replaced by the table of the figures it draws.
 */
export function renderMarkdown(document: ReportDocument): string {
  const lines: string[] = [`# ${escapeMarkdown(document.title)}`, ""];
  for (const item of document.meta) lines.push(`- ${escapeMarkdown(item.label)}: ${escapeMarkdown(item.value)}`);
  lines.push("");
  for (const section of document.sections) {
    lines.push(`## ${escapeMarkdown(section.heading)}`, "");
    for (const block of section.blocks) {
      const rendered = renderBlock(block);
      if (rendered.length) lines.push(...rendered, "");
    }
  }
  lines.push("---", "", `_${escapeMarkdown(document.footer)}_`, "");
  return lines.join("\n");
}

function renderBlock(block: Block): string[] {
  switch (block.kind) {
    case "cards":
      return block.cards.map(
        (card) => `- **${escapeMarkdown(card.label)}**: ${escapeMarkdown(card.value)}${card.note ? ` (${escapeMarkdown(card.note)})` : ""}`,
      );
    case "table":
      return renderTable(block);
    case "chart":
      return block.fallback ? renderBlock(block.fallback) : [];
    case "list":
      return block.items.length === 0 && block.emptyText ? [`_${escapeMarkdown(block.emptyText)}_`] : renderList(block.items, 0);
    case "paragraph":
      return [escapeMarkdown(block.text)];
    case "subheading":
      return [`### ${escapeMarkdown(block.text)}`];
  }
}

function renderList(items: ListItem[], depth: number): string[] {
  return items.flatMap((item) => [
    `${"  ".repeat(depth)}- ${escapeMarkdown(item.text)}`,
    ...(item.children?.length ? renderList(item.children, depth + 1) : []),
  ]);
}

function renderTable(block: TableBlock): string[] {
  const caption = block.caption ? [`### ${escapeMarkdown(block.caption)}`, ""] : [];
  if (block.rows.length === 0) return [...caption, `_${escapeMarkdown(block.emptyText)}_`];
  const numeric = new Set(block.numeric ?? []);
  const row = (cells: string[]) => `| ${cells.map((cell) => (cell === "" ? " " : escapeMarkdown(cell))).join(" | ")} |`;
  return [
    ...caption,
    row(block.headers),
    `|${block.headers.map((_, i) => (numeric.has(i) ? " ---: " : " --- ")).join("|")}|`,
    ...block.rows.map(row),
  ];
}
