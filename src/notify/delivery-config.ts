import { ConfigError } from "../config";
import { EmailTransport } from "./delivery-email";
import { Transports } from "./delivery-transport";
import { WebhookTransport } from "./delivery-webhook";
import { Transport } from "./message-kind";

/**
 * Outbox delivery and background-worker settings from the environment:
 *
 * - `QLOOP_WEBHOOK_URL`: http(s) URL webhook messages are POSTed to; unset = webhook messages wait.
 * - `QLOOP_WEBHOOK_SECRET`: HMAC-SHA256 key of the `X-Qloop-Signature` header; required with the URL.
 * - `QLOOP_SMTP_URL`: `smtp://user:pass@host:port` or `smtps://…`; unset = e-mails wait.
 * - `QLOOP_MAIL_FROM`: sender address of e-mails; required with the SMTP URL.
 * - `QLOOP_SWEEP_INTERVAL_MS`: pause between background rounds (deadlines + delivery), default
 *   15000, 100–3600000.
 *
 * A transport that is not configured simply does not run: its messages stay PENDING in the
 * outbox and go out once it is configured, rather than being burnt through their retries.
 */
export interface DeliveryConfig {
  webhook: { url: string; secret: string } | null;
  email: { smtpUrl: string; from: string } | null;
}

const blank = (value: string | undefined) => value === undefined || value.trim() === "";

export function parseDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  let webhook: DeliveryConfig["webhook"] = null;
  if (!blank(env.QLOOP_WEBHOOK_URL)) {
    const raw = env.QLOOP_WEBHOOK_URL!.trim();
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError("QLOOP_WEBHOOK_URL", "is not a URL; expected e.g. https://gateway.example.com/qloop");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ConfigError("QLOOP_WEBHOOK_URL", `unsupported scheme "${url.protocol}"; use http:// or https://`);
    }
    if (blank(env.QLOOP_WEBHOOK_SECRET)) {
      throw new ConfigError("QLOOP_WEBHOOK_SECRET", "is required when QLOOP_WEBHOOK_URL is set (webhooks are signed)");
    }
    webhook = { url: raw, secret: env.QLOOP_WEBHOOK_SECRET! };
  } else if (!blank(env.QLOOP_WEBHOOK_SECRET)) {
    throw new ConfigError("QLOOP_WEBHOOK_URL", "is required when QLOOP_WEBHOOK_SECRET is set");
  }

  let email: DeliveryConfig["email"] = null;
  if (!blank(env.QLOOP_SMTP_URL)) {
    const raw = env.QLOOP_SMTP_URL!.trim();
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError("QLOOP_SMTP_URL", "is not a URL; expected smtp://user:password@host:587 or smtps://…:465");
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
      throw new ConfigError("QLOOP_SMTP_URL", `unsupported scheme "${url.protocol}"; use smtp:// or smtps://`);
    }
    if (blank(env.QLOOP_MAIL_FROM)) {
      throw new ConfigError(
        "QLOOP_MAIL_FROM",
        "is required when QLOOP_SMTP_URL is set, e.g. qloop <quality@example.com>",
      );
    }
    email = { smtpUrl: raw, from: env.QLOOP_MAIL_FROM!.trim() };
  }
  return { webhook, email };
}

/** The transports of a configuration (none when nothing is configured). */
export function createTransports(config: DeliveryConfig): Transports {
  const transports: Transports = {};
  if (config.webhook) transports[Transport.WEBHOOK] = new WebhookTransport(config.webhook);
  if (config.email) transports[Transport.EMAIL] = new EmailTransport(config.email);
  return transports;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 15_000;

/** QLOOP_SWEEP_INTERVAL_MS: an integer from 100 to 3600000 (ms); default 15000. */
export function parseSweepInterval(raw: string | undefined): number {
  if (blank(raw)) return DEFAULT_SWEEP_INTERVAL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 3_600_000) {
    throw new ConfigError(
      "QLOOP_SWEEP_INTERVAL_MS",
      `"${raw}" is not a whole number of milliseconds from 100 to 3600000`,
    );
  }
  return value;
}
