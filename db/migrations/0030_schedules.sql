CREATE TYPE "public"."firing_outcome" AS ENUM('started', 'joined', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."schedule_notify" AS ENUM('always', 'problems', 'never');--> statement-breakpoint
CREATE TABLE "schedule_firings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"job_id" text NOT NULL,
	"outcome" "firing_outcome" NOT NULL,
	"run_id" uuid,
	"reason" text,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_firings_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"operation_type" text NOT NULL,
	"recurrence" jsonb NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"owner_user_id" uuid,
	"notify" "schedule_notify" DEFAULT 'problems' NOT NULL,
	"active_since" timestamp with time zone DEFAULT now() NOT NULL,
	"overdue_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "operation_runs" ADD COLUMN "schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "schedule_firings" ADD CONSTRAINT "schedule_firings_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_firings" ADD CONSTRAINT "schedule_firings_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedule_firings_schedule_newest_idx" ON "schedule_firings" USING btree ("schedule_id","fired_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "schedules_tenant_idx" ON "schedules" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "schedules_active_idx" ON "schedules" USING btree ("id") WHERE not paused;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD CONSTRAINT "operation_runs_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "operation_runs_schedule_newest_idx" ON "operation_runs" USING btree ("schedule_id","created_at" DESC NULLS FIRST) WHERE schedule_id is not null;--> statement-breakpoint
-- Hand-written (issue 13, schedules; carry over on renumbering): deleting a schedule sets its runs'
-- schedule_id to null (ON DELETE SET NULL), completed runs included, as deleting a user does to
-- initiator_user_id. Only that: a completed run's schedule_id may be cleared, never set or changed.
CREATE OR REPLACE FUNCTION operation_runs_guard_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'completed' THEN
    IF (to_jsonb(NEW) - 'initiator_user_id' - 'updated_at' - 'schedule_id')
       IS DISTINCT FROM (to_jsonb(OLD) - 'initiator_user_id' - 'updated_at' - 'schedule_id')
       OR (NEW.schedule_id IS NOT NULL AND NEW.schedule_id IS DISTINCT FROM OLD.schedule_id) THEN
      RAISE EXCEPTION 'operation run % is completed and cannot change', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'queued' AND OLD.status <> 'queued'
     AND NOT (OLD.status = 'running' AND NEW.attempt = OLD.attempt
              AND jsonb_array_length(NEW.attempt_errors) = jsonb_array_length(OLD.attempt_errors) + 1
              AND NEW.attempt_errors -> -1 ->> 'handedBack' = 'true'
              AND (NEW.attempt_errors -> -1 ->> 'attempt')::int = NEW.attempt) THEN
    RAISE EXCEPTION 'operation run % cannot move from % back to queued', OLD.id, OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.status = 'completed') <> (NEW.outcome <> 'pending') THEN
    RAISE EXCEPTION 'operation run %: outcome % does not fit status %', OLD.id, NEW.outcome, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
