-- Quotes (issue 25): the status graph and the money rules the database keeps, whatever the code does.
-- draft → sent | declined | expired; sent → accepted | declined | expired; accepted, expired and
-- declined are final. Lines change only while their quote is a draft, and a quote's total is the
-- sum of its lines.
CREATE OR REPLACE FUNCTION billing_quotes_guard_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
    (OLD.status = 'draft' AND NEW.status IN ('sent', 'declined', 'expired')) OR
    (OLD.status = 'sent' AND NEW.status IN ('accepted', 'declined', 'expired'))
  ) THEN
    RAISE EXCEPTION 'quote %: % cannot become %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status <> 'draft' AND (NEW.total_minor <> OLD.total_minor OR NEW.currency <> OLD.currency OR NEW.org_id <> OLD.org_id OR NEW.valid_until <> OLD.valid_until) THEN
    RAISE EXCEPTION 'quote %: its figures are fixed once it is %', OLD.id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER billing_quotes_guard_status BEFORE UPDATE ON billing_quotes FOR EACH ROW EXECUTE FUNCTION billing_quotes_guard_status();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_quote_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  q billing_quotes%ROWTYPE;
BEGIN
  SELECT * INTO q FROM billing_quotes WHERE id = COALESCE(NEW.quote_id, OLD.quote_id);
  -- Setting the licence an acceptance created is the one change a non-draft line takes.
  IF q.status <> 'draft' AND NOT (TG_OP = 'UPDATE' AND q.status = 'sent'
      AND (NEW.quote_id, NEW.position, NEW.sku_id, NEW.description, NEW.quantity_milli, NEW.unit_price_minor, NEW.amount_minor)
        = (OLD.quote_id, OLD.position, OLD.sku_id, OLD.description, OLD.quantity_milli, OLD.unit_price_minor, OLD.amount_minor)) THEN
    RAISE EXCEPTION 'quote %: lines change only while it is a draft (it is %)', q.id, q.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN COALESCE(NEW, OLD);
END $$;
--> statement-breakpoint
CREATE TRIGGER billing_quote_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON billing_quote_lines FOR EACH ROW EXECUTE FUNCTION billing_quote_lines_guard();
--> statement-breakpoint
-- The total is the sum of the lines, checked when the transaction commits (lines are written after the quote).
CREATE OR REPLACE FUNCTION billing_quotes_check_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  qid integer := COALESCE(NEW.id, OLD.id);
  total bigint;
  lines bigint;
BEGIN
  IF TG_TABLE_NAME = 'billing_quote_lines' THEN
    qid := COALESCE(NEW.quote_id, OLD.quote_id);
  END IF;
  SELECT total_minor INTO total FROM billing_quotes WHERE id = qid;
  IF total IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT COALESCE(SUM(amount_minor), 0) INTO lines FROM billing_quote_lines WHERE quote_id = qid;
  IF total <> lines THEN
    RAISE EXCEPTION 'quote %: total % is not the sum of its lines %', qid, total, lines USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER billing_quotes_total_is_lines AFTER INSERT OR UPDATE ON billing_quotes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing_quotes_check_total();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER billing_quote_lines_total_is_lines AFTER INSERT OR UPDATE OR DELETE ON billing_quote_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION billing_quotes_check_total();
