import { describe, expect, it } from "vitest";
import { parseStat } from "./live-status";

describe("parseStat", () => {
  it("reads HAProxy's show stat CSV by its header", () => {
    const csv =
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,\napp-7,m-70,0,0,2,3,,9,0,0,,0,,0,0,0,0,UP,10,\napp-7,m-71,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,0,\n";
    const rows = parseStat(csv);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ pxname: "app-7", svname: "m-70", scur: "2", status: "UP", weight: "10" });
    expect(rows[1]).toMatchObject({ svname: "m-71", status: "DRAIN" });
    expect(parseStat("Unknown command")).toEqual([]);
  });
});
