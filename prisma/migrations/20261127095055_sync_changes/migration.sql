CREATE TYPE "SyncEntity" AS ENUM ('location', 'campaign', 'template');

ALTER TABLE "campaign_templates" ADD COLUMN     "row_version" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "location_campaigns" ADD COLUMN     "row_version" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "locations" ADD COLUMN     "row_version" INTEGER NOT NULL DEFAULT 1;

CREATE TABLE "sync_changes" (
    "seq" BIGSERIAL NOT NULL,
    "brand_id" UUID NOT NULL,
    "entity" "SyncEntity" NOT NULL,
    "entity_id" UUID NOT NULL,
    "row_version" INTEGER NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "inputs" JSONB,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sync_changes_pkey" PRIMARY KEY ("seq")
);

CREATE INDEX "sync_changes_brand_id_seq_idx" ON "sync_changes"("brand_id", "seq");

CREATE INDEX "sync_changes_entity_id_row_version_idx" ON "sync_changes"("entity_id", "row_version");

-- Row versions and the change feed, kept by the database itself so that every writer (API, sync,
-- worker, lifecycle scheduler, a person in psql) is covered. Prisma cannot express triggers, and
-- its diff leaves them alone.

-- A writer of a brand's rows takes that brand's advisory lock (sorted, so two writers never wait
-- on each other in opposite orders) before drawing change numbers, and keeps it until commit.
-- PostgreSQL makes a commit visible before it releases the locks, so within a brand the change
-- numbers become visible in order and a feed reader never skips one that commits late.
-- pg_notify is delivered at commit: open change streams wake up only for committed changes.
CREATE FUNCTION storesync_claim_brands(brand_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  brand uuid;
BEGIN
  FOR brand IN SELECT DISTINCT b FROM unnest(brand_ids) AS b WHERE b IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('storesync.sync_changes:' || brand::text, 0));
    PERFORM pg_notify('storesync_sync_changes', brand::text);
  END LOOP;
END
$$;

-- row_version counts changes of what a sheet shows. Nobody sets it by hand: an UPDATE that names
-- it still gets the count.
CREATE FUNCTION storesync_bump_location_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := OLD.row_version;
  IF (NEW.name, NEW.store_number, NEW.address, NEW.attributes, NEW.is_active)
     IS DISTINCT FROM (OLD.name, OLD.store_number, OLD.address, OLD.attributes, OLD.is_active) THEN
    NEW.row_version := OLD.row_version + 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION storesync_bump_campaign_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := OLD.row_version;
  IF (NEW.location_id, NEW.template_id, NEW.status, NEW.customizations, NEW.generated_content,
      NEW.scheduled_start, NEW.scheduled_end)
     IS DISTINCT FROM (OLD.location_id, OLD.template_id, OLD.status, OLD.customizations,
      OLD.generated_content, OLD.scheduled_start, OLD.scheduled_end) THEN
    NEW.row_version := OLD.row_version + 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION storesync_bump_template_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := OLD.row_version;
  IF (NEW.name, NEW.description, NEW.content_template, NEW.required_variables, NEW.campaign_type, NEW.is_active)
     IS DISTINCT FROM (OLD.name, OLD.description, OLD.content_template, OLD.required_variables,
      OLD.campaign_type, OLD.is_active) THEN
    NEW.row_version := OLD.row_version + 1;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER locations_row_version BEFORE UPDATE ON locations
  FOR EACH ROW EXECUTE FUNCTION storesync_bump_location_version();
CREATE TRIGGER location_campaigns_row_version BEFORE UPDATE ON location_campaigns
  FOR EACH ROW EXECUTE FUNCTION storesync_bump_campaign_version();
CREATE TRIGGER campaign_templates_row_version BEFORE UPDATE ON campaign_templates
  FOR EACH ROW EXECUTE FUNCTION storesync_bump_template_version();

-- The inputs recorded with each version: the fields a sheet edits, as the sync endpoints compare
-- them (timestamps as JavaScript's toISOString writes them).
CREATE FUNCTION storesync_iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Statement-level, after the statement: the brand locks are taken once the statement holds all
-- its row locks, so a sync upsert and a worker writing one campaign never deadlock on each other.
-- An UPDATE logs only the rows whose row_version moved. Rows are logged in id order within a
-- statement, each with its own change number.
CREATE FUNCTION storesync_log_location_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT brand_id FROM old_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT o.brand_id, 'location', o.id, o.row_version + 1, true FROM old_rows o ORDER BY o.id;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    changed := ARRAY(SELECT id FROM new_rows);
  ELSE
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version);
  END IF;
  PERFORM storesync_claim_brands(ARRAY(SELECT n.brand_id FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
  SELECT n.brand_id, 'location', n.id, n.row_version,
         jsonb_build_object('name', n.name, 'store_number', n.store_number, 'address', n.address,
                            'attributes', n.attributes, 'is_active', n.is_active)
  FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id ORDER BY n.id;
  RETURN NULL;
END
$$;

-- A campaign's brand is its template's: templates cannot be deleted while campaigns use them, so
-- the brand is still known when a location's deletion takes its campaigns along.
CREATE FUNCTION storesync_log_campaign_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(
      SELECT t.brand_id FROM old_rows o JOIN campaign_templates t ON t.id = o.template_id));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT t.brand_id, 'campaign', o.id, o.row_version + 1, true
    FROM old_rows o JOIN campaign_templates t ON t.id = o.template_id ORDER BY o.id;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    changed := ARRAY(SELECT id FROM new_rows);
  ELSE
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version);
  END IF;
  PERFORM storesync_claim_brands(ARRAY(
    SELECT t.brand_id FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id
    JOIN campaign_templates t ON t.id = n.template_id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
  SELECT t.brand_id, 'campaign', n.id, n.row_version,
         jsonb_build_object('location_id', n.location_id, 'template_id', n.template_id,
                            'customizations', n.customizations,
                            'scheduled_start', storesync_iso(n.scheduled_start),
                            'scheduled_end', storesync_iso(n.scheduled_end))
  FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id
  JOIN campaign_templates t ON t.id = n.template_id ORDER BY n.id;
  RETURN NULL;
END
$$;

CREATE FUNCTION storesync_log_template_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT brand_id FROM old_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT o.brand_id, 'template', o.id, o.row_version + 1, true FROM old_rows o ORDER BY o.id;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    changed := ARRAY(SELECT id FROM new_rows);
  ELSE
    changed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version);
  END IF;
  PERFORM storesync_claim_brands(ARRAY(SELECT n.brand_id FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
  SELECT n.brand_id, 'template', n.id, n.row_version,
         jsonb_build_object('name', n.name, 'campaign_type', n.campaign_type, 'description', n.description,
                            'content_template', n.content_template,
                            'required_variables', n.required_variables, 'is_active', n.is_active)
  FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id ORDER BY n.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER locations_log_inserts AFTER INSERT ON locations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_location_changes();
CREATE TRIGGER locations_log_updates AFTER UPDATE ON locations REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_location_changes();
CREATE TRIGGER locations_log_deletes AFTER DELETE ON locations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_location_changes();

CREATE TRIGGER location_campaigns_log_inserts AFTER INSERT ON location_campaigns REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_campaign_changes();
CREATE TRIGGER location_campaigns_log_updates AFTER UPDATE ON location_campaigns REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_campaign_changes();
CREATE TRIGGER location_campaigns_log_deletes AFTER DELETE ON location_campaigns REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_campaign_changes();

CREATE TRIGGER campaign_templates_log_inserts AFTER INSERT ON campaign_templates REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_template_changes();
CREATE TRIGGER campaign_templates_log_updates AFTER UPDATE ON campaign_templates REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_template_changes();
CREATE TRIGGER campaign_templates_log_deletes AFTER DELETE ON campaign_templates REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_template_changes();

-- Rows that exist already get their first version logged, so the feed and merges know them.
INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
SELECT l.brand_id, 'location', l.id, l.row_version,
       jsonb_build_object('name', l.name, 'store_number', l.store_number, 'address', l.address,
                          'attributes', l.attributes, 'is_active', l.is_active)
FROM locations l ORDER BY l.created_at, l.id;

INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
SELECT t.brand_id, 'template', t.id, t.row_version,
       jsonb_build_object('name', t.name, 'campaign_type', t.campaign_type, 'description', t.description,
                          'content_template', t.content_template,
                          'required_variables', t.required_variables, 'is_active', t.is_active)
FROM campaign_templates t ORDER BY t.created_at, t.id;

INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
SELECT t.brand_id, 'campaign', c.id, c.row_version,
       jsonb_build_object('location_id', c.location_id, 'template_id', c.template_id,
                          'customizations', c.customizations,
                          'scheduled_start', storesync_iso(c.scheduled_start),
                          'scheduled_end', storesync_iso(c.scheduled_end))
FROM location_campaigns c JOIN campaign_templates t ON t.id = c.template_id ORDER BY c.created_at, c.id;
