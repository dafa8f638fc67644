// readTextChunks: all-ASCII chunks are copied as one-byte text instead of decoded; the text must be
// exactly what a whole-file UTF-8 decode gives (Node's Buffer#toString("utf8")), whatever falls on
// a chunk boundary. Files are read in 1 MiB chunks (1,048,576 bytes) and each is decoded in 32 KiB
// pieces (32,768 bytes: a string of more than 128 KiB would go to V8's large-object space), so each
// case below puts its byte sequence across, or just after, a read boundary or a piece boundary
// inside a read.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readTextChunks } from "@community-safety/core/node";

const MIB = 1 << 20;
const PIECE = 1 << 15;
const dir = mkdtempSync(join(tmpdir(), "cs-text-chunks-"));

async function readAll(path: string): Promise<{ text: string; chunks: number }> {
  let text = "";
  let chunks = 0;
  for await (const c of readTextChunks(path)) {
    text += c;
    chunks += 1;
  }
  return { text, chunks };
}

/** `size` bytes of ASCII CSV-like text ("a,b\n" repeated), then the tail. */
function file(name: string, head: Buffer, asciiBytes: number, tail: Buffer, gz = false): { path: string; bytes: Buffer } {
  const line = Buffer.from("Crime ID,Month\n");
  const body = Buffer.alloc(asciiBytes);
  for (let k = 0; k < asciiBytes; ++k) body[k] = line[k % line.length];
  const bytes = Buffer.concat([head, body, tail]);
  const path = join(dir, name + (gz ? ".gz" : ""));
  writeFileSync(path, gz ? gzipSync(bytes) : bytes);
  return { path, bytes };
}

const ascii = (s: string) => Buffer.from(s, "utf8");

describe("readTextChunks (ASCII fast path)", () => {
  it("gives a whole-file UTF-8 decode of an ASCII file over several chunks, as 32 KiB pieces", async () => {
    const f = file("ascii.csv", Buffer.alloc(0), 2 * MIB + 123, ascii("end\n"));
    const r = await readAll(f.path);
    expect(r.chunks).toBe(2 * (MIB / PIECE) + 1); // 64 whole pieces, then 127 bytes
    expect(r.text).toBe(f.bytes.toString("utf8"));
  });

  it("never yields a string of more than 32 Ki characters", async () => {
    const f = file("pieces.csv", Buffer.alloc(0), MIB + 5, ascii("Café\n"));
    let longest = 0;
    for await (const c of readTextChunks(f.path)) longest = Math.max(longest, c.length);
    expect(longest).toBe(PIECE);
  });

  it("decodes characters split across a piece boundary inside a read (é at 32,767–8, 🚲 at 65,534–7)", async () => {
    const tail = Buffer.concat([ascii("é"), Buffer.alloc(PIECE - 3, 0x61), ascii("🚲\n")]);
    const f = file("piece-split.csv", Buffer.alloc(0), PIECE - 1, tail);
    expect(f.bytes[PIECE - 1]).toBe(0xc3);
    expect(f.bytes.subarray(2 * PIECE - 2, 2 * PIECE + 2)).toEqual(Buffer.from("🚲"));
    const r = await readAll(f.path);
    expect(r.text).toBe(f.bytes.toString("utf8"));
    expect(r.text).not.toContain("\uFFFD");
  });

  it("decodes a character split across the chunk boundary (é = C3 A9 at bytes 1,048,575–6)", async () => {
    const f = file("split.csv", Buffer.alloc(0), MIB - 1, Buffer.concat([ascii("é,Café\n"), Buffer.alloc(10, 0x41)]));
    expect(f.bytes[MIB - 1]).toBe(0xc3);
    expect(f.bytes[MIB]).toBe(0xa9);
    const r = await readAll(f.path);
    expect(r.text).toBe(f.bytes.toString("utf8"));
    expect(r.text.slice(MIB - 1, MIB + 6)).toBe("é,Café\n");
    expect(r.text).not.toContain("\uFFFD");
  });

  it("removes a byte-order mark at the start of the file only, keeping a U+FEFF that opens a later chunk", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const f = file("bom.csv", bom, MIB - 3, Buffer.concat([bom, ascii("x\n")]));
    expect(f.bytes.subarray(MIB, MIB + 3)).toEqual(bom);
    const r = await readAll(f.path);
    // Whole-file decode: Buffer#toString keeps every U+FEFF; the leading one is the file's mark.
    expect(r.text).toBe(f.bytes.toString("utf8").slice(1));
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(r.text.charCodeAt(MIB - 3)).toBe(0xfeff);
  });

  it("keeps a U+FEFF right after an all-ASCII first chunk, gzipped too", async () => {
    const f = file("late-feff.csv", Buffer.alloc(0), MIB, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ascii("y\n")]), true);
    const r = await readAll(f.path);
    expect(r.text).toBe(f.bytes.toString("utf8"));
    expect(r.text.charCodeAt(MIB)).toBe(0xfeff);
  });

  it("puts a stray lead byte's replacement character where the byte was, when an ASCII chunk follows", async () => {
    // C3 (the first byte of a two-byte character) ends chunk 1; chunk 2 opens with ASCII: the
    // decoder must be asked to finish the C3 before chunk 2's text, as one whole decode does.
    const f = file("stray.csv", Buffer.alloc(0), MIB - 1, Buffer.concat([Buffer.from([0xc3]), Buffer.alloc(MIB + 5, 0x43)]));
    const r = await readAll(f.path);
    expect(r.text).toBe(f.bytes.toString("utf8"));
    expect(r.text.charCodeAt(MIB - 1)).toBe(0xfffd);
  });

  it("decodes a gzipped file with a split character exactly", async () => {
    const f = file("split.csv", ascii("\uFEFFid,street\n"), MIB - 20, Buffer.concat([ascii("Ffordd Glyndŵr ‘quoted’ 🚲\n"), Buffer.alloc(MIB, 0x42)]), true);
    const r = await readAll(f.path);
    expect(r.text).toBe(f.bytes.toString("utf8").slice(1));
    expect(r.text).toContain("Ffordd Glyndŵr ‘quoted’ 🚲\n");
  });
});
