import type { EncryptedEnvelopeV1 } from "@agenthifive/security";
import { sql } from "drizzle-orm";
import { check, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns.js";

export const signingKeyStatus = pgEnum("signing_key_status", ["active", "retiring", "retired"]);

/** JWT signing keys shared by every replica (DATA-MODEL.md §2.2). Not workspace-owned. */
export const signingKeys = pgTable(
  "t_signing_keys",
  {
    id: uuid("id").primaryKey(),
    kid: text("kid").notNull().unique("uq_t_signing_keys__kid"),
    alg: text("alg").notNull().default("ES256"),
    publicJwk: jsonb("public_jwk").$type<Record<string, string>>().notNull(),
    privateKeyEnvelope: jsonb("private_key_envelope").$type<EncryptedEnvelopeV1>().notNull(),
    status: signingKeyStatus("status").notNull().default("active"),
    activatedAt: instant("activated_at").notNull().defaultNow(),
    notAfter: instant("not_after"),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("ck_t_signing_keys__alg", sql`${t.alg} in ('ES256', 'EdDSA')`),
    uniqueIndex("uq_t_signing_keys__one_active").on(sql`(true)`).where(sql`${t.status} = 'active'`),
  ],
);
