CREATE TYPE "public"."actor_type" AS ENUM('user', 'agent', 'system');--> statement-breakpoint
CREATE TYPE "public"."audit_decision" AS ENUM('allow', 'deny', 'require_approval');--> statement-breakpoint
CREATE TYPE "public"."audit_outcome" AS ENUM('success', 'failure', 'error');--> statement-breakpoint
CREATE TYPE "public"."signing_key_status" AS ENUM('active', 'retiring', 'retired');--> statement-breakpoint
CREATE TYPE "public"."workspace_role" AS ENUM('owner', 'admin', 'member', 'viewer');--> statement-breakpoint
CREATE TABLE "l_audit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ingest_no" bigint GENERATED ALWAYS AS IDENTITY (sequence name "l_audit_events_ingest_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" uuid,
	"agent_id" uuid,
	"connection_id" uuid,
	"policy_id" uuid,
	"policy_version" integer,
	"decision" "audit_decision",
	"outcome" "audit_outcome" NOT NULL,
	"code" text,
	"http_status" smallint,
	"latency_ms" integer,
	"request_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"seq" bigint,
	"prev_hash" "bytea",
	"hash" "bytea",
	CONSTRAINT "uq_l_audit_events__workspace_id__seq" UNIQUE("workspace_id","seq")
);
--> statement-breakpoint
CREATE TABLE "t_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"provider_id" text NOT NULL,
	"account_id" text NOT NULL,
	"password" text,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "t_passkeys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text,
	"credential_id" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"device_type" text NOT NULL,
	"backed_up" boolean DEFAULT false NOT NULL,
	"transports" text,
	"aaguid" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_passkeys__credential_id" UNIQUE("credential_id")
);
--> statement-breakpoint
CREATE TABLE "t_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"active_workspace_id" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_sessions__token" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "t_users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"image" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "t_verifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "t_signing_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kid" text NOT NULL,
	"alg" text DEFAULT 'ES256' NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_key_envelope" jsonb NOT NULL,
	"status" "signing_key_status" DEFAULT 'active' NOT NULL,
	"activated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"not_after" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_signing_keys__kid" UNIQUE("kid"),
	CONSTRAINT "ck_t_signing_keys__alg" CHECK ("t_signing_keys"."alg" in ('ES256', 'EdDSA'))
);
--> statement-breakpoint
CREATE TABLE "t_workspace_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "workspace_role" NOT NULL,
	"token_hash" "bytea" NOT NULL,
	"prefix" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_workspace_invitations__token_hash" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "t_workspace_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "workspace_role" DEFAULT 'member' NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_workspace_members__workspace_id__user_id" UNIQUE("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "t_workspaces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"deletion_scheduled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "l_audit_events" ADD CONSTRAINT "l_audit_events_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_accounts" ADD CONSTRAINT "t_accounts_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_passkeys" ADD CONSTRAINT "t_passkeys_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_sessions" ADD CONSTRAINT "t_sessions_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_sessions" ADD CONSTRAINT "t_sessions_active_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("active_workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_invitations" ADD CONSTRAINT "t_workspace_invitations_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_invitations" ADD CONSTRAINT "t_workspace_invitations_invited_by_t_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_invitations" ADD CONSTRAINT "t_workspace_invitations_accepted_by_t_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_members" ADD CONSTRAINT "t_workspace_members_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_members" ADD CONSTRAINT "t_workspace_members_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_members" ADD CONSTRAINT "t_workspace_members_invited_by_t_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspaces" ADD CONSTRAINT "t_workspaces_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_l_audit_events__workspace_id__occurred_at__id" ON "l_audit_events" USING btree ("workspace_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ix_l_audit_events__workspace_id__actor_id__occurred_at" ON "l_audit_events" USING btree ("workspace_id","actor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ix_l_audit_events__workspace_id__agent_id__occurred_at" ON "l_audit_events" USING btree ("workspace_id","agent_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ix_l_audit_events__workspace_id__connection_id__occurred_at" ON "l_audit_events" USING btree ("workspace_id","connection_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ix_l_audit_events__workspace_id__ingest_no__unsealed" ON "l_audit_events" USING btree ("workspace_id","ingest_no") WHERE "l_audit_events"."seq" IS NULL;--> statement-breakpoint
CREATE INDEX "ix_t_accounts__user_id" ON "t_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_accounts__provider_id__account_id" ON "t_accounts" USING btree ("provider_id","account_id");--> statement-breakpoint
CREATE INDEX "ix_t_passkeys__user_id" ON "t_passkeys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ix_t_sessions__user_id" ON "t_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ix_t_sessions__expires_at" ON "t_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_users__lower_email" ON "t_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "ix_t_verifications__identifier" ON "t_verifications" USING btree ("identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_signing_keys__one_active" ON "t_signing_keys" USING btree ((true)) WHERE "t_signing_keys"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_workspace_invitations__workspace_id__lower_email_live" ON "t_workspace_invitations" USING btree ("workspace_id",lower("email")) WHERE "t_workspace_invitations"."accepted_at" IS NULL AND "t_workspace_invitations"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "ix_t_workspace_invitations__workspace_id__created_at" ON "t_workspace_invitations" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_t_workspace_members__user_id" ON "t_workspace_members" USING btree ("user_id");