import { describe, expect, it } from "vitest";
import { remoteMetricsUrl, samplesAsPrometheusText } from "./remote-store";
import type { SampleRow } from "./sample";

const row = (over: Partial<SampleRow>): SampleRow =>
  ({
    instanceId: 7,
    serviceId: 3,
    at: new Date(1_700_000_000_000),
    up: true,
    opsPerSec: 12.5,
    usedMemoryMb: 1.25,
    clients: 4,
    latencyP99Us: null,
    ...over,
  }) as SampleRow;

describe("remote metrics store", () => {
  it("writes an up sample's figures with the instance's labels and the tick's time in ms, skipping the missing ones", () => {
    const lines = samplesAsPrometheusText([row({})])
      .trim()
      .split("\n");
    expect(lines).toContain('hedwig_up{instance_id="7",service_id="3"} 1 1700000000000');
    expect(lines).toContain('hedwig_ops_per_sec{instance_id="7",service_id="3"} 12.5 1700000000000');
    expect(lines).toContain('hedwig_used_memory_mb{instance_id="7",service_id="3"} 1.25 1700000000000');
    expect(lines).toContain('hedwig_clients{instance_id="7",service_id="3"} 4 1700000000000');
    expect(lines.some((l) => l.startsWith("hedwig_latency_p99_us"))).toBe(false);
  });

  it("a down sample is hedwig_up 0 alone, and no rows is no body", () => {
    expect(samplesAsPrometheusText([row({ up: false })])).toBe('hedwig_up{instance_id="7",service_id="3"} 0 1700000000000\n');
    expect(samplesAsPrometheusText([])).toBe("");
  });

  it("is configured by HEDWIG_METRICS_URL only (unset or blank: PostgreSQL alone)", () => {
    expect(remoteMetricsUrl({})).toBeNull();
    expect(remoteMetricsUrl({ HEDWIG_METRICS_URL: "  " })).toBeNull();
    expect(remoteMetricsUrl({ HEDWIG_METRICS_URL: "http://127.0.0.1:8428/" })).toBe("http://127.0.0.1:8428");
  });
});
