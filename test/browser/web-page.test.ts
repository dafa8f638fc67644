// The in-browser assessment (examples/web): the built page is loaded from disk in headless
// Chromium, given the Charnwood police.uk files (35 gzipped monthly files, gunzipped in the page), and must compute the same financial year ×
// crime type counts and the same top street as the CLI on the same files — with no network
// request after the page has loaded (the files never leave the machine).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { csvParse } from "d3-dsv";
import puppeteer, { type Browser, type ElementHandle } from "puppeteer-core";
import { assess } from "@community-safety/cli";
import { dataPath, repoRoot } from "../helpers/data.js";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const charnwood = dataPath("policeuk-leicestershire", "county-2019-12_2022-10");
const ready = existsSync(chromium) && existsSync(charnwood);
const reason = !existsSync(chromium) ? `skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)` : !existsSync(charnwood) ? `skipped: needs ${charnwood}` : "Chromium and the Charnwood files found";
if (!ready) console.log(`web page test ${reason}`);

describe.skipIf(!ready)(`the in-browser assessment page — ${reason}`, () => {
  let browser: Browser;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), "cs-web-"));
    const built = spawnSync(process.execPath, [join(repoRoot, "examples", "web", "build.mjs"), web], { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("gives the CLI's counts and top street for Charnwood, offline", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(join(web, "index.html")).href, { waitUntil: "load" });
    // From here on, nothing may leave the machine: only the page's own file:, blob: and data: URLs.
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!/^(file|blob|data|about):/.test(r.url())) requests.push(r.url());
    });
    const csvs = readdirSync(charnwood).filter((f) => f.endsWith(".csv.gz")).map((f) => join(charnwood, f));
    expect(csvs.length).toBe(35);
    const input = (await page.$("#policeUk")) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(...csvs);
    await page.type("#area", "Charnwood");
    const started = performance.now();
    await page.click("#run");
    await page.waitForSelector("#status[data-done]", { timeout: 180_000 });
    console.log(`in-browser assessment of Charnwood: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(await page.$eval("#status", (e) => (e as HTMLElement).dataset.done)).toBe("true");
    const web_ = await page.evaluate(() => {
      const r = (window as unknown as { communitySafetyReport: { files: { name: string; rows: Record<string, unknown>[] }[] } }).communitySafetyReport;
      const pick = (name: string) => r.files.find((f) => f.name === name)!.rows;
      return { levels: pick("levels-financial-year-category.csv"), streets: pick("hotspots-streets.csv").slice(0, 1) };
    });
    // The CLI on the same files.
    const out = mkdtempSync(join(tmpdir(), "cs-web-cli-"));
    await assess({ policeUk: [charnwood], area: "Charnwood", out, quiet: true });
    const cliLevels = csvParse(readFileSync(join(out, "levels-financial-year-category.csv"), "utf8"));
    const key = (r: Record<string, unknown>) => `${r.period} ${r.source} ${r.category} ${r.count}`;
    expect(web_.levels.map(key).sort()).toEqual(cliLevels.map(key).sort());
    // 13,999 crimes in 2021/22 (the independent raw-file count of test/core/police-uk.test.ts).
    expect(web_.levels.filter((r) => r.period === "2021/22" && r.source === "police-recorded-crime").reduce((t, r) => t + Number(r.count), 0)).toBe(13999);
    const cliTop = csvParse(readFileSync(join(out, "hotspots-streets.csv"), "utf8"))[0];
    expect([web_.streets[0].category, web_.streets[0].name, web_.streets[0].count]).toEqual([cliTop.category, cliTop.name, Number(cliTop.count)]);
    // The report is shown, its figures drawn.
    const frame = await (await page.$("#report"))!.contentFrame();
    expect(await frame!.$$eval("figure svg", (s) => s.length)).toBeGreaterThan(8);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  }, 300_000);
});
