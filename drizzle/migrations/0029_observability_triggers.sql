-- Observability (issue 29), by hand: what drizzle cannot express.

-- When an event's port became clean after a push: the moment its status turns `done`. A trigger
-- rather than a change to the push's code, so every path that finishes an event stamps it, and
-- /api/metrics measures "event received -> binding committed" from the rows alone.
CREATE FUNCTION sankofa_stamp_event_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done' THEN
    NEW.done_at := clock_timestamp();
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER port_security_events_done_at BEFORE UPDATE OF status ON port_security_events
  FOR EACH ROW EXECUTE FUNCTION sankofa_stamp_event_done();
--> statement-breakpoint
-- Sign-in failures are counted at every scrape: a partial index keeps that off the whole audit log.
CREATE INDEX audit_log_sign_in_failed_idx ON audit_log (at) WHERE action = 'auth.sign_in_failed';
