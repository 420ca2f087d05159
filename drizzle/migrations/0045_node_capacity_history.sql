CREATE TABLE "inventory_node_capacity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"snapshot_id" bigint,
	"collected_at" timestamp with time zone NOT NULL,
	"node" text NOT NULL,
	"cpu_total" double precision NOT NULL,
	"cpu_allocated" double precision NOT NULL,
	"cpu_used" double precision,
	"mem_total_bytes" bigint NOT NULL,
	"mem_allocated_bytes" bigint NOT NULL,
	"mem_used_bytes" bigint,
	"storage_total_bytes" bigint NOT NULL,
	"storage_allocated_bytes" bigint NOT NULL,
	"storage_used_bytes" bigint
);
--> statement-breakpoint
ALTER TABLE "inventory_node_capacity" ADD CONSTRAINT "inventory_node_capacity_snapshot_id_inventory_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."inventory_snapshots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_node_capacity_snapshot_node_idx" ON "inventory_node_capacity" USING btree ("snapshot_id","node");--> statement-breakpoint
CREATE INDEX "inventory_node_capacity_node_at_idx" ON "inventory_node_capacity" USING btree ("node","collected_at");