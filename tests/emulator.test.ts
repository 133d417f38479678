import { describe, expect, it } from "vitest";
import { createHttpFetch } from "@/lib/graph/transport";
import { emulatorAdmin, emulatorUrl, graphConfig } from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";

const http = createHttpFetch(graphConfig.caFile);
const [relecloud, fourthCoffee] = claimEmulatedTenants(import.meta.url, 2);

async function appToken(tenantId: string, clientId: string, clientSecret: string) {
  return http(`${emulatorUrl}/${tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      scope: `${emulatorUrl}/.default`,
    }),
  });
}

describe("Graph emulator", () => {
  it("answers 401 in Graph's error envelope, with a request-id, when the token is missing or forged", async () => {
    const missing = await http(`${emulatorUrl}/v1.0/organization`);
    expect(missing.status).toBe(401);
    const requestId = missing.headers.get("request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await missing.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(body.error.code).toBe("InvalidAuthenticationToken");
    expect(body.error.innerError["request-id"]).toBe(requestId);

    const forged = await http(`${emulatorUrl}/v1.0/organization`, {
      headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.e30." },
    });
    expect(forged.status).toBe(401);
  });

  it("issues app tokens by client credentials that open /v1.0/organization of that tenant only", async () => {
    const app = relecloud.apps[0]!;
    const token = (await (await appToken(relecloud.tenantId, app.clientId, app.clientSecret)).json()) as {
      access_token: string;
      token_type: string;
    };
    expect(token.token_type).toBe("Bearer");
    const org = await http(`${emulatorUrl}/v1.0/organization`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    const value = ((await org.json()) as { value: { id: string; displayName: string }[] }).value;
    expect(value).toEqual([expect.objectContaining({ id: relecloud.tenantId, displayName: relecloud.displayName })]);
    expect(value[0]!.id).not.toBe(fourthCoffee.tenantId);

    // Fourth Coffee's app cannot sign in to Relecloud.
    const wrong = await appToken(
      relecloud.tenantId,
      fourthCoffee.apps[0]!.clientId,
      fourthCoffee.apps[0]!.clientSecret,
    );
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error_codes: number[] }).error_codes).toEqual([700016]);
  });

  it("counts requests per route, so tests can prove a page made none", async () => {
    const before = (await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> };
    await http(`${emulatorUrl}/v1.0/organization`);
    await http(`${emulatorUrl}/v1.0/organization`);
    const after = (await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> };
    expect((after.routes["GET /v1.0/organization"] ?? 0) - (before.routes["GET /v1.0/organization"] ?? 0)).toBe(2);
  });
});
