# Peer for bench/knox.ts: the Knox test exactly as the R package NearRepeat (Steenbeek)
# computes it (R/NearRepeat.R: dist() matrices, cut(right = FALSE), table(), and one
# dist(sample(time)) per replication; future_lapply's default plan is sequential, so lapply
# here), in base R. NearRepeat itself is not packaged for Debian.
#
# Usage: Rscript bench/knox.R events.csv nrep method sds tds
#   events.csv: columns x,y,t; sds/tds: comma-separated breaks, e.g. 0,100,200
# Prints one JSON line: observed counts (row-major: distance band, then time band), the
# permutation means, setup and replication timings (seconds, elapsed), and R's peak memory.
args <- commandArgs(trailingOnly = TRUE)
ev <- read.csv(args[1])
nrep <- as.integer(args[2])
method <- args[3]
sds <- as.numeric(strsplit(args[4], ",")[[1]])
tds <- as.numeric(strsplit(args[5], ",")[[1]])
set.seed(1)
invisible(gc(reset = TRUE))

t0 <- proc.time()[["elapsed"]]
xy <- cbind(ev$x, ev$y)
s_dist <- dist(xy, method = method)
t_dist <- dist(ev$t)
observed <- table(cut(s_dist, sds, include.lowest = FALSE, right = FALSE, dig.lab = 10),
                  cut(t_dist, tds, include.lowest = FALSE, right = FALSE, dig.lab = 10))
spat_cut <- cut(s_dist, sds, include.lowest = FALSE, right = FALSE, dig.lab = 10)
t1 <- proc.time()[["elapsed"]]
mylist <- lapply(seq_len(nrep), function(i) {
  t_dist_perm <- dist(sample(ev$t))
  table(spat_cut, cut(t_dist_perm, tds, include.lowest = FALSE, right = FALSE, dig.lab = 10))
})
array_Knox <- array(data = as.numeric(unlist(mylist)), dim = c(dim(observed), nrep))
knox_ratio <- observed / apply(array_Knox, 1:2, mean)
pvalues <- observed
for (i in seq_len(nrow(pvalues))) for (j in seq_len(ncol(pvalues))) pvalues[i, j] <- (sum(array_Knox[i, j, ] >= observed[i, j]) + 1) / (nrep + 1)
t2 <- proc.time()[["elapsed"]]
mem <- gc()
peak_mb <- sum(mem[, ncol(mem)]) # "max used" (Mb) over Ncells and Vcells

rowmajor <- function(m) as.vector(t(unclass(m)))
cat(sprintf('{"R":"%s","n":%d,"nrep":%d,"setupSeconds":%.3f,"replicationSeconds":%.3f,"perReplicationSeconds":%.4f,"peakMb":%.0f,"observed":[%s],"meanPermuted":[%s],"pValue":[%s]}\n',
  R.version.string, nrow(ev), nrep, t1 - t0, t2 - t1, (t2 - t1) / nrep, peak_mb,
  paste(rowmajor(observed), collapse = ","), paste(format(rowmajor(apply(array_Knox, 1:2, mean)), digits = 15), collapse = ","),
  paste(format(rowmajor(pvalues), digits = 15), collapse = ",")))
