# R BOIN 2.7.2 on the data sets of boin_comb_cases.json (made by make_boin_comb_cases.py); writes boin_comb_r.json.
# Run from tests/reference:  Rscript boin_comb_r.R
# For every "next" case, for seeds 1..12:
#   set.seed(seed); next.comb(target, npts = n, ntox = y, dose.curr = current, n.earlystop, p.saf, p.tox,
#                             cutoff.eli, extrasafe, offset = 0.05)$next_dc
# (a tie between two neighbours is broken by runif(1), so the distinct answers over the seeds are recorded; NA = stop).
# For every "select" case:
#   select.mtd.comb(target, npts = n, ntox = y, cutoff.eli, extrasafe, offset = 0.05, boundMTD = FALSE / TRUE,
#                   p.tox, mtd.contour = FALSE)$MTD, its $p_est, and mtd.contour = TRUE)$MTD;
#   and the selection get.oc.comb uses inside its simulations (its local function select.mtd.comb.boin, the third
#   statement of body(get.oc.comb)): select.mtd.comb.boin(target, n, y, cutoff.eli, extrasafe, 0.05,
#   boundMTD = FALSE / TRUE, p.tox = p.tox, mtd.contour = FALSE)$MTD.
suppressMessages({library(BOIN); library(jsonlite)})
select.mtd.comb.boin <- eval(body(get.oc.comb)[[3]][[3]])
input <- fromJSON("boin_comb_cases.json", simplifyVector = FALSE)
mat <- function(x) do.call(rbind, lapply(x, unlist))
opt <- function(v, name, default) if (is.null(v[[name]])) default else v[[name]]
quiet <- function(expr) { out <- NULL; invisible(capture.output(out <- suppressWarnings(expr))); out }
results <- lapply(input$cases, function(case) {
  v <- input$variants[[case$variant + 1]]
  target <- v$target
  p.saf <- opt(v, "p_saf", 0.6 * target); p.tox <- opt(v, "p_tox", 1.4 * target)
  cutoff <- opt(v, "cutoff_eli", 0.95); extrasafe <- opt(v, "extrasafe", FALSE); early <- opt(v, "n_earlystop", 100)
  n <- mat(case$n); y <- mat(case$y)
  if (case$kind == "next") {
    answers <- unique(lapply(1:12, function(s) {
      set.seed(s)
      quiet(next.comb(target, npts = n, ntox = y, dose.curr = unlist(case$current), n.earlystop = early,
                      p.saf = p.saf, p.tox = p.tox, cutoff.eli = cutoff, extrasafe = extrasafe, offset = 0.05)$next_dc)
    }))
    list(next_dc = answers)
  } else {
    # when (1, 1) is eliminated select.mtd.comb stops with "object 'phat.out.noCI' not found" (BOIN 2.7.2):
    # its code has just set MTD = (99, 99), no MTD; that error is recorded as "none"
    sel <- function(bound, contour) tryCatch(
      quiet(select.mtd.comb(target, npts = n, ntox = y, cutoff.eli = cutoff, extrasafe = extrasafe, offset = 0.05,
                            boundMTD = bound, p.tox = p.tox, mtd.contour = contour)),
      error = function(e) if (grepl("phat.out.noCI", conditionMessage(e))) "none" else stop(e))
    plain <- sel(FALSE, FALSE); bounded <- sel(TRUE, FALSE); contour <- sel(FALSE, TRUE)
    sim <- function(bound) quiet(select.mtd.comb.boin(target, n, y, cutoff, extrasafe, 0.05, boundMTD = bound,
                                                      p.tox = p.tox, mtd.contour = FALSE))$MTD
    simulated <- list(sim_mtd = as.vector(sim(FALSE)), sim_mtd_bound = as.vector(sim(TRUE)))
    if (identical(plain, "none")) return(c(list(mtd = "none", mtd_bound = "none", contour = "none"), simulated))
    c(simulated, list(mtd = as.vector(plain$MTD), p_est = plain$p_est, mtd_bound = as.vector(bounded$MTD),
         contour = if (is.matrix(contour$MTD)) contour$MTD else as.vector(contour$MTD)))
  }
})
write(toJSON(list(r_version = R.version.string, boin = as.character(packageVersion("BOIN")),
                  iso = as.character(packageVersion("Iso")), results = results), digits = NA, na = "null"),
      "boin_comb_r.json")
