CREATE TYPE "GenerationRunStatus" AS ENUM ('running', 'cancelled', 'completed');

ALTER TYPE "GenerationJobStatus" ADD VALUE 'cancelled';

ALTER TABLE "generation_jobs" ADD COLUMN     "run_id" UUID;

CREATE TABLE "generation_runs" (
    "id" UUID NOT NULL,
    "requested_by_id" UUID,
    "request" JSONB NOT NULL,
    "use_similar_content" BOOLEAN NOT NULL,
    "additional_context" TEXT NOT NULL DEFAULT '',
    "force" BOOLEAN NOT NULL DEFAULT false,
    "status" "GenerationRunStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "skipped_reasons" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "generation_runs_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "generation_runs_requested_by_id_created_at_idx" ON "generation_runs"("requested_by_id", "created_at");

CREATE INDEX "generation_jobs_run_id_status_idx" ON "generation_jobs"("run_id", "status");

ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "generation_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
