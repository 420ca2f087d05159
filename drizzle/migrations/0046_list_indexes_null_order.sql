-- The console's lists order by `col desc, id desc` (Postgres's NULL placement: first descending,
-- last ascending; server/db/list-query.ts). drizzle's `.desc()` made these indexes DESC NULLS LAST,
-- which that ORDER BY cannot read in order, so a million audit rows were sorted on every page load
-- (bench:pages: 220 ms). Rebuilt with Postgres's own placement, read forwards for desc and
-- backwards for asc; the event tables' indexes gain the id tiebreaker.
DROP INDEX "audit_log_at_idx";--> statement-breakpoint
DROP INDEX "audit_log_actor_at_idx";--> statement-breakpoint
DROP INDEX "audit_log_entity_at_idx";--> statement-breakpoint
DROP INDEX "job_runs_finished_idx";--> statement-breakpoint
DROP INDEX "job_runs_task_finished_idx";--> statement-breakpoint
DROP INDEX "job_runs_outcome_finished_idx";--> statement-breakpoint
DROP INDEX "switch_backups_switch_taken_idx";--> statement-breakpoint
DROP INDEX "switch_pushes_switch_started_idx";--> statement-breakpoint
DROP INDEX "port_security_events_received_idx";--> statement-breakpoint
DROP INDEX "port_security_events_server_ip_idx";--> statement-breakpoint
DROP INDEX "vmac_events_at_idx";--> statement-breakpoint
DROP INDEX "inventory_snapshots_status_idx";--> statement-breakpoint
DROP INDEX "ipam_address_events_address_idx";--> statement-breakpoint
DROP INDEX "pending_changes_status_idx";--> statement-breakpoint
DROP INDEX "console_sessions_user_idx";--> statement-breakpoint
DROP INDEX "provisioning_jobs_status_idx";--> statement-breakpoint
DROP INDEX "billing_stripe_events_received_idx";--> statement-breakpoint
DROP INDEX "edge_snapshots_source_idx";--> statement-breakpoint
DROP INDEX "notification_deliveries_receiver_created_idx";--> statement-breakpoint
DROP INDEX "notification_deliveries_created_idx";--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log" USING btree ("actor","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_entity_at_idx" ON "audit_log" USING btree ("entity_type","entity_id","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "job_runs_finished_idx" ON "job_runs" USING btree ("finished_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "job_runs_task_finished_idx" ON "job_runs" USING btree ("task","finished_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "job_runs_outcome_finished_idx" ON "job_runs" USING btree ("outcome","finished_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "switch_backups_switch_taken_idx" ON "switch_backups" USING btree ("switch_id","taken_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "switch_pushes_switch_started_idx" ON "switch_pushes" USING btree ("switch_id","started_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "port_security_events_received_idx" ON "port_security_events" USING btree ("received_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "port_security_events_server_ip_idx" ON "port_security_events" USING btree ("server_id","ip","id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "vmac_events_at_idx" ON "vmac_events" USING btree ("at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "inventory_snapshots_status_idx" ON "inventory_snapshots" USING btree ("status","started_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "ipam_address_events_address_idx" ON "ipam_address_events" USING btree ("address","at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "pending_changes_status_idx" ON "pending_changes" USING btree ("status","requested_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "console_sessions_user_idx" ON "console_sessions" USING btree ("user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "provisioning_jobs_status_idx" ON "provisioning_jobs" USING btree ("status","requested_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "billing_stripe_events_received_idx" ON "billing_stripe_events" USING btree ("received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "edge_snapshots_source_idx" ON "edge_snapshots" USING btree ("source","status","started_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "notification_deliveries_receiver_created_idx" ON "notification_deliveries" USING btree ("receiver_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "notification_deliveries_created_idx" ON "notification_deliveries" USING btree ("created_at" DESC NULLS FIRST);