# Reference values for harness/tests/test_stats.c, computed with R's own
# functions (binom.test, prop.test, p.adjust, choose, qnorm) or, where R has
# none, with the textbook formula written out here independently of the C.
# Regenerate:  Rscript reference.R > reference.txt
# Each line: NAME ARGS... = VALUES...
out <- function(name, args, vals) cat(name, format(args, digits = 15), "=", format(vals, digits = 15), "\n")

# Wilson score interval: prop.test without continuity correction
for (x in list(c(164, 164), c(0, 164), c(8, 10), c(401, 500), c(1, 3), c(6, 40)))
  out("wilson", x, suppressWarnings(prop.test(x[1], x[2], correct = FALSE))$conf.int)

# Clopper-Pearson: binom.test's interval
for (x in list(c(0, 10), c(10, 10), c(3, 20), c(164, 164), c(1, 1), c(5, 50), c(45, 50)))
  out("clopper", x, binom.test(x[1], x[2])$conf.int)

# McNemar's exact test: binom.test on the discordant pairs
for (x in list(c(3, 12), c(0, 5), c(7, 7), c(10, 25), c(1, 0), c(40, 60)))
  out("mcnemar", x, binom.test(min(x), sum(x), 0.5)$p.value)

# Holm
p <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04)
out("holm", p, p.adjust(p, "holm"))

# Bonett-Price (2012) paired-difference interval, written out
bp <- function(n10, n01, n) {
  p10 <- (n10 + 1) / (n + 2); p01 <- (n01 + 1) / (n + 2)
  d <- p01 - p10; se <- sqrt((p10 + p01 - d^2) / (n + 2)); z <- qnorm(0.975)
  c(max(-1, d - z * se), min(1, d + z * se))
}
for (x in list(c(3, 12, 100), c(0, 0, 10), c(10, 2, 50)))
  out("bonett_price", x, bp(x[1], x[2], x[3]))

# Fieller's interval for mx/my, written out
fieller <- function(mx, my, vx, vy, cxy) {
  t <- qnorm(0.975); g <- t^2 * vy / my^2
  if (g >= 1) return(c(NaN, NaN))
  r <- mx / my
  c0 <- r - g * cxy / vy
  h <- t / abs(my) * sqrt(vx - 2 * r * cxy + r^2 * vy - g * (vx - cxy^2 / vy))
  c((c0 - h) / (1 - g), (c0 + h) / (1 - g))
}
for (x in list(c(0.02, 0.8, 1e-6, 4e-4, 2e-6), c(1, 0.05, 0.01, 0.001, 0)))
  out("fieller", x, fieller(x[1], x[2], x[3], x[4], x[5]))

# pass@k in its combinatorial form (the C uses the product form), pass^k
for (x in list(c(10, 3, 1), c(10, 3, 5), c(10, 0, 3), c(10, 10, 10), c(200, 37, 100), c(5, 4, 2)))
  out("pass_at_k", x, 1 - choose(x[1] - x[2], x[3]) / choose(x[1], x[3]))
for (x in list(c(10, 3, 1), c(10, 3, 2), c(10, 10, 10), c(10, 2, 3), c(5, 4, 2)))
  out("pass_hat_k", x, choose(x[2], x[3]) / choose(x[1], x[3]))

# cluster-robust variance of a mean, clusters of unequal size (G/(G-1) corrected)
x <- c(1, 0, 1, 1, 0, 0, 1, 0.5, 1, 0)
g <- c(1, 1, 1, 2, 2, 3, 4, 4, 4, 4)
n <- length(x); G <- length(unique(g)); s <- tapply(x - mean(x), g, sum)
out("cluster_var", c(x, g), G / (G - 1) * sum(s^2) / n^2)
out("task_var", x, var(x) / n)

# planning: tasks for a paired comparison, written out
plan <- function(p, d, r, k, icc) {
  sh <- if (k > 1) (1 + (k - 1) * icc) / k else 1
  v1 <- p * (1 - p) * sh; v2 <- (p + d) * (1 - p - d) * sh
  v <- v1 + v2 - 2 * r * sqrt(v1 * v2)
  ceiling((qnorm(0.975) + qnorm(0.8))^2 * v / d^2)
}
for (x in list(c(0.8, 0.03, 0.5, 1, 0.6), c(0.802, 0.006, 0.5, 1, 0.6), c(0.5, 0.1, 0, 3, 0.6)))
  out("plan_tasks", x, plan(x[1], x[2], x[3], x[4], x[5]))
