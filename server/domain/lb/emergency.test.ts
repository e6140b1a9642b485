import { describe, expect, it } from "vitest";
import { haproxyCommands, ipvsadmCommand } from "./emergency";

const app = (lvsKind: string | null) => ({ id: 7, vip: { ip: "127.0.2.20", port: 22121, protocol: "TCP" as const }, balanceConfig: { lvsKind } });
const member = (state: "ENABLED" | "DRAINING" | "DISABLED", weight = 30) => ({ id: 70, ip: "127.0.12.1", port: 22121, weight, state });

describe("the emergency path's commands", () => {
  it("HAProxy: the weight, then the state (drain keeps the weight for the member's return)", () => {
    expect(haproxyCommands({ app: app(null), member: member("DRAINING") } as never)).toEqual(["set weight app-7/m-70 30", "set server app-7/m-70 state drain"]);
    expect(haproxyCommands({ app: app(null), member: member("DISABLED") } as never)[1]).toBe("set server app-7/m-70 state maint");
    expect(haproxyCommands({ app: app(null), member: member("ENABLED") } as never)[1]).toBe("set server app-7/m-70 state ready");
  });
  it("LVS: ipvsadm -e with the forwarding flag; draining is weight 0; disabled leaves the service (-d)", () => {
    expect(ipvsadmCommand({ app: app("DR"), member: member("ENABLED") } as never)).toEqual([
      "ipvsadm",
      "-e",
      "-t",
      "127.0.2.20:22121",
      "-r",
      "127.0.12.1:22121",
      "-g",
      "-w",
      "30",
    ]);
    expect(ipvsadmCommand({ app: app("NAT"), member: member("DRAINING") } as never)).toEqual([
      "ipvsadm",
      "-e",
      "-t",
      "127.0.2.20:22121",
      "-r",
      "127.0.12.1:22121",
      "-m",
      "-w",
      "0",
    ]);
    expect(ipvsadmCommand({ app: app("TUN"), member: member("DISABLED") } as never)).toEqual([
      "ipvsadm",
      "-d",
      "-t",
      "127.0.2.20:22121",
      "-r",
      "127.0.12.1:22121",
    ]);
  });
});
