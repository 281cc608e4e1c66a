import { Field, ID, InputType, ObjectType } from "type-graphql";
import { WorkflowEntity } from "../../common/enums";
import { TransitionLog } from "../../entity";
import { ConnectionType } from "../pagination";


@ObjectType({ description: "One transition of a workflow machine." })
export class WorkflowTransitionDefinition {
  @Field({ description: "Event that triggers it." })
  event: string;

  @Field(() => String, { nullable: true, description: "Target state; null for events that record without moving." })
  target: string | null;

  @Field(() => [String], { description: "Named guards that must all pass (roles first, then data)." })
  guards: string[];
}

@ObjectType({ description: "A state of a workflow machine." })
export class WorkflowStateDefinition {
  @Field({ description: "State name, as stored on the entity." })
  name: string;

  @Field({ description: "Whether no event leaves this state." })
  final: boolean;

  @Field(() => [WorkflowTransitionDefinition], { description: "Transitions out of this state." })
  transitions: WorkflowTransitionDefinition[];
}

@ObjectType({ description: "A workflow machine, generated from its xstate definition, for drawing it." })
export class WorkflowDefinition {
  @Field({ description: "Machine name, e.g. issue." })
  name: string;

  @Field({ description: "Initial state." })
  initial: string;

  @Field(() => [WorkflowStateDefinition], { description: "All states." })
  states: WorkflowStateDefinition[];
}

export const TransitionLogConnection = ConnectionType(TransitionLog, "TransitionLog");

@InputType({ description: "Filter for the transition log." })
export class TransitionLogFilterInput {
  @Field(() => WorkflowEntity, { nullable: true, description: "Only this kind of entity." })
  entityType?: WorkflowEntity | null;

  @Field(() => ID, { nullable: true, description: "Only this entity (with entityType)." })
  entityId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only transitions by this user." })
  actorId?: string | null;

  @Field(() => Date, { nullable: true, description: "From this time (inclusive)." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Until this time (exclusive)." })
  to?: Date | null;
}
