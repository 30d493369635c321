CREATE TYPE "public"."cli_login_status" AS ENUM('pending', 'approved', 'denied', 'consumed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."idem_state" AS ENUM('in_flight', 'completed');--> statement-breakpoint
CREATE TYPE "public"."channel_type" AS ENUM('slack', 'telegram', 'webhook', 'email');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'dead');--> statement-breakpoint
CREATE TYPE "public"."permission_request_status" AS ENUM('pending', 'approved', 'denied', 'expired', 'withdrawn');--> statement-breakpoint
CREATE TABLE "t_cli_login_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_code_hash" "bytea" NOT NULL,
	"user_code" text NOT NULL,
	"device_name" text NOT NULL,
	"status" "cli_login_status" DEFAULT 'pending' NOT NULL,
	"poll_interval_s" smallint DEFAULT 5 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"user_id" uuid,
	"workspace_id" uuid,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"pat_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_cli_login_requests__device_code_hash" UNIQUE("device_code_hash")
);
--> statement-breakpoint
CREATE TABLE "t_idempotency_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"principal" text NOT NULL,
	"idem_key" text NOT NULL,
	"request_hash" "bytea" NOT NULL,
	"state" "idem_state" DEFAULT 'in_flight' NOT NULL,
	"response_status" smallint,
	"response_envelope" jsonb,
	"locked_until" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_idempotency_keys__workspace_id__principal__idem_key" UNIQUE("workspace_id","principal","idem_key")
);
--> statement-breakpoint
CREATE TABLE "t_approval_action_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"approval_id" uuid NOT NULL,
	"channel_id" uuid,
	"token_hash" "bytea" NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_approval_action_tokens__token_hash" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "t_notification_channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" "channel_type" NOT NULL,
	"label" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"events" text[] NOT NULL,
	"connection_id" uuid,
	"config_envelope" jsonb NOT NULL,
	"config_display" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"verified_at" timestamp with time zone,
	"last_delivery_at" timestamp with time zone,
	"last_error" text,
	"consecutive_failures" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_notification_channels__workspace_id__id" UNIQUE("workspace_id","id"),
	CONSTRAINT "uq_t_notification_channels__workspace_id__label" UNIQUE("workspace_id","label")
);
--> statement-breakpoint
CREATE TABLE "t_notification_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"last_http_status" smallint,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_notification_deliveries__channel_id__event_id" UNIQUE("channel_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "t_agent_permission_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"connection_id" uuid,
	"provider" text NOT NULL,
	"service" text NOT NULL,
	"requested" jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" "permission_request_status" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"comment" text,
	"resulting_policy_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_t_agent_permission_requests__workspace_id__id" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "t_cli_login_requests" ADD CONSTRAINT "t_cli_login_requests_user_id_t_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."t_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_cli_login_requests" ADD CONSTRAINT "t_cli_login_requests_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_idempotency_keys" ADD CONSTRAINT "t_idempotency_keys_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_action_tokens" ADD CONSTRAINT "t_approval_action_tokens_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_action_tokens" ADD CONSTRAINT "t_approval_action_tokens_channel_id_t_notification_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."t_notification_channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_approval_action_tokens" ADD CONSTRAINT "fk_t_approval_action_tokens__approval_id" FOREIGN KEY ("workspace_id","approval_id") REFERENCES "public"."t_approval_requests"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_notification_channels" ADD CONSTRAINT "t_notification_channels_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_notification_channels" ADD CONSTRAINT "t_notification_channels_connection_id_t_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."t_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_notification_deliveries" ADD CONSTRAINT "t_notification_deliveries_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_notification_deliveries" ADD CONSTRAINT "fk_t_notification_deliveries__channel_id" FOREIGN KEY ("workspace_id","channel_id") REFERENCES "public"."t_notification_channels"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_permission_requests" ADD CONSTRAINT "t_agent_permission_requests_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_permission_requests" ADD CONSTRAINT "t_agent_permission_requests_connection_id_t_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."t_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_permission_requests" ADD CONSTRAINT "t_agent_permission_requests_decided_by_t_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."t_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_permission_requests" ADD CONSTRAINT "t_agent_permission_requests_resulting_policy_id_t_policies_id_fk" FOREIGN KEY ("resulting_policy_id") REFERENCES "public"."t_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "t_agent_permission_requests" ADD CONSTRAINT "fk_t_agent_permission_requests__agent_id" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."t_agents"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_t_cli_login_requests__user_code__pending" ON "t_cli_login_requests" USING btree ("user_code") WHERE "t_cli_login_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ix_t_cli_login_requests__expires_at" ON "t_cli_login_requests" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ix_t_idempotency_keys__expires_at" ON "t_idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ix_t_approval_action_tokens__approval_id" ON "t_approval_action_tokens" USING btree ("approval_id");--> statement-breakpoint
CREATE INDEX "ix_t_notification_channels__workspace_id__enabled__type" ON "t_notification_channels" USING btree ("workspace_id","enabled","type");--> statement-breakpoint
CREATE INDEX "ix_t_notification_deliveries__next_attempt_at__due" ON "t_notification_deliveries" USING btree ("next_attempt_at") WHERE "t_notification_deliveries"."status" IN ('pending', 'failed', 'sending');--> statement-breakpoint
CREATE INDEX "ix_t_notification_deliveries__workspace_id__channel_id__created_at" ON "t_notification_deliveries" USING btree ("workspace_id","channel_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ix_t_agent_permission_requests__workspace_id__status__created_at" ON "t_agent_permission_requests" USING btree ("workspace_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "uq_t_agent_permission_requests__open" ON "t_agent_permission_requests" USING btree ("workspace_id","agent_id","service",md5("requested"::text)) WHERE "t_agent_permission_requests"."status" = 'pending';