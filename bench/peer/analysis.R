#!/usr/bin/env Rscript
# The analysis of index, correlate and nudge-regress written plainly in R on the tidy records table,
# as a peer for bench/peer-scale.ts: per area and theme, the individual index and the indicators
# (Table 2 with t intervals), the correlations of each index with every predictor asked (pairwise
# complete, Fisher-z intervals, BH across each table), and the OLS of each index on the nudge groups
# with the predictors as controls, classical and HC3 standard errors (sandwich).
#
#   Rscript bench/peer/analysis.R <dir of records CSVs, one per export> <output dir>
#
# The CSVs are what `pipeline show 'clean[<wave>,<area>]:records.arrow' --csv` prints: one row per
# respondent, one integer code per variable, missing kinds as negative codes (schemas/records.table.json).
suppressPackageStartupMessages({
  library(data.table)
  library(sandwich)
})

args <- commandArgs(trailingOnly = TRUE)
input <- args[1]
output <- args[2]
dir.create(output, showWarnings = FALSE, recursive = TRUE)

NOT_ASKED <- -4
MIN_ACTIVITY_ANSWERS <- 2
THEMES <- c("environment", "community safety", "wellbeing", "health")
PREDICTORS <- c("conditions", "satisfaction_response", "satisfaction_information", "satisfaction_consultation", "self_efficacy")
DEMOGRAPHICS <- c(gender = "gender", age = "age_band", ethnicity = "ethnicity")
SPLIT_ITEMS <- c("crime", "anti-social behaviour")
NUDGES <- c("none", "A", "B", "both") # codes 0-3

answer <- function(v) replace(v, v < 0, NA) # every missing kind is missing here
yes <- function(v, from, to) ifelse(v < 0, NA, ifelse(v >= from & v <= to, 100, 0))
starts <- function(names, prefix) names[startsWith(names, prefix)]

mean_ci <- function(y) {
  y <- y[!is.na(y)]
  n <- length(y)
  if (n < 2) return(c(mean = if (n) mean(y) else NA, low = NA, high = NA))
  h <- qt(0.975, n - 1) * sd(y) / sqrt(n)
  c(mean = mean(y), low = mean(y) - h, high = mean(y) + h)
}

correlation <- function(y, x) {
  ok <- !is.na(y) & !is.na(x)
  n <- sum(ok)
  t <- cor.test(y[ok], x[ok])
  ci <- if (n > 3) t$conf.int else c(NA, NA)
  list(r = unname(t$estimate), n = n, p = t$p.value, ci_low = ci[1], ci_high = ci[2])
}

table2 <- list(); table3 <- list(); table4 <- list(); table5 <- list()

for (file in sort(list.files(input, pattern = "\\.csv$", full.names = TRUE))) {
  records <- fread(file, check.names = FALSE)
  wave <- records$wave[1]
  area <- records$area[1]
  for (theme in THEMES) {
    cols <- starts(names(records), paste0(theme, "/"))
    if (!length(cols)) next
    # A respondent carries the theme when any of its questions was asked.
    asked <- rowSums(as.matrix(records[, ..cols]) != NOT_ASKED) > 0
    g <- records[asked]
    if (!nrow(g)) next

    activities <- as.matrix(g[, starts(cols, paste0(theme, "/activities/")), with = FALSE])
    activities[activities < 0] <- NA
    answered <- rowSums(!is.na(activities))
    individual <- ifelse(answered >= MIN_ACTIVITY_ANSWERS, 100 * rowSums(activities <= 2, na.rm = TRUE) / answered, NA)
    field <- function(name) g[[paste0(theme, "/", name)]]
    collective <- if (!is.null(field("join_groups"))) yes(field("join_groups"), 1, 2) else NULL
    willing <- if (!is.null(field("willing_time"))) yes(field("willing_time"), 3, 4) else NULL

    ci <- lapply(list(individual = individual, collective = collective, willing = willing), function(y) if (is.null(y)) c(NA, NA, NA) else mean_ci(y))
    table2[[length(table2) + 1]] <- data.table(wave, area, theme, respondents = nrow(g),
      individual_pct = ci$individual[1], collective_pct = ci$collective[1], willing_pct = ci$willing[1],
      individual_ci_low = ci$individual[2], individual_ci_high = ci$individual[3],
      collective_ci_low = ci$collective[2], collective_ci_high = ci$collective[3],
      willing_ci_low = ci$willing[2], willing_ci_high = ci$willing[3])

    # Predictor columns asked here: each theme predictor (whole or per sub-item), then demographics.
    predictor_cols <- unlist(lapply(PREDICTORS, function(p) cols[cols == paste0(theme, "/", p) | startsWith(cols, paste0(theme, "/", p, "/"))]))
    predictor_cols <- predictor_cols[vapply(predictor_cols, function(c) any(g[[c]] != NOT_ASKED), logical(1))]
    demographic_cols <- unname(DEMOGRAPHICS[DEMOGRAPHICS %in% names(g)])
    predictors <- lapply(g[, c(predictor_cols, demographic_cols), with = FALSE], answer)

    for (column in names(predictors)) {
      item <- sub(paste0("^", theme, "/[a-z_]+/?"), "", column)
      name <- if (column %in% DEMOGRAPHICS) names(DEMOGRAPHICS)[DEMOGRAPHICS == column] else sub("/.*$", "", sub(paste0("^", theme, "/"), "", column))
      row <- function(r) data.table(wave, area, theme, predictor = name, item = if (column %in% DEMOGRAPHICS) "" else item, r = r$r, n = r$n, p = r$p, ci_low = r$ci_low, ci_high = r$ci_high)
      table3[[length(table3) + 1]] <- row(correlation(individual, predictors[[column]]))
      if (!is.null(collective)) table4[[length(table4) + 1]] <- row(correlation(collective, predictors[[column]]))
    }

    # Table 5: where the nudge was assigned, OLS of each index on the nudge groups with the predictors
    # as controls; predictors asked once about crime and once about ASB give one model per version.
    nudge <- g$nudge
    if (is.null(nudge) || !any(nudge >= 0)) next
    versions <- SPLIT_ITEMS[vapply(SPLIT_ITEMS, function(s) any(endsWith(predictor_cols, paste0("/", s))), logical(1))]
    if (!length(versions)) versions <- ""
    for (version in versions) {
      other <- setdiff(SPLIT_ITEMS, version)
      controls <- names(predictors)[!vapply(names(predictors), function(c) version != "" && any(endsWith(c, paste0("/", other))), logical(1))]
      frame <- as.data.frame(predictors[controls], check.names = FALSE)
      names(frame) <- paste0("x", seq_along(controls))
      frame$nudge <- factor(ifelse(nudge < 0, NA, NUDGES[nudge + 1]), levels = NUDGES)
      for (outcome in c("individual", "collective")) {
        y <- if (outcome == "individual") individual else collective
        if (is.null(y)) next
        frame$y <- y
        fit <- lm(y ~ ., data = frame)
        s <- summary(fit)$coefficients
        hc3 <- sqrt(diag(vcovHC(fit, type = "HC3")))
        terms <- paste0("nudge", NUDGES[-1])
        table5[[length(table5) + 1]] <- data.table(wave, area, theme, item = version, outcome, term = c("nudge_a", "nudge_b", "both"),
          coef = s[terms, 1], se = s[terms, 2], t = s[terms, 3], p = s[terms, 4], se_hc3 = hc3[terms],
          p_hc3 = 2 * pt(-abs(s[terms, 1] / hc3[terms]), fit$df.residual), n = nobs(fit))
      }
    }
  }
  rm(records, g)
}

bh <- function(t) t[, p_bh := p.adjust(p, method = "BH")]
fwrite(rbindlist(table2), file.path(output, "table2.csv"))
fwrite(bh(rbindlist(table3)), file.path(output, "table3.csv"))
fwrite(bh(rbindlist(table4)), file.path(output, "table4.csv"))
fwrite(rbindlist(table5), file.path(output, "table5.csv"))
