# Reference values for test_stats.c: Wilson score intervals from R's
# prop.test without continuity correction. Run: Rscript wilson.R
cases <- list(c(164, 164), c(0, 164), c(8, 10), c(401, 500), c(1, 3))
for (cs in cases) {
  ci <- prop.test(cs[1], cs[2], correct = FALSE)$conf.int
  cat(sprintf("{ %g, %g, %.7f, %.7f },\n", cs[1], cs[2], ci[1], ci[2]))
}
