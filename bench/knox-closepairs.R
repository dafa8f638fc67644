# Peer for bench/knox.ts: the fastest honest Knox test we could write in R. Not NearRepeat's
# all-pairs method (bench/knox.R) but the close-pairs method: the pairs closer than the last
# distance break are found once (dbscan::frNN, a kd-tree fixed-radius search), their distance
# bands computed once, and each replication permutes the times and recomputes only those
# pairs' time bands, vectorised, tabulating the cell codes with tabulate(). Half-open bands
# [a, b), as NearRepeat's cut(right = FALSE); Euclidean distance.
#
# Two per-replication kernels, same counts:
#   "lut" (used when every time is a whole number and the gap table is small, as whole days
#     are): tp <- sample(t); code <- lut[tp[I] - tp[J] + off]; tabulate(code, nbins). `lut`
#     maps (distance band, signed day gap) straight to the cell (0 = no cell, ignored by
#     tabulate), so a replication is 2 gathers, a subtraction, an addition, 1 gather and
#     tabulate over the close pairs, with no abs() and no findInterval() pass.
#   "findInterval" (any times): tb <- findInterval(abs(tp[I] - tp[J]), tds);
#     tabulate(db * nt + tb) with out-of-band gaps dropped.
# The kernel for the timed run is chosen by the script ("auto"), or forced with a 6th argument.
#
# Needs: R with dbscan (Debian: apt-get install r-cran-dbscan).
# Usage: Rscript bench/knox-closepairs.R events.csv nrep sds tds [check] [kernel]
#   events.csv: columns x,y,t; sds/tds: comma-separated breaks, e.g. 0,100,200
#   check: "check" also times 3 replications of the other kernel and checks its observed counts
# Prints one JSON line: observed counts (row-major: distance band, then time band), permutation
# means, p-values, close pairs, setup and replication timings (seconds, elapsed), R's peak memory.
suppressPackageStartupMessages(library(dbscan))
args <- commandArgs(trailingOnly = TRUE)
ev <- read.csv(args[1])
nrep <- as.integer(args[2])
sds <- as.numeric(strsplit(args[3], ",")[[1]])
tds <- as.numeric(strsplit(args[4], ",")[[1]])
check <- length(args) >= 5 && args[5] == "check"
kernel <- if (length(args) >= 6) args[6] else "auto"
set.seed(1)
invisible(gc(reset = TRUE))
el <- function() proc.time()[["elapsed"]]
ns <- length(sds) - 1L
nt <- length(tds) - 1L
nbins <- ns * nt

t0 <- el()
x <- ev$x; y <- ev$y; tt <- ev$t
# Close pairs, each once (i < j), with their distance band; the distance recomputed in double
# precision exactly as knoxTest does, so pairs on a break fall in the same band.
nn <- frNN(cbind(x, y), eps = sds[ns + 1L], sort = FALSE)
len <- lengths(nn$id)
I <- rep.int(seq_along(len), len)
J <- unlist(nn$id, use.names = FALSE)
rm(nn)
keep <- I < J
I <- I[keep]; J <- J[keep]
d <- sqrt((x[I] - x[J])^2 + (y[I] - y[J])^2)
db <- findInterval(d, sds)                 # [sds[k], sds[k + 1]) -> k
keep <- db >= 1L & db <= ns
I <- I[keep]; J <- J[keep]; db <- db[keep]
rm(d, keep, len)

# Kernel 1: findInterval on |gap|, for any times.
dbase <- (db - 1L) * nt
tab_fi <- function(tp) {
  tb <- findInterval(abs(tp[I] - tp[J]), tds)
  tb[tb < 1L | tb > nt] <- NA_integer_    # outside [tds[1], tds[nt + 1]): no cell
  tabulate(dbase + tb, nbins)
}
# Kernel 2: lookup table on the signed integer gap, whole-number times only.
whole <- all(tt == round(tt)) && (max(tt) - min(tt)) < 1e6
if (whole) {
  ti <- as.integer(tt - min(tt))
  W <- max(ti)                             # gaps -W .. W
  gaps <- -W:W
  tb <- findInterval(abs(gaps), tds)
  tb[tb < 1L | tb > nt] <- NA_integer_
  lut <- integer(ns * length(gaps))
  for (b in seq_len(ns)) {
    cell <- (b - 1L) * nt + tb
    cell[is.na(cell)] <- 0L                  # 0: ignored by tabulate
    lut[(b - 1L) * length(gaps) + seq_along(gaps)] <- cell
  }
  off <- (db - 1L) * length(gaps) + W + 1L  # lut index = gap + off
  rm(gaps, tb, cell)
  tab_lut <- function(tp) tabulate(lut[tp[I] - tp[J] + off], nbins)
}
if (kernel == "auto") kernel <- if (whole) "lut" else "findInterval"
if (kernel == "lut" && !whole) stop("lut kernel needs whole-number times")
tab <- if (kernel == "lut") tab_lut else tab_fi
tvec <- if (kernel == "lut") ti else tt
observed <- tab(tvec)
t1 <- el()

sum1 <- numeric(nbins); sum2 <- numeric(nbins); atleast <- numeric(nbins)
for (r in seq_len(nrep)) {
  cnt <- as.numeric(tab(sample(tvec)))
  sum1 <- sum1 + cnt
  sum2 <- sum2 + cnt * cnt
  atleast <- atleast + (cnt >= observed)
}
t2 <- el()
mean_perm <- sum1 / nrep
pv <- (atleast + 1) / (nrep + 1)

other <- "null"
if (check) {
  okind <- if (kernel == "lut") "findInterval" else "lut"
  if (okind == "lut" && !whole) {
    other <- '{"kernel":"lut","skipped":"times not whole numbers"}'
  } else {
    otab <- if (okind == "lut") tab_lut else tab_fi
    ovec <- if (okind == "lut") ti else tt
    oobs <- otab(ovec)
    s0 <- el()
    for (r in 1:3) invisible(otab(sample(ovec)))
    s1 <- el()
    other <- sprintf('{"kernel":"%s","perReplicationSeconds":%.5f,"observedEqual":%s}', okind, (s1 - s0) / 3,
                     if (identical(as.numeric(oobs), as.numeric(observed))) "true" else "false")
  }
}
mem <- gc()
peak_mb <- sum(mem[, ncol(mem)])

cat(sprintf('{"R":"%s","dbscan":"%s","kernel":"%s","n":%d,"closePairs":%d,"nrep":%d,"setupSeconds":%.3f,"replicationSeconds":%.3f,"perReplicationSeconds":%.5f,"peakMb":%.0f,"observed":[%s],"meanPermuted":[%s],"pValue":[%s],"other":%s}\n',
  R.version.string, as.character(packageVersion("dbscan")), kernel, nrow(ev), length(I), nrep,
  t1 - t0, t2 - t1, (t2 - t1) / max(nrep, 1), peak_mb,
  paste(observed, collapse = ","), paste(format(mean_perm, digits = 15), collapse = ","),
  paste(format(pv, digits = 15), collapse = ","), other))
