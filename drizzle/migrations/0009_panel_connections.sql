CREATE TABLE "panel_connections" (
	"kind" text PRIMARY KEY NOT NULL,
	"base_url" text NOT NULL,
	"token_id" text,
	"secret_sealed" "bytea" NOT NULL,
	"tls_fingerprint" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
