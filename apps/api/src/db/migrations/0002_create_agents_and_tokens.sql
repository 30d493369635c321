CREATE TYPE "public"."agent_status" AS ENUM('created', 'active', 'disabled');--> statement-breakpoint
CREATE TABLE "t_agent_access_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"token_hash" "bytea" NOT NULL,
	"prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_agent_access_tokens__token_hash" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "t_agent_bootstrap_secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_agent_bootstrap_secrets__secret_hash" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "t_agents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"icon_url" text,
	"status" "agent_status" DEFAULT 'created' NOT NULL,
	"public_jwk" jsonb,
	"key_thumbprint" text,
	"enrolled_at" timestamp with time zone,
	"rekeyed_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_agents__workspace_id__id" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "l_jti_replay_cache" (
	"jti" text PRIMARY KEY NOT NULL,
	"agent_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "t_personal_access_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" "bytea" NOT NULL,
	"prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_personal_access_tokens__token_hash" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "t_agent_access_tokens" ADD CONSTRAINT "t_agent_access_tokens_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_access_tokens" ADD CONSTRAINT "fk_t_agent_access_tokens__agent_id" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."t_agents"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_bootstrap_secrets" ADD CONSTRAINT "t_agent_bootstrap_secrets_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_bootstrap_secrets" ADD CONSTRAINT "t_agent_bootstrap_secrets_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_bootstrap_secrets" ADD CONSTRAINT "fk_t_agent_bootstrap_secrets__agent_id" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."t_agents"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agents" ADD CONSTRAINT "t_agents_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agents" ADD CONSTRAINT "t_agents_created_by_t_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "l_jti_replay_cache" ADD CONSTRAINT "l_jti_replay_cache_agent_id_t_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."t_agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_personal_access_tokens" ADD CONSTRAINT "t_personal_access_tokens_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_personal_access_tokens" ADD CONSTRAINT "t_personal_access_tokens_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_t_agent_access_tokens__workspace_id__agent_id" ON "t_agent_access_tokens" USING btree ("workspace_id","agent_id");--> statement-breakpoint
CREATE INDEX "ix_t_agent_access_tokens__workspace_id__agent_id__id__live" ON "t_agent_access_tokens" USING btree ("workspace_id","agent_id","id") WHERE "t_agent_access_tokens"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "ix_t_agent_access_tokens__expires_at__live" ON "t_agent_access_tokens" USING btree ("expires_at") WHERE "t_agent_access_tokens"."revoked_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_agent_bootstrap_secrets__live" ON "t_agent_bootstrap_secrets" USING btree ("workspace_id","agent_id") WHERE "t_agent_bootstrap_secrets"."used_at" IS NULL AND "t_agent_bootstrap_secrets"."revoked_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_agents__workspace_id__lower_name" ON "t_agents" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_agents__key_thumbprint" ON "t_agents" USING btree ("key_thumbprint") WHERE "t_agents"."key_thumbprint" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ix_t_agents__workspace_id__status" ON "t_agents" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "ix_l_jti_replay_cache__expires_at" ON "l_jti_replay_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ix_t_personal_access_tokens__workspace_id__user_id" ON "t_personal_access_tokens" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "ix_t_personal_access_tokens__expires_at__live" ON "t_personal_access_tokens" USING btree ("expires_at") WHERE "t_personal_access_tokens"."revoked_at" IS NULL;