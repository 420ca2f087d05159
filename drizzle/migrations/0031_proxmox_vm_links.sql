CREATE TABLE "proxmox_vm_links" (
	"vmid" integer PRIMARY KEY NOT NULL,
	"tenantos_server_id" integer NOT NULL,
	"mac" text,
	"how" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "proxmox_vm_links_server_idx" ON "proxmox_vm_links" USING btree ("tenantos_server_id");