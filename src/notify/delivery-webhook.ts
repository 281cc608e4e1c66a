import { createHmac, timingSafeEqual } from "node:crypto";
import type { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import { MessageTransport, PermanentDeliveryError } from "./delivery-transport";

/**
 * Webhook delivery: an HTTP POST of the message as JSON, e.g. to an SMS or app-push gateway.
 *
 * Headers (receivers should check both):
 * - `X-Qloop-Signature: t=<unix seconds>,v1=<hex>` where `<hex>` is
 *   HMAC-SHA256(QLOOP_WEBHOOK_SECRET, `<t>.<raw request body>`), as Stripe signs its webhooks.
 *   Verify over the raw bytes received, compare in constant time, and reject a `t` too far from
 *   your clock (replay protection; {@link verifyWebhookSignature} does all three).
 * - `Idempotency-Key: qloop-outbox-<message id>` (also `X-Qloop-Message-Id: <id>`). Delivery is
 *   **at least once**: the POST cannot be part of the database transaction, so a process that
 *   dies after the receiver accepted but before qloop recorded it sends the message again.
 *   Receivers drop a key they have already processed.
 * - `X-Qloop-Delivery-Attempt: <n>`: 1 for the first attempt.
 *
 * A 2xx response is success. 408, 425, 429 and 5xx (and network errors, timeouts) are retried
 * with backoff; any other 4xx means the receiver rejects this message, which goes DEAD at once.
 */
export interface WebhookOptions {
  url: string;
  secret: string;
  /** Abort a request that takes longer (default 10 s; it must stay well under the delivery lease). */
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = "X-Qloop-Signature";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** The JSON body a webhook receiver gets. */
export interface WebhookBody {
  id: string;
  kind: string;
  recipientType: string;
  recipientId: number;
  /** E-mail address or phone number the gateway should deliver to. */
  address: string;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

const RETRYABLE_4XX = new Set([408, 425, 429]);

export class WebhookTransport implements MessageTransport {
  constructor(private readonly options: WebhookOptions) {}

  async send(message: OutboxMessage): Promise<void> {
    const body: WebhookBody = {
      id: String(message.id),
      kind: message.kind,
      recipientType: message.recipientType,
      recipientId: message.recipientId,
      address: message.address,
      subject: message.subject,
      body: message.body,
      payload: message.payload,
      createdAt: message.createdAt.toISOString(),
    };
    const raw = JSON.stringify(body);
    // The signature's timestamp is the real send time: receivers compare it with their own clock.
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(this.options.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "qloop-outbox/1",
        [SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, raw),
        [IDEMPOTENCY_HEADER]: `qloop-outbox-${message.id}`,
        "X-Qloop-Message-Id": String(message.id),
        "X-Qloop-Delivery-Attempt": String(message.attempts),
      },
      body: raw,
      redirect: "manual",
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const text = await response.text().catch(() => "");
    if (response.status >= 200 && response.status < 300) return;
    const error = `webhook answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
    if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status)) {
      throw new PermanentDeliveryError(error);
    }
    throw new Error(error);
  }
}

/** The `X-Qloop-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${digest}`;
}

/**
 * Checks a received `X-Qloop-Signature` header against the raw body: the HMAC must match (constant
 * time) and `t` must be within `toleranceSeconds` (default 300) of `nowSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1");
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = signWebhook(secret, timestamp, body).slice(`t=${timestamp},v1=`.length);
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
}
