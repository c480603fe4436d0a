# Raking as make_reference.R (in the shared reference) does it: starting weights 1, the margins
# of a variable,category,population table in file order. Sourced by the make_*_reference.R
# scripts here.

raked <- function(df, margins) {
  df$w0 <- 1
  d0 <- svydesign(id = ~1, weights = ~w0, data = df)
  vars <- unique(margins$variable)
  tables <- lapply(vars, function(v) {
    m <- margins[margins$variable == v, ]
    t <- data.frame(m$category, m$population)
    names(t) <- c(v, "Freq")
    t
  })
  rake(d0, lapply(vars, function(v) as.formula(paste0("~", v))), tables,
       control = list(maxit = 1000, epsilon = 1e-12))
}
