import { Field, ID, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { WorkflowEntity } from "./enums";

/**
 * Expected failures are results, not exceptions: a mutation returns `Entity | TransitionError`,
 * so a client must look at what happened, and a refused move is never mistaken for success.
 */
export enum TransitionErrorCode {
  /** The current state does not accept the event at all. */
  INVALID_TRANSITION = "INVALID_TRANSITION",
  /** The state accepts the event, but not from this user (role, ownership, department). */
  NOT_PERMITTED = "NOT_PERMITTED",
  /** The user may, but the data does not allow it yet (e.g. no confirmed root cause). */
  PRECONDITION_FAILED = "PRECONDITION_FAILED",
  /** Someone else changed the object first; reload and try again. */
  VERSION_CONFLICT = "VERSION_CONFLICT",
}
registerEnumType(TransitionErrorCode, {
  name: "TransitionErrorCode",
  description: "Why an operation was refused; every ErrorResult carries one.",
  valuesConfig: {
    INVALID_TRANSITION: { description: "The current state does not accept the operation at all." },
    NOT_PERMITTED: { description: "The state accepts it, but not from this user (role, ownership, department)." },
    PRECONDITION_FAILED: { description: "The user may, but the data does not allow it yet (e.g. no confirmed root cause)." },
    VERSION_CONFLICT: { description: "Someone else changed the object first; reload and try again." },
  },
});

@InterfaceType({ description: "An expected failure returned as data." })
export abstract class ErrorResult {
  @Field(() => TransitionErrorCode, { description: "Stable code to branch on." })
  errorCode: TransitionErrorCode;

  @Field({ description: "Human-readable explanation." })
  message: string;
}



@ObjectType({ implements: ErrorResult, description: "A workflow event that was refused; nothing changed." })
export class TransitionError extends ErrorResult {
  @Field(() => WorkflowEntity, { description: "Kind of object the event was sent to." })
  entity: WorkflowEntity;

  @Field(() => ID, { description: "Id of that object." })
  entityId: number;

  @Field({ description: "Its state when the event was refused." })
  fromState: string;

  @Field({ description: "The event, e.g. APPROVE_PLAN." })
  event: string;

  @Field({ description: "The guard that failed (e.g. actorIsOperationsManager), or versionMismatch." })
  reason: string;

  constructor(init: Omit<TransitionError, never>) {
    super();
    Object.assign(this, init);
  }
}

/** Carries a refusal out of a transaction so that everything written before it is rolled back. */
export class TransitionRefusal extends Error {
  constructor(readonly result: TransitionError) {
    super(result.message);
  }
}
