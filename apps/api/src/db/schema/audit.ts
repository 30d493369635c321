import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { bytea, instant } from "./columns.js";
import { workspaces } from "./tenancy.js";

export const actorType = pgEnum("actor_type", ["user", "agent", "system"]);
export const auditDecision = pgEnum("audit_decision", ["allow", "deny", "require_approval"]);
export const auditOutcome = pgEnum("audit_outcome", ["success", "failure", "error"]);

/** Append-only audit trail, hash-chained per workspace as it is written (DATA-MODEL.md §2.8, docs/decisions.md). */
export const auditEvents = pgTable(
  "l_audit_events",
  {
    id: uuid("id").primaryKey(),
    ingestNo: bigint("ingest_no", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    occurredAt: instant("occurred_at").notNull(),
    actorType: actorType("actor_type").notNull(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: uuid("target_id"),
    agentId: uuid("agent_id"),
    connectionId: uuid("connection_id"),
    policyId: uuid("policy_id"),
    policyVersion: integer("policy_version"),
    decision: auditDecision("decision"),
    outcome: auditOutcome("outcome").notNull(),
    code: text("code"),
    httpStatus: smallint("http_status"),
    latencyMs: integer("latency_ms"),
    requestId: text("request_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    seq: bigint("seq", { mode: "number" }),
    prevHash: bytea("prev_hash"),
    hash: bytea("hash"),
  },
  (t) => [
    index("ix_l_audit_events__workspace_id__occurred_at__id").on(
      t.workspaceId,
      t.occurredAt.desc(),
      t.id.desc(),
    ),
    index("ix_l_audit_events__workspace_id__actor_id__occurred_at").on(
      t.workspaceId,
      t.actorId,
      t.occurredAt,
    ),
    index("ix_l_audit_events__workspace_id__agent_id__occurred_at").on(
      t.workspaceId,
      t.agentId,
      t.occurredAt,
    ),
    index("ix_l_audit_events__workspace_id__connection_id__occurred_at").on(
      t.workspaceId,
      t.connectionId,
      t.occurredAt,
    ),
    unique("uq_l_audit_events__workspace_id__seq").on(t.workspaceId, t.seq),
    index("ix_l_audit_events__workspace_id__ingest_no__unsealed")
      .on(t.workspaceId, t.ingestNo)
      .where(sql`${t.seq} IS NULL`),
  ],
);

/** Per-workspace chain tip, moved by the audit writer and the sealer. */
export const auditChainHeads = pgTable("t_audit_chain_heads", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
  lastHash: bytea("last_hash")
    .notNull()
    .default(sql`'\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea`),
  anchorSeq: bigint("anchor_seq", { mode: "number" }),
  anchorHash: bytea("anchor_hash"),
  sealedAt: instant("sealed_at").notNull().defaultNow(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/** The SSE event log, ids only, for Last-Event-ID replay (1 h window; DATA-MODEL.md §2.7). */
export const workspaceEvents = pgTable(
  "l_workspace_events",
  {
    id: uuid("id").primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    resourceId: uuid("resource_id").notNull(),
    occurredAt: instant("occurred_at").notNull().defaultNow(),
  },
  (t) => [index("ix_l_workspace_events__workspace_id__id").on(t.workspaceId, t.id)],
);
