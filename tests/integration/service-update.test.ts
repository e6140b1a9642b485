import { describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import { freshDatabase, makeActor } from "./db";

const { db } = await freshDatabase();

describe("services.update", () => {
  it("changes only the fields it is given", async () => {
    const pl = await db.productLine.create({
      data: { code: "trade-cart", name: "Cart", importance: 4, department: { create: { code: "trade", name: "Trade" } } },
    });
    const dba = createCaller(createContext((await makeActor(db, "DBA")).id, db));
    const s = await dba.services.create({
      name: "trade-cart-redis-01",
      productLineId: pl.id,
      kind: "REDIS_TWEMPROXY",
      description: "cart sessions",
      entryHost: "10.0.0.1",
      entryPort: 22121,
    });
    await dba.services.update({ id: s.id, status: "OFFLINE" });
    expect(await db.service.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({
      status: "OFFLINE",
      description: "cart sessions",
      entryHost: "10.0.0.1",
      entryPort: 22121,
    });
  });
});
