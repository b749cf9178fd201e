-- The merge base moves from "the inputs of this version" to "the inputs this change replaced".
-- A three-way merge only needs the inputs of a version that has since been replaced (a sheet
-- with the current version merges against the current row), so the log now records them when
-- they are replaced: from OLD in the update trigger. A first sync of 10,000 new rows then logs
-- no inputs at all, instead of copying every row's fields into the log.
-- The inputs of version v are now the replaced_inputs of the change that made version v + 1.

ALTER TABLE "sync_changes" ADD COLUMN "replaced_inputs" JSONB;

-- Only the first change of each version replaced something: a campaign logged again because its
-- store or template was renamed kept its version.
UPDATE sync_changes s SET replaced_inputs = p.inputs
FROM sync_changes p
WHERE p.entity_id = s.entity_id AND p.row_version = s.row_version - 1 AND p.inputs IS NOT NULL
  AND NOT s.deleted
  AND NOT EXISTS (SELECT 1 FROM sync_changes e WHERE e.entity_id = s.entity_id AND e.row_version = s.row_version AND e.seq < s.seq);

ALTER TABLE "sync_changes" DROP COLUMN "inputs";

CREATE FUNCTION storesync_location_inputs(l locations) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('name', l.name, 'store_number', l.store_number, 'address', l.address,
                            'attributes', l.attributes, 'is_active', l.is_active)
$$;

CREATE FUNCTION storesync_template_inputs(t campaign_templates) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('name', t.name, 'campaign_type', t.campaign_type, 'description', t.description,
                            'content_template', t.content_template,
                            'required_variables', t.required_variables, 'is_active', t.is_active)
$$;

-- Rows are logged in the statement's order, each with its own change number. The brand locks
-- are taken (storesync_claim_brands) before the first change number is drawn.
CREATE OR REPLACE FUNCTION storesync_log_location_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT DISTINCT brand_id FROM old_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT o.brand_id, 'location', o.id, o.row_version + 1, true FROM old_rows o;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT DISTINCT brand_id FROM new_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version)
    SELECT n.brand_id, 'location', n.id, n.row_version FROM new_rows n;
  ELSE
    PERFORM storesync_claim_brands(ARRAY(
      SELECT DISTINCT n.brand_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, replaced_inputs)
    SELECT n.brand_id, 'location', n.id, n.row_version, storesync_location_inputs(o)
    FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version;
  END IF;
  RETURN NULL;
END
$$;

-- A campaign's brand is its template's (see the sync_changes migration).
CREATE OR REPLACE FUNCTION storesync_log_campaign_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(
      SELECT DISTINCT t.brand_id FROM old_rows o JOIN campaign_templates t ON t.id = o.template_id));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT t.brand_id, 'campaign', o.id, o.row_version + 1, true
    FROM old_rows o JOIN campaign_templates t ON t.id = o.template_id;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM storesync_claim_brands(ARRAY(
      SELECT DISTINCT t.brand_id FROM new_rows n JOIN campaign_templates t ON t.id = n.template_id));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version)
    SELECT t.brand_id, 'campaign', n.id, n.row_version
    FROM new_rows n JOIN campaign_templates t ON t.id = n.template_id;
  ELSE
    PERFORM storesync_claim_brands(ARRAY(
      SELECT DISTINCT t.brand_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      JOIN campaign_templates t ON t.id = n.template_id WHERE n.row_version <> o.row_version));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, replaced_inputs)
    SELECT t.brand_id, 'campaign', n.id, n.row_version, storesync_campaign_inputs(o)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN campaign_templates t ON t.id = n.template_id WHERE n.row_version <> o.row_version;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION storesync_log_template_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT DISTINCT brand_id FROM old_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, deleted)
    SELECT o.brand_id, 'template', o.id, o.row_version + 1, true FROM old_rows o;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM storesync_claim_brands(ARRAY(SELECT DISTINCT brand_id FROM new_rows));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version)
    SELECT n.brand_id, 'template', n.id, n.row_version FROM new_rows n;
  ELSE
    PERFORM storesync_claim_brands(ARRAY(
      SELECT DISTINCT n.brand_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version));
    INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, replaced_inputs)
    SELECT n.brand_id, 'template', n.id, n.row_version, storesync_template_inputs(o)
    FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.row_version <> o.row_version;
  END IF;
  RETURN NULL;
END
$$;

-- A relabelled campaign keeps its row_version and its inputs: it replaced none.
CREATE OR REPLACE FUNCTION storesync_log_campaigns_of_relabelled_locations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  relabelled uuid[];
BEGIN
  relabelled := ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.name, n.store_number) IS DISTINCT FROM (o.name, o.store_number));
  IF cardinality(relabelled) = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM storesync_claim_brands(ARRAY(SELECT n.brand_id FROM new_rows n JOIN unnest(relabelled) AS r(id) ON r.id = n.id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version)
  SELECT l.brand_id, 'campaign', c.id, c.row_version
  FROM unnest(relabelled) AS r(id)
  JOIN locations l ON l.id = r.id
  JOIN location_campaigns c ON c.location_id = r.id
  ORDER BY c.id;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION storesync_log_campaigns_of_renamed_templates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  renamed uuid[];
BEGIN
  renamed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name);
  IF cardinality(renamed) = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM storesync_claim_brands(ARRAY(SELECT n.brand_id FROM new_rows n JOIN unnest(renamed) AS r(id) ON r.id = n.id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version)
  SELECT t.brand_id, 'campaign', c.id, c.row_version
  FROM unnest(renamed) AS r(id)
  JOIN campaign_templates t ON t.id = r.id
  JOIN location_campaigns c ON c.template_id = r.id
  ORDER BY c.id;
  RETURN NULL;
END
$$;
