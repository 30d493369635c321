import {
  type Invitation,
  type Member,
  type Principal,
  ROLE_RANK,
  type Workspace,
  type WorkspaceRole,
  WorkspaceSettingsSchema,
} from "@agenthifive/contracts";
import { generateToken, hashToken, tokenDisplayPrefix } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { insertAuditEvent } from "../audit/index.js";
import type { Mailer } from "../mail/mailer.js";
import { createWorkspaceRepo, type InvitationRow, type WorkspaceRow } from "./workspaces.repo.js";

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_OWNED_WORKSPACES = 20;
const DELETION_GRACE_MS = 7 * 24 * 3600 * 1000;

export interface WorkspaceServiceDeps {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  mailer: Mailer;
  webUrl: string;
  /** Runs in the removal transaction: credentials bound to the membership die with it. */
  onMemberRemoved?(tx: DbOrTx, workspaceId: string, userId: string): Promise<unknown>;
}

const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  settings: WorkspaceSettingsSchema.parse(row.settings),
});

function invitationStatus(row: InvitationRow, now: Date): Invitation["status"] {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

const actor = (p: UserPrincipal) => ({ actorType: "user" as const, actorId: p.userId });

export function createWorkspaceService(deps: WorkspaceServiceDeps) {
  const repo = createWorkspaceRepo();
  const { db } = deps.database;

  async function createWorkspaceFor(userId: string, name: string, requestId?: string): Promise<WorkspaceRow> {
    const id = newId();
    return db.transaction(async (tx) => {
      await repo.insertWorkspace(tx, {
        id,
        name,
        createdBy: userId,
        settings: WorkspaceSettingsSchema.parse({}),
      });
      await repo.insertMember(tx, { id: newId(), workspaceId: id, userId, role: "owner" });
      await insertAuditEvent(tx, {
        workspaceId: id,
        occurredAt: deps.clock.now(),
        actorType: "user",
        actorId: userId,
        action: "workspace.created",
        targetType: "workspace",
        targetId: id,
        outcome: "success",
        requestId,
      });
      const row = await repo.findWorkspace(tx, id);
      if (!row) throw new AppError("INTERNAL", "Workspace vanished during creation.");
      return row;
    });
  }

  async function requireWorkspace(workspaceId: string) {
    const row = await repo.findWorkspace(db, workspaceId);
    if (!row) throw notFound("Workspace");
    return row;
  }

  return {
    /** Every new user gets a personal workspace they own. */
    createPersonalWorkspace: (userId: string, userName: string) =>
      createWorkspaceFor(userId, `${userName.slice(0, 80) || "My"}'s workspace`),

    /** The workspace a session acts in when it names none: the oldest membership. */
    defaultWorkspaceOf: async (userId: string) => (await repo.firstWorkspaceOfUser(db, userId))?.id,

    membership: (workspaceId: string, userId: string) => repo.findMembership(db, workspaceId, userId),

    async listMine(p: UserPrincipal, limit: number, cursor?: string) {
      const filters = { u: p.userId };
      const after = deps.cursors.decode("workspaces", filters, cursor);
      const rows = await repo.listWorkspacesOfUser(db, p.userId, limit, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        (r) => r,
        (k) => deps.cursors.encode("workspaces", filters, k),
      );
    },

    async create(p: UserPrincipal, name: string, requestId: string): Promise<Workspace> {
      if ((await repo.countOwnedBy(db, p.userId)) >= MAX_OWNED_WORKSPACES) {
        throw conflict(
          `A user may own at most ${MAX_OWNED_WORKSPACES} workspaces.`,
          "workspace_limit",
          "Delete a workspace you no longer need.",
        );
      }
      return toWorkspace(await createWorkspaceFor(p.userId, name, requestId));
    },

    async getCurrent(p: UserPrincipal): Promise<Workspace> {
      return toWorkspace(await requireWorkspace(p.workspaceId));
    },

    async update(
      p: UserPrincipal,
      patch: { name?: string; settings?: Partial<Workspace["settings"]> },
      requestId: string,
    ): Promise<Workspace> {
      const row = await db.transaction(async (tx) => {
        const current = await repo.findWorkspace(tx, p.workspaceId);
        if (!current) throw notFound("Workspace");
        const settings = patch.settings
          ? WorkspaceSettingsSchema.parse({ ...current.settings, ...patch.settings })
          : undefined;
        const updated = await repo.updateWorkspace(tx, p.workspaceId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(settings ? { settings } : {}),
        });
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: deps.clock.now(),
          ...actor(p),
          action: "workspace.updated",
          targetType: "workspace",
          targetId: p.workspaceId,
          outcome: "success",
          requestId,
          details: { fields: Object.keys(patch) },
        });
        return updated;
      });
      if (!row) throw notFound("Workspace");
      return toWorkspace(row);
    },

    async scheduleDeletion(p: UserPrincipal, confirmName: string, requestId: string) {
      const when = new Date(deps.clock.now().getTime() + DELETION_GRACE_MS);
      await db.transaction(async (tx) => {
        const current = await repo.findWorkspace(tx, p.workspaceId);
        if (!current) throw notFound("Workspace");
        if (current.name !== confirmName) {
          throw conflict(
            "confirmName does not match the workspace name.",
            "name_mismatch",
            "Type the exact workspace name to confirm.",
          );
        }
        await repo.updateWorkspace(tx, p.workspaceId, { deletionScheduledAt: when });
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: deps.clock.now(),
          ...actor(p),
          action: "workspace.deletion_scheduled",
          targetType: "workspace",
          targetId: p.workspaceId,
          outcome: "success",
          requestId,
        });
        await deps.invalidation.publish(tx, { k: "member", id: p.workspaceId, w: p.workspaceId });
      });
      return { deletionScheduledAt: when.toISOString() };
    },

    async listMembers(p: UserPrincipal, limit: number, cursor?: string) {
      const filters = { w: p.workspaceId };
      const after = deps.cursors.decode("members", filters, cursor);
      const rows = await repo.listMembers(db, p.workspaceId, limit, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toMember,
        (k) => deps.cursors.encode("members", filters, k),
      );
    },

    async updateMemberRole(
      p: UserPrincipal,
      userId: string,
      role: WorkspaceRole,
      requestId: string,
    ): Promise<Member> {
      const callerRole = p.roles[0] ?? "viewer";
      return db.transaction(async (tx) => {
        const owners = await repo.lockOwners(tx, p.workspaceId);
        const target = await repo.findMember(tx, p.workspaceId, userId);
        if (!target) throw notFound("Member");
        // An admin can neither make an owner nor touch one (API.md §3.1).
        if (callerRole !== "owner" && (role === "owner" || target.role === "owner")) {
          throw new AppError("SCOPE_MISSING", "Only an owner can grant or change the owner role.", {
            details: { required: "owner" },
          });
        }
        if (target.role === "owner" && role !== "owner" && owners.length <= 1) {
          throw new AppError("LAST_OWNER", "A workspace must keep at least one owner.");
        }
        await repo.setMemberRole(tx, p.workspaceId, userId, role);
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: deps.clock.now(),
          ...actor(p),
          action: "member.role_changed",
          targetType: "user",
          targetId: userId,
          outcome: "success",
          requestId,
          details: { from: target.role, to: role },
        });
        await deps.invalidation.publish(tx, { k: "member", id: userId, w: p.workspaceId });
        return toMember({ ...target, role });
      });
    },

    async removeMember(p: UserPrincipal, userId: string, requestId: string): Promise<void> {
      const leaving = userId === p.userId;
      if (!leaving && !p.scopes.includes("members:manage")) {
        throw new AppError("SCOPE_MISSING", "You may only remove yourself.", {
          details: { required: "members:manage" },
        });
      }
      await db.transaction(async (tx) => {
        const owners = await repo.lockOwners(tx, p.workspaceId);
        const target = await repo.findMember(tx, p.workspaceId, userId);
        if (!target) throw notFound("Member");
        if (!leaving && target.role === "owner" && p.roles[0] !== "owner") {
          throw new AppError("SCOPE_MISSING", "Only an owner can remove an owner.", {
            details: { required: "owner" },
          });
        }
        if (target.role === "owner" && owners.length <= 1) {
          throw new AppError("LAST_OWNER", "A workspace must keep at least one owner.");
        }
        await repo.deleteMember(tx, p.workspaceId, userId);
        await deps.onMemberRemoved?.(tx, p.workspaceId, userId);
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: deps.clock.now(),
          ...actor(p),
          action: leaving ? "member.left" : "member.removed",
          targetType: "user",
          targetId: userId,
          outcome: "success",
          requestId,
        });
        await deps.invalidation.publish(tx, { k: "member", id: userId, w: p.workspaceId });
      });
    },

    async listInvitations(
      p: UserPrincipal,
      limit: number,
      cursor: string | undefined,
      status?: Invitation["status"],
    ) {
      const filters = { w: p.workspaceId, s: status ?? null };
      const after = deps.cursors.decode("invitations", filters, cursor);
      const now = deps.clock.now();
      // Status is derived (expiry is computed on read), so filter after mapping; pages may be short.
      const rows = await repo.listInvitations(db, p.workspaceId, limit, after);
      const page = toPage(
        rows,
        limit,
        (r) => r.id,
        (r) => toInvitation(r, now),
        (k) => deps.cursors.encode("invitations", filters, k),
      );
      return { ...page, items: status ? page.items.filter((i) => i.status === status) : page.items };
    },

    async invite(
      p: UserPrincipal,
      email: string,
      role: WorkspaceRole,
      requestId: string,
    ): Promise<Invitation> {
      const callerRole = p.roles[0] ?? "viewer";
      if (ROLE_RANK[role] > ROLE_RANK[callerRole]) {
        throw new AppError("SCOPE_MISSING", "You cannot invite someone with a higher role than yours.", {
          details: { required: role },
        });
      }
      const token = generateToken("ah5i");
      const id = newId();
      const now = deps.clock.now();
      const row = await db.transaction(async (tx) => {
        if (await repo.isMemberByEmail(tx, p.workspaceId, email)) {
          throw conflict("That person is already a member.", "already_member");
        }
        await repo.revokeExpiredInvitations(tx, p.workspaceId, email, now);
        if (await repo.findLiveInvitationByEmail(tx, p.workspaceId, email)) {
          throw conflict(
            "An invitation for that address is already pending.",
            "invitation_pending",
            "Revoke it first to send a new one.",
          );
        }
        const inserted = {
          id,
          workspaceId: p.workspaceId,
          email,
          role,
          tokenHash: hashToken(token),
          prefix: tokenDisplayPrefix(token),
          invitedBy: p.userId,
          expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
          createdAt: now,
          updatedAt: now,
        };
        await repo.insertInvitation(tx, inserted);
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: now,
          ...actor(p),
          action: "invitation.created",
          targetType: "invitation",
          targetId: id,
          outcome: "success",
          requestId,
          details: { role },
        });
        return { ...inserted, acceptedAt: null, acceptedBy: null, revokedAt: null };
      });
      const link = `${deps.webUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
      await deps.mailer.send({
        to: email,
        kind: "invitation",
        subject: "You are invited to an AgentHiFive workspace",
        text: `You have been invited to join a workspace as ${role}. Accept within 7 days: ${link}`,
        link,
      });
      return toInvitation(row, now);
    },

    async revokeInvitation(p: UserPrincipal, id: string, requestId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const revoked = await repo.revokeInvitation(tx, p.workspaceId, id, deps.clock.now());
        if (!revoked) {
          if (!(await repo.findInvitation(tx, p.workspaceId, id))) throw notFound("Invitation");
          throw conflict("The invitation is no longer pending.", "not_pending");
        }
        await insertAuditEvent(tx, {
          workspaceId: p.workspaceId,
          occurredAt: deps.clock.now(),
          ...actor(p),
          action: "invitation.revoked",
          targetType: "invitation",
          targetId: id,
          outcome: "success",
          requestId,
        });
      });
    },

    /** The invitation email must be the accepting user's verified email; one answer for every failure. */
    async acceptInvitation(
      user: { id: string; email: string; emailVerified: boolean },
      token: string,
      requestId: string,
    ) {
      const invalid = () =>
        new AppError("NOT_FOUND", "Invitation not found.", { hint: "Ask for a new invitation." });
      if (!user.emailVerified) throw invalid();
      const now = deps.clock.now();
      return db.transaction(async (tx) => {
        const inv = await repo.consumeInvitation(tx, hashToken(token), user.email, user.id, now);
        if (!inv) throw invalid();
        const existing = await repo.findMember(tx, inv.workspaceId, user.id);
        if (!existing) {
          await repo.insertMember(tx, {
            id: newId(),
            workspaceId: inv.workspaceId,
            userId: user.id,
            role: inv.role,
            invitedBy: inv.invitedBy,
          });
        }
        await insertAuditEvent(tx, {
          workspaceId: inv.workspaceId,
          occurredAt: now,
          actorType: "user",
          actorId: user.id,
          action: "invitation.accepted",
          targetType: "invitation",
          targetId: inv.id,
          outcome: "success",
          requestId,
        });
        return { workspaceId: inv.workspaceId, role: existing?.role ?? inv.role };
      });
    },
  };
}
export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

function toMember(r: {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  joinedAt: Date;
}): Member {
  return { userId: r.userId, email: r.email, name: r.name, role: r.role, joinedAt: r.joinedAt.toISOString() };
}

function toInvitation(r: InvitationRow, now: Date): Invitation {
  return {
    id: r.id,
    email: r.email,
    role: r.role,
    status: invitationStatus(r, now),
    expiresAt: r.expiresAt.toISOString(),
    invitedBy: r.invitedBy,
    createdAt: r.createdAt.toISOString(),
  };
}
