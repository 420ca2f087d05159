-- Hand-written (issue 25): money invariants the database keeps, not only the service.
-- 1. Credits: a credit note (an invoice with corrects_invoice_id) adds -total to its parent's
--    credited_minor, under the parent's row lock; the check billing_invoices_credit_bounded
--    (credited_minor <= total_minor) refuses the one that would exceed what is left, also when two
--    arrive at once. Nothing is credited on a void or draft invoice. A voided credit note gives its
--    amount back. An invoice that was credited or paid cannot be voided.
-- 2. Overlap: an org's usage-day or licence-day is on at most one issued invoice per currency, and on
--    at most one draft (a re-draft replaces): exclusion constraints over the period's daterange.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- Existing figures: credits from the credit notes there are (capped at the total: an over-credit made
-- before this migration is left for the nightly check to flag), paid = the total of a paid invoice.
UPDATE billing_invoices p SET credited_minor = least(p.total_minor, c.credited)
  FROM (SELECT corrects_invoice_id AS id, -sum(total_minor) AS credited FROM billing_invoices
        WHERE corrects_invoice_id IS NOT NULL AND status <> 'void' GROUP BY corrects_invoice_id) c
  WHERE p.id = c.id AND p.corrects_invoice_id IS NULL;
--> statement-breakpoint
UPDATE billing_invoices SET paid_minor = total_minor - credited_minor WHERE status = 'paid' AND corrects_invoice_id IS NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_credit_note_applied() RETURNS trigger AS $$
DECLARE
  parent billing_invoices%ROWTYPE;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.corrects_invoice_id IS NULL THEN RETURN NEW; END IF;
    SELECT * INTO parent FROM billing_invoices WHERE id = NEW.corrects_invoice_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'invoice % does not exist', NEW.corrects_invoice_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF parent.status NOT IN ('issued', 'paid') OR parent.corrects_invoice_id IS NOT NULL THEN
      RAISE EXCEPTION 'invoice % is %: nothing can be credited on it', parent.id, parent.status USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.currency <> parent.currency OR NEW.total_minor > 0 THEN
      RAISE EXCEPTION 'a credit note of invoice % is negative and in %', parent.id, parent.currency USING ERRCODE = 'check_violation';
    END IF;
    UPDATE billing_invoices SET credited_minor = credited_minor - NEW.total_minor WHERE id = parent.id;
    RETURN NEW;
  END IF;
  -- UPDATE: a credit note voided gives its amount back.
  IF NEW.corrects_invoice_id IS NOT NULL AND NEW.status = 'void' AND OLD.status <> 'void' THEN
    UPDATE billing_invoices SET credited_minor = credited_minor + OLD.total_minor WHERE id = NEW.corrects_invoice_id;
  END IF;
  IF NEW.corrects_invoice_id IS NULL AND NEW.status = 'void' AND OLD.status <> 'void' AND (OLD.credited_minor <> 0 OR OLD.paid_minor <> 0) THEN
    RAISE EXCEPTION 'invoice % was credited or paid: it cannot be voided', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_credit_note_insert BEFORE INSERT ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_credit_note_applied();
--> statement-breakpoint
CREATE TRIGGER billing_credit_note_void AFTER UPDATE OF status ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_credit_note_applied();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_credit_note_no_delete() RETURNS trigger AS $$
BEGIN
  IF OLD.corrects_invoice_id IS NOT NULL AND OLD.status <> 'void' THEN
    RAISE EXCEPTION 'credit note % counts on invoice %: void it instead', OLD.id, OLD.corrects_invoice_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_credit_note_no_delete BEFORE DELETE ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_credit_note_no_delete();
--> statement-breakpoint
-- Before the exclusion constraints: a database made before them may hold overlaps. A draft is only a
-- proposal, so an older draft overlapping a newer one is voided (what a re-draft does now) and the
-- audit log says so. Two issued invoices billing the same days are money already asked for: no
-- migration can decide which is right, so it stops and names them (finance credits or voids one,
-- then the console starts).
WITH superseded AS (
  UPDATE billing_invoices d SET status = 'void', voided_at = now(), updated_at = now()
  WHERE d.status = 'draft' AND d.corrects_invoice_id IS NULL AND EXISTS (
    SELECT 1 FROM billing_invoices n
    WHERE n.status = 'draft' AND n.corrects_invoice_id IS NULL AND n.id > d.id AND n.org_id = d.org_id
      AND n.currency = d.currency AND daterange(n.period_start, n.period_end, '[]') && daterange(d.period_start, d.period_end, '[]'))
  RETURNING d.id, d.org_id, d.period_start, d.period_end, d.currency)
INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after)
  SELECT 'system:migration', 'billing.draft.superseded', 'billing_invoice', id::text,
    jsonb_build_object('status', 'draft', 'period_start', period_start, 'period_end', period_end, 'currency', currency),
    jsonb_build_object('status', 'void', 'reason', 'a newer draft of the organisation covers some of the same days')
  FROM superseded;
--> statement-breakpoint
DO $$
DECLARE clashes text;
BEGIN
  SELECT string_agg(format('#%s (%s..%s) and #%s (%s..%s), org %s %s', a.id, a.period_start, a.period_end, b.id, b.period_start, b.period_end, a.org_id, a.currency), '; ' ORDER BY a.id, b.id)
    INTO clashes
    FROM billing_invoices a JOIN billing_invoices b
      ON a.id < b.id AND a.org_id = b.org_id AND a.currency = b.currency
     AND daterange(a.period_start, a.period_end, '[]') && daterange(b.period_start, b.period_end, '[]')
    WHERE a.status IN ('issued', 'paid') AND b.status IN ('issued', 'paid')
      AND a.corrects_invoice_id IS NULL AND b.corrects_invoice_id IS NULL;
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION 'issued invoices bill the same days twice: %', clashes
      USING HINT = 'Credit or void one of each pair in the console of the previous version, then start this one again.',
            ERRCODE = 'check_violation';
  END IF;
END $$;
--> statement-breakpoint
ALTER TABLE billing_invoices ADD CONSTRAINT billing_invoices_issued_no_overlap EXCLUDE USING gist (
  org_id WITH =, currency WITH =, daterange(period_start, period_end, '[]') WITH &&
) WHERE (status IN ('issued', 'paid') AND corrects_invoice_id IS NULL);
--> statement-breakpoint
ALTER TABLE billing_invoices ADD CONSTRAINT billing_invoices_draft_no_overlap EXCLUDE USING gist (
  org_id WITH =, currency WITH =, daterange(period_start, period_end, '[]') WITH &&
) WHERE (status = 'draft' AND corrects_invoice_id IS NULL);
--> statement-breakpoint
-- 3. CSV cells formatted by Postgres for the streamed usage export (billing-usage/1): the rules of
--    lib/csv/stream-csv.ts (csv-stringify + escapeSpreadsheetFormula): a text cell starting with
--    = + - @ tab or CR gets a leading '; a cell with a quote, comma, CR or LF is quoted, quotes
--    doubled; null is empty. Instants as ISO 8601 UTC with milliseconds and Z (Date#toISOString).
CREATE OR REPLACE FUNCTION billing_csv_quote(e text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(e, '"') > 0 OR strpos(e, ',') > 0 OR strpos(e, chr(13)) > 0 OR strpos(e, chr(10)) > 0
    THEN '"' || replace(e, '"', '""') || '"' ELSE e END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_csv_cell(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL OR v = '' THEN ''
    WHEN left(v, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN billing_csv_quote('''' || v)
    ELSE billing_csv_quote(v) END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_csv_instant(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t IS NULL THEN '' ELSE to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END
$$;
