-- l_audit_events is append-only (DATA-MODEL.md §2.8): an UPDATE may only seal a row once
-- (seq, prev_hash, hash from NULL), and a DELETE only happens inside the retention job, which
-- sets ah5.retention = 'on' for its transaction.
CREATE OR REPLACE FUNCTION ah5_protect_audit_rows() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF coalesce(current_setting('ah5.retention', true), '') = 'on' THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'l_audit_events is append-only: delete refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.seq IS NOT NULL
     OR (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') IS DISTINCT FROM (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
    RAISE EXCEPTION 'l_audit_events is append-only: only an unsealed row may be sealed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tr_l_audit_events__protect
  BEFORE UPDATE OR DELETE ON l_audit_events
  FOR EACH ROW EXECUTE FUNCTION ah5_protect_audit_rows();
