import { describe, expect, it } from "vitest";
import { AGENT_SCOPES, PAT_FORBIDDEN_SCOPES, patGrantableScopes, ROLE_SCOPES, SCOPES } from "../src/index.js";

// The matrix of API.md §2.4, written out by hand so a change to either side is noticed.
const MATRIX: Record<string, string> = {
  "workspace:read": "oamv",
  "workspace:write": "oa",
  "workspace:delete": "o",
  "members:manage": "oa",
  "connections:read": "oamv",
  "connections:write": "oam",
  "agents:read": "oamv",
  "agents:write": "oam",
  "policies:read": "oamv",
  "policies:write": "oam",
  "approvals:read": "oamv",
  "approvals:decide": "oam",
  "audit:read": "oamv",
  "audit:export": "oa",
  "tokens:manage": "oamv",
  "channels:manage": "oa",
  "events:read": "oamv",
};
const ROLE_LETTER = { owner: "o", admin: "a", member: "m", viewer: "v" } as const;

describe("role → scopes", () => {
  for (const [role, letter] of Object.entries(ROLE_LETTER)) {
    it(`${role} has exactly the scopes of the API.md matrix`, () => {
      const expected = Object.entries(MATRIX)
        .filter(([, who]) => who.includes(letter))
        .map(([scope]) => scope)
        .sort();
      expect([...ROLE_SCOPES[role as keyof typeof ROLE_SCOPES]].sort()).toEqual(expected);
    });
  }

  it("no role carries an agent-only scope or agents:bootstrap", () => {
    for (const scopes of Object.values(ROLE_SCOPES)) {
      for (const s of [...AGENT_SCOPES, "agents:bootstrap"]) expect(scopes).not.toContain(s);
    }
  });

  it("lists every scope once", () => {
    expect(new Set(SCOPES).size).toBe(SCOPES.length);
    expect(SCOPES).toHaveLength(21);
  });
});

describe("PAT-grantable scopes", () => {
  it("never include the session-only scopes", () => {
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      for (const s of PAT_FORBIDDEN_SCOPES) expect(patGrantableScopes(role)).not.toContain(s);
    }
  });
  it("offer agents:bootstrap to owners and admins only", () => {
    expect(patGrantableScopes("owner")).toContain("agents:bootstrap");
    expect(patGrantableScopes("admin")).toContain("agents:bootstrap");
    expect(patGrantableScopes("member")).not.toContain("agents:bootstrap");
    expect(patGrantableScopes("viewer")).not.toContain("agents:bootstrap");
  });
  it("are a subset of the role's scopes plus agents:bootstrap", () => {
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      const allowed = new Set<string>([...ROLE_SCOPES[role], "agents:bootstrap"]);
      for (const s of patGrantableScopes(role)) expect(allowed.has(s)).toBe(true);
    }
  });
});
