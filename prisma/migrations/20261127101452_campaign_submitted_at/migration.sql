ALTER TABLE "location_campaigns" ADD COLUMN     "submitted_at" TIMESTAMPTZ(3);

CREATE INDEX "location_campaigns_status_submitted_at_idx" ON "location_campaigns"("status", "submitted_at");

-- Campaigns already in review: the time of their last submission, or of their last change when
-- they were put in review without a step (imports, fixtures).
UPDATE "location_campaigns" c SET "submitted_at" = s.submitted_at
FROM (SELECT campaign_id, max(created_at) AS submitted_at FROM approval_steps WHERE new_status = 'pending_review' GROUP BY campaign_id) s
WHERE s.campaign_id = c.id;

UPDATE "location_campaigns" SET "submitted_at" = "updated_at" WHERE "status" = 'pending_review' AND "submitted_at" IS NULL;

-- Every writer that puts a campaign in review (the submit transition, imports, a person in psql)
-- stamps it, so the approval queue can list the longest waiting first without reading the trail.
CREATE FUNCTION storesync_stamp_campaign_submission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'pending_review' AND (TG_OP = 'INSERT' OR OLD.status <> 'pending_review') THEN
    NEW.submitted_at := now();
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER location_campaigns_submitted_at BEFORE INSERT OR UPDATE OF status ON location_campaigns
  FOR EACH ROW EXECUTE FUNCTION storesync_stamp_campaign_submission();
