import type { TimeWindow } from "@agenthifive/contracts";
import { describe, expect, it } from "vitest";
import { evaluateRequest } from "../../src/modules/policies/engine/index.js";
import {
  compileWindow,
  instantOfLocal,
  nextOpening,
  withinWindows,
} from "../../src/modules/policies/engine/time-windows.js";

const ms = (iso: string) => Date.parse(iso);
const weekdays = ["mon", "tue", "wed", "thu", "fri"] as TimeWindow["days"];
const win = (w: Partial<TimeWindow> & Pick<TimeWindow, "timezone">) =>
  compileWindow({ days: weekdays, start: "09:00", end: "17:00", ...w });
const open = (w: ReturnType<typeof win>[], iso: string) => withinWindows(w, ms(iso));
const next = (w: ReturnType<typeof win>[], iso: string) => {
  const n = nextOpening(w, ms(iso));
  return n === null ? null : new Date(n).toISOString();
};

describe("Europe/Berlin across DST (2026: starts Sun 29 Mar, ends Sun 25 Oct)", () => {
  const berlin = [win({ timezone: "Europe/Berlin" })];
  it("uses CET (+01:00) before the switch", () => {
    expect(open(berlin, "2026-03-27T07:59:00Z")).toBe(false); // Fri 08:59 CET
    expect(open(berlin, "2026-03-27T08:00:00Z")).toBe(true); // Fri 09:00 CET
    expect(open(berlin, "2026-03-27T15:59:59Z")).toBe(true); // Fri 16:59:59 CET
    expect(open(berlin, "2026-03-27T16:00:00Z")).toBe(false); // Fri 17:00 CET
  });
  it("uses CEST (+02:00) on the Monday after the switch", () => {
    expect(open(berlin, "2026-03-30T06:59:00Z")).toBe(false); // Mon 08:59 CEST
    expect(open(berlin, "2026-03-30T07:00:00Z")).toBe(true); // Mon 09:00 CEST
    expect(open(berlin, "2026-03-30T08:00:00Z")).toBe(true);
    expect(open(berlin, "2026-03-30T15:00:00Z")).toBe(false); // Mon 17:00 CEST
  });
  it("computes the next opening across the switch", () => {
    // Fri 27 Mar 17:30 CET → Mon 30 Mar 09:00 CEST = 07:00Z
    expect(next(berlin, "2026-03-27T16:30:00Z")).toBe("2026-03-30T07:00:00.000Z");
    // Fri 23 Oct 17:30 CEST → Mon 26 Oct 09:00 CET = 08:00Z
    expect(next(berlin, "2026-10-23T15:30:00Z")).toBe("2026-10-26T08:00:00.000Z");
  });
  it("returns to CET after the autumn switch", () => {
    expect(open(berlin, "2026-10-23T07:00:00Z")).toBe(true); // Fri 09:00 CEST
    expect(open(berlin, "2026-10-26T07:00:00Z")).toBe(false); // Mon 08:00 CET
    expect(open(berlin, "2026-10-26T08:00:00Z")).toBe(true); // Mon 09:00 CET
  });
  it("opens a window that starts inside the spring gap at the end of the gap", () => {
    const gap = [win({ days: ["sun"], start: "02:30", end: "04:00", timezone: "Europe/Berlin" })];
    expect(open(gap, "2026-03-29T00:59:00Z")).toBe(false); // 01:59 CET
    expect(open(gap, "2026-03-29T01:00:00Z")).toBe(true); // 03:00 CEST
    expect(next(gap, "2026-03-29T00:30:00Z")).toBe("2026-03-29T01:00:00.000Z");
  });
  it("is open during both occurrences of a repeated autumn hour; the next opening is the first", () => {
    const repeated = [win({ days: ["sun"], start: "02:00", end: "02:30", timezone: "Europe/Berlin" })];
    expect(open(repeated, "2026-10-25T00:15:00Z")).toBe(true); // 02:15 CEST
    expect(open(repeated, "2026-10-25T01:15:00Z")).toBe(true); // 02:15 CET
    expect(open(repeated, "2026-10-25T00:45:00Z")).toBe(false); // 02:45 CEST
    expect(next(repeated, "2026-10-24T22:00:00Z")).toBe("2026-10-25T00:00:00.000Z");
  });
});

describe("America/New_York across DST (2026: starts Sun 8 Mar, ends Sun 1 Nov)", () => {
  const ny = [win({ timezone: "America/New_York" })];
  it("uses EST (-05:00) before and EDT (-04:00) after the spring switch", () => {
    expect(open(ny, "2026-03-06T13:30:00Z")).toBe(false); // Fri 08:30 EST
    expect(open(ny, "2026-03-06T14:30:00Z")).toBe(true); // Fri 09:30 EST
    expect(open(ny, "2026-03-09T12:30:00Z")).toBe(false); // Mon 08:30 EDT
    expect(open(ny, "2026-03-09T13:30:00Z")).toBe(true); // Mon 09:30 EDT
    expect(open(ny, "2026-03-09T21:00:00Z")).toBe(false); // Mon 17:00 EDT
  });
  it("finds the next opening over the spring weekend", () => {
    expect(next(ny, "2026-03-06T22:30:00Z")).toBe("2026-03-09T13:00:00.000Z");
  });
  it("returns to EST after the autumn switch", () => {
    expect(open(ny, "2026-10-30T13:30:00Z")).toBe(true); // Fri 09:30 EDT
    expect(open(ny, "2026-11-02T13:30:00Z")).toBe(false); // Mon 08:30 EST
    expect(open(ny, "2026-11-02T14:00:00Z")).toBe(true); // Mon 09:00 EST
    expect(next(ny, "2026-10-30T21:30:00Z")).toBe("2026-11-02T14:00:00.000Z");
  });
});

describe("window shapes", () => {
  it("belongs an overnight window to the day it starts", () => {
    const night = [win({ days: ["sat"], start: "22:00", end: "06:00", timezone: "UTC" })];
    expect(open(night, "2026-11-28T21:59:00Z")).toBe(false); // Sat 21:59
    expect(open(night, "2026-11-28T22:00:00Z")).toBe(true); // Sat 22:00
    expect(open(night, "2026-11-29T05:59:00Z")).toBe(true); // Sun 05:59, from Saturday
    expect(open(night, "2026-11-29T06:00:00Z")).toBe(false);
    expect(open(night, "2026-11-29T22:30:00Z")).toBe(false); // Sunday night is not listed
    expect(open(night, "2026-11-28T03:00:00Z")).toBe(false); // Sat early morning: Friday not listed
  });
  it("supports an end of 24:00 and several windows", () => {
    const all = [
      win({ days: ["sun"], start: "00:00", end: "24:00", timezone: "UTC" }),
      win({ days: ["mon"], start: "12:00", end: "13:00", timezone: "Asia/Tokyo" }),
    ];
    expect(open(all, "2026-11-29T23:59:59Z")).toBe(true); // Sunday
    expect(open(all, "2026-11-30T03:30:00Z")).toBe(true); // Mon 12:30 JST
    expect(open(all, "2026-11-30T04:30:00Z")).toBe(false);
    expect(next(all, "2026-11-30T04:30:00Z")).toBe("2026-12-06T00:00:00.000Z");
  });
  it("treats no windows as always open", () => {
    expect(withinWindows(null, 0)).toBe(true);
    expect(withinWindows([], 0)).toBe(true);
  });
  it("maps a local time to its instant", () => {
    const f = win({ timezone: "Europe/Berlin" }).format;
    expect(new Date(instantOfLocal(f, Date.UTC(2026, 6, 1, 9, 0))).toISOString()).toBe(
      "2026-07-01T07:00:00.000Z",
    );
    expect(new Date(instantOfLocal(f, Date.UTC(2026, 0, 1, 9, 0))).toISOString()).toBe(
      "2026-01-01T08:00:00.000Z",
    );
  });
});

describe("OUTSIDE_TIME_WINDOW decisions", () => {
  const policy = {
    version: 1,
    defaultMode: "read_write",
    allowlists: [{ origin: "https://slack.com", paths: ["/api/**"], methods: ["GET"] }],
    timeWindows: [
      { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00", timezone: "Europe/Berlin" },
    ],
  };
  const request = { model: "B", method: "GET", url: "https://slack.com/api/x" };
  it("gives the next opening in the hint and in nextWindowAt", () => {
    const d = evaluateRequest(policy, request, { now: "2026-11-28T10:00:00Z" }); // Saturday
    expect(d).toMatchObject({
      decision: "deny",
      code: "OUTSIDE_TIME_WINDOW",
      nextWindowAt: "2026-11-30T08:00:00.000Z",
    });
    expect(d.hint).toContain("2026-11-30T08:00:00.000Z");
    expect(d.hint).toContain("09:00 Europe/Berlin");
    expect(d.reason).toContain("Mon–Fri 09:00–17:00 Europe/Berlin");
    expect(d.retryAfterSeconds).toBe(2 * 86400 - 2 * 3600);
  });
  it("applies to Model A too", () => {
    const a = { ...policy, allowedModels: ["A", "B"] };
    const at = (now: string) => evaluateRequest(a, { model: "A" }, { now, connectionAuthType: "oauth" });
    expect(at("2026-11-28T10:00:00Z").code).toBe("OUTSIDE_TIME_WINDOW");
    expect(at("2026-11-30T10:00:00Z").decision).toBe("allow");
  });
});
