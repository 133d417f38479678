import { describe, expect, it } from "vitest";
import { REQUEST_BODY_LIMIT_BYTES, refuseMalformedBody } from "./request-guard";

const post = (body: BodyInit, headers: Record<string, string>) =>
  new Request("http://console.test/t/x", { method: "POST", body, headers });
const action = { "next-action": "7f".padEnd(42, "0") };

async function answer(request: Request) {
  const response = await refuseMalformedBody(request);
  return response && { status: response.status, text: await response.text() };
}

describe("refuseMalformedBody", () => {
  it("lets well-formed bodies and bodiless requests through", async () => {
    const form = new FormData();
    form.set("type", "tenant.verify");
    expect(await answer(post(form, action))).toBeUndefined();
    expect(await answer(post('["$K1"]', { ...action, "content-type": "text/plain;charset=UTF-8" }))).toBeUndefined();
    expect(await answer(post("email=a&password=b", { "content-type": "application/x-www-form-urlencoded" }))).toBe(
      undefined,
    );
    expect(await answer(new Request("http://console.test/t/x"))).toBeUndefined();
  });

  it("answers 413 over the limit, by the declared length or by the body read", async () => {
    const big = "a".repeat(REQUEST_BODY_LIMIT_BYTES + 1);
    expect(await answer(post(big, { "content-type": "application/x-www-form-urlencoded" }))).toMatchObject({
      status: 413,
    });
    // A streamed body declares no length: its size is what was read.
    const stream = new Blob([big]).stream();
    const chunked = new Request("http://console.test/t/x", {
      method: "POST",
      body: stream,
      headers: { ...action, "content-type": "text/plain" },
      duplex: "half",
    } as RequestInit);
    expect(await answer(chunked)).toEqual({ status: 413, text: "The request body is larger than 1 MB." });
  });

  it("answers 400 to an action body that is not JSON or form data, and to a form that does not parse", async () => {
    expect(await answer(post("{{{", { ...action, "content-type": "text/plain" }))).toEqual({
      status: 400,
      text: "The request body is not valid JSON.",
    });
    expect(await answer(post("garbage", { "content-type": "multipart/form-data; boundary=x" }))).toMatchObject({
      status: 400,
    });
    expect(await answer(post("a=1", { ...action, "content-type": "application/x-www-form-urlencoded" }))).toMatchObject(
      { status: 400 },
    );
    expect(await answer(post("{", { "content-type": "application/json" }))).toMatchObject({ status: 400 });
  });
});
