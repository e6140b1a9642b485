import { describe, expect, it } from "vitest";
import { availableEvents, FINAL_STATES, REQUEST_STATES, TRANSITIONS, transition, type RequestActor, type RequestEvent, type RequestState } from "./states";

describe("request state machine", () => {
  it.each<[RequestState, RequestEvent, RequestActor, RequestState]>([
    ["DRAFT", "submit", "REQUESTER", "SUBMITTED"],
    ["DRAFT", "cancel", "REQUESTER", "CANCELLED"],
    ["SUBMITTED", "withdraw", "REQUESTER", "DRAFT"],
    ["SUBMITTED", "cancel", "REQUESTER", "CANCELLED"],
    ["SUBMITTED", "approve", "DBA", "APPROVED"],
    ["SUBMITTED", "reject", "DBA", "REJECTED"],
    ["APPROVED", "cancel", "DBA", "CANCELLED"],
    ["APPROVED", "start", "SYSTEM", "PROVISIONING"],
    ["PROVISIONING", "deliver", "SYSTEM", "DELIVERED"],
    ["PROVISIONING", "fail", "SYSTEM", "FAILED"],
    ["FAILED", "retry", "DBA", "APPROVED"],
    ["FAILED", "cancel", "DBA", "CANCELLED"],
  ])("%s --%s by %s--> %s", (from, event, actor, to) => {
    expect(transition(from, event, actor)).toBe(to);
  });

  it("lists exactly the transitions tested above", () => {
    expect(TRANSITIONS).toHaveLength(12);
  });

  it("has no way out of a final state and a way into every state", () => {
    for (const state of FINAL_STATES) expect(TRANSITIONS.filter((e) => e.from === state)).toEqual([]);
    const reached = new Set<RequestState>(["DRAFT", ...TRANSITIONS.map((e) => e.to)]);
    expect([...reached].sort()).toEqual([...REQUEST_STATES].sort());
  });

  it.each<[RequestState, RequestEvent, string]>([
    ["DELIVERED", "approve", "a delivered request cannot be approved: it is already delivered"],
    ["DELIVERED", "cancel", "a delivered request cannot be cancelled: it is already delivered"],
    ["REJECTED", "submit", "a rejected request cannot be submitted: it was rejected; file a new request"],
    ["CANCELLED", "retry", "a cancelled request cannot be retried: it was cancelled; file a new request"],
    ["PROVISIONING", "cancel", "a provisioning request cannot be cancelled: it is being provisioned; wait until it is delivered or fails"],
    ["DRAFT", "approve", "a draft request cannot be approved: only a submitted request can be approved"],
    ["APPROVED", "approve", "an approved request cannot be approved: only a submitted request can be approved"],
    ["SUBMITTED", "start", "a submitted request cannot be started: only an approved request can be started"],
    ["APPROVED", "retry", "an approved request cannot be retried: only a failed request can be retried"],
    ["FAILED", "deliver", "a failed request cannot be delivered: only a provisioning request can be delivered"],
    ["APPROVED", "withdraw", "an approved request cannot be withdrawn: only a submitted request can be withdrawn"],
  ])("refuses %s --%s--> with a message", (from, event, message) => {
    const run = () => transition(from, event, "DBA");
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ name: "DomainError", kind: "BAD_INPUT" }));
  });

  it.each<[RequestState, RequestEvent, RequestActor, string]>([
    ["SUBMITTED", "approve", "REQUESTER", "only a DBA can approve a submitted request"],
    ["DRAFT", "submit", "DBA", "only its requester can submit a draft request"],
    ["APPROVED", "start", "DBA", "only Hedwig's provisioning worker can start provisioning an approved request"],
    ["PROVISIONING", "deliver", "DBA", "only Hedwig's provisioning worker can mark a provisioning request delivered"],
    ["FAILED", "retry", "REQUESTER", "only a DBA can retry a failed request"],
    ["APPROVED", "cancel", "REQUESTER", "only a DBA can cancel an approved request"],
  ])("refuses %s --%s by %s--> as forbidden", (from, event, actor, message) => {
    const run = () => transition(from, event, actor);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ name: "DomainError", kind: "FORBIDDEN" }));
  });

  it("offers each actor only the events it may send", () => {
    expect(availableEvents("SUBMITTED", "REQUESTER")).toEqual(["withdraw", "cancel"]);
    expect(availableEvents("SUBMITTED", "DBA")).toEqual(["approve", "reject"]);
    expect(availableEvents("FAILED", "DBA")).toEqual(["retry", "cancel"]);
    expect(availableEvents("PROVISIONING", "SYSTEM")).toEqual(["deliver", "fail"]);
    expect(availableEvents("DELIVERED", "DBA")).toEqual([]);
  });
});
