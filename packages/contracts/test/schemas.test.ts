import { describe, expect, it } from "vitest";
import {
  API_ERROR_STATUS,
  ApiAccessClaimsSchema,
  ApiErrorBodySchema,
  CreateWorkspaceRequestSchema,
  HINT_REQUIRED_STATUSES,
  InstantSchema,
  isApiErrorBody,
  isUuid,
  PageQuerySchema,
  statusForCode,
  TokenExchangeRequestSchema,
  UpdateWorkspaceRequestSchema,
  WorkspaceIdSchema,
} from "../src/index.js";

const WID = "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f";

describe("ids", () => {
  it("accepts lower-case UUIDs and normalises upper-case ones", () => {
    expect(WorkspaceIdSchema.parse(WID)).toBe(WID);
    expect(WorkspaceIdSchema.parse(WID.toUpperCase())).toBe(WID);
  });
  it("rejects non-UUIDs", () => {
    for (const bad of ["", "1", `${WID}x`, "../etc/passwd", "0190f4c2-7b3a-7c4d-8e9f"]) {
      expect(WorkspaceIdSchema.safeParse(bad).success).toBe(false);
      expect(isUuid(bad)).toBe(false);
    }
  });
});

describe("error catalog", () => {
  it("maps every code to an HTTP status", () => {
    expect(statusForCode("VALIDATION_FAILED")).toBe(400);
    expect(statusForCode("PRINCIPAL_NOT_ALLOWED")).toBe(403);
    expect(statusForCode("ASSERTION_REPLAYED")).toBe(401);
    expect(statusForCode("APPROVAL_EXPIRED")).toBe(410);
    for (const [code, status] of Object.entries(API_ERROR_STATUS)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(status).toBeGreaterThanOrEqual(200);
    }
    expect(HINT_REQUIRED_STATUSES).toContain(401);
  });
  it("validates the wire shape", () => {
    const body = { error: "Denied.", code: "POLICY_DENIED", hint: "Ask for a permission.", requestId: "r-1" };
    expect(ApiErrorBodySchema.parse(body)).toEqual(body);
    expect(isApiErrorBody(body)).toBe(true);
    expect(isApiErrorBody({ error: "x", code: "X" })).toBe(false);
  });
});

describe("request schemas are strict", () => {
  it("rejects unknown fields (typos never become silent no-ops)", () => {
    expect(CreateWorkspaceRequestSchema.safeParse({ name: "Acme", nmae: "x" }).success).toBe(false);
    expect(TokenExchangeRequestSchema.safeParse({ workspaceID: WID }).success).toBe(false);
    expect(UpdateWorkspaceRequestSchema.safeParse({ settings: { approvalTtl: 5 } }).success).toBe(false);
  });
  it("trims names and bounds their length", () => {
    expect(CreateWorkspaceRequestSchema.parse({ name: "  Acme " })).toEqual({ name: "Acme" });
    expect(CreateWorkspaceRequestSchema.safeParse({ name: "   " }).success).toBe(false);
    expect(CreateWorkspaceRequestSchema.safeParse({ name: "x".repeat(101) }).success).toBe(false);
  });
});

describe("pagination", () => {
  it("defaults to 50 and bounds the limit to 1..200", () => {
    expect(PageQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(PageQuerySchema.parse({ limit: "200" }).limit).toBe(200);
    expect(PageQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ limit: "201" }).success).toBe(false);
    expect(PageQuerySchema.safeParse({ limit: "1.5" }).success).toBe(false);
  });
});

describe("instants", () => {
  it("normalise offsets to UTC with milliseconds", () => {
    expect(InstantSchema.parse("2025-01-31T13:00:00+01:00")).toBe("2025-01-31T12:00:00.000Z");
    expect(InstantSchema.safeParse("yesterday").success).toBe(false);
  });
});

describe("JWT claims", () => {
  const claims = {
    sub: WID,
    wid: WID,
    roles: ["owner"],
    scp: ["workspace:read"],
    sid: "s1",
    jti: "j1",
    iss: "web",
    aud: "api",
    exp: 2,
    iat: 1,
  };
  it("accept the seed's claim shape", () => {
    expect(ApiAccessClaimsSchema.safeParse(claims).success).toBe(true);
  });
  it("reject unknown roles and scopes", () => {
    expect(ApiAccessClaimsSchema.safeParse({ ...claims, roles: ["god"] }).success).toBe(false);
    expect(ApiAccessClaimsSchema.safeParse({ ...claims, scp: ["everything"] }).success).toBe(false);
  });
});
