-- Hand-written (issue 15): an issued invoice is immutable in the database itself, not only in the
-- service. Its lines cannot be added, changed or removed, and its money fields cannot change once
-- it leaves draft; only status moves (issued -> paid/void) and payment facts are recorded.
CREATE OR REPLACE FUNCTION billing_invoice_lines_frozen() RETURNS trigger AS $$
DECLARE
  inv_status text;
BEGIN
  SELECT status INTO inv_status FROM billing_invoices WHERE id = COALESCE(NEW.invoice_id, OLD.invoice_id);
  IF inv_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'invoice % is %: its lines cannot change (a correction is a credit note)', COALESCE(NEW.invoice_id, OLD.invoice_id), inv_status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON billing_invoice_lines
  FOR EACH ROW EXECUTE FUNCTION billing_invoice_lines_frozen();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_invoices_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'draft' AND (
      NEW.total_minor IS DISTINCT FROM OLD.total_minor OR NEW.currency IS DISTINCT FROM OLD.currency
      OR NEW.org_id IS DISTINCT FROM OLD.org_id OR NEW.period_start IS DISTINCT FROM OLD.period_start
      OR NEW.period_end IS DISTINCT FROM OLD.period_end OR NEW.status = 'draft') THEN
    RAISE EXCEPTION 'invoice % is %: it cannot change (a correction is a credit note)', OLD.id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_invoices_frozen BEFORE UPDATE ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_invoices_frozen();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_invoices_no_delete() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice % is %: it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_invoices_no_delete BEFORE DELETE ON billing_invoices FOR EACH ROW
  WHEN (OLD.status <> 'draft') EXECUTE FUNCTION billing_invoices_no_delete();
