import { describe, expect, it } from "vitest";
import { mayResend } from "./resend-policy";

const base = "https://graph.microsoft.com/beta/deviceManagement";

describe("mayResend", () => {
  it("resends reads, PUT, PATCH and DELETE after any retryable status", () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE", undefined])
      for (const status of [429, 503, 504])
        expect(mayResend({ method, url: `${base}/deviceConfigurations`, status })).toBe(true);
  });

  it("never resends a create after 503 or 504: it may have been applied", () => {
    for (const collection of ["deviceConfigurations", "configurationPolicies", "roleAssignments"])
      for (const status of [503, 504])
        expect(mayResend({ method: "POST", url: `${base}/${collection}`, status })).toBe(false);
  });

  it("resends a create Graph throttled (429), and /assign, which replaces the whole set", () => {
    expect(mayResend({ method: "post", url: `${base}/deviceConfigurations`, status: 429 })).toBe(true);
    expect(mayResend({ method: "POST", url: `${base}/deviceConfigurations/abc/assign`, status: 504 })).toBe(true);
    expect(mayResend({ method: "POST", url: `${base}/deviceConfigurations/abc/assignments`, status: 504 })).toBe(false);
  });

  it("resends app protection's targetApps, which sets the whole list of apps", () => {
    const apps = "https://graph.microsoft.com/beta/deviceAppManagement/iosManagedAppProtections/T_abc";
    expect(mayResend({ method: "POST", url: `${apps}/targetApps`, status: 503 })).toBe(true);
    expect(mayResend({ method: "POST", url: `${apps}/apps`, status: 503 })).toBe(false);
  });
});
