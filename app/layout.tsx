import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ThemeProvider } from "@/components/theme-provider";
import { TrpcReactProvider } from "@/components/trpc/client";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Sankofa IT", template: "%s · Sankofa IT" } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen antialiased">
        <ThemeProvider>
          <TrpcReactProvider>{children}</TrpcReactProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
