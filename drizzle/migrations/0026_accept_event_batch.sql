-- Hand-written: the event door's write for several events in one round trip (events that arrived
-- together, a few milliseconds apart). Each goes through sankofa_accept_port_security_event (0011),
-- unchanged, in one transaction. The servers' advisory locks are taken in one global order (by
-- lock key, then server id) so two batches never wait on each other in a cycle, even when two
-- servers' keys share a hash. p_events: [{"action", "serverId", "ip", "dedupeKey"}, …]. Answers one
-- row per event with its position in the input (0-based).
CREATE OR REPLACE FUNCTION sankofa_accept_port_security_events(
  p_events jsonb, p_window_s integer, p_max_attempts integer
) RETURNS TABLE (n integer, event_id bigint, is_duplicate boolean) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_e record;
BEGIN
  FOR v_e IN
    SELECT (e.ord - 1)::integer AS i, e.value->>'action' AS action, (e.value->>'serverId')::integer AS server_id,
      e.value->>'ip' AS ip, e.value->>'dedupeKey' AS dedupe_key
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
    ORDER BY hashtext('ps:server:' || (e.value->>'serverId')), (e.value->>'serverId')::integer, e.ord
  LOOP
    RETURN QUERY SELECT v_e.i, r.event_id, r.is_duplicate
      FROM sankofa_accept_port_security_event(v_e.action, v_e.server_id, v_e.ip, v_e.dedupe_key, p_window_s, p_max_attempts) r;
  END LOOP;
END;
$$;
