import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The demo world's dedi-202 has an additional IP (10.13.0.32) without a VMAC: the rules leave it out.
test("an admin asks why an IP is not bound and sees the rule that left it out", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/why");
  await page.getByLabel("IP address").fill("10.13.0.32");
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByTestId("why-summary")).toContainText("skipped");
  await expect(page.getByTestId("why-summary")).toContainText("additional IP without an active VMAC");
  await expect(page.getByTestId("why-step-tenantos")).toContainText("assigned to server 202");
  await expect(page.getByTestId("why-step-rules")).toContainText("skipped");

  // What is not an IP is refused with the reason.
  await page.goto("/it/why?ip=10.13.0");
  await expect(page.getByText("is not an IPv4 or IPv6 address")).toBeVisible();
});
