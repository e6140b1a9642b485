import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, refuseRequest } from "./request-guard";

const h = (o: Record<string, string>) => new Headers(o);
const json = { host: "hedwig.example:3000", "content-type": "application/json" };

describe("refuseRequest", () => {
  it("lets Hedwig's own pages and clients without an Origin through", () => {
    expect(refuseRequest("POST", h({ ...json, origin: "http://hedwig.example:3000", "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(refuseRequest("POST", h(json))).toBeNull();
    expect(refuseRequest("GET", h({ host: "hedwig.example:3000" }))).toBeNull();
    expect(
      refuseRequest("POST", h({ ...json, host: "10.0.0.1:3000", "x-forwarded-host": "hedwig.example:3000", origin: "https://hedwig.example:3000" })),
    ).toBeNull();
  });

  it("refuses other origins, cross-site fetches and opaque origins", () => {
    expect(refuseRequest("POST", h({ ...json, origin: "http://evil.example" }))).toMatchObject({ status: 403 });
    expect(refuseRequest("GET", h({ host: "hedwig.example:3000", origin: "http://hedwig.example:3001" }))).toMatchObject({ status: 403 });
    expect(refuseRequest("POST", h({ ...json, "sec-fetch-site": "cross-site" }))).toMatchObject({ status: 403 });
    expect(refuseRequest("POST", h({ ...json, origin: "null" }))).toMatchObject({ status: 403 });
  });

  it("refuses what an HTML form can post, and a body over the limit", () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""]) {
      expect(refuseRequest("POST", h({ host: "hedwig.example:3000", "content-type": type })), type).toMatchObject({ status: 415 });
    }
    expect(refuseRequest("POST", h({ ...json, "content-type": "application/json; charset=utf-8" }))).toBeNull();
    expect(refuseRequest("POST", h({ ...json, "content-length": String(MAX_BODY_BYTES + 1) }))).toMatchObject({ status: 413 });
  });
});
