import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors";
import { renderMemcachedArgs, type MemcachedArgsInput } from "./memcached-args";

const node: MemcachedArgsInput = { bind: "10.20.5.21", port: 11211, memoryMb: 29_952, maxConnections: 4096, threads: 4, user: "memcache" };

describe("renderMemcachedArgs", () => {
  it("renders the arguments, one per line in the conf file", async () => {
    await expect(`${renderMemcachedArgs(node).join("\n")}\n`).toMatchFileSnapshot("./__golden__/memcached.args");
  });

  it("leaves out -u when the executor does not run as root", () => {
    expect(renderMemcachedArgs({ ...node, user: null }).slice(0, 2)).toEqual(["-l", "10.20.5.21"]);
  });

  it.each<[Partial<MemcachedArgsInput>, string]>([
    [{ bind: "0.0.0.0.0" }, 'listen address "0.0.0.0.0" is not an IPv4 address'],
    [{ memoryMb: 0 }, "memcached memoryMb 0 is not valid: use a whole number ≥ 1"],
    [{ threads: 1.5 }, "memcached threads 1.5 is not valid: use a whole number ≥ 1"],
    [{ user: "root; rm -rf /" }, '"root; rm -rf /" is not a user name such as memcache'],
  ])("refuses %o", (change, message) => {
    const run = () => renderMemcachedArgs({ ...node, ...change });
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  });
});
