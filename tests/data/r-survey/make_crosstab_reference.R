# Reference figures for crosstabs, chi-square tests, top-two-box shares and medians, made with
# R's survey package (written against survey 4.1) for tests/analysis/crosstab_test.cpp.
#
# Run in this folder:  Rscript make_crosstab_reference.R
# (Debian: apt-get install r-base-core r-cran-survey). It reads sample.csv and margins.csv (the
# 400-respondent sample of make_reference.R in the shared reference), makes a second sample of
# its own (services.csv, services_margins.csv) and writes crosstab_shares.csv, crosstab_tests.csv
# and scale_figures.csv. CI has no R: the outputs are committed beside this script.
suppressMessages(library(survey))

# --- The samples ----------------------------------------------------------------------------

sample_df <- read.csv("sample.csv", stringsAsFactors = FALSE)
margins <- read.csv("margins.csv", stringsAsFactors = FALSE)

# A second sample: 600 respondents in three regions; how often they use a municipal service
# (four categories, "daily" kept rare in the north: a sparse cell), satisfaction on a 1-5 scale,
# household size and monthly costs (some not answered). Exactly two people in the north, both
# women, use the service daily: a sparse cell in region x service use, and an empty one (men)
# in the three-way table.
set.seed(20240611)
n <- 600
region <- sample(c("north", "centre", "south"), n, replace = TRUE, prob = c(.25, .45, .30))
sex <- sample(c("m", "f"), n, replace = TRUE, prob = c(.42, .58))
use_probs <- list(north = c(.56, .30, .14, 0), centre = c(.35, .30, .20, .15),
                  south = c(.40, .25, .20, .15))
service_use <- vapply(region, function(r)
  sample(c("none", "occasional", "regular", "daily"), 1, prob = use_probs[[r]]), "")
service_use[which(region == "north" & sex == "f")[1:2]] <- "daily"
satisfaction <- as.character(pmin(5, pmax(1, round(3.2 + rnorm(n) + (service_use == "daily")))))
household_size <- pmin(8, 1 + rpois(n, 1.6))
monthly_costs <- round(exp(rnorm(n, log(180), 0.6)) + 40 * (sex == "f"), 2)
monthly_costs[sample(n, 45)] <- NA
services <- data.frame(id = 1:n, region, sex, service_use, satisfaction, household_size,
                       monthly_costs, stringsAsFactors = FALSE)
write.csv(services, "services.csv", row.names = FALSE, na = "")
services_margins <- rbind(
  data.frame(variable = "region", category = c("north", "centre", "south"),
             population = c(5200, 7100, 4700)),
  data.frame(variable = "sex", category = c("m", "f"), population = c(8300, 8700)))
write.csv(services_margins, "services_margins.csv", row.names = FALSE)

# --- Raking, as make_reference.R does: starting weights 1, margins in file order --------------

source("raking.R")

home <- raked(sample_df, margins)
serv <- raked(services, services_margins)

# --- Crosstab shares -------------------------------------------------------------------------
# One line per figure: dataset, kind (cell: share of the table; row: share within the row;
# column: share within the column; row_total, column_total: the margins' shares; weighted: the
# svytable count), the layer (empty for two-way), the row and column choices, the estimate, its
# standard error and, for cells, svyciprop's logit 95% interval.

share_lines <- list()
add_share <- function(dataset, kind, layer, row, column, estimate, se = NA, low = NA, high = NA) {
  share_lines[[length(share_lines) + 1]] <<- data.frame(
    dataset, kind, layer, row, column, estimate = sprintf("%.12g", estimate),
    se = sprintf("%.12g", se), low = sprintf("%.12g", low), high = sprintf("%.12g", high))
}

crosstab_figures <- function(dataset, design, a, b, layer = "") {
  # The choices someone in the table (the layer's domain) gave.
  present <- weights(design) > 0
  rows <- sort(unique(design$variables[[a]][present]))
  cols <- sort(unique(design$variables[[b]][present]))
  # Cell shares of the whole table: svymean of the interaction (empty cells included).
  design <- update(design, cell = interaction(design$variables[[a]], design$variables[[b]],
                                              sep = "|"))
  cells <- svymean(~cell, design)
  weighted <- svytable(as.formula(paste0("~", a, "+", b)), design)
  for (r in rows) for (c in cols) {
    key <- paste0("cell", r, "|", c)
    ci <- c(NA, NA)  # none for an empty cell: svyciprop's logistic fit does not converge
    if (coef(cells)[[key]] > 0) {
      ci <- confint(svyciprop(as.formula(paste0("~I(cell == '", r, "|", c, "')")), design,
                              method = "logit"))
    }
    add_share(dataset, "cell", layer, r, c, coef(cells)[[key]], SE(cells)[[key]], ci[1], ci[2])
    add_share(dataset, "weighted", layer, r, c, weighted[r, c])
  }
  # Shares within each row and each column: svyby over the other question.
  by_row <- svyby(as.formula(paste0("~", b)), as.formula(paste0("~", a)), design, svymean)
  by_col <- svyby(as.formula(paste0("~", a)), as.formula(paste0("~", b)), design, svymean)
  row_se <- setNames(sqrt(diag(vcov(by_row))), names(coef(by_row)))
  col_se <- setNames(sqrt(diag(vcov(by_col))), names(coef(by_col)))
  for (r in rows) for (c in cols) {
    add_share(dataset, "row", layer, r, c, coef(by_row)[[paste0(r, ":", b, c)]],
              row_se[[paste0(r, ":", b, c)]])
    add_share(dataset, "column", layer, r, c, coef(by_col)[[paste0(c, ":", a, r)]],
              col_se[[paste0(c, ":", a, r)]])
  }
  row_totals <- svymean(as.formula(paste0("~", a)), design)
  col_totals <- svymean(as.formula(paste0("~", b)), design)
  for (r in rows) add_share(dataset, "row_total", layer, r, "", coef(row_totals)[[paste0(a, r)]],
                            SE(row_totals)[[paste0(a, r)]])
  for (c in cols) add_share(dataset, "column_total", layer, "", c,
                            coef(col_totals)[[paste0(b, c)]], SE(col_totals)[[paste0(b, c)]])
}

crosstab_figures("sample", home, "age", "needs_home_care")
crosstab_figures("services", serv, "region", "service_use")
# A three-way table: service use by sex within each region (a domain of the raked design).
for (l in c("north", "centre", "south")) {
  crosstab_figures("services", subset(serv, region == l), "service_use", "sex", layer = l)
}
write.csv(do.call(rbind, share_lines), "crosstab_shares.csv", row.names = FALSE)

# --- Tests of independence -------------------------------------------------------------------
# svychisq's default (statistic = "F": Rao & Scott's second-order correction) and "Chisq" (the
# first-order correction: R reports Pearson's X^2 of the table scaled to the sample size, and
# the p-value of X^2 over the mean design effect). Unweighted: chisq.test without continuity
# correction.

test_lines <- list()
add_test <- function(dataset, layer, a, b, design) {
  f <- svychisq(as.formula(paste0("~", a, "+", b)), design)
  chisq <- svychisq(as.formula(paste0("~", a, "+", b)), design, statistic = "Chisq")
  test_lines[[length(test_lines) + 1]] <<- data.frame(
    dataset, layer, rows = a, columns = b, pearson = sprintf("%.12g", chisq$statistic),
    df = chisq$parameter[["df"]], chisq_p = sprintf("%.12g", chisq$p.value),
    f = sprintf("%.12g", f$statistic), ndf = sprintf("%.12g", f$parameter[["ndf"]]),
    ddf = sprintf("%.12g", f$parameter[["ddf"]]), p = sprintf("%.12g", f$p.value))
}
add_test("sample", "", "age", "needs_home_care", home)
add_test("services", "", "region", "service_use", serv)
for (l in c("north", "centre", "south")) {
  add_test("services", l, "service_use", "sex", subset(serv, region == l))
}
plain <- chisq.test(table(services$region, services$service_use), correct = FALSE)
test_lines[[length(test_lines) + 1]] <- data.frame(
  dataset = "services unweighted", layer = "", rows = "region", columns = "service_use",
  pearson = sprintf("%.12g", plain$statistic), df = plain$parameter[["df"]],
  chisq_p = sprintf("%.12g", plain$p.value), f = NA, ndf = NA, ddf = NA,
  p = sprintf("%.12g", plain$p.value))
write.csv(do.call(rbind, test_lines), "crosstab_tests.csv", row.names = FALSE)

# --- Top-two-box and medians -----------------------------------------------------------------
# Top-two-box: the share in the scale's two highest positions, svymean for its standard error and
# svyciprop(method = "logit") for its interval. Median: svyquantile's defaults in survey 4.1
# (qrule = "math", interval.type = "mean": Woodruff's interval), with its reported standard error.

scale_lines <- list()
add_scale <- function(dataset, kind, question, group, estimate, se, low, high) {
  scale_lines[[length(scale_lines) + 1]] <<- data.frame(
    dataset, kind, question, group, estimate = sprintf("%.12g", estimate),
    se = sprintf("%.12g", se), low = sprintf("%.12g", low), high = sprintf("%.12g", high))
}
top_two <- function(dataset, design, question, top, group = "") {
  f <- as.formula(paste0("~I(", question, " %in% c('", top[1], "', '", top[2], "'))"))
  m <- svymean(f, design)
  ci <- svyciprop(f, design, method = "logit")
  add_scale(dataset, "top_two_box", question, group, coef(m)[[2]], SE(m)[[2]], confint(ci)[1],
            confint(ci)[2])
}
median_of <- function(dataset, design, question, group = "") {
  q <- svyquantile(as.formula(paste0("~", question)), design, 0.5, na.rm = TRUE)
  add_scale(dataset, "median", question, group, coef(q)[[1]], SE(q)[[1]], confint(q)[1],
            confint(q)[2])
}

# income_adequacy (1-5) taken as a scale for its top two box.
top_two("sample", home, "income_adequacy", c(4, 5))
median_of("sample", home, "income_adequacy")
top_two("services", serv, "satisfaction", c("4", "5"))
for (l in c("north", "centre", "south")) {
  top_two("services", subset(serv, region == l), "satisfaction", c("4", "5"), group = l)
}
median_of("services", serv, "household_size")
median_of("services", serv, "monthly_costs")
for (l in c("north", "centre", "south")) {
  median_of("services", subset(serv, region == l), "monthly_costs", group = l)
}
write.csv(do.call(rbind, scale_lines), "scale_figures.csv", row.names = FALSE)
