# Reference figures for the risk profile of a vulnerable group (older people living alone against
# everyone else), made with R's survey package (written against survey 4.1) for
# tests/analysis/groups_test.cpp.
#
# Run in this folder:  Rscript make_groups_reference.R
# (Debian: apt-get install r-base-core r-cran-survey). It makes a sample of its own
# (risk_sample.csv), rakes it to margins.csv as make_crosstab_reference.R does, and writes
# groups_reference.csv. CI has no R: the outputs are committed beside this script.
suppressMessages(library(survey))

# --- The sample -------------------------------------------------------------------------------
# 500 respondents: age, sex and settlement (the categories of margins.csv), whether they live
# alone (more often at 65+), and the risk factors they chose: poverty, illness, isolation, other,
# or the exclusive "none"; 30 did not answer the risk question.
set.seed(20240613)
n <- 500
age <- sample(c("18-29", "30-44", "45-64", "65+"), n, replace = TRUE,
              prob = c(.18, .24, .33, .25))
sex <- sample(c("m", "f"), n, replace = TRUE, prob = c(.45, .55))
settlement <- sample(c("urban", "rural"), n, replace = TRUE, prob = c(.6, .4))
household <- ifelse(runif(n) < ifelse(age == "65+", .35, .1), "alone", "with_others")
elderly_alone <- age == "65+" & household == "alone"
poverty <- runif(n) < ifelse(elderly_alone, .45, .2) + .1 * (settlement == "rural")
illness <- runif(n) < ifelse(age == "65+", .4, .12)
isolation <- runif(n) < ifelse(elderly_alone, .5, .08)
other <- runif(n) < .04
answered <- seq_len(n) %in% sample(n, n - 30)
names_of <- function(i) {
  chosen <- c("poverty", "illness", "isolation", "other")[c(poverty[i], illness[i], isolation[i],
                                                             other[i])]
  if (!answered[i]) "" else if (length(chosen) == 0) "none" else paste(chosen, collapse = " ")
}
risks <- vapply(seq_len(n), names_of, "")
risk_sample <- data.frame(id = 1:n, age, sex, settlement, household, risks,
                          stringsAsFactors = FALSE)
write.csv(risk_sample, "risk_sample.csv", row.names = FALSE)

# --- Raking, as make_crosstab_reference.R does (raking.R) -----------------------------------

source("raking.R")

margins <- read.csv("margins.csv", stringsAsFactors = FALSE)
df <- risk_sample
df$w0 <- 1
# The domains: the group and the others among those who answered, as a factor for svyby over
# the whole design (domain estimation, as subset() would give it).
df$group <- factor(ifelse(!answered, "unanswered", ifelse(elderly_alone, "group", "others")),
                   levels = c("group", "others", "unanswered"))
for (f in c("poverty", "illness", "isolation", "other")) df[[f]] <- as.numeric(get(f))
df$count <- (df$poverty + df$illness + df$isolation + df$other)
df$class <- factor(pmin(df$count, 3), levels = 0:3)
d0 <- svydesign(id = ~1, weights = ~w0, data = df)
raked_design <- raked(df, margins)

# --- Figures ----------------------------------------------------------------------------------
# Per design (unweighted: weights 1; raked), in the domains of those who answered: per factor
# the share in the group and among the others (svyby(svymean)) and the difference with its
# delta-method standard error; the shares of 0, 1, 2 and 3 or more factors and the mean count.

lines <- list()
add <- function(design, figure, factor, domain, estimate, se) {
  lines[[length(lines) + 1]] <<- data.frame(design, figure, factor, domain,
                                            estimate = sprintf("%.12g", estimate),
                                            se = sprintf("%.12g", se))
}
profile <- function(name, design) {
  a <- design
  for (f in c("poverty", "illness", "isolation", "other")) {
    by <- svyby(as.formula(paste0("~", f)), ~group, a, svymean)
    se <- setNames(SE(by), names(coef(by)))
    for (g in c("group", "others")) add(name, "share", f, g, coef(by)[[g]], se[[g]])
    # The difference by the delta method on four totals (svyby(covmat = TRUE) fails on a raked
    # design in survey 4.1): the same linearisation as svycontrast() of the two domain means.
    a <- update(a, yg = get(f) * (group == "group"), ng = as.numeric(group == "group"),
                yo = get(f) * (group == "others"), no = as.numeric(group == "others"))
    totals <- svytotal(~yg + ng + yo + no, a)
    diff <- svycontrast(totals, quote(yg / ng - yo / no))
    add(name, "difference", f, "", coef(diff)[[1]], SE(diff)[[1]])
  }
  classes <- svyby(~class, ~group, a, svymean)
  # Only the diagonal is needed; vcov() warns that it has nothing else.
  class_se <- setNames(sqrt(diag(suppressWarnings(vcov(classes)))), names(coef(classes)))
  for (g in c("group", "others")) for (c in 0:3) {
    key <- paste0("class", c)
    add(name, "class", c(0, 1, 2, "3+")[c + 1], g, coef(classes)[[paste0(g, ":", key)]],
        class_se[[paste0(g, ":", key)]])
  }
  means <- svyby(~count, ~group, a, svymean)
  mean_se <- setNames(SE(means), names(coef(means)))
  for (g in c("group", "others")) add(name, "mean", "", g, coef(means)[[g]], mean_se[[g]])
}
profile("unweighted", d0)
profile("raked", raked_design)
write.csv(do.call(rbind, lines), "groups_reference.csv", row.names = FALSE)
