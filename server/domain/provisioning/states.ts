import { joinTexts, text } from "../../../lib/text";
import { RequestStatus } from "../../../generated/prisma/enums";
import { badInput, forbidden } from "../errors";

/**
 * The life of a resource request. Who may move it is part of each edge: R the requester (the
 * author, a BUSINESS user of the product line), D a DBA, S Hedwig's provisioning worker.
 *
 *   DRAFT ──submit R──▶ SUBMITTED ──approve D──▶ APPROVED ──start S──▶ PROVISIONING ──deliver S──▶ DELIVERED
 *     ▲                   │   │                     ▲                       │
 *     └────withdraw R─────┘   │                     │                       │
 *                          reject D                 │                    fail S
 *                             ▼                     │                       ▼
 *                          REJECTED                 └───── retry D ───── FAILED
 *
 *   cancel ─▶ CANCELLED: from DRAFT or SUBMITTED by R, from APPROVED or FAILED by D
 *
 * DELIVERED, REJECTED and CANCELLED are final: a new need is a new request. A retry goes back through
 * APPROVED so that only the worker ever moves a request into PROVISIONING (and the worker resumes
 * from the step that failed).
 */

export const REQUEST_STATES = Object.values(RequestStatus);
export type RequestState = RequestStatus;

export const REQUEST_EVENTS = ["submit", "withdraw", "approve", "reject", "start", "deliver", "fail", "retry", "cancel"] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

export type RequestActor = "REQUESTER" | "DBA" | "SYSTEM";

interface Edge {
  from: RequestState;
  event: RequestEvent;
  to: RequestState;
  actor: RequestActor;
}

export const TRANSITIONS: readonly Edge[] = [
  { from: "DRAFT", event: "submit", to: "SUBMITTED", actor: "REQUESTER" },
  { from: "DRAFT", event: "cancel", to: "CANCELLED", actor: "REQUESTER" },
  { from: "SUBMITTED", event: "withdraw", to: "DRAFT", actor: "REQUESTER" },
  { from: "SUBMITTED", event: "cancel", to: "CANCELLED", actor: "REQUESTER" },
  { from: "SUBMITTED", event: "approve", to: "APPROVED", actor: "DBA" },
  { from: "SUBMITTED", event: "reject", to: "REJECTED", actor: "DBA" },
  // Nothing is allocated yet, so a DBA may still call it off.
  { from: "APPROVED", event: "cancel", to: "CANCELLED", actor: "DBA" },
  { from: "APPROVED", event: "start", to: "PROVISIONING", actor: "SYSTEM" },
  { from: "PROVISIONING", event: "deliver", to: "DELIVERED", actor: "SYSTEM" },
  { from: "PROVISIONING", event: "fail", to: "FAILED", actor: "SYSTEM" },
  { from: "FAILED", event: "retry", to: "APPROVED", actor: "DBA" },
  // The failed step has rolled back and released its allocations, so giving up leaves nothing behind.
  { from: "FAILED", event: "cancel", to: "CANCELLED", actor: "DBA" },
];

export const FINAL_STATES: readonly RequestState[] = ["DELIVERED", "REJECTED", "CANCELLED"];

// Why nothing can happen to a request in this state, or what to wait for.
const HINTED = ["DELIVERED", "REJECTED", "CANCELLED", "PROVISIONING"] as const;
const hinted = (s: RequestState): s is (typeof HINTED)[number] => (HINTED as readonly RequestState[]).includes(s);
const stateWord = (s: RequestState) => text(`refusals.requests.state.${s}`);

/** The state a request moves to; refuses an event its state does not allow, or an actor who may not. */
export function transition(from: RequestState, event: RequestEvent, actor: RequestActor): RequestState {
  const edge = TRANSITIONS.find((e) => e.from === from && e.event === event);
  if (!edge) {
    const froms = TRANSITIONS.filter((e) => e.event === event).map((e) => e.from);
    const why = hinted(from)
      ? text(`refusals.requests.hint.${from}`)
      : text("refusals.requests.onlyFrom", { first: froms[0]!, froms: joinTexts(froms.map(stateWord), "or"), event });
    throw badInput(text("refusals.requests.cannot", { state: from, stateWord: stateWord(from), event, why }));
  }
  if (edge.actor !== actor) {
    throw forbidden(text("refusals.requests.onlyActor", { actor: edge.actor, event, state: from, stateWord: stateWord(from) }));
  }
  return edge.to;
}

/** The events this actor may send in this state: the buttons a page shows. */
export function availableEvents(state: RequestState, actor: RequestActor): RequestEvent[] {
  return TRANSITIONS.filter((e) => e.from === state && e.actor === actor).map((e) => e.event);
}
