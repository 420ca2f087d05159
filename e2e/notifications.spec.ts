import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

test("Settings › Notifications: an admin adds a JSON webhook and 'send a test' reaches it through the worker", async ({ page }) => {
  // The receiver: a loopback HTTP server in the spec's process.
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await signInAsAdminByApi(page);
    await page.goto("/it/settings");
    const panel = page.getByTestId("notifications");
    const name = `e2e hook ${Date.now()}`;
    await panel.getByLabel("Name").fill(name);
    await panel.getByLabel("URL").fill(url);
    await panel.getByLabel(/Signing secret/).fill("e2e-signing-secret");
    await panel.getByRole("button", { name: "Add receiver" }).click();
    const row = panel.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(url);
    // The secret is never shown again.
    await expect(panel).not.toContainText("e2e-signing-secret");
    await row.getByRole("button", { name: "Send a test" }).click();
    await expect(panel.getByRole("status")).toContainText("Test message queued");
    // The latest messages: the test's row turns "sent" once the worker's job delivered it.
    await expect(panel.getByRole("row").filter({ hasText: "Test message asked for" }).first()).toContainText("sent", { timeout: 30_000 });
    expect(bodies.map((b) => (JSON.parse(b) as { event: string }).event)).toContain("test");
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
