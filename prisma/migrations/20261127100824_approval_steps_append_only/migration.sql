-- Approval steps are the audit trail: append-only, enforced by the database so that no writer
-- (API, sync, worker, a person in psql) can rewrite or remove a decision. Prisma cannot express
-- triggers, and its diff leaves them alone.

-- UPDATE is always refused. That includes the ON DELETE SET NULL of approver_id: users are
-- deactivated, never deleted, and deleting one who took a decision now fails, so every step keeps
-- the person who took it.
--
-- DELETE is refused while the step's campaign exists. A step goes only together with its
-- campaign (the foreign key's ON DELETE CASCADE runs after the campaign row is gone, so the
-- lookup below finds nothing). The API deletes only draft and rejected campaigns, and refuses to
-- delete locations or brands that still have campaigns, so reviewed and published campaigns
-- always keep their trail. Checking for the campaign, rather than pg_trigger_depth(), means no
-- other trigger can delete steps of a campaign that still exists.
CREATE FUNCTION storesync_refuse_approval_step_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM location_campaigns WHERE id = OLD.campaign_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'approval_steps are append-only: % of step % refused', TG_OP, OLD.id
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a new step instead, through a workflow transition';
END
$$;

CREATE TRIGGER approval_steps_append_only BEFORE UPDATE OR DELETE ON approval_steps
  FOR EACH ROW EXECUTE FUNCTION storesync_refuse_approval_step_change();

-- TRUNCATE fires no row triggers, so it gets its own refusal.
CREATE FUNCTION storesync_refuse_approval_step_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'approval_steps are append-only: TRUNCATE refused'
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER approval_steps_no_truncate BEFORE TRUNCATE ON approval_steps
  FOR EACH STATEMENT EXECUTE FUNCTION storesync_refuse_approval_step_truncate();
