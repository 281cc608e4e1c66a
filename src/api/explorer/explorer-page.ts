/**
 * The explorer's HTML and the first tab it opens with. The page runs no inline script: its
 * settings travel as a JSON data block that explorer.js (a static file) reads, so the
 * Content-Security-Policy can allow scripts from this server only.
 */

/** The first tab: the README's first query, with how to pass a token. */
export const EXAMPLE_QUERY = `# qloop API explorer (served offline)
#
# Most fields need a token: under Headers
# below, enter
#   { "Authorization": "Bearer qlp_…" }
# (qloop token create --email you@…).
# Ctrl-Enter runs the query; the book icon
# (top left) documents every field.

query MyIssues {
  me {
    name
    roles
  }
  issues(first: 10) {
    totalCount
    nodes {
      id
      title
      state
      nextEvents
    }
  }
}
`;

export interface ExplorerSettings {
  /** Where GraphiQL sends queries: the GraphQL endpoint's path. */
  endpoint: string;
  defaultQuery: string;
}

export const ASSET_FILES = {
  "react.js": "react/umd/react.production.min.js",
  "react-dom.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.js": "graphiql/dist/index.umd.js",
  "graphiql.css": "graphiql/dist/style.css",
  "graphql-ws.js": "graphql-ws/umd/graphql-ws.min.js",
} as const;

/** Scripts and styles from this server only; queries to this server only; no frames, no forms. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL and CodeMirror position popups with inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Makes a JSON text safe inside a <script> element (no "</script>" or "<!--" can close it). */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

export function explorerHtml(assetBase: string, settings: ExplorerSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qloop API explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetBase}/graphiql.css">
<link rel="stylesheet" href="${assetBase}/explorer.css">
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<script type="application/json" id="explorer-settings">${scriptSafeJson(settings)}</script>
<script src="${assetBase}/react.js"></script>
<script src="${assetBase}/react-dom.js"></script>
<script src="${assetBase}/graphiql.js"></script>
<script src="${assetBase}/graphql-ws.js"></script>
<script src="${assetBase}/explorer.js"></script>
</body>
</html>
`;
}

/**
 * Starts GraphiQL with the settings of the page. Served as a file so no inline script is needed.
 * Subscriptions go over graphql-ws on the same path; a WebSocket carries no headers, so the
 * Authorization entered in the headers editor is sent as `connectionParams.authorization`, read
 * each time the (lazy) connection opens.
 */
export const BOOT_SCRIPT = `"use strict";
(function () {
  var settings = JSON.parse(document.getElementById("explorer-settings").textContent);
  var endpoint = new URL(settings.endpoint, window.location.href);
  var socket = new URL(endpoint.toString());
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
  var headersText = "{}";
  function authorization() {
    try {
      var headers = JSON.parse(headersText || "{}");
      for (var name in headers) if (name.toLowerCase() === "authorization") return { authorization: headers[name] };
    } catch (ignored) {}
    return {};
  }
  var wsClient = graphqlWs.createClient({ url: socket.toString(), lazy: true, lazyCloseTimeout: 0, connectionParams: authorization });
  var fetcher = GraphiQL.createFetcher({ url: endpoint.toString(), wsClient: wsClient });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: settings.defaultQuery,
      defaultHeaders: headersText,
      defaultEditorToolsVisibility: "headers",
      onEditHeaders: function (text) { headersText = text; },
      // A pasted token stays in this browser tab only, not in localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
`;

export const EXPLORER_CSS = `html, body, #graphiql { height: 100%; margin: 0; }
`;
