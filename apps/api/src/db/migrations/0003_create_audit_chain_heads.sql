CREATE TABLE "t_audit_chain_heads" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"last_hash" "bytea" DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea NOT NULL,
	"anchor_seq" bigint,
	"anchor_hash" "bytea",
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "t_audit_chain_heads" ADD CONSTRAINT "t_audit_chain_heads_workspace_id_t_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."t_workspaces"("id") ON DELETE cascade ON UPDATE no action;