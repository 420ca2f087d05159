DROP INDEX "port_security_events_dedupe_idx";--> statement-breakpoint
CREATE INDEX "port_security_events_server_ip_idx" ON "port_security_events" USING btree ("server_id","ip","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "port_security_events_waiting_idx" ON "port_security_events" USING btree ("server_id") WHERE status = 'received';