import { describe, it, expect } from "vitest";
import { csvParseRows, tsvParseRows } from "d3-dsv";
import { DelimitedParser, parseDelimited, InputError } from "@community-safety/core";

// d3-dsv is the independent oracle for field splitting: a different, widely used parser.
const SAMPLE = 'Crime ID,Month,Location\r\n,2020-01,"On or near Ellis Park, Glenfield"\r\nabc,2020-02,"say ""hi""\r\nsecond line"\r\nx,2020-03,On or near \r\n';

describe("DelimitedParser", () => {
  it("parseDelimited(text) splits quoted, escaped and multi-line fields as d3-dsv does", () => {
    const ours = parseDelimited(SAMPLE).map((r) => r.fields);
    expect(ours).toEqual(csvParseRows(SAMPLE.replace(/\r\n$/, "")));
    expect(ours[1][2]).toBe("On or near Ellis Park, Glenfield");
    expect(ours[2][2]).toBe('say "hi"\r\nsecond line');
  });

  it("gives the same rows whatever the chunk boundaries", () => {
    const whole = parseDelimited(SAMPLE);
    for (let cut = 0; cut <= SAMPLE.length; ++cut) {
      for (const cut2 of [cut, Math.min(SAMPLE.length, cut + 1), Math.min(SAMPLE.length, cut + 7)]) {
        const rows: { fields: string[]; line: number }[] = [];
        const p = new DelimitedParser((f, n, line) => rows.push({ fields: f.slice(0, n), line }));
        p.push(SAMPLE.slice(0, cut));
        p.push(SAMPLE.slice(cut, cut2));
        p.push(SAMPLE.slice(cut2));
        p.end();
        expect(rows, `cut at ${cut}/${cut2}`).toEqual(whole);
      }
    }
  });

  it("reports the physical line each row starts on, counting quoted line breaks", () => {
    expect(parseDelimited(SAMPLE).map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it("strips a leading BOM, accepts LF and lone CR, and skips blank lines (counted)", () => {
    const rows: string[][] = [];
    const p = new DelimitedParser((f, n) => rows.push(f.slice(0, n)));
    p.push("\ufeffa,b\n1,2\r\r\n3,4\r5,6");
    p.end();
    expect(rows).toEqual([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]);
    expect(p.blankLines).toBe(1);
    expect(p.rows).toBe(4);
  });

  it("passes ragged rows on with their real field count", () => {
    const counts: number[] = [];
    const p = new DelimitedParser((_, n) => counts.push(n));
    p.push("a,b,c\n1,2\n4,5,6,7\n");
    p.end();
    expect(counts).toEqual([3, 2, 4]);
  });

  it("flags a row that ends inside an open quote", () => {
    const seen: [string[], boolean][] = [];
    const p = new DelimitedParser((f, n, _l, u) => seen.push([f.slice(0, n), u]));
    p.push('a,b\n1,"open\n2,3\n');
    p.end();
    expect(seen[1]).toEqual([["1", "open\n2,3\n"], true]);
  });

  it("keeps an empty last field and a trailing delimiter", () => {
    expect(parseDelimited("a,b,\n,,").map((r) => r.fields)).toEqual([["a", "b", ""], ["", "", ""]]);
  });

  it("reads tab-separated text like d3's tsvParseRows", () => {
    const tsv = "month\tlongitude\n2022-01-01\t-2.5\n";
    expect(parseDelimited(tsv, { delimiter: "\t" }).map((r) => r.fields)).toEqual(tsvParseRows(tsv.trimEnd()));
  });

  it("rejects a delimiter that is not one character", () => {
    expect(() => new DelimitedParser(() => {}, { delimiter: ";;" })).toThrow(InputError);
    try {
      new DelimitedParser(() => {}, { delimiter: '"' });
    } catch (e) {
      expect((e as InputError).code).toBe("invalid-option");
      expect((e as Error).message).toBe('DelimitedParser: delimiter must be one character other than a quote or line break, got "\\""');
    }
  });
});
