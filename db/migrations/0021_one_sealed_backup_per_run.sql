-- A set sealed twice for one run (a retry after the run's completion was lost) keeps its older
-- copy's run link; the newer copy stays a backup, unlinked, so nothing is lost.
UPDATE "backup_sets" SET "run_id" = NULL
WHERE "completed_at" IS NOT NULL AND "id" IN (
  SELECT "id" FROM (
    SELECT "id", row_number() OVER (PARTITION BY "run_id" ORDER BY "completed_at", "id") AS n
    FROM "backup_sets" WHERE "run_id" IS NOT NULL AND "completed_at" IS NOT NULL
  ) ranked WHERE n > 1
);--> statement-breakpoint
CREATE UNIQUE INDEX "backup_sets_one_sealed_per_run" ON "backup_sets" USING btree ("run_id") WHERE completed_at is not null;
