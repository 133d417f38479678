ALTER TABLE "operation_runs" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD COLUMN "cancel_requested_by" text;