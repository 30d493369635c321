import type { AuditEvent } from "@agenthifive/contracts";
import { describe, expect, it } from "vitest";
import { bucketByDay, kindOf, totalsBy } from "../src/features/activity/stats";

const event = (action: string, occurredAt: string, agentId: string | null = "a1"): AuditEvent =>
  ({ action, occurredAt, agentId, connectionId: "c1" }) as AuditEvent;

describe("activity chart statistics", () => {
  it("classifies vault actions into calls, denials and approvals", () => {
    expect(kindOf("vault.executed")).toBe("calls");
    expect(kindOf("vault.token_vended")).toBe("calls");
    expect(kindOf("vault.denied")).toBe("denials");
    expect(kindOf("vault.approval_requested")).toBe("approvals");
    expect(kindOf("policy.created")).toBeNull();
  });

  it("buckets per UTC day including empty days, oldest first", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const days = bucketByDay(
      [
        event("vault.executed", "2026-03-10T01:00:00.000Z"),
        event("vault.executed", "2026-03-10T02:00:00.000Z"),
        event("vault.denied", "2026-03-08T23:59:59.000Z"),
        event("vault.executed", "2026-02-01T00:00:00.000Z"),
      ],
      3,
      now,
    );
    expect(days).toEqual([
      { day: "2026-03-08", calls: 0, denials: 1, approvals: 0 },
      { day: "2026-03-09", calls: 0, denials: 0, approvals: 0 },
      { day: "2026-03-10", calls: 2, denials: 0, approvals: 0 },
    ]);
  });

  it("totals per agent, biggest first, skipping events without one", () => {
    const rows = totalsBy(
      [
        event("vault.executed", "2026-03-10T01:00:00.000Z", "a1"),
        event("vault.approval_requested", "2026-03-10T01:00:00.000Z", "a2"),
        event("vault.executed", "2026-03-10T01:00:00.000Z", "a2"),
        event("vault.executed", "2026-03-10T01:00:00.000Z", null),
      ],
      (e) => e.agentId,
    );
    expect(rows.map((r) => [r.key, r.total])).toEqual([
      ["a2", 2],
      ["a1", 1],
    ]);
  });
});
