import { unlinkSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { InputError } from "@community-safety/core";
import { toCsv } from "./report/csv.js";
import { presentCsv } from "./report/csv-present.js";
import type { OutputFile } from "./sections/output.js";

/** A table as the report writes it: proportions as percentages, units named, a crs column beside coordinates (see `presentCsv`). */
export function csvText(f: OutputFile, crs?: string): string {
  const p = presentCsv(f.rows, { columns: f.columns, crs });
  return toCsv(p.rows, p.columns);
}

/** Temporary files of writes in progress (in this process), so an interrupted run can remove them. */
const inProgress = new Set<string>();

/**
 * Removes the temporary files of the writes in progress, at once (synchronously): for a signal
 * handler (Ctrl-C) before the process exits, so an interrupted run leaves no `.name….tmp` file
 * behind. Returns how many it removed. The files already renamed into place stay.
 */
export function removeTemporaryOutputs(): number {
  let removed = 0;
  for (const tmp of inProgress) {
    try {
      unlinkSync(tmp);
      removed += 1;
    } catch {
      /* not yet created, or already renamed */
    }
  }
  inProgress.clear();
  return removed;
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM: removes the temporary files of the writes in progress
 * ({@link removeTemporaryOutputs}) and exits as the signal would (exit code 130 or 143). For the
 * `community-safety` command and its report processes; a library caller keeps its own handlers.
 */
export function removeTemporaryOutputsOnSignals(): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      removeTemporaryOutputs();
      process.exit(code);
    });
  }
}

/** A plain file name inside the output folder: no path separator, no `..`, no leading dot, no control character. */
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Writes every output file atomically: each is written to a hidden temporary file in the same
 * folder (flushed to disk; the files are written concurrently), and only when all are written
 * are they renamed into place, the report last. An interrupted run or a full disk therefore
 * never leaves a truncated file under an output's name: the folder holds the previous complete
 * file or none. On a failure the temporary files are removed, and on Ctrl-C too where the
 * process has {@link removeTemporaryOutputsOnSignals} (the CLI does).
 *
 * @throws InputError `invalid-option` when a file name (some derive from options such as
 *   `--areas-label`) is not a plain name inside the folder.
 */
export async function writeOutputs(folder: string, outputs: readonly { name: string; text: () => string | Uint8Array }[], options: { sync?: boolean } = {}): Promise<void> {
  const seen = new Set<string>();
  for (const o of outputs) {
    if (!SAFE_FILE_NAME.test(o.name) || o.name.includes("..")) throw new InputError("invalid-option", `assess: output file names must be plain names inside --out (letters, digits, ".", "-", "_"; no path separator or ".."), got "${o.name}"`);
    if (seen.has(o.name)) throw new InputError("invalid-option", `assess: output file names must be unique, got "${o.name}" twice`);
    seen.add(o.name);
  }
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temporary: [string, string][] = outputs.map((o) => [join(folder, `.${o.name}.${tag}.tmp`), join(folder, o.name)]);
  for (const [tmp] of temporary) inProgress.add(tmp);
  try {
    // The temporary files are written and flushed concurrently (one file system round trip for
    // the lot rather than one per file: a report is ~35 files, and `--all-areas` writes hundreds
    // of reports), then renamed in order, the report last.
    const settled = await Promise.allSettled(
      outputs.map(async (o, k) => {
        const handle = await open(temporary[k][0], "wx");
        try {
          await handle.writeFile(o.text());
          if (options.sync ?? true) await handle.datasync();
        } finally {
          await handle.close();
        }
      }),
    );
    // Every write has finished (or failed) before any is cleaned up: none is left behind half-written.
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    while (temporary.length) {
      const [tmp, final] = temporary[0];
      await rename(tmp, final);
      inProgress.delete(tmp);
      temporary.shift();
    }
  } catch (e) {
    // (A temporary file that was never opened is simply not there to remove.)
    await Promise.all(temporary.map(([tmp]) => unlink(tmp).catch(() => undefined)));
    throw e;
  } finally {
    for (const [tmp] of temporary) inProgress.delete(tmp);
  }
}
