#!/usr/bin/env Rscript
# kde-spatstat.R -- spatstat's FFT kernel density on the oracle grid, timed in-process; run by
# bench/kde.ts as a child process on the same points as ours.
#
# Usage: Rscript bench/kde-spatstat.R POINTS.csv CELL H REPS OUT_DENSITY.csv OUT_META.json
#
# Grid: the oracle grid of shared/oracles/grid_common.R (x0 = floor(min(x)/CELL)*CELL,
# nx = floor((max(x) - x0)/CELL) + 1, likewise y), i.e. the grid `grid(points, { cellSize })`
# builds in the TypeScript library; pixel centres are the cell centres (checked below).
# Call, as shared/oracles/PEER_TIMINGS.md's `spatstat_density`:
#   W <- owin(grid box); X <- ppp(x, y, window = W, check = FALSE)
#   density.ppp(X, sigma = H / (2 * sqrt(2)), kernel = "quartic", dimyx = c(ny, nx), edge = FALSE)
# spatstat's sigma is the kernel's standard deviation per axis; the quartic (biweight) kernel of
# radius H has sd H / (2 sqrt 2) = H / sqrt(8), so this is the kernel of radius H, normalised to
# integrate to 1 (points per square metre): the same as kde_density of shared/oracles/kde.R
# (which checks it against density.ppp evaluated exactly at the centres).
# density.ppp with a pixel grid bins the points (pixellate: each point to the pixel containing
# it) and convolves by FFT: an approximation.
#
# Timing: proc.time()[["elapsed"]] around density.ppp(...) alone, REPS times ("density_s");
# owin + ppp are timed separately ("setup_s"). Reading the CSV, loading packages and R start-up
# are not timed here (bench/kde.ts reports the whole process's wall time too).
# Output: OUT_DENSITY.csv, one column `d`, the density per m^2 at each cell in oracle order (x
# fastest, rows south to north), %.17g; OUT_META.json with the times and versions.
suppressPackageStartupMessages({
  library(data.table)
  library(spatstat.explore)
})
a <- commandArgs(trailingOnly = TRUE)
if (length(a) != 6) stop("usage: kde-spatstat.R POINTS.csv CELL H REPS OUT_DENSITY.csv OUT_META.json")
pts <- fread(a[1], colClasses = c(x = "numeric", y = "numeric"))
cell <- as.numeric(a[2]); h <- as.numeric(a[3]); reps <- as.integer(a[4])
x0 <- floor(min(pts$x) / cell) * cell
y0 <- floor(min(pts$y) / cell) * cell
nx <- floor((max(pts$x) - x0) / cell) + 1
ny <- floor((max(pts$y) - y0) / cell) + 1
el <- function() proc.time()[["elapsed"]]
setup_s <- numeric(reps); density_s <- numeric(reps)
for (r in seq_len(reps)) {
  t0 <- el()
  W <- owin(x0 + c(0, nx * cell), y0 + c(0, ny * cell))
  X <- ppp(pts$x, pts$y, window = W, check = FALSE)
  t1 <- el()
  d <- density.ppp(X, sigma = h / (2 * sqrt(2)), kernel = "quartic",
                   dimyx = c(ny, nx), edge = FALSE)
  t2 <- el()
  setup_s[r] <- t1 - t0
  density_s[r] <- t2 - t1
}
# v[i, j]: row i = yrow[i] (increasing y), column j = xcol[j].
stopifnot(nrow(d$v) == ny, ncol(d$v) == nx)
stopifnot(abs(d$xcol[1] - (x0 + cell / 2)) < 1e-6 * cell, abs(d$yrow[1] - (y0 + cell / 2)) < 1e-6 * cell)
stopifnot(abs(d$xstep - cell) < 1e-9 * cell, abs(d$ystep - cell) < 1e-9 * cell)
v <- as.vector(t(d$v))
fwrite(data.table(d = sprintf("%.17g", v)), a[5], quote = FALSE)
writeLines(sprintf(paste0('{"R":"%s","spatstat_explore":"%s","spatstat_geom":"%s","n_points":%d,',
                          '"nx":%d,"ny":%d,"x0":%.17g,"y0":%.17g,"setup_s":[%s],"density_s":[%s]}'),
  paste(R.version$major, R.version$minor, sep = "."),
  as.character(packageVersion("spatstat.explore")), as.character(packageVersion("spatstat.geom")),
  nrow(pts), nx, ny, x0, y0,
  paste(sprintf("%.4f", setup_s), collapse = ","), paste(sprintf("%.4f", density_s), collapse = ",")), a[6])
