import type { ActionLinkPreview } from "@agenthifive/contracts";
import {
  generateToken,
  hashToken,
  hmacSha256,
  parseToken,
  timingSafeEqualString,
  tokenDisplayPrefix,
} from "@agenthifive/security";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database, DbOrTx } from "../../db/client.js";
import {
  agents,
  approvalActionTokens,
  approvalRequests,
  connections,
  notificationChannels,
} from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { ApprovalService } from "../approvals/index.js";

/** Action links live 15 minutes (API.md §2.1 g). */
export const ACTION_LINK_TTL_MS = 15 * 60_000;

const invalid = () =>
  new AppError("ACTION_LINK_INVALID", "This link has expired or was already used.", {
    hint: "Open the approval in the AgentHiFive dashboard to decide it there.",
  });

/**
 * Approve or deny from a notification channel (API.md §3.16). A link is a random `ah5a_` token
 * stored as its SHA-256, bound to one approval and one channel, valid 15 minutes, used once. Reading
 * it (GET) changes nothing; deciding (POST) consumes it in the decision's own transaction.
 */
export function createActionLinkService(deps: {
  database: Database;
  clock: Clock;
  approvals: Pick<ApprovalService, "decideFromChannel">;
  apiPublicUrl: string;
  /** Key of the confirmation form's nonce (API.md §3.16: the POST carries a nonce from the page). */
  nonceKey: string | Uint8Array;
}) {
  const { db } = deps.database;
  const nonceFor = (token: string) =>
    hmacSha256(deps.nonceKey, `ah5:action-link:${token}`).toString("base64url");

  /** The live token row with what the confirmation page shows; invalid, used or expired → 410. */
  async function lookup(token: string, tx: DbOrTx = db) {
    if (parseToken(token)?.prefix !== "ah5a") throw invalid();
    const [row] = await tx
      .select({
        link: approvalActionTokens,
        approval: approvalRequests,
        agentName: agents.name,
        connectionLabel: connections.label,
        channelType: notificationChannels.type,
        channelEnabled: notificationChannels.enabled,
      })
      .from(approvalActionTokens)
      .innerJoin(
        approvalRequests,
        and(
          eq(approvalRequests.workspaceId, approvalActionTokens.workspaceId),
          eq(approvalRequests.id, approvalActionTokens.approvalId),
        ),
      )
      .innerJoin(
        agents,
        and(eq(agents.workspaceId, approvalRequests.workspaceId), eq(agents.id, approvalRequests.agentId)),
      )
      .leftJoin(
        connections,
        and(
          eq(connections.workspaceId, approvalRequests.workspaceId),
          eq(connections.id, approvalRequests.connectionId),
        ),
      )
      .leftJoin(
        notificationChannels,
        and(
          eq(notificationChannels.workspaceId, approvalActionTokens.workspaceId),
          eq(notificationChannels.id, approvalActionTokens.channelId),
        ),
      )
      .where(eq(approvalActionTokens.tokenHash, hashToken(token)))
      .limit(1);
    // A deleted channel voids its links (channel_id was set to NULL); so does a disabled one.
    if (
      !row ||
      row.link.usedAt ||
      row.link.expiresAt <= deps.clock.now() ||
      !row.channelType ||
      !row.channelEnabled
    )
      throw invalid();
    return { ...row, channelType: row.channelType };
  }

  return {
    /** The nonce the confirmation page puts in its form; the form's POST must carry it back. */
    formNonce: nonceFor,
    formNonceValid: (token: string, nonce: string | undefined) =>
      nonce !== undefined && timingSafeEqualString(nonce, nonceFor(token)),
    /** Issued by the delivery job when it sends an approval to a channel. */
    async mint(input: { workspaceId: string; approvalId: string; channelId: string }) {
      const token = generateToken("ah5a");
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + ACTION_LINK_TTL_MS);
      await db.insert(approvalActionTokens).values({
        id: newId(),
        workspaceId: input.workspaceId,
        approvalId: input.approvalId,
        channelId: input.channelId,
        tokenHash: hashToken(token),
        prefix: tokenDisplayPrefix(token),
        expiresAt,
        createdAt: now,
        updatedAt: now,
      });
      const url = `${deps.apiPublicUrl}/v1/action-links/${token}`;
      return {
        url,
        approveUrl: `${url}?decision=approve`,
        denyUrl: `${url}?decision=deny`,
        expiresAt: expiresAt.toISOString(),
      };
    },

    /** Read-only: link previewers and scanners may call it any number of times. */
    async preview(token: string): Promise<ActionLinkPreview> {
      const { link, approval: a, agentName, connectionLabel, channelType } = await lookup(token);
      const req = a.requestSummary as { method?: string; host?: string; path?: string };
      const now = deps.clock.now();
      return {
        approvalId: a.id,
        status: a.status === "pending" && a.expiresAt <= now ? "expired" : a.status,
        agentName,
        connectionLabel,
        request: { method: req.method ?? "", host: req.host ?? "", path: req.path ?? "" },
        reason: a.reason,
        approvalExpiresAt: a.expiresAt.toISOString(),
        linkExpiresAt: link.expiresAt.toISOString(),
        channelType,
      };
    },

    /** Consumes the link and decides, atomically, through the approvals decision path. */
    async decide(
      token: string,
      decision: "approve" | "deny",
      comment: string | undefined,
      requestId: string,
    ) {
      const { link, channelType } = await lookup(token);
      const approval = await deps.approvals.decideFromChannel(
        { workspaceId: link.workspaceId, channelId: link.channelId as string, channel: channelType },
        link.approvalId,
        decision === "approve" ? "approved" : "denied",
        comment,
        requestId,
        async (tx) => {
          const now = deps.clock.now();
          const used = await tx
            .update(approvalActionTokens)
            .set({ usedAt: now, updatedAt: now })
            .where(
              and(
                eq(approvalActionTokens.id, link.id),
                isNull(approvalActionTokens.usedAt),
                gt(approvalActionTokens.expiresAt, now),
              ),
            )
            .returning({ id: approvalActionTokens.id });
          // Two clicks racing: the second finds the token used and decides nothing.
          if (used.length === 0) throw invalid();
        },
      );
      return {
        approvalId: approval.id,
        status: approval.status as "approved" | "denied",
        decidedAt: approval.decidedAt as string,
      };
    },
  };
}
export type ActionLinkService = ReturnType<typeof createActionLinkService>;
