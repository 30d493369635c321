CREATE TYPE "public"."connection_auth_type" AS ENUM('oauth', 'device', 'api_key', 'bot_token');--> statement-breakpoint
CREATE TYPE "public"."connection_status" AS ENUM('active', 'needs_reauth', 'revoked', 'error');--> statement-breakpoint
CREATE TYPE "public"."pending_flow" AS ENUM('auth_code', 'device');--> statement-breakpoint
CREATE TYPE "public"."pending_status" AS ENUM('pending', 'complete', 'denied', 'expired', 'error');--> statement-breakpoint
CREATE TYPE "public"."approval_status" AS ENUM('pending', 'approved', 'denied', 'expired', 'consumed');--> statement-breakpoint
CREATE TYPE "public"."decision_channel" AS ENUM('dashboard', 'api', 'slack', 'telegram', 'email', 'webhook');--> statement-breakpoint
CREATE TYPE "public"."execution_model" AS ENUM('A', 'B');--> statement-breakpoint
CREATE TYPE "public"."policy_change" AS ENUM('created', 'updated', 'enabled', 'disabled', 'deleted');--> statement-breakpoint
CREATE TABLE "t_connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"service" text NOT NULL,
	"auth_type" "connection_auth_type" NOT NULL,
	"label" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"account_email" text,
	"account_display_name" text,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "connection_status" DEFAULT 'active' NOT NULL,
	"credential_envelope" jsonb,
	"access_expires_at" timestamp with time zone,
	"refresh_expires_at" timestamp with time zone,
	"oauth_app_id" uuid,
	"last_refresh_at" timestamp with time zone,
	"refresh_lock_version" integer DEFAULT 0 NOT NULL,
	"refresh_failures" smallint DEFAULT 0 NOT NULL,
	"last_error_code" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_connections__workspace_id__id" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "t_pending_connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"flow" "pending_flow" NOT NULL,
	"provider" text NOT NULL,
	"service" text NOT NULL,
	"label" text,
	"requested_scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"oauth_app_id" uuid,
	"reconnect_connection_id" uuid,
	"state_hash" "bytea",
	"pkce_verifier_envelope" jsonb,
	"nonce" text,
	"redirect_uri" text,
	"return_to" text,
	"device_code_envelope" jsonb,
	"user_code" text,
	"verification_uri" text,
	"poll_interval_s" smallint,
	"next_poll_at" timestamp with time zone,
	"status" "pending_status" DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"result_connection_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_pending_connections__state_hash" UNIQUE("state_hash"),
	CONSTRAINT "ck_t_pending_connections__flow_fields" CHECK (("t_pending_connections"."flow" <> 'auth_code' OR ("t_pending_connections"."state_hash" IS NOT NULL AND "t_pending_connections"."pkce_verifier_envelope" IS NOT NULL))
        AND ("t_pending_connections"."flow" <> 'device' OR ("t_pending_connections"."device_code_envelope" IS NOT NULL AND "t_pending_connections"."poll_interval_s" IS NOT NULL)))
);
--> statement-breakpoint
CREATE TABLE "t_workspace_oauth_apps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"label" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_envelope" jsonb NOT NULL,
	"tenant_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_workspace_oauth_apps__workspace_id__id" UNIQUE("workspace_id","id"),
	CONSTRAINT "uq_t_workspace_oauth_apps__workspace_id__provider__client_id" UNIQUE("workspace_id","provider","client_id")
);
--> statement-breakpoint
CREATE TABLE "t_approval_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"policy_version" integer NOT NULL,
	"rule_id" text,
	"model" "execution_model" NOT NULL,
	"fingerprint" "bytea" NOT NULL,
	"request_summary" jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" "approval_status" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_channel" "decision_channel",
	"comment" text,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_approval_requests__workspace_id__id" UNIQUE("workspace_id","id"),
	CONSTRAINT "ck_t_approval_requests__fingerprint_len" CHECK (octet_length("t_approval_requests"."fingerprint") = 32),
	CONSTRAINT "ck_t_approval_requests__decided" CHECK (("t_approval_requests"."status" NOT IN ('approved', 'denied') OR "t_approval_requests"."decided_at" IS NOT NULL)
        AND ("t_approval_requests"."status" <> 'consumed' OR "t_approval_requests"."consumed_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "t_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"document" jsonb NOT NULL,
	"document_schema" smallint DEFAULT 1 NOT NULL,
	"template_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_policies__workspace_id__id" UNIQUE("workspace_id","id"),
	CONSTRAINT "uq_t_policies__workspace_id__agent_id__connection_id" UNIQUE("workspace_id","agent_id","connection_id")
);
--> statement-breakpoint
CREATE TABLE "l_policy_versions" (
	"policy_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"document" jsonb NOT NULL,
	"change" "policy_change" NOT NULL,
	"changed_by_type" "actor_type" NOT NULL,
	"changed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pk_l_policy_versions" PRIMARY KEY("policy_id","version")
);
--> statement-breakpoint
CREATE TABLE "t_rate_counters" (
	"workspace_id" uuid NOT NULL,
	"counter_key" text NOT NULL,
	"window_seconds" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pk_t_rate_counters" PRIMARY KEY("workspace_id","counter_key","window_seconds","window_start")
);
--> statement-breakpoint
ALTER TABLE "t_connections" ADD CONSTRAINT "t_connections_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_connections" ADD CONSTRAINT "t_connections_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_connections" ADD CONSTRAINT "fk_t_connections__oauth_app_id" FOREIGN KEY ("workspace_id","oauth_app_id") REFERENCES "public"."t_workspace_oauth_apps"("workspace_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_pending_connections" ADD CONSTRAINT "t_pending_connections_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_pending_connections" ADD CONSTRAINT "t_pending_connections_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_pending_connections" ADD CONSTRAINT "t_pending_connections_reconnect_connection_id_t_connections_id_fk" FOREIGN KEY ("reconnect_connection_id") REFERENCES "public"."t_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_pending_connections" ADD CONSTRAINT "t_pending_connections_result_connection_id_t_connections_id_fk" FOREIGN KEY ("result_connection_id") REFERENCES "public"."t_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_pending_connections" ADD CONSTRAINT "fk_t_pending_connections__oauth_app_id" FOREIGN KEY ("workspace_id","oauth_app_id") REFERENCES "public"."t_workspace_oauth_apps"("workspace_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_oauth_apps" ADD CONSTRAINT "t_workspace_oauth_apps_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_workspace_oauth_apps" ADD CONSTRAINT "t_workspace_oauth_apps_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_requests" ADD CONSTRAINT "t_approval_requests_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_requests" ADD CONSTRAINT "t_approval_requests_decided_by_t_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_requests" ADD CONSTRAINT "fk_t_approval_requests__agent_id" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."t_agents"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_requests" ADD CONSTRAINT "fk_t_approval_requests__connection_id" FOREIGN KEY ("workspace_id","connection_id") REFERENCES "public"."t_connections"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_requests" ADD CONSTRAINT "fk_t_approval_requests__policy_id" FOREIGN KEY ("workspace_id","policy_id") REFERENCES "public"."t_policies"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_policies" ADD CONSTRAINT "t_policies_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_policies" ADD CONSTRAINT "t_policies_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_policies" ADD CONSTRAINT "t_policies_updated_by_t_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_policies" ADD CONSTRAINT "fk_t_policies__agent_id" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."t_agents"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_policies" ADD CONSTRAINT "fk_t_policies__connection_id" FOREIGN KEY ("workspace_id","connection_id") REFERENCES "public"."t_connections"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "l_policy_versions" ADD CONSTRAINT "l_policy_versions_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_rate_counters" ADD CONSTRAINT "t_rate_counters_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_connections__workspace_id__lower_label_live" ON "t_connections" USING btree ("workspace_id",lower("label")) WHERE "t_connections"."status" <> 'revoked';--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_connections__account" ON "t_connections" USING btree ("workspace_id","provider","provider_account_id","service") WHERE "t_connections"."status" <> 'revoked';--> statement-breakpoint
CREATE INDEX "ix_t_connections__workspace_id__status__provider" ON "t_connections" USING btree ("workspace_id","status","provider");--> statement-breakpoint
CREATE INDEX "ix_t_pending_connections__workspace_id__user_id__created_at" ON "t_pending_connections" USING btree ("workspace_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_t_pending_connections__next_poll_at__device" ON "t_pending_connections" USING btree ("next_poll_at") WHERE "t_pending_connections"."flow" = 'device' AND "t_pending_connections"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ix_t_approval_requests__workspace_id__status__created_at" ON "t_approval_requests" USING btree ("workspace_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ix_t_approval_requests__workspace_id__agent_id__created_at" ON "t_approval_requests" USING btree ("workspace_id","agent_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ix_t_approval_requests__expires_at__open" ON "t_approval_requests" USING btree ("expires_at") WHERE "t_approval_requests"."status" IN ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "ix_t_policies__workspace_id__connection_id" ON "t_policies" USING btree ("workspace_id","connection_id");--> statement-breakpoint
CREATE INDEX "ix_l_policy_versions__workspace_id__policy_id__version" ON "l_policy_versions" USING btree ("workspace_id","policy_id","version" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ix_t_rate_counters__expires_at" ON "t_rate_counters" USING btree ("expires_at");