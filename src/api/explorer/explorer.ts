import fs from "node:fs";
import path from "node:path";
import express, { Request, Router } from "express";
import {
  ASSET_FILES,
  BOOT_SCRIPT,
  CONTENT_SECURITY_POLICY,
  EXAMPLE_QUERY,
  EXPLORER_CSS,
  explorerHtml,
} from "./explorer-page";

export { explorerEnabled } from "./explorer.config";

/**
 * The offline API explorer: GraphiQL, React and their styles are served from node_modules by
 * this server, because qloop runs on closed networks where a CDN is unreachable (Apollo's own
 * landing page loads Apollo Sandbox from one, so it is disabled in src/server.ts).
 *
 * Mounted on the GraphQL path before Apollo: a browser's GET (Accept prefers text/html, no
 * `query` parameter) gets the explorer, and everything else falls through to GraphQL.
 */
export function explorerRouter(options: { enabled: boolean }): Router {
  const router = express.Router();
  if (!options.enabled) {
    router.get("/", (req, res, next) => {
      if (!wantsPage(req)) return next();
      res
        .status(404)
        .type("text/plain")
        .send("The API explorer is off in production mode; set QLOOP_EXPLORER=on to serve it.\n");
    });
    return router;
  }

  const assets = new Map<string, string>(
    Object.entries(ASSET_FILES).map(([name, file]) => [name, resolveInstalled(file)]),
  );
  router.get("/explorer/:asset", (req, res, next) => {
    const asset = req.params.asset;
    if (asset === "explorer.js") return sendText(res, "text/javascript", BOOT_SCRIPT);
    if (asset === "explorer.css") return sendText(res, "text/css", EXPLORER_CSS);
    const file = assets.get(asset);
    if (!file) return next();
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.sendFile(file, { maxAge: "1h" });
  });
  router.get("/", (req, res, next) => {
    if (!wantsPage(req)) return next();
    const endpoint = req.baseUrl || "/";
    res
      .status(200)
      .setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .setHeader("X-Content-Type-Options", "nosniff")
      .setHeader("Referrer-Policy", "no-referrer")
      .setHeader("Cache-Control", "no-store")
      .type("html")
      .send(explorerHtml(`${req.baseUrl}/explorer`, { endpoint, defaultQuery: EXAMPLE_QUERY }));
  });
  return router;
}

/** A browser navigating to the endpoint, rather than a GraphQL GET request or an API client. */
function wantsPage(req: Request): boolean {
  if (req.query.query !== undefined) return false;
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

function sendText(res: express.Response, type: string, body: string): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "public, max-age=3600");
  res.type(type).send(body);
}

/**
 * The path of a file inside an installed package. The UMD bundles are not in the packages'
 * `exports`, so require.resolve refuses them; the package folder is found on Node's search path.
 */
function resolveInstalled(file: string): string {
  const [pkg] = file.split("/");
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`the API explorer needs ${file}: run npm ci`);
}
