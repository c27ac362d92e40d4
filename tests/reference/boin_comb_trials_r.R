# Trials conducted with R BOIN 2.7.2's own trial functions: after each cohort next.comb() gives the next combination
# (NA: stop), at the end select.mtd.comb() the MTD -- the rules BOINComb(rules = "next.comb") simulates.
# get.oc.comb() simulates different rules (see the BOINComb docstring), so this loop is the reference for them.
# Usage: Rscript boin_comb_trials_r.R <scenario 1|2> <ntrial> <seed>; prints the selection %, mean patients, mean DLTs.
suppressMessages(library(BOIN))
args <- as.integer(commandArgs(trailingOnly = TRUE))
scenario <- args[1]; ntrial <- args[2]; set.seed(args[3])
if (scenario == 1) {
  p <- matrix(c(0.01,0.03,0.10,0.20,0.30, 0.03,0.05,0.15,0.30,0.60, 0.08,0.10,0.30,0.60,0.75), byrow=TRUE, ncol=5)
  target <- 0.3; ncohort <- 20; early <- 12; extrasafe <- FALSE
} else {
  p <- matrix(c(0.05,0.10,0.20,0.30, 0.10,0.20,0.30,0.45, 0.20,0.30,0.45,0.60), byrow=TRUE, ncol=4)
  target <- 0.25; ncohort <- 15; early <- 100; extrasafe <- TRUE
}
sel <- matrix(0, nrow(p), ncol(p)); N <- sel; Y <- sel; none <- 0
for (trial in 1:ntrial) {
  n <- matrix(0, nrow(p), ncol(p)); y <- n; d <- c(1, 1)
  for (i in 1:ncohort) {
    n[d[1], d[2]] <- n[d[1], d[2]] + 3
    y[d[1], d[2]] <- y[d[1], d[2]] + rbinom(1, 3, p[d[1], d[2]])
    invisible(capture.output(d <- next.comb(target, n, y, d, n.earlystop = early, extrasafe = extrasafe)$next_dc))
    if (is.na(d[1])) break
  }
  mtd <- tryCatch({invisible(capture.output(m <- select.mtd.comb(target, n, y, extrasafe = extrasafe)$MTD)); m},
                  error = function(e) matrix(99, 1, 2))   # (1, 1) eliminated: BOIN 2.7.2 errors after MTD = 99
  if (mtd[1, 1] == 99) none <- none + 1 else sel[mtd[1, 1], mtd[1, 2]] <- sel[mtd[1, 1], mtd[1, 2]] + 1
  N <- N + n; Y <- Y + y
}
dput(list(sel = 100 * sel / ntrial, npat = N / ntrial, ntox = Y / ntrial, none = 100 * none / ntrial))
