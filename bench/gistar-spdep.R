#!/usr/bin/env Rscript
# gistar-spdep.R -- the peer side of bench/gistar.ts: spdep's Gi* on prebuilt cell counts.
#
#   Rscript bench/gistar-spdep.R CELLS.csv BAND_M REPS OUT_Z.csv OUT_TIMING.json
#
# CELLS.csv has x,y,count (cell centres in metres). Each rep times, with proc.time() (wall
# clock, excluding R start-up, package loading and reading the CSV), exactly what
# shared/oracles/gistar.R does after binning:
#   nb <- dnearneigh(cbind(x, y), 0, band * (1 + 1e-9))   (kd-tree via dbscan when installed)
#   lw <- nb2listw(include.self(nb), style = "B")
#   z  <- localG(count, lw)
# and writes the z of the last rep (round-trip exact) and the per-phase seconds of every rep.
suppressPackageStartupMessages({
  library(data.table)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 5) stop("usage: gistar-spdep.R CELLS.csv BAND_M REPS OUT_Z.csv OUT_TIMING.json")
d <- fread(args[1])
band <- as.numeric(args[2])
reps <- as.integer(args[3])
xy <- cbind(d$x, d$y)
now <- function() proc.time()[["elapsed"]]
runs <- vector("list", reps)
for (r in seq_len(reps)) {
  t0 <- now()
  nb <- dnearneigh(xy, 0, band * (1 + 1e-9))
  t1 <- now()
  lw <- nb2listw(include.self(nb), style = "B")
  t2 <- now()
  z <- as.numeric(localG(d$count, lw))
  t3 <- now()
  runs[[r]] <- c(dnearneigh = t1 - t0, nb2listw = t2 - t1, localG = t3 - t2, total = t3 - t0)
}
s <- sprintf("%.17g", z)
writeLines(c("z", s), args[4])
tot <- vapply(runs, function(v) v[["total"]], 0)
json <- sprintf(
  '{"R": "%s", "spdep": "%s", "dbscan": %s, "reps": %d, "total": [%s], "phases_last": {"dnearneigh": %.4f, "nb2listw": %.4f, "localG": %.4f}}',
  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("spdep")),
  if (requireNamespace("dbscan", quietly = TRUE)) paste0('"', as.character(packageVersion("dbscan")), '"') else "null",
  reps, paste(sprintf("%.4f", tot), collapse = ", "),
  runs[[reps]][["dnearneigh"]], runs[[reps]][["nb2listw"]], runs[[reps]][["localG"]])
writeLines(json, args[5])
