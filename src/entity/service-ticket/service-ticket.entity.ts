import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { TicketType } from "../../common/enums";
import { DateTimeColumn, EnumColumn } from "../columns";

@ObjectType({ description: "A service ticket (工单): the record feedback is checked against." })
@Entity("service_ticket")
export class ServiceTicket {
  @Field(() => ID, { description: "Unique id of the service ticket (工单)." })
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: "Ticket number from the service system, unique." })
  @Column({ type: "varchar", length: 64, unique: true })
  code: string;

  @Index()
  @Column({ type: "int" })
  customerId: number;

  @Field(() => TicketType, { description: "Kind of service." })
  @EnumColumn(TicketType)
  type: TicketType;

  @Field(() => String, { nullable: true, description: "Region where the service took place." })
  @Column({ type: "varchar", length: 64, nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true, description: "Engineer who served the customer." })
  @Column({ type: "varchar", length: 100, nullable: true })
  engineer: string | null;

  @Index()
  @Column({ type: "int", nullable: true })
  departmentId: number | null;

  @Field({ description: "When the ticket was opened." })
  @DateTimeColumn()
  openedAt: Date;

  @Field(() => Date, { nullable: true, description: "First response to the customer." })
  @DateTimeColumn({ nullable: true })
  firstResponseAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the service was completed." })
  @DateTimeColumn({ nullable: true })
  completedAt: Date | null;
}
