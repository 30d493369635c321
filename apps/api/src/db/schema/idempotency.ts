import { index, jsonb, pgEnum, pgTable, smallint, text, unique, uuid } from "drizzle-orm/pg-core";
import { bytea, instant, stamps } from "./columns.js";
import { workspaceIdColumn } from "./tenancy.js";

export const idemState = pgEnum("idem_state", ["in_flight", "completed"]);

/** `Idempotency-Key` replays across replicas (API.md §1.5, DATA-MODEL.md §2.7). */
export const idempotencyKeys = pgTable(
  "t_idempotency_keys",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    principal: text("principal").notNull(),
    idemKey: text("idem_key").notNull(),
    requestHash: bytea("request_hash").notNull(),
    state: idemState("state").notNull().default("in_flight"),
    responseStatus: smallint("response_status"),
    responseEnvelope: jsonb("response_envelope").$type<Record<string, unknown>>(),
    lockedUntil: instant("locked_until").notNull(),
    expiresAt: instant("expires_at").notNull(),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_idempotency_keys__workspace_id__principal__idem_key").on(
      t.workspaceId,
      t.principal,
      t.idemKey,
    ),
    index("ix_t_idempotency_keys__expires_at").on(t.expiresAt),
  ],
);
