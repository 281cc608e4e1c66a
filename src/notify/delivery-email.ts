import { createTransport, Transporter, TransportOptions } from "nodemailer";
import type { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import { MessageTransport, PermanentDeliveryError } from "./delivery-transport";

export interface EmailOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (QLOOP_SMTP_URL). */
  smtpUrl: string;
  /** Sender, e.g. `qloop <quality@example.com>` (QLOOP_MAIL_FROM). */
  from: string;
  /** Connection and socket timeouts (default 10 s; they must stay well under the delivery lease). */
  timeoutMs?: number;
}

/**
 * E-mail delivery over SMTP with nodemailer. Each message carries a Message-ID derived from its
 * outbox id (`<qloop-outbox-<id>@qloop>`) and an `X-Qloop-Message-Id` header, so a message sent
 * twice (delivery is at least once, see delivery.ts) can be recognised by mail systems and people.
 * SMTP 5xx replies are permanent (the server refuses this message); 4xx and connection errors are
 * retried.
 */
export class EmailTransport implements MessageTransport {
  private readonly transporter: Transporter;

  constructor(private readonly options: EmailOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    // A small pool: a delivery batch sends in parallel without opening a connection per message.
    this.transporter = createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as TransportOptions);
  }

  async send(message: OutboxMessage): Promise<void> {
    try {
      await this.transporter.sendMail({
        from: this.options.from,
        to: message.address,
        subject: message.subject,
        text: message.body,
        messageId: `<qloop-outbox-${message.id}@qloop>`,
        headers: { "X-Qloop-Message-Id": String(message.id) },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code === "number" && code >= 500 && code < 600) {
        throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  close(): void {
    this.transporter.close();
  }
}
