CREATE TYPE "GenerationJobStatus" AS ENUM ('queued', 'active', 'completed', 'failed');

CREATE TYPE "ContentVersionStatus" AS ENUM ('ok', 'failed');

ALTER TABLE "location_campaigns" ADD COLUMN     "current_version_id" UUID;

CREATE TABLE "generation_jobs" (
    "id" VARCHAR(120) NOT NULL,
    "campaign_id" UUID NOT NULL,
    "requested_by_id" UUID,
    "inputs_hash" VARCHAR(64) NOT NULL,
    "use_similar_content" BOOLEAN NOT NULL DEFAULT true,
    "additional_context" TEXT NOT NULL DEFAULT '',
    "status" "GenerationJobStatus" NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "generation_jobs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "campaign_content_versions" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "generation_job_id" VARCHAR(120),
    "attempt" INTEGER NOT NULL,
    "version_number" INTEGER NOT NULL,
    "status" "ContentVersionStatus" NOT NULL,
    "content" TEXT NOT NULL,
    "failure_reason" TEXT,
    "provider" VARCHAR(20) NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "embedding_model" VARCHAR(100),
    "template_version" INTEGER NOT NULL,
    "prompt_version" VARCHAR(20) NOT NULL,
    "example_ids" UUID[],
    "inputs_hash" VARCHAR(64) NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "embedding_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "latency_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_content_versions_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "generation_jobs_campaign_id_created_at_idx" ON "generation_jobs"("campaign_id", "created_at");

CREATE UNIQUE INDEX "campaign_content_versions_generation_job_id_attempt_key" ON "campaign_content_versions"("generation_job_id", "attempt");

CREATE UNIQUE INDEX "campaign_content_versions_campaign_id_version_number_key" ON "campaign_content_versions"("campaign_id", "version_number");

CREATE UNIQUE INDEX "location_campaigns_current_version_id_key" ON "location_campaigns"("current_version_id");

ALTER TABLE "location_campaigns" ADD CONSTRAINT "location_campaigns_current_version_id_fkey" FOREIGN KEY ("current_version_id") REFERENCES "campaign_content_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "location_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "generation_jobs" ADD CONSTRAINT "generation_jobs_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "campaign_content_versions" ADD CONSTRAINT "campaign_content_versions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "location_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "campaign_content_versions" ADD CONSTRAINT "campaign_content_versions_generation_job_id_fkey" FOREIGN KEY ("generation_job_id") REFERENCES "generation_jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
