import { Column, Entity, PrimaryColumn } from "typeorm";
import { UpdatedAtColumn } from "../columns";

/** One configurable value (sampling rate, SLA limits, survey timing), stored as JSON by key. */
@Entity("setting")
export class Setting {
  @PrimaryColumn({ type: "varchar", length: 64 })
  key: string;

  @Column({ type: "simple-json" })
  value: unknown;

  @Column({ type: "int", nullable: true })
  updatedById: number | null;

  @UpdatedAtColumn()
  updatedAt: Date;
}
