import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DateTimeColumn } from "../columns";

/**
 * One `Idempotency-Key` a caller sent with a mutation, and the response it got. Written in the
 * same transaction as the mutation's change, so a row exists exactly when the change committed;
 * a retry with the same key and request replays `responseBody` instead of running again.
 */
@Entity("idempotency_key")
@Index(["userId", "idempotencyKey"], { unique: true })
@Index(["expiresAt"])
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id: number;

  /** Keys are scoped per caller: two users may use the same key independently. */
  @Column({ type: "int" })
  userId: number;

  @Column({ type: "varchar", length: 255 })
  idempotencyKey: string;

  /** SHA-256 of the request (query, operation name, variables): same key, other request is refused. */
  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "int" })
  responseStatus: number;

  /** The response body exactly as first sent. */
  @Column({ type: "text" })
  responseBody: string;

  @DateTimeColumn()
  createdAt: Date;

  /** After this the key is forgotten: a request with it runs anew. */
  @DateTimeColumn()
  expiresAt: Date;
}
