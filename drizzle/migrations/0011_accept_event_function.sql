-- The event door's write in one round trip: under the server's lock, recognise a repeated
-- delivery, store the event, and queue the server's job only when no other event of the server
-- is waiting (that event's job handles this one too; the job re-checks under the same lock).
-- Each statement of a PL/pgSQL function takes a fresh snapshot, so what follows the lock sees
-- everything committed before it was granted.
CREATE OR REPLACE FUNCTION sankofa_accept_port_security_event(
  p_action text, p_server_id integer, p_ip text, p_dedupe_key text, p_window_s integer, p_max_attempts integer
) RETURNS TABLE (event_id bigint, is_duplicate boolean) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_latest_id bigint;
  v_latest_action text;
  v_is_waiting boolean;
  v_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ps:server:' || p_server_id));
  IF p_ip IS NULL THEN
    SELECT e.id, e.action INTO v_latest_id, v_latest_action FROM port_security_events e
    WHERE e.server_id = p_server_id AND e.ip IS NULL AND e.received_at > now() - make_interval(secs => p_window_s)
    ORDER BY e.id DESC LIMIT 1;
  ELSE
    SELECT e.id, e.action INTO v_latest_id, v_latest_action FROM port_security_events e
    WHERE e.server_id = p_server_id AND e.ip = p_ip AND e.received_at > now() - make_interval(secs => p_window_s)
    ORDER BY e.id DESC LIMIT 1;
  END IF;
  IF v_latest_id IS NOT NULL AND v_latest_action = p_action THEN
    RETURN QUERY SELECT v_latest_id, true;
    RETURN;
  END IF;
  SELECT EXISTS (SELECT 1 FROM port_security_events e WHERE e.server_id = p_server_id AND e.status = 'received') INTO v_is_waiting;
  INSERT INTO port_security_events (action, server_id, ip, dedupe_key) VALUES (p_action, p_server_id, p_ip, p_dedupe_key) RETURNING id INTO v_id;
  IF NOT v_is_waiting THEN
    PERFORM graphile_worker.add_job('port-security-event', json_build_object('serverId', p_server_id),
      max_attempts => p_max_attempts, job_key => 'ps:server:' || p_server_id, job_key_mode => 'replace');
  END IF;
  RETURN QUERY SELECT v_id, false;
END;
$$;
