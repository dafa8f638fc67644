import { escapeHtml, type Section } from "../report/html.js";

/**
 * One finding for the executive summary: a plain-English sentence with its numbers, and the
 * section that shows the evidence (the summary links to it). Sections return their findings
 * already worded and, under `--public`, already protected: the summary adds nothing of its own.
 */
export interface Finding {
  /** Id of the section holding the evidence (the link target). */
  readonly section: string;
  /** What a board reads: one sentence, numbers included, no method names. */
  readonly text: string;
  /** Where it goes in the summary: levels 10, change 20, highest/lowest 30, where 40, when 50, targets 60. */
  readonly order: number;
  /** Within the same `order`, larger first (e.g. the size of a change). Default 0. */
  readonly weight?: number;
}

/** The most findings the summary shows (a board reads a handful). */
export const SUMMARY_LIMIT = 8;

/**
 * The executive summary that opens the report: the handful of findings a board needs — the
 * level, the biggest changes that are real, highest or lowest in N years, where and when things
 * concentrate, and the targets' RAG — each one sentence with its numbers and a link to its
 * section, in plain English (the methods are in the notes under each section's figures).
 * Findings are ordered by `order` then `weight`; at most {@link SUMMARY_LIMIT}, and at most
 * three from any one section so no section crowds the others out.
 */
export function summarySection(findings: readonly Finding[], titles: ReadonlyMap<string, string>): Section {
  const perSection = new Map<string, number>();
  const chosen = [...findings]
    .sort((a, b) => a.order - b.order || (b.weight ?? 0) - (a.weight ?? 0))
    .filter((f) => {
      const n = perSection.get(f.section) ?? 0;
      if (n >= 3) return false;
      perSection.set(f.section, n + 1);
      return true;
    })
    .slice(0, SUMMARY_LIMIT);
  const items = chosen.map((f) => `<li>${escapeHtml(f.text)} <a href="#${escapeHtml(f.section)}">${escapeHtml(titles.get(f.section) ?? "details")} →</a></li>`);
  const html = items.length
    ? `<ul class="summary">${items.join("")}</ul><p class="note">Each change and difference named here is larger than chance would explain (tested at the 5% level); the tests, their assumptions and the data's coverage are set out in the sections linked.</p>`
    : `<p>No finding stands out: see the sections below.</p>`;
  return { id: "summary", title: "Summary", html };
}
