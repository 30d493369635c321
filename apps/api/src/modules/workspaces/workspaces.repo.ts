import type { WorkspaceRole } from "@agenthifive/contracts";
import { and, asc, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { users, workspaceInvitations, workspaceMembers, workspaces } from "../../db/schema/index.js";

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type InvitationRow = typeof workspaceInvitations.$inferSelect;

/** Every finder takes the workspace id first (API.md S1); there is no unscoped finder. */
export function createWorkspaceRepo() {
  return {
    insertWorkspace: (db: DbOrTx, row: typeof workspaces.$inferInsert) => db.insert(workspaces).values(row),
    findWorkspace: async (db: DbOrTx, workspaceId: string) =>
      (
        await db
          .select()
          .from(workspaces)
          .where(and(eq(workspaces.id, workspaceId), isNull(workspaces.deletionScheduledAt)))
          .limit(1)
      )[0],
    updateWorkspace: async (
      db: DbOrTx,
      workspaceId: string,
      patch: Partial<typeof workspaces.$inferInsert>,
    ) =>
      (
        await db
          .update(workspaces)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(workspaces.id, workspaceId))
          .returning()
      )[0],

    insertMember: (db: DbOrTx, row: typeof workspaceMembers.$inferInsert) =>
      db.insert(workspaceMembers).values(row),
    /** The caller's membership in a live workspace (the principal check). */
    findMembership: async (db: DbOrTx, workspaceId: string, userId: string) =>
      (
        await db
          .select({ role: workspaceMembers.role, disabledAt: users.disabledAt })
          .from(workspaceMembers)
          .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
          .innerJoin(users, eq(users.id, workspaceMembers.userId))
          .where(
            and(
              eq(workspaceMembers.workspaceId, workspaceId),
              eq(workspaceMembers.userId, userId),
              isNull(workspaces.deletionScheduledAt),
            ),
          )
          .limit(1)
      )[0],
    /** Workspaces of one user (a principal's own rows: indexed by user_id). */
    listWorkspacesOfUser: (db: DbOrTx, userId: string, limit: number, afterId?: string) =>
      db
        .select({ id: workspaces.id, name: workspaces.name, role: workspaceMembers.role })
        .from(workspaceMembers)
        .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
        .where(
          and(
            eq(workspaceMembers.userId, userId),
            isNull(workspaces.deletionScheduledAt),
            afterId ? lt(workspaces.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(workspaces.id))
        .limit(limit + 1),
    firstWorkspaceOfUser: async (db: DbOrTx, userId: string) =>
      (
        await db
          .select({ id: workspaces.id })
          .from(workspaceMembers)
          .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
          .where(and(eq(workspaceMembers.userId, userId), isNull(workspaces.deletionScheduledAt)))
          .orderBy(asc(workspaceMembers.createdAt))
          .limit(1)
      )[0],
    countOwnedBy: async (db: DbOrTx, userId: string) =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(workspaceMembers)
          .where(and(eq(workspaceMembers.userId, userId), eq(workspaceMembers.role, "owner")))
      )[0]?.n ?? 0,
    listMembers: (db: DbOrTx, workspaceId: string, limit: number, afterId?: string) =>
      db
        .select({
          id: workspaceMembers.id,
          userId: workspaceMembers.userId,
          role: workspaceMembers.role,
          joinedAt: workspaceMembers.createdAt,
          email: users.email,
          name: users.name,
        })
        .from(workspaceMembers)
        .innerJoin(users, eq(users.id, workspaceMembers.userId))
        .where(
          and(
            eq(workspaceMembers.workspaceId, workspaceId),
            afterId ? lt(workspaceMembers.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(workspaceMembers.id))
        .limit(limit + 1),
    findMember: async (db: DbOrTx, workspaceId: string, userId: string) =>
      (
        await db
          .select({
            id: workspaceMembers.id,
            userId: workspaceMembers.userId,
            role: workspaceMembers.role,
            joinedAt: workspaceMembers.createdAt,
            email: users.email,
            name: users.name,
          })
          .from(workspaceMembers)
          .innerJoin(users, eq(users.id, workspaceMembers.userId))
          .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId)))
          .limit(1)
      )[0],
    isMemberByEmail: async (db: DbOrTx, workspaceId: string, email: string) =>
      (
        await db
          .select({ id: workspaceMembers.id })
          .from(workspaceMembers)
          .innerJoin(users, eq(users.id, workspaceMembers.userId))
          .where(
            and(eq(workspaceMembers.workspaceId, workspaceId), sql`lower(${users.email}) = lower(${email})`),
          )
          .limit(1)
      ).length > 0,
    /** Locks the owner rows so "at least one owner" holds under concurrent changes. */
    lockOwners: (db: DbOrTx, workspaceId: string) =>
      db
        .select({ userId: workspaceMembers.userId })
        .from(workspaceMembers)
        .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.role, "owner")))
        .for("update"),
    setMemberRole: (db: DbOrTx, workspaceId: string, userId: string, role: WorkspaceRole) =>
      db
        .update(workspaceMembers)
        .set({ role, updatedAt: new Date() })
        .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId))),
    deleteMember: (db: DbOrTx, workspaceId: string, userId: string) =>
      db
        .delete(workspaceMembers)
        .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, userId))),

    insertInvitation: (db: DbOrTx, row: typeof workspaceInvitations.$inferInsert) =>
      db.insert(workspaceInvitations).values(row),
    listInvitations: (db: DbOrTx, workspaceId: string, limit: number, afterId?: string) =>
      db
        .select()
        .from(workspaceInvitations)
        .where(
          and(
            eq(workspaceInvitations.workspaceId, workspaceId),
            afterId ? lt(workspaceInvitations.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(workspaceInvitations.id))
        .limit(limit + 1),
    findLiveInvitationByEmail: async (db: DbOrTx, workspaceId: string, email: string) =>
      (
        await db
          .select({ id: workspaceInvitations.id })
          .from(workspaceInvitations)
          .where(
            and(
              eq(workspaceInvitations.workspaceId, workspaceId),
              sql`lower(${workspaceInvitations.email}) = lower(${email})`,
              isNull(workspaceInvitations.acceptedAt),
              isNull(workspaceInvitations.revokedAt),
              gt(workspaceInvitations.expiresAt, new Date()),
            ),
          )
          .limit(1)
      )[0],
    /** Frees the (workspace, email) slot held by an expired, never-accepted invitation. */
    revokeExpiredInvitations: (db: DbOrTx, workspaceId: string, email: string, now: Date) =>
      db
        .update(workspaceInvitations)
        .set({ revokedAt: now, updatedAt: now })
        .where(
          and(
            eq(workspaceInvitations.workspaceId, workspaceId),
            sql`lower(${workspaceInvitations.email}) = lower(${email})`,
            isNull(workspaceInvitations.acceptedAt),
            isNull(workspaceInvitations.revokedAt),
            lt(workspaceInvitations.expiresAt, now),
          ),
        ),
    revokeInvitation: async (db: DbOrTx, workspaceId: string, id: string, now: Date) =>
      (
        await db
          .update(workspaceInvitations)
          .set({ revokedAt: now, updatedAt: now })
          .where(
            and(
              eq(workspaceInvitations.workspaceId, workspaceId),
              eq(workspaceInvitations.id, id),
              isNull(workspaceInvitations.acceptedAt),
              isNull(workspaceInvitations.revokedAt),
              gt(workspaceInvitations.expiresAt, now),
            ),
          )
          .returning({ id: workspaceInvitations.id })
      )[0],
    findInvitation: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select({ id: workspaceInvitations.id })
          .from(workspaceInvitations)
          .where(and(eq(workspaceInvitations.workspaceId, workspaceId), eq(workspaceInvitations.id, id)))
          .limit(1)
      )[0],
    /** Single use: one conditional UPDATE; zero rows = bad, used, revoked or expired. */
    consumeInvitation: async (db: DbOrTx, tokenHash: Buffer, email: string, userId: string, now: Date) =>
      (
        await db
          .update(workspaceInvitations)
          .set({ acceptedAt: now, acceptedBy: userId, updatedAt: now })
          .where(
            and(
              eq(workspaceInvitations.tokenHash, tokenHash),
              sql`lower(${workspaceInvitations.email}) = lower(${email})`,
              isNull(workspaceInvitations.acceptedAt),
              isNull(workspaceInvitations.revokedAt),
              gt(workspaceInvitations.expiresAt, now),
            ),
          )
          .returning()
      )[0],
  };
}
export type WorkspaceRepo = ReturnType<typeof createWorkspaceRepo>;
