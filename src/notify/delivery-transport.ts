import type { OutboxMessage } from "../entity/outbox/outbox-message.entity";
import type { Transport } from "./message-kind";

/**
 * Sends one outbox message over the network. Resolves when the receiver accepted it; throws
 * otherwise. A {@link PermanentDeliveryError} says retrying cannot help (the receiver rejected
 * the message itself), so the message goes DEAD at once instead of after every retry.
 */
export interface MessageTransport {
  send(message: OutboxMessage): Promise<void>;
  /** Releases connections (SMTP pool); called when the background worker stops. */
  close?(): void | Promise<void>;
}

/** The transports a process can deliver with; messages of a missing transport wait in the outbox. */
export type Transports = Partial<Record<Transport, MessageTransport>>;

/** The receiver refused this message for good (e.g. HTTP 400/404/410, SMTP 5xx). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}
