import type { Request, Response } from "express";
import { GraphQLError } from "graphql";
import type { Role } from "../../workflows/actor";
import { ErrorCodes } from "../common/errors";
import type { Services } from "../service";

const BEARER = /^Bearer\s+(\S+)$/i;

const STATUS_OF_CODE: Record<string, number> = {
  [ErrorCodes.BAD_USER_INPUT]: 400,
  [ErrorCodes.UNAUTHENTICATED]: 401,
  [ErrorCodes.FORBIDDEN]: 403,
  [ErrorCodes.NOT_FOUND]: 404,
};

function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
}

/**
 * `GET /reports/:kind?period=…&format=html|md&lang=zh-CN|en` with a bearer token: the report
 * document as the CLI writes it. Errors are JSON `{ error: { code, message, field? } }` with the
 * same codes as the GraphQL API: 401 UNAUTHENTICATED, 403 FORBIDDEN, 400 BAD_USER_INPUT,
 * 404 NOT_FOUND for an unknown report kind.
 */
export function reportHandler(services: Services, readers: readonly Role[]) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
      const user = token ? await services.auth.userForToken(token) : null;
      if (!user) return sendError(res, 401, ErrorCodes.UNAUTHENTICATED, "a valid bearer token is required");
      if (!user.roles.some((role) => readers.includes(role))) {
        return sendError(res, 403, ErrorCodes.FORBIDDEN, `reports need one of the roles ${readers.join(", ")}`);
      }
      const kind = req.params.kind;
      if (kind !== "weekly" && kind !== "monthly") {
        return sendError(res, 404, ErrorCodes.NOT_FOUND, `there is no ${String(kind).slice(0, 40)} report; reports are weekly and monthly`);
      }
      const query = req.query;
      const report = await services.reports.render({ kind, period: query.period, format: query.format, lang: query.lang });
      res
        .status(200)
        .set({
          "Content-Type": report.contentType,
          "Content-Disposition": `inline; filename="${report.fileName}"`,
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
        })
        .send(report.body);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code ?? "") : "";
      const status = STATUS_OF_CODE[code];
      if (status) {
        const field = typeof (error as GraphQLError).extensions.field === "string" ? ((error as GraphQLError).extensions.field as string) : undefined;
        return sendError(res, status, code, (error as GraphQLError).message, field);
      }
      console.error(error);
      sendError(res, 500, "INTERNAL_SERVER_ERROR", "the report could not be generated");
    }
  };
}
