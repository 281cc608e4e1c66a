import { escapeMarkdown, escapeXml } from "../../src/report/escape";

describe("report escaping", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  });

  it("drops characters XML cannot carry but keeps Chinese, emoji and extension-B characters", () => {
    expect(escapeXml("a\u0000b\u0008c\u001Fd\tе\n")).toBe("abcd\tе\n");
    expect(escapeXml("响应慢 😀 𠀀")).toBe("响应慢 😀 𠀀");
    expect(escapeXml("lone \uD800 surrogate \uDC00")).toBe("lone  surrogate ");
  });

  it("escapes Markdown inline syntax and keeps a cell on one line", () => {
    expect(escapeMarkdown("**bold** | <b>x</b> [link](u) `code` ~~s~~ #1 &amp; line\nbreak")).toBe(
      "\\*\\*bold\\*\\* \\| \\<b\\>x\\</b\\> \\[link\\](u) \\`code\\` \\~\\~s\\~\\~ \\#1 \\&amp; line break",
    );
    expect(escapeMarkdown("响应及时性 3.2 → 4.1")).toBe("响应及时性 3.2 → 4.1");
  });
});
