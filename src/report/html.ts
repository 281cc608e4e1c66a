import { escapeXml } from "./escape";
import type { Block, ListItem, ReportDocument, TableBlock } from "./document";
import { FONT_FAMILY } from "./charts/svg";

/**
 * One self-contained HTML page: inline CSS, inline SVG, no script, no external font, image or
 * stylesheet — it opens the same from a mail attachment, a file share or a closed network.
 */
export function renderHtml(document: ReportDocument): string {
  const toc = document.sections
    .map((section) => `<li><a href="#${escapeXml(section.id)}">${escapeXml(section.heading)}</a></li>`)
    .join("");
  const meta = document.meta
    .map((item) => `<span class="meta-item"><span class="meta-label">${escapeXml(item.label)}</span> ${escapeXml(item.value)}</span>`)
    .join("");
  const sections = document.sections
    .map(
      (section) =>
        `<section id="${escapeXml(section.id)}"><h2>${escapeXml(section.heading)}</h2>${section.blocks.map(renderBlock).join("\n")}</section>`,
    )
    .join("\n");
  return [
    "<!DOCTYPE html>",
    `<html lang="${escapeXml(document.lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: the page must not try to fetch anything, not even a favicon.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<link rel="icon" href="data:,">',
    `<title>${escapeXml(document.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${escapeXml(document.title)}</h1>`,
    `<div class="meta">${meta}</div>`,
    `<nav><h2 class="toc-title">${escapeXml(document.contentsLabel)}</h2><ol>${toc}</ol></nav>`,
    "</header>",
    "<main>",
    sections,
    "</main>",
    `<footer>${escapeXml(document.footer)}</footer>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case "cards":
      return `<div class="cards">${block.cards
        .map(
          (card) =>
            `<div class="card tone-${card.tone ?? "neutral"}"><div class="card-label">${escapeXml(card.label)}</div>` +
            `<div class="card-value">${escapeXml(card.value)}</div>` +
            (card.note ? `<div class="card-note">${escapeXml(card.note)}</div>` : "") +
            "</div>",
        )
        .join("")}</div>`;
    case "table":
      return renderTable(block);
    case "chart":
      // The SVG was escaped when it was built (charts/svg.ts).
      return `<figure class="chart-figure">${block.svg}</figure>`;
    case "list":
      return block.items.length === 0 && block.emptyText
        ? `<p class="empty">${escapeXml(block.emptyText)}</p>`
        : renderList(block.items);
    case "paragraph":
      return `<p>${escapeXml(block.text)}</p>`;
    case "subheading":
      return `<h3>${escapeXml(block.text)}</h3>`;
  }
}

function renderList(items: ListItem[]): string {
  return `<ul>${items
    .map((item) => `<li>${escapeXml(item.text)}${item.children?.length ? renderList(item.children) : ""}</li>`)
    .join("")}</ul>`;
}

function renderTable(block: TableBlock): string {
  const caption = block.caption ? `<h3>${escapeXml(block.caption)}</h3>` : "";
  if (block.rows.length === 0) return `${caption}<p class="empty">${escapeXml(block.emptyText)}</p>`;
  const numeric = new Set(block.numeric ?? []);
  const cell = (tag: string, value: string, column: number) =>
    `<${tag}${numeric.has(column) ? ' class="num"' : ""}>${escapeXml(value)}</${tag}>`;
  return (
    `${caption}<div class="table-wrap"><table>` +
    `<thead><tr>${block.headers.map((header, i) => cell("th", header, i)).join("")}</tr></thead>` +
    `<tbody>${block.rows.map((row) => `<tr>${row.map((value, i) => cell("td", value, i)).join("")}</tr>`).join("")}</tbody>` +
    "</table></div>"
  );
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: #1f2933; font-family: ${FONT_FAMILY}; font-size: 14px; line-height: 1.55; }
header, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 0 0 14px; padding-bottom: 6px; border-bottom: 2px solid #0072B2; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.meta { color: #52606d; display: flex; flex-wrap: wrap; gap: 6px 20px; }
.meta-label { color: #7b8794; }
nav { margin: 16px 0 8px; background: #fff; border-radius: 8px; padding: 10px 18px; }
nav .toc-title { font-size: 14px; border: 0; margin: 0 0 4px; padding: 0; }
nav ol { margin: 0; padding-left: 20px; columns: 2; }
nav a { color: #0072B2; text-decoration: none; }
section { background: #fff; border-radius: 8px; padding: 18px 22px; margin: 16px 0; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.card { border: 1px solid #e3e8ee; border-left: 5px solid #9aa5b1; border-radius: 6px; padding: 10px 12px; }
.card.tone-good { border-left-color: #1a7f4b; }
.card.tone-warn { border-left-color: #b7791f; }
.card.tone-bad { border-left-color: #c0392b; }
.card-label { color: #52606d; font-size: 12px; }
.card-value { font-size: 22px; font-weight: 700; }
.card-note { color: #52606d; font-size: 12px; }
.chart-figure { margin: 12px 0; overflow-x: auto; }
.chart-figure svg { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #e3e8ee; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
.empty { color: #7b8794; font-style: italic; }
footer { color: #7b8794; font-size: 12px; padding: 8px 24px 32px; }
@media print { body { background: #fff; } section { box-shadow: none; break-inside: avoid-page; } nav { display: none; } }
`;
