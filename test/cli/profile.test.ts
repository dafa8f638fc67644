// assess --profile's memory figures: a process's peak is never below a resident set sampled for it,
// so the sum of peaks bounds every sampled sum (Linux's VmHWM alone did not, once: a fresh-clone CI
// run sampled 208 KB more for all processes together than the sum of their VmHWMs).
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Profiler, peakRss, sampleTreeRss } from "../../packages/cli/src/profile.js";

const linux = existsSync("/proc/self/status");

describe("Profiler.end", () => {
  it("takes this process's sampled peak when it is above its VmHWM", () => {
    const p = new Profiler();
    const above = peakRss() + 5e12; // no process holds 5 TB: only the sampled value can give it
    p.end("phase", undefined, { cpuSeconds: 0, peakRssBytes: 1000, sampledPeakRssBytes: above + 1000, sampledSelfPeakBytes: above });
    expect(p.phases[0].peakRssBytes).toBe(above + 1000);
    expect(p.phases[0].sampledPeakRssBytes).toBeLessThanOrEqual(p.phases[0].peakRssBytes);
  });
  it("keeps VmHWM when no sample is above it", () => {
    const p = new Profiler();
    p.end("phase", undefined, { cpuSeconds: 0, peakRssBytes: 0, sampledSelfPeakBytes: 1 });
    expect(p.phases[0].peakRssBytes).toBeGreaterThanOrEqual(peakRss() - 64 * 2 ** 20); // read a moment apart
    expect(p.phases[0].peakRssBytes).toBeGreaterThan(1);
  });
});

describe.skipIf(!linux)("sampleTreeRss (Linux /proc)", () => {
  it("keeps each process's largest sampled resident set, and their sum bounds the sampled total", async () => {
    // A child that holds 64 MB of touched memory for a while.
    const child = spawn(process.execPath, ["-e", "const b = Buffer.alloc(64 * 2 ** 20, 1); setTimeout(() => b.length, 1500);"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 600));
    const s = sampleTreeRss(() => [child.pid], 20);
    await new Promise((r) => setTimeout(r, 300));
    const total = s.stop();
    const self = s.peakOf("self");
    const other = s.peakOf(child.pid!);
    await new Promise((r) => child.on("exit", r));
    expect(other).toBeGreaterThan(64 * 2 ** 20);
    expect(self).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(Math.max(self, other));
    expect(total).toBeLessThanOrEqual(self + other);
    expect(s.peakOf(999_999_999)).toBe(0); // never sampled
  });
});
