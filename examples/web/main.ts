// The strategic assessment computed in the browser: files are streamed from disk into core's
// readers (police.uk or a mapped extract), combined, and built into the same report as the CLI's
// (`buildReport`), with every table and figure offered for download. No network access.
import { PoliceUkReader, DelimitedReader, combineIngests, readMapping, readTargets, type IngestResult } from "@community-safety/core";
import type { PolygonFeatureCollection } from "@community-safety/geo";
import { buildReport, type BuiltReport } from "../../packages/cli/src/report/build-report.js";
import { toCsv } from "../../packages/cli/src/report/csv.js";
import { presentCsv } from "../../packages/cli/src/report/csv-present.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $("status");
const files = (id: string) => Array.from($<HTMLInputElement>(id).files ?? []);
const text = (id: string) => $<HTMLInputElement>(id).value.trim() || undefined;

function say(message: string): void {
  status.textContent = message;
}

/** Streams a file's text (gunzipped when it ends .gz) into `push`, reporting progress by bytes read. */
async function stream(file: File, push: (chunk: string) => void, onBytes: (n: number) => void): Promise<void> {
  let bytes = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        bytes += chunk.byteLength;
        onBytes(bytes);
        ctl.enqueue(chunk);
      },
    }),
  );
  const raw = file.name.endsWith(".gz") ? counted.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>) : counted;
  const reader = raw.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    push(value);
  }
}

async function readAll(list: File[], reader: { beginFile(name: string): void; push(chunk: string): void; endFile(): void; finish(): IngestResult }, label: string): Promise<IngestResult> {
  const total = list.reduce((a, f) => a + f.size, 0);
  let before = 0;
  for (const [k, f] of list.entries()) {
    reader.beginFile(f.name);
    await stream(f, (c) => reader.push(c), (n) => say(`Reading ${label}: file ${k + 1} of ${list.length} (${f.name}), ${((before + n) / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`));
    reader.endFile();
    before += f.size;
  }
  return reader.finish();
}

const json = async <T>(file: File) => JSON.parse(await file.text()) as T;

async function assess(): Promise<BuiltReport> {
  const parts: IngestResult[] = [];
  const descriptions: string[] = [];
  let policeUkRows = 0;
  const crime = files("policeUk").sort((a, b) => (a.name < b.name ? -1 : 1));
  if (crime.length) {
    const r = await readAll(crime, new PoliceUkReader(), "police.uk files");
    parts.push(r);
    policeUkRows = r.table.length;
    descriptions.push(`police.uk street-level crime and ASB (${crime.length} files). Contains public sector information licensed under the Open Government Licence v3.0.`);
  }
  const other = files("inputFiles");
  if (other.length) {
    const m = files("mapping")[0];
    if (!m) throw new Error("Other files need their mapping file (JSON).");
    const options = readMapping(await m.text(), { name: m.name });
    parts.push(await readAll(other, new DelimitedReader(options), m.name));
    descriptions.push(`${other.map((f) => f.name).join(", ")} (mapped by ${m.name}).`);
  }
  if (!parts.length) throw new Error("Choose police.uk files or other files with their mapping.");
  say("Building the report…");
  const boundaryFile = files("boundary")[0];
  const areasFile = files("areas")[0];
  const targetsFile = files("targets")[0];
  const areasKey = text("areasKey");
  if (areasFile && !areasKey) throw new Error("Name the property of the wards or beats file that names each area.");
  return buildReport(
    {
      ingest: combineIngests(parts),
      sourceDescription: descriptions.join(" "),
      parts: parts.length,
      policeUkRows,
      plan: targetsFile ? readTargets(await targetsFile.text()) : null,
      planSource: targetsFile?.name ?? "",
      areas: areasFile ? { featureCollection: await json<PolygonFeatureCollection>(areasFile), key: areasKey!, label: text("areasLabel") ?? "area" } : undefined,
      boundary: boundaryFile ? { featureCollection: await json<PolygonFeatureCollection>(boundaryFile), key: text("boundaryKey"), name: boundaryFile.name } : undefined,
    },
    { area: text("area"), public: $<HTMLInputElement>("public").checked, onStep: (m) => say(m) },
  );
}

/** The report in the frame, its tables and figures as downloads (links in the report point at them too). */
function show(report: BuiltReport): void {
  const urls = new Map<string, string>();
  for (const f of report.files) {
    const body = f.text ?? (() => {
      const p = presentCsv(f.rows, { columns: f.columns, crs: report.crs });
      return toCsv(p.rows, p.columns);
    })();
    urls.set(f.name, URL.createObjectURL(new Blob([body], { type: f.name.endsWith(".svg") ? "image/svg+xml" : f.name.endsWith(".csv") ? "text/csv" : "application/geo+json" })));
  }
  const html = report.html.replace(/href="([^"#:]+)"/g, (all, name: string) => (urls.has(name) ? `href="${urls.get(name)}" download="${name}"` : all));
  const frame = $<HTMLIFrameElement>("report");
  frame.srcdoc = html;
  frame.style.display = "block";
  $("downloads").innerHTML = [...urls].map(([name, url]) => `<a href="${url}" download="${name}">${name}</a>`).join(" ");
  urls.set("report.html", URL.createObjectURL(new Blob([report.html], { type: "text/html" })));
}

$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  const started = performance.now();
  assess().then(
    (report) => {
      show(report);
      (window as unknown as { communitySafetyReport: BuiltReport }).communitySafetyReport = report;
      say(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.sections.length} sections, ${report.tables.length} tables, ${report.figures.length} figures.`);
      status.dataset.done = "true";
    },
    (err: Error) => {
      say(`Could not assess: ${err.message}`);
      status.dataset.done = "error";
    },
  );
});
