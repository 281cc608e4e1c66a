import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { CreatedAtColumn, DateTimeColumn } from "../columns";

/** A bearer token. Only its SHA-256 is stored; the token itself is shown once, at creation. */
@Entity("api_token")
export class ApiToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: "int" })
  userId: number;

  @Column({ type: "varchar", length: 64, unique: true })
  tokenHash: string;

  @Column({ type: "varchar", length: 100 })
  label: string;

  @CreatedAtColumn()
  createdAt: Date;

  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;
}
