CREATE TYPE "public"."graph_create_intent_status" AS ENUM('pending', 'created', 'adopted', 'not_applied');--> statement-breakpoint
CREATE TABLE "graph_create_intents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"collection" text NOT NULL,
	"item_key" text NOT NULL,
	"status" "graph_create_intent_status" DEFAULT 'pending' NOT NULL,
	"object_id" text,
	"adopted_by_run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "graph_create_intents" ADD CONSTRAINT "graph_create_intents_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_create_intents" ADD CONSTRAINT "graph_create_intents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graph_create_intents" ADD CONSTRAINT "graph_create_intents_adopted_by_run_id_operation_runs_id_fk" FOREIGN KEY ("adopted_by_run_id") REFERENCES "public"."operation_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "graph_create_intents_item_idx" ON "graph_create_intents" USING btree ("tenant_id","collection","item_key");--> statement-breakpoint
CREATE INDEX "graph_create_intents_run_idx" ON "graph_create_intents" USING btree ("run_id");