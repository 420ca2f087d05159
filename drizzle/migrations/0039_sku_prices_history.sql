-- Hand-written (issue 25, point 3: prices in force then). Every path that sets a SKU's price
-- (catalogue form, seed, import) goes through billing_skus; this trigger keeps the history, so no
-- path can forget it. A SKU's first price applies to all earlier days (nothing older is known); a
-- change applies from the UTC day it is made; two changes on one day keep the last.
INSERT INTO billing_sku_prices (sku_id, valid_from, unit_price_minor, currency)
  SELECT id, '-infinity'::date, unit_price_minor, currency FROM billing_skus;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION billing_sku_price_recorded() RETURNS trigger AS $$
BEGIN
  INSERT INTO billing_sku_prices (sku_id, valid_from, unit_price_minor, currency)
    VALUES (NEW.id, CASE WHEN TG_OP = 'INSERT' THEN '-infinity'::date ELSE (now() AT TIME ZONE 'UTC')::date END, NEW.unit_price_minor, NEW.currency)
    ON CONFLICT (sku_id, valid_from) DO UPDATE SET unit_price_minor = EXCLUDED.unit_price_minor, currency = EXCLUDED.currency, created_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER billing_sku_price_insert AFTER INSERT ON billing_skus FOR EACH ROW EXECUTE FUNCTION billing_sku_price_recorded();
--> statement-breakpoint
CREATE TRIGGER billing_sku_price_update AFTER UPDATE OF unit_price_minor, currency ON billing_skus FOR EACH ROW
  WHEN (OLD.unit_price_minor IS DISTINCT FROM NEW.unit_price_minor OR OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION billing_sku_price_recorded();
