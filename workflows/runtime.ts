import {
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
} from "xstate";
import type { Actor } from "./actor";

export type TransitionErrorCode = "INVALID_TRANSITION" | "NOT_PERMITTED" | "PRECONDITION_FAILED";

/** Why a named guard refuses an event, as reported to the caller of a refused transition. */
export interface GuardReason {
  code: "NOT_PERMITTED" | "PRECONDITION_FAILED";
  message: string;
}

/** A pure workflow: the xstate machine plus the data the services need to run and explain it. */
export interface Workflow<TContext, TFacts, TEventType extends string> {
  /** "issue" | "actionItem" | "adjustmentRequest" | "verificationCheck" | "cause" */
  name: string;
  machine: AnyStateMachine;
  /** Every event the machine knows, in the order `availableEvents` reports them. */
  eventTypes: readonly TEventType[];
  /** Every named guard of the machine -> error code and human message. */
  guardReasons: Record<string, GuardReason>;
  /**
   * Phantom slot so that `TContext`/`TFacts` take part in type checking (a context of one machine
   * cannot be handed to another); never set at runtime.
   */
  readonly __types?: { context: TContext; facts: TFacts };
}

/** The shape of every event of every machine. */
export interface WorkflowEvent<TEventType extends string, TFacts> {
  type: TEventType;
  actor: Actor;
  facts: TFacts;
  /** Free text accompanying the transition: comment, evidence, completion note, cancel reason. */
  reason?: string | null;
  /** True when computing next events: payload guards (e.g. reason required) then pass. */
  preview?: boolean;
}

/**
 * The union of one `WorkflowEvent` per event type, which is what xstate needs as the machine's
 * event type so that every event object carries its literal `type`.
 */
export type WorkflowEventUnion<TEventType extends string, TFacts> = {
  [K in TEventType]: WorkflowEvent<K, TFacts>;
}[TEventType];

/** What a machine's named guards receive: the stored context and the event being evaluated. */
export interface WorkflowGuardArgs<TContext, TEvent> {
  context: TContext;
  event: TEvent;
}

export type TransitionOutcome =
  | { ok: true; fromState: string; toState: string; changesState: boolean }
  | {
      ok: false;
      fromState: string;
      errorCode: TransitionErrorCode;
      reason: string;
      message: string;
    };

/** Reason reported when the current state has no transition at all for the event type. */
export const EVENT_NOT_ACCEPTED = "eventNotAcceptedInState";

type TransitionDefinition = ReturnType<AnyStateMachine["getTransitionData"]>[number];
type AnyGuard = NonNullable<TransitionDefinition["guard"]>;
type GuardArgs = { context: any; event: any };

/** The runtime shape of xstate's `and`/`or`/`not` guards (functions carrying their operands). */
interface HigherOrderGuard {
  (args: GuardArgs, params: unknown): boolean;
  check: (snapshot: AnyMachineSnapshot, args: GuardArgs, self: HigherOrderGuard) => boolean;
  guards: AnyGuard[];
}

function isHigherOrderGuard(guard: unknown): guard is HigherOrderGuard {
  return typeof guard === "function" && "check" in guard && "guards" in guard;
}

function guardName(guard: AnyGuard): string | null {
  if (typeof guard === "string") return guard;
  if (typeof guard === "object" && guard !== null && "type" in guard) return String(guard.type);
  return null;
}

/**
 * Evaluates one guard the way xstate does. xstate does not export its own evaluator, so this
 * mirrors it for the shapes our machines use: named guards (string or `{ type, params }`),
 * higher-order guards and inline predicates.
 */
function evaluateGuard(
  guard: AnyGuard,
  snapshot: AnyMachineSnapshot,
  args: GuardArgs,
): boolean {
  const name = guardName(guard);
  let resolved: unknown = guard;
  let params: unknown = undefined;
  if (name !== null) {
    resolved = snapshot.machine.implementations.guards[name];
    if (resolved === undefined) throw new Error(`Guard '${name}' is not implemented.`);
    if (typeof guard === "object" && guard !== null && "params" in guard) {
      params = typeof guard.params === "function" ? guard.params(args) : guard.params;
    }
  }
  if (isHigherOrderGuard(resolved)) return resolved.check(snapshot, args, resolved);
  if (typeof resolved === "function") return Boolean(resolved(args, params));
  return evaluateGuard(resolved as AnyGuard, snapshot, args);
}

/**
 * Finds the first named guard that makes `guard` fail, walking `and` operands in order so that the
 * role guard (always first) is blamed before data preconditions. Returns null when it passes.
 */
function firstFailingGuard(
  guard: AnyGuard,
  snapshot: AnyMachineSnapshot,
  args: GuardArgs,
): string | null {
  const name = guardName(guard);
  if (name !== null) return evaluateGuard(guard, snapshot, args) ? null : name;
  if (evaluateGuard(guard, snapshot, args)) return null;
  if (isHigherOrderGuard(guard) && guard.guards.length > 0) {
    // For `and` the first failing operand is the culprit; for `or`/`not` no single operand is, so
    // blame the first operand that fails (or, for `not`, describe the negation).
    for (const operand of guard.guards) {
      const failing = firstFailingGuard(operand, snapshot, args);
      if (failing !== null) return failing;
    }
    const inner = guardName(guard.guards[0]);
    return inner !== null ? `not(${inner})` : "anonymousGuard";
  }
  return "anonymousGuard";
}

/** Candidate transitions for an event type, from the state node outward, as xstate selects them. */
function candidateTransitions(
  machine: AnyStateMachine,
  state: string,
  eventType: string,
): TransitionDefinition[] {
  for (let node: AnyStateNode | undefined = machine.states[state]; node; node = node.parent) {
    const transitions = node.transitions.get(eventType);
    if (transitions && transitions.length > 0) return transitions;
  }
  return [];
}

function resolveSnapshot(machine: AnyStateMachine, state: string, context: unknown) {
  // A state missing from the machine means stored data is corrupt; that is not a refused event.
  if (!machine.states[state]) {
    throw new Error(`Unknown state '${state}' for machine '${machine.id}'.`);
  }
  return machine.resolveState({ value: state, context: context as Record<string, unknown> });
}

/**
 * Decides what happens when `event` is sent to a workflow entity stored in `state` with `context`.
 * Pure: it neither executes actions nor throws for a refused event; a refusal is described by the
 * error code, the failing guard's name (`reason`) and its message.
 *
 * @throws only when `state` is not a state of the machine (corrupt stored data).
 */
export function evaluateTransition<C, F, E extends string>(
  wf: Workflow<C, F, E>,
  state: string,
  context: C,
  event: WorkflowEvent<E, F>,
): TransitionOutcome {
  const { machine } = wf;
  const snapshot = resolveSnapshot(machine, state, context);
  // getTransitionData is what `snapshot.can` uses, but `can` answers false for targetless
  // transitions without actions (EDIT_ANALYSIS, UPDATE_PROGRESS), which are allowed here.
  const enabled = machine.getTransitionData(snapshot, event);
  if (enabled.length > 0) {
    const [next] = transition(machine, snapshot, event);
    return {
      ok: true,
      fromState: state,
      toState: String(next.value),
      changesState: enabled.some((t) => t.target !== undefined),
    };
  }

  const candidates = candidateTransitions(machine, state, event.type);
  if (candidates.length === 0) {
    return {
      ok: false,
      fromState: state,
      errorCode: "INVALID_TRANSITION",
      reason: EVENT_NOT_ACCEPTED,
      message: `${wf.name}: ${event.type} is not accepted in state ${state}.`,
    };
  }
  const guard = candidates[0].guard;
  const failing =
    guard === undefined ? null : firstFailingGuard(guard, snapshot, { context, event });
  const known = failing === null ? undefined : wf.guardReasons[failing];
  return {
    ok: false,
    fromState: state,
    errorCode: known?.code ?? "PRECONDITION_FAILED",
    reason: failing ?? "unknownGuard",
    message: known?.message ?? `${wf.name}: ${event.type} is refused in state ${state}.`,
  };
}

/**
 * Lists the events (in `eventTypes` order) that `actor` may send now. Payload guards pass because
 * events are evaluated with `preview: true`: the caller has not typed a reason yet.
 */
export function availableEvents<C, F, E extends string>(
  wf: Workflow<C, F, E>,
  state: string,
  context: C,
  actor: Actor,
  facts: F,
): E[] {
  return wf.eventTypes.filter(
    (type) =>
      evaluateTransition(wf, state, context, { type, actor, facts, reason: null, preview: true })
        .ok,
  );
}

export interface WorkflowDescription {
  name: string;
  initial: string;
  states: {
    name: string;
    final: boolean;
    transitions: { event: string; target: string | null; guards: string[] }[];
  }[];
}

/** Named guards of a guard tree, in evaluation order. */
function guardNames(guard: AnyGuard | undefined): string[] {
  if (guard === undefined) return [];
  const name = guardName(guard);
  if (name !== null) return [name];
  if (isHigherOrderGuard(guard)) return guard.guards.flatMap((operand) => guardNames(operand));
  return ["anonymousGuard"];
}

/**
 * Describes a workflow's states and transitions by walking the machine itself, so the
 * machine-definition query can never drift from what the machine enforces.
 */
export function describeWorkflow(wf: Workflow<any, any, any>): WorkflowDescription {
  const { machine } = wf;
  const initialTarget = machine.root.initial?.target?.[0];
  return {
    name: wf.name,
    initial: initialTarget ? initialTarget.key : "",
    states: Object.values(machine.states).map((node) => ({
      name: node.key,
      final: node.type === "final",
      transitions: [...node.transitions.values()].flat().map((t) => ({
        event: t.eventType,
        target: t.target?.[0]?.key ?? null,
        guards: guardNames(t.guard),
      })),
    })),
  };
}
