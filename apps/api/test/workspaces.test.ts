import type { WorkspaceRole } from "@agenthifive/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, exchange, lastMail, type SignedInUser } from "./helpers/flows.js";

let t: TestApp;
let owner: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "owner@example.com", "Olive");
});
afterAll(async () => {
  await t?.close();
});

const req = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, token: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...(payload ? { "content-type": "application/json" } : {}) },
    ...(payload ? { payload } : {}),
  });

/** Invites `email` into the owner's workspace with `role`; returns that user acting there. */
async function member(email: string, role: WorkspaceRole, name = "Member"): Promise<SignedInUser> {
  const u = await createUser(t.app, t.deps, email, name);
  const inv = await req("POST", "/v1/invitations", owner.token, { email, role });
  expect(inv.statusCode).toBe(201);
  const token = new URL(lastMail(t.deps, email, "invitation").link as string).searchParams.get("token");
  const acc = await req("POST", "/v1/invitations/accept", u.token, { token });
  expect(acc.statusCode).toBe(200);
  expect(acc.json()).toEqual({ workspaceId: owner.workspaceId, role });
  const ex = await exchange(t.app, u.cookie, owner.workspaceId);
  expect(ex.statusCode).toBe(200);
  return { ...u, token: ex.json().accessToken, workspaceId: owner.workspaceId };
}

describe("workspaces", () => {
  it("lets a user create more workspaces and switch between them", async () => {
    const created = await req("POST", "/v1/workspaces", owner.token, { name: "Acme" });
    expect(created.statusCode).toBe(201);
    const acme = created.json();
    expect(acme).toMatchObject({
      name: "Acme",
      settings: { approvalTtlSeconds: 900, defaultAgentTokenTtlSeconds: 7200 },
    });
    const switched = await exchange(t.app, owner.cookie, acme.id);
    expect(switched.json()).toMatchObject({ workspaceId: acme.id, roles: ["owner"] });
    // The session remembers the choice.
    expect((await exchange(t.app, owner.cookie)).json().workspaceId).toBe(acme.id);
    await exchange(t.app, owner.cookie, owner.workspaceId);
  });

  it("patches name and settings, validating them", async () => {
    const ok = await req("PATCH", "/v1/workspaces/current", owner.token, {
      name: "Olive HQ",
      settings: { approvalTtlSeconds: 600 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      name: "Olive HQ",
      settings: { approvalTtlSeconds: 600, defaultAgentTokenTtlSeconds: 7200 },
    });
    const bad = await req("PATCH", "/v1/workspaces/current", owner.token, {
      settings: { approvalTtlSeconds: 5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "VALIDATION_FAILED", details: { issues: expect.any(Array) } });
    const typo = await req("PATCH", "/v1/workspaces/current", owner.token, { nmae: "x" });
    expect(typo.statusCode).toBe(400);
  });

  it("audits admin actions in the same transaction", async () => {
    const rows = await t.deps.database.db.query.auditEvents.findMany();
    const actions = rows.filter((r) => r.workspaceId === owner.workspaceId).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["workspace.created", "workspace.updated"]));
  });
});

describe("roles", () => {
  it("a viewer can read but cannot write", async () => {
    const viewer = await member("viewer@example.com", "viewer");
    expect((await req("GET", "/v1/workspaces/current", viewer.token)).statusCode).toBe(200);
    expect((await req("GET", "/v1/members", viewer.token)).statusCode).toBe(200);
    const write = await req("PATCH", "/v1/workspaces/current", viewer.token, { name: "Mine now" });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({
      code: "SCOPE_MISSING",
      details: { required: ["workspace:write"] },
      hint: expect.any(String),
    });
    const invite = await req("POST", "/v1/invitations", viewer.token, {
      email: "x@example.com",
      role: "viewer",
    });
    expect(invite.json().code).toBe("SCOPE_MISSING");
  });

  it("an admin cannot make or touch owners, and cannot invite above their role", async () => {
    const admin = await member("admin@example.com", "admin");
    const promote = await req("PATCH", `/v1/members/${admin.userId}`, admin.token, { role: "owner" });
    expect(promote.statusCode).toBe(403);
    const demoteOwner = await req("PATCH", `/v1/members/${owner.userId}`, admin.token, { role: "viewer" });
    expect(demoteOwner.statusCode).toBe(403);
    const inviteOwner = await req("POST", "/v1/invitations", admin.token, {
      email: "boss@example.com",
      role: "owner",
    });
    expect(inviteOwner.json().code).toBe("SCOPE_MISSING");
  });

  it("a demotion takes effect on the next request, not at token expiry", async () => {
    const m = await member("demoted@example.com", "admin");
    expect((await req("PATCH", "/v1/workspaces/current", m.token, { name: "Olive HQ" })).statusCode).toBe(
      200,
    );
    expect((await req("PATCH", `/v1/members/${m.userId}`, owner.token, { role: "viewer" })).statusCode).toBe(
      200,
    );
    const after = await req("PATCH", "/v1/workspaces/current", m.token, { name: "Olive HQ" });
    expect(after.statusCode).toBe(403);
  });

  it("keeps at least one owner", async () => {
    const res = await req("PATCH", `/v1/members/${owner.userId}`, owner.token, { role: "admin" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "LAST_OWNER", hint: expect.any(String) });
    const leave = await req("DELETE", `/v1/members/${owner.userId}`, owner.token);
    expect(leave.json().code).toBe("LAST_OWNER");
  });

  it("a removed member's JWT stops working at once", async () => {
    const m = await member("removed@example.com", "member");
    expect((await req("GET", "/v1/workspaces/current", m.token)).statusCode).toBe(200);
    expect((await req("DELETE", `/v1/members/${m.userId}`, owner.token)).statusCode).toBe(204);
    const res = await req("GET", "/v1/workspaces/current", m.token);
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe("not_a_member");
  });

  it("a member may leave on their own", async () => {
    const m = await member("leaver@example.com", "member");
    expect((await req("DELETE", `/v1/members/${m.userId}`, m.token)).statusCode).toBe(204);
  });

  it("a member cannot remove someone else", async () => {
    const m = await member("plain@example.com", "member");
    const res = await req("DELETE", `/v1/members/${owner.userId}`, m.token);
    expect(res.statusCode).toBe(403);
  });
});

describe("invitations", () => {
  it("refuse a duplicate pending invitation and an existing member", async () => {
    expect(
      (await req("POST", "/v1/invitations", owner.token, { email: "dup@example.com", role: "member" }))
        .statusCode,
    ).toBe(201);
    const again = await req("POST", "/v1/invitations", owner.token, {
      email: "DUP@example.com",
      role: "member",
    });
    expect(again.json()).toMatchObject({ code: "CONFLICT", details: { reason: "invitation_pending" } });
    const existing = await req("POST", "/v1/invitations", owner.token, {
      email: owner.email,
      role: "member",
    });
    expect(existing.json()).toMatchObject({ code: "CONFLICT", details: { reason: "already_member" } });
  });

  it("are single use and bound to the invited address", async () => {
    const invitee = await createUser(t.app, t.deps, "invitee@example.com");
    const other = await createUser(t.app, t.deps, "other@example.com");
    await req("POST", "/v1/invitations", owner.token, { email: invitee.email, role: "member" });
    const token = new URL(lastMail(t.deps, invitee.email, "invitation").link as string).searchParams.get(
      "token",
    );
    const wrongUser = await req("POST", "/v1/invitations/accept", other.token, { token });
    expect(wrongUser.statusCode).toBe(404);
    expect((await req("POST", "/v1/invitations/accept", invitee.token, { token })).statusCode).toBe(200);
    const replay = await req("POST", "/v1/invitations/accept", invitee.token, { token });
    expect(replay.statusCode).toBe(404);
    expect(
      (await req("POST", "/v1/invitations/accept", invitee.token, { token: "ah5i_nonsense" })).statusCode,
    ).toBe(404);
  });

  it("can be revoked once", async () => {
    const inv = (
      await req("POST", "/v1/invitations", owner.token, { email: "revoke@example.com", role: "viewer" })
    ).json();
    expect(inv.status).toBe("pending");
    expect((await req("DELETE", `/v1/invitations/${inv.id}`, owner.token)).statusCode).toBe(204);
    expect((await req("DELETE", `/v1/invitations/${inv.id}`, owner.token)).json().code).toBe("CONFLICT");
    const list = await req("GET", "/v1/invitations?status=revoked", owner.token);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(inv.id);
  });

  it("never store the token in clear", async () => {
    const rows = await t.deps.database.db.query.workspaceInvitations.findMany();
    for (const row of rows) expect(row.tokenHash).toHaveLength(32);
  });
});

describe("workspace isolation", () => {
  it("answers 404 for another workspace's ids, and for ids that are not UUIDs", async () => {
    const stranger = await createUser(t.app, t.deps, "stranger@example.com", "Stan");
    const inv = (
      await req("POST", "/v1/invitations", owner.token, { email: "iso@example.com", role: "viewer" })
    ).json();
    const foreign = await req("DELETE", `/v1/invitations/${inv.id}`, stranger.token);
    expect(foreign.statusCode).toBe(404);
    const foreignMember = await req("PATCH", `/v1/members/${owner.userId}`, stranger.token, {
      role: "viewer",
    });
    expect(foreignMember.statusCode).toBe(404);
    const notUuid = await req("DELETE", "/v1/invitations/not-a-uuid", owner.token);
    expect(notUuid.statusCode).toBe(404);
    expect(notUuid.json()).toMatchObject({ code: "NOT_FOUND" });
    const members = (await req("GET", "/v1/members", stranger.token)).json();
    expect(members.items.map((m: { email: string }) => m.email)).toEqual(["stranger@example.com"]);
  });
});

describe("pagination", () => {
  it("pages with signed cursors and refuses tampered or foreign ones", async () => {
    const first = await req("GET", "/v1/members?limit=2", owner.token);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = (
      await req("GET", `/v1/members?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`, owner.token)
    ).json();
    const ids = [...page1.items, ...second.items].map((m: { userId: string }) => m.userId);
    expect(new Set(ids).size).toBe(ids.length);

    const tampered = `${page1.nextCursor.slice(0, -2)}xx`;
    const bad = await req("GET", `/v1/members?limit=2&cursor=${encodeURIComponent(tampered)}`, owner.token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "cursor" } });
    // A members cursor is no good for invitations.
    const foreign = await req(
      "GET",
      `/v1/invitations?cursor=${encodeURIComponent(page1.nextCursor)}`,
      owner.token,
    );
    expect(foreign.statusCode).toBe(400);
  });

  it("bounds limit to 1..200", async () => {
    expect((await req("GET", "/v1/members?limit=0", owner.token)).statusCode).toBe(400);
    expect((await req("GET", "/v1/members?limit=201", owner.token)).statusCode).toBe(400);
  });
});

describe("workspace deletion", () => {
  it("needs the exact name and schedules deletion", async () => {
    const u = await createUser(t.app, t.deps, "deleter@example.com", "Dee");
    const wrong = await req("DELETE", "/v1/workspaces/current", u.token, { confirmName: "nope" });
    expect(wrong.json()).toMatchObject({ code: "CONFLICT", details: { reason: "name_mismatch" } });
    const ok = await req("DELETE", "/v1/workspaces/current", u.token, { confirmName: "Dee's workspace" });
    expect(ok.statusCode).toBe(202);
    expect(ok.json().deletionScheduledAt).toEqual(expect.any(String));
    expect((await req("GET", "/v1/workspaces/current", u.token)).statusCode).toBe(401);
  });
});
