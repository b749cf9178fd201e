-- A campaign row in a sheet also shows its store's number and name and its template's name.
-- When one of those changes, every campaign that shows it is logged again in sync_changes, with
-- its own unchanged row_version (none of its own fields changed), so sheets that follow the change
-- feed update those cells too. Raw SQL: Prisma's diff leaves functions and triggers alone.

CREATE FUNCTION storesync_campaign_inputs(c location_campaigns) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('location_id', c.location_id, 'template_id', c.template_id,
                            'customizations', c.customizations,
                            'scheduled_start', storesync_iso(c.scheduled_start),
                            'scheduled_end', storesync_iso(c.scheduled_end))
$$;

CREATE FUNCTION storesync_log_campaigns_of_relabelled_locations() RETURNS trigger LANGUAGE plpgsql AS $$
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
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
  SELECT l.brand_id, 'campaign', c.id, c.row_version, storesync_campaign_inputs(c)
  FROM unnest(relabelled) AS r(id)
  JOIN locations l ON l.id = r.id
  JOIN location_campaigns c ON c.location_id = r.id
  ORDER BY c.id;
  RETURN NULL;
END
$$;

CREATE FUNCTION storesync_log_campaigns_of_renamed_templates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  renamed uuid[];
BEGIN
  renamed := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name);
  IF cardinality(renamed) = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM storesync_claim_brands(ARRAY(SELECT n.brand_id FROM new_rows n JOIN unnest(renamed) AS r(id) ON r.id = n.id));
  INSERT INTO sync_changes (brand_id, entity, entity_id, row_version, inputs)
  SELECT t.brand_id, 'campaign', c.id, c.row_version, storesync_campaign_inputs(c)
  FROM unnest(renamed) AS r(id)
  JOIN campaign_templates t ON t.id = r.id
  JOIN location_campaigns c ON c.template_id = r.id
  ORDER BY c.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER locations_log_campaign_labels AFTER UPDATE ON locations
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_campaigns_of_relabelled_locations();
CREATE TRIGGER campaign_templates_log_campaign_labels AFTER UPDATE ON campaign_templates
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_log_campaigns_of_renamed_templates();
