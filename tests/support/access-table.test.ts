import { describe, expect, it } from "vitest";
import { consoleRoutes, serverActions } from "./access-surface";
import { ACTION_ACCESS, ROUTE_ACCESS } from "./access-table";

// A new server action or route without a row here fails, and so does a row for one that is gone.
describe("the access table covers the code", () => {
  it("has exactly one row per server action", () => {
    expect(Object.keys(ACTION_ACCESS).sort()).toEqual(serverActions());
  });

  it("has exactly one row per page and route handler", () => {
    expect(Object.keys(ROUTE_ACCESS).sort()).toEqual(consoleRoutes());
  });
});
