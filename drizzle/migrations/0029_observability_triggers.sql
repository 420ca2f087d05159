-- Observability (issue 29), by hand: what drizzle cannot express.

-- The latency histogram's bounds (seconds). BINDING_LATENCY_BUCKETS in
-- server/services/observability/queries.ts repeats them; an integration test checks they agree.
CREATE FUNCTION sankofa_binding_latency_bounds() RETURNS double precision[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[1, 2, 5, 10, 30, 60, 120, 300, 900, 3600]::double precision[]
$$;
--> statement-breakpoint
-- When an event's port became clean after a push (its status turning `done`): stamp `done_at`
-- and count the latency into its bucket. A trigger rather than a change to the push's code, so
-- every path that finishes an event is counted, and /api/metrics sums a few hundred rows instead
-- of scanning every event. Keyed per switch: a switch's pushes are serial, so no two pushes wait
-- on one counter row.
CREATE FUNCTION sankofa_stamp_event_done() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  latency double precision;
  bounds double precision[] := sankofa_binding_latency_bounds();
  idx integer := array_length(bounds, 1);
BEGIN
  IF NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done' THEN
    NEW.done_at := clock_timestamp();
    latency := greatest(0, extract(epoch FROM NEW.done_at - NEW.received_at));
    FOR i IN 1 .. array_length(bounds, 1) LOOP
      IF latency <= bounds[i] THEN
        idx := i - 1;
        EXIT;
      END IF;
    END LOOP;
    INSERT INTO binding_latency_buckets (switch_id, bucket, count, sum_seconds)
    VALUES (coalesce(NEW.switch_id, 0), idx, 1, latency)
    ON CONFLICT (switch_id, bucket) DO UPDATE
      SET count = binding_latency_buckets.count + 1, sum_seconds = binding_latency_buckets.sum_seconds + excluded.sum_seconds;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- The WHEN clause keeps the door's and the event job's own status changes free of the call.
CREATE TRIGGER port_security_events_done BEFORE UPDATE OF status ON port_security_events
  FOR EACH ROW WHEN (NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done')
  EXECUTE FUNCTION sankofa_stamp_event_done();
--> statement-breakpoint
-- Sign-in failures are counted at every scrape: a partial index keeps that off the whole audit log.
CREATE INDEX audit_log_sign_in_failed_idx ON audit_log (at) WHERE action = 'auth.sign_in_failed';
--> statement-breakpoint
-- Manual changes per switch are counted at every scrape: only the flagged backups are indexed.
CREATE INDEX switch_backups_manual_change_idx ON switch_backups (switch_id) WHERE is_manual_change;
--> statement-breakpoint
-- Each switch's newest finished push is read at every scrape and evaluation: an index that holds
-- only finished pushes lets that be one index step per switch (48 → 2 ms at 50 switches × 365 pushes).
CREATE INDEX switch_pushes_finished_idx ON switch_pushes (switch_id, started_at DESC) WHERE status <> 'running';
