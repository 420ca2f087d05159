-- Hand-written (issue 27): the address timeline is kept in the transaction of each fact that opens
-- or closes a period. Tenantos events, VMAC events and IPAM rows are written from many places (the
-- event door's SQL function, services, imports, provisioning), so triggers keep them; pushes and
-- collections carry their facts in JSON and are recorded by the services (address-timeline.ts).
-- Then the timeline is filled from what is already stored, and search gets its indexes.

-- A Tenantos event: an IP assigned to a server opens its period (closing another server's, the
-- panel moved it), a removal closes it, a deleted server closes all of its own. A repeated
-- delivery for an already open assignment changes nothing.
CREATE OR REPLACE FUNCTION sankofa_timeline_apply_event(p_id bigint, p_action text, p_server integer, p_ip text, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_action = 'ip_assigned' AND p_ip IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM address_timeline WHERE kind = 'tenantos_assignment' AND address = p_ip::inet AND holder_key = ''
               AND valid_to IS NULL AND tenantos_server_id = p_server) THEN
      RETURN;
    END IF;
    UPDATE address_timeline SET valid_to = greatest(p_at, valid_from), end_evidence_type = 'port_security_event', end_evidence_id = p_id::text
      WHERE kind = 'tenantos_assignment' AND address = p_ip::inet AND holder_key = '' AND valid_to IS NULL;
    INSERT INTO address_timeline (kind, address, valid_from, holder_key, tenantos_server_id, evidence_type, evidence_id)
      VALUES ('tenantos_assignment', p_ip::inet, p_at, '', p_server, 'port_security_event', p_id::text);
  ELSIF p_action = 'ip_removed' AND p_ip IS NOT NULL THEN
    UPDATE address_timeline SET valid_to = greatest(p_at, valid_from), end_evidence_type = 'port_security_event', end_evidence_id = p_id::text
      WHERE kind = 'tenantos_assignment' AND address = p_ip::inet AND valid_to IS NULL AND tenantos_server_id = p_server;
  ELSIF p_action = 'server_deleted' THEN
    UPDATE address_timeline SET valid_to = greatest(p_at, valid_from), end_evidence_type = 'port_security_event', end_evidence_id = p_id::text
      WHERE kind = 'tenantos_assignment' AND valid_to IS NULL AND tenantos_server_id = p_server;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sankofa_timeline_event_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM sankofa_timeline_apply_event(NEW.id, NEW.action, NEW.server_id, NEW.ip, NEW.received_at);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER port_security_events_timeline AFTER INSERT ON port_security_events
  FOR EACH ROW EXECUTE FUNCTION sankofa_timeline_event_trigger();
--> statement-breakpoint
-- A VMAC created for an IP opens its period (closing an earlier VMAC of that IP); a release closes it.
CREATE OR REPLACE FUNCTION sankofa_timeline_apply_vmac_event(p_id bigint, p_kind text, p_ip text, p_mac text, p_server integer, p_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_kind = 'created' THEN
    IF EXISTS (SELECT 1 FROM address_timeline WHERE kind = 'vmac' AND address = p_ip::inet AND holder_key = '' AND valid_to IS NULL
               AND mac = p_mac AND tenantos_server_id = p_server) THEN
      RETURN;
    END IF;
    UPDATE address_timeline SET valid_to = greatest(p_at, valid_from), end_evidence_type = 'vmac_event', end_evidence_id = p_id::text
      WHERE kind = 'vmac' AND address = p_ip::inet AND holder_key = '' AND valid_to IS NULL;
    INSERT INTO address_timeline (kind, address, valid_from, holder_key, tenantos_server_id, mac, evidence_type, evidence_id)
      VALUES ('vmac', p_ip::inet, p_at, '', p_server, p_mac, 'vmac_event', p_id::text);
  ELSIF p_kind = 'released' THEN
    UPDATE address_timeline SET valid_to = greatest(p_at, valid_from), end_evidence_type = 'vmac_event', end_evidence_id = p_id::text
      WHERE kind = 'vmac' AND address = p_ip::inet AND valid_to IS NULL AND mac = p_mac;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sankofa_timeline_vmac_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM sankofa_timeline_apply_vmac_event(NEW.id, NEW.kind, NEW.ip, NEW.mac, NEW.server_id, NEW.at);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER vmac_events_timeline AFTER INSERT ON vmac_events
  FOR EACH ROW EXECUTE FUNCTION sankofa_timeline_vmac_trigger();
--> statement-breakpoint
-- An IPAM row that is not released is "owned in IPAM": one period per (status, owner, hostname,
-- VMID); a change of any of them closes the period and opens the next, a release closes it. The
-- owner is the owning team, else the service (a row the panel made names its Tenantos server
-- there). Edits to other fields (notes, prefix; the service under a team) do not touch the
-- timeline: IPAM's own per-address history keeps those.
CREATE OR REPLACE FUNCTION sankofa_timeline_ipam_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_open address_timeline%ROWTYPE;
BEGIN
  SELECT * INTO v_open FROM address_timeline WHERE kind = 'ipam' AND address = NEW.address AND holder_key = '' AND valid_to IS NULL;
  IF FOUND AND NEW.status <> 'released' AND v_open.status IS NOT DISTINCT FROM NEW.status AND v_open.owner IS NOT DISTINCT FROM coalesce(NEW.owner_team, NEW.service)
     AND v_open.hostname IS NOT DISTINCT FROM NEW.hostname AND v_open.vmid IS NOT DISTINCT FROM NEW.vmid THEN
    RETURN NULL;
  END IF;
  IF FOUND THEN
    UPDATE address_timeline SET valid_to = greatest(now(), valid_from), end_evidence_type = 'ipam_address', end_evidence_id = host(NEW.address)
      WHERE id = v_open.id;
  END IF;
  IF NEW.status <> 'released' THEN
    INSERT INTO address_timeline (kind, address, valid_from, holder_key, hostname, vmid, status, owner, mac, evidence_type, evidence_id)
      VALUES ('ipam', NEW.address, now(), '', NEW.hostname, NEW.vmid, NEW.status, coalesce(NEW.owner_team, NEW.service), NULL, 'ipam_address', host(NEW.address));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ipam_addresses_timeline AFTER INSERT OR UPDATE OF status, owner_team, service, hostname, vmid ON ipam_addresses
  FOR EACH ROW EXECUTE FUNCTION sankofa_timeline_ipam_trigger();
--> statement-breakpoint
-- Backfill from what is stored. The record starts at the oldest fact still kept; pushes and
-- collections are replayed by the one-off job (backfillAddressTimeline), which sets backfilled_at.
INSERT INTO address_timeline_coverage (id, recording_since)
  SELECT 1, least(now(),
    (SELECT min(received_at) FROM port_security_events), (SELECT min(at) FROM vmac_events),
    (SELECT min(created_at) FROM ipam_addresses), (SELECT min(started_at) FROM switch_pushes),
    (SELECT min(collected_at) FROM inventory_snapshots WHERE status = 'ok'));
--> statement-breakpoint
SELECT sankofa_timeline_apply_event(e.id, e.action, e.server_id, e.ip, e.received_at)
  FROM (SELECT * FROM port_security_events ORDER BY received_at, id) e;
--> statement-breakpoint
SELECT sankofa_timeline_apply_vmac_event(v.id, v.kind, v.ip, v.mac, v.server_id, v.at)
  FROM (SELECT * FROM vmac_events ORDER BY at, id) v;
--> statement-breakpoint
INSERT INTO address_timeline (kind, address, valid_from, holder_key, hostname, vmid, status, owner, evidence_type, evidence_id)
  SELECT 'ipam', a.address, a.created_at, '', a.hostname, a.vmid, a.status, coalesce(a.owner_team, a.service), 'ipam_address', host(a.address)
  FROM ipam_addresses a WHERE a.status <> 'released';
--> statement-breakpoint
-- Search: trigram indexes where people type part of a name, prefix (text_pattern_ops) where they type a beginning.
CREATE INDEX IF NOT EXISTS ipam_addresses_hostname_trgm_idx ON ipam_addresses USING gin (hostname gin_trgm_ops) WHERE hostname IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS ipam_addresses_mac_idx ON ipam_addresses (lower(mac) text_pattern_ops) WHERE mac IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS ipam_addresses_vmid_idx ON ipam_addresses (vmid) WHERE vmid IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS ipam_vlans_name_trgm_idx ON ipam_vlans USING gin (name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS switches_name_trgm_idx ON switches USING gin (name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS billing_orgs_name_trgm_idx ON billing_orgs USING gin ((code || ' ' || name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS port_map_entries_far_host_trgm_idx ON port_map_entries USING gin (far_host gin_trgm_ops) WHERE far_host IS NOT NULL;
