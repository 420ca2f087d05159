CREATE TABLE "billing_sku_prices" (
	"id" serial PRIMARY KEY NOT NULL,
	"sku_id" integer NOT NULL,
	"valid_from" date NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_sku_prices_price" CHECK ("billing_sku_prices"."unit_price_minor" >= 0),
	CONSTRAINT "billing_sku_prices_currency" CHECK ("billing_sku_prices"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "billing_sku_prices" ADD CONSTRAINT "billing_sku_prices_sku_id_billing_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."billing_skus"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_sku_prices_from_idx" ON "billing_sku_prices" USING btree ("sku_id","valid_from");