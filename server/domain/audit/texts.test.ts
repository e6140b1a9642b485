import { describe, expect, it } from "vitest";
import { english, renderIn } from "../../../i18n/load";
import { joinTexts, text } from "../../../lib/text";
import { automaticText } from "./record";

// The English of an audit text is what search, CSV and older readers of AuditEntry.summary see.
describe("audit texts", () => {
  it("render the import summary as the English sentence it replaced, and in Chinese", () => {
    const base = { format: "CSV", racks: 0, services: 0, invalid: 0, lines: "" };
    expect(english(text("auditLog.import.summary", { ...base, kind: "hosts", n: 3, racks: 1 }))).toBe("imported 3 hosts, 1 new rack(s) from CSV");
    expect(english(text("auditLog.import.summary", { ...base, kind: "hosts", n: 2, invalid: 6, lines: "3, 4, 5, 6, 7, 9" }))).toBe(
      "imported 2 hosts from CSV; skipped 6 invalid row(s) (lines 3, 4, 5, 6, 7, 9)",
    );
    expect(english(text("auditLog.import.summary", { ...base, kind: "instances", n: 2, services: 1 }))).toBe(
      "imported 2 instances, 1 adopted service(s) from CSV",
    );
    expect(english(text("auditLog.import.summary", { ...base, kind: "instances", n: 1 }))).toBe("imported 1 instance from CSV");
    expect(renderIn("zh", text("auditLog.import.summary", { ...base, kind: "hosts", n: 3, racks: 1 }))).toBe("从 CSV 导入了 3 个主机，新建 1 个机架");
  });

  it("nest texts: an automatic operation with its verb, a pool without a VIP range, a parameter list", () => {
    const op = automaticText(
      true,
      text("auditLog.ops.submitted", {
        what: text("auditLog.ops.simple", { verb: text("errors.domain.ops.verb", { kind: "instance_start" }), target: "master 10.0.0.1:6379", service: "pay" }),
        why: "none",
        until: "none",
        job: "abcd1234",
      }),
    );
    expect(english(op)).toBe("automatic: start master 10.0.0.1:6379 of pay (job abcd1234)");
    expect(renderIn("zh", op)).toBe("自动：启动 pay 的 master 10.0.0.1:6379（任务 abcd1234）");
    const vip = text("auditLog.libra.vipRange", { pool: "hard-pool", from: text("auditLog.libra.none"), to: "127.0.104.30-127.0.104.39" });
    expect(english(vip)).toBe("VIP range of pool hard-pool: (none) → 127.0.104.30-127.0.104.39");
    expect(renderIn("zh", vip)).toBe("池 hard-pool 的 VIP 范围：（无） → 127.0.104.30-127.0.104.39");
    const d = text("auditLog.ops.default");
    const params = text("auditLog.ops.parameters", {
      service: "pay",
      changes: joinTexts(
        [text("auditLog.ops.change", { key: "hz", from: d, to: "20" }), text("auditLog.ops.persistence", { from: "RDB", to: "AOF" })],
        "comma",
      ),
    });
    expect(english(params)).toBe("change the parameters of pay: hz default → 20, persistence RDB → AOF");
  });

  it("choose the optional parts by their parameters", () => {
    expect(english(text("auditLog.tokens.used", { name: "ci", prefix: "hw_ab", ip: "none" }))).toBe("API token ci (hw_ab…) used");
    expect(english(text("auditLog.tokens.used", { name: "ci", prefix: "hw_ab", ip: "10.0.0.9" }))).toBe("API token ci (hw_ab…) used from 10.0.0.9");
    expect(renderIn("zh", text("auditLog.users.update", { user: "li", reset: "yes" }))).toBe("更新了用户 li（已重置密码）");
    expect(english(text("auditLog.backups.schedule", { service: "pay", every: "hours", hours: 6 }))).toBe("backups of pay: every 6 h");
    const demoted = text("auditLog.healing.role.demoted", { self: "10.0.0.1:6379", master: "10.0.0.2:6379", up: "no" });
    expect(english(demoted)).toBe(
      "10.0.0.1:6379 was the master and does not answer; its replica 10.0.0.2:6379 took over: catalogued as a replica of 10.0.0.2:6379 (Sentinel reconfigures it so when it answers again)",
    );
    expect(renderIn("zh", demoted)).toContain("现已无响应；其从节点 10.0.0.2:6379 已接管");
  });
});
