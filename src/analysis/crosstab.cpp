#include "analysis/crosstab.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>

namespace needsmap::analysis {

namespace {

struct TableQuestions {
  const Column& rows;
  const Column& columns;
  const Column* layer;  // null: a two-way crosstab
};

TableQuestions require_questions(const Dataset& data, std::string_view rows,
                                 std::string_view columns, std::string_view layer) {
  return {.rows = data.require(rows, ColumnKind::choice),
          .columns = data.require(columns, ColumnKind::choice),
          .layer = layer.empty() ? nullptr : &data.require(layer, ColumnKind::choice)};
}

// The layers to compute: each choice of the layer question, or one unnamed layer.
std::vector<std::optional<std::size_t>> layer_codes(const TableQuestions& q) {
  if (!q.layer) return {std::nullopt};
  std::vector<std::optional<std::size_t>> codes;
  for (std::size_t l = 0; l < q.layer->spec.categories.size(); ++l) codes.emplace_back(l);
  return codes;
}

std::string layer_name(const TableQuestions& q, std::optional<std::size_t> layer) {
  return layer ? q.layer->spec.categories[*layer] : std::string();
}

// The dataset's rows in one table: those who answered both questions and, in a layer, gave the
// layer's choice. The other rows stay in the variance sums with nothing to add (domains).
std::vector<char> table_domain(const TableQuestions& q, std::optional<std::size_t> layer) {
  const std::size_t n = q.rows.choice.size();
  std::vector<char> in(n);
  for (std::size_t r = 0; r < n; ++r) {
    in[r] = q.rows.choice.code(r) != ChoiceColumn::missing &&
            q.columns.choice.code(r) != ChoiceColumn::missing &&
            (!layer || q.layer->choice.code(r) == *layer);
  }
  return in;
}

// The rows of `domain` that gave `code` to `column`.
std::vector<char> narrowed(const std::vector<char>& domain, const Column& column,
                           std::size_t code) {
  std::vector<char> in(domain.size());
  for (std::size_t r = 0; r < domain.size(); ++r) {
    in[r] = domain[r] && column.choice.code(r) == code;
  }
  return in;
}

std::vector<char> both(const std::vector<char>& a, const std::vector<char>& b) {
  std::vector<char> in(a.size());
  for (std::size_t r = 0; r < a.size(); ++r) in[r] = a[r] && b[r];
  return in;
}

std::int64_t count_of(const std::vector<char>& part) {
  return std::count(part.begin(), part.end(), char{1});
}

double weight_of(const Design& design, const std::vector<char>& part) {
  double sum = 0;
  for (std::size_t r = 0; r < part.size(); ++r) {
    if (part[r]) sum += design.weights[r];
  }
  return sum;
}

// The share of `part` among `whole` (part lies within whole) with its logit interval.
Estimate share_of(const Design& design, const std::vector<char>& part,
                  const std::vector<char>& whole, double t) {
  std::vector<double> y(part.begin(), part.end());
  Estimate e = estimate_ratio(design, y, whole);
  e.count = count_of(part);
  set_logit_interval(e, t);
  return e;
}

CrosstabMargin margin_of(const Design& design, std::string category, const std::vector<char>& part,
                         const std::vector<char>& table, double t) {
  CrosstabMargin m{.category = std::move(category),
                   .n = count_of(part),
                   .weighted = weight_of(design, part),
                   .of_table = share_of(design, part, table, t)};
  m.of_table.category = m.category;
  return m;
}

// Each category's rows within the table.
std::vector<std::vector<char>> split(const std::vector<char>& table, const Column& column) {
  std::vector<std::vector<char>> parts;
  for (std::size_t c = 0; c < column.spec.categories.size(); ++c) {
    parts.push_back(narrowed(table, column, c));
  }
  return parts;
}

CrosstabCell cell_of(const Design& design, const std::vector<char>& in_row,
                     const std::vector<char>& in_column, const std::vector<char>& table, double t) {
  auto part = both(in_row, in_column);
  return {.n = count_of(part),
          .weighted = weight_of(design, part),
          .of_table = share_of(design, part, table, t),
          .of_row = share_of(design, part, in_row, t),
          .of_column = share_of(design, part, in_column, t)};
}

void name_shares(CrosstabCell& cell, const std::string& row, const std::string& column) {
  for (Estimate* e : {&cell.of_table, &cell.of_row, &cell.of_column}) {
    e->group = row;
    e->category = column;
  }
}

CrosstabTable build_table(const Design& design, const TableQuestions& q,
                          std::optional<std::size_t> layer, double t) {
  const auto in_table = table_domain(q, layer);
  const auto in_rows = split(in_table, q.rows);
  const auto in_columns = split(in_table, q.columns);
  const auto& row_names = q.rows.spec.categories;
  const auto& column_names = q.columns.spec.categories;
  CrosstabTable table{.layer = layer_name(q, layer),
                      .rows = {},
                      .columns = {},
                      .cells = {},
                      .n = count_of(in_table),
                      .weighted = weight_of(design, in_table)};
  for (std::size_t r = 0; r < row_names.size(); ++r) {
    table.rows.push_back(margin_of(design, row_names[r], in_rows[r], in_table, t));
  }
  for (std::size_t c = 0; c < column_names.size(); ++c) {
    table.columns.push_back(margin_of(design, column_names[c], in_columns[c], in_table, t));
  }
  for (std::size_t r = 0; r < row_names.size(); ++r) {
    for (std::size_t c = 0; c < column_names.size(); ++c) {
      table.cells.push_back(cell_of(design, in_rows[r], in_columns[c], in_table, t));
      name_shares(table.cells.back(), row_names[r], column_names[c]);
    }
  }
  return table;
}

// --- The test of independence -------------------------------------------------------------

// A small dense matrix, row by row.
struct Matrix {
  std::size_t rows{0};
  std::size_t columns{0};
  std::vector<double> values{};

  Matrix(std::size_t r, std::size_t c) : rows(r), columns(c), values(r * c, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return values[i * columns + j]; }
  double operator()(std::size_t i, std::size_t j) const { return values[i * columns + j]; }
};

Matrix product(const Matrix& a, const Matrix& b) {
  Matrix out(a.rows, b.columns);
  for (std::size_t i = 0; i < a.rows; ++i) {
    for (std::size_t k = 0; k < a.columns; ++k) {
      for (std::size_t j = 0; j < b.columns; ++j) out(i, j) += a(i, k) * b(k, j);
    }
  }
  return out;
}

Matrix transposed(const Matrix& a) {
  Matrix out(a.columns, a.rows);
  for (std::size_t i = 0; i < a.rows; ++i) {
    for (std::size_t j = 0; j < a.columns; ++j) out(j, i) = a(i, j);
  }
  return out;
}

// a⁻¹ b by Gaussian elimination with partial pivoting; nullopt when a is singular.
std::optional<Matrix> solve(Matrix a, Matrix b) {
  const std::size_t m = a.rows;
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t i = col + 1; i < m; ++i) {
      if (std::abs(a(i, col)) > std::abs(a(pivot, col))) pivot = i;
    }
    if (a(pivot, col) == 0) return std::nullopt;
    for (std::size_t j = 0; j < m; ++j) std::swap(a(col, j), a(pivot, j));
    for (std::size_t j = 0; j < b.columns; ++j) std::swap(b(col, j), b(pivot, j));
    for (std::size_t i = 0; i < m; ++i) {
      if (i == col) continue;
      double factor = a(i, col) / a(col, col);
      for (std::size_t j = 0; j < m; ++j) a(i, j) -= factor * a(col, j);
      for (std::size_t j = 0; j < b.columns; ++j) b(i, j) -= factor * b(col, j);
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < b.columns; ++j) b(i, j) /= a(i, i);
  }
  return b;
}

double trace(const Matrix& a) {
  double sum = 0;
  for (std::size_t i = 0; i < a.rows; ++i) sum += a(i, i);
  return sum;
}

// The cells the test compares: the table's occupied rows by its occupied columns, each cell's
// dataset rows, and the weighted shares of cells, rows and columns.
struct TestCells {
  std::vector<std::vector<char>> members{};  // per cell, row by row
  std::size_t rows{0};
  std::size_t columns{0};
  std::vector<double> cell_share{};
  std::vector<double> row_share{};
  std::vector<double> column_share{};
};

std::vector<std::vector<char>> occupied(std::vector<std::vector<char>> parts) {
  std::erase_if(parts, [](const std::vector<char>& part) { return count_of(part) == 0; });
  return parts;
}

TestCells test_cells(const Design& design, const TableQuestions& q,
                     const std::vector<char>& in_table) {
  const auto in_rows = occupied(split(in_table, q.rows));
  const auto in_columns = occupied(split(in_table, q.columns));
  const double total = weight_of(design, in_table);
  TestCells cells{.members = {}, .rows = in_rows.size(), .columns = in_columns.size()};
  for (const auto& row : in_rows) cells.row_share.push_back(weight_of(design, row) / total);
  for (const auto& column : in_columns) {
    cells.column_share.push_back(weight_of(design, column) / total);
  }
  for (const auto& row : in_rows) {
    for (const auto& column : in_columns) {
      cells.members.push_back(both(row, column));
      cells.cell_share.push_back(weight_of(design, cells.members.back()) / total);
    }
  }
  return cells;
}

// Pearson's X² of the table scaled to n: n Σ (p_ij − p_i p_j)² / (p_i p_j).
double pearson_statistic(const TestCells& cells, std::int64_t n) {
  double sum = 0;
  for (std::size_t i = 0; i < cells.rows; ++i) {
    for (std::size_t j = 0; j < cells.columns; ++j) {
      double expected = cells.row_share[i] * cells.column_share[j];
      double d = cells.cell_share[i * cells.columns + j] - expected;
      sum += d * d / expected;
    }
  }
  return static_cast<double>(n) * sum;
}

// The covariance matrix of the cell shares, by linearisation: each share's influence values
// (y − p) / Σw over the table's rows.
Matrix share_covariance(const Design& design, const TestCells& cells,
                        const std::vector<char>& in_table) {
  const double total = weight_of(design, in_table);
  std::vector<std::vector<double>> u;
  for (std::size_t k = 0; k < cells.members.size(); ++k) {
    std::vector<double> values(in_table.size(), 0.0);
    for (std::size_t r = 0; r < in_table.size(); ++r) {
      if (in_table[r]) values[r] = (cells.members[k][r] - cells.cell_share[k]) / total;
    }
    u.push_back(std::move(values));
  }
  const std::size_t size = cells.members.size();
  Matrix v(size, size);
  v.values = linearized_covariance(std::move(u), design);
  return v;
}

// A basis of the interactions: cells' contrasts orthogonal to the rows' and columns' indicators,
// (e_i − e_last) ⊗ (f_j − f_last) for every row i and column j but the last. Δ's eigenvalues do
// not depend on the basis, so this gives R's figures without its QR step.
Matrix interaction_contrasts(std::size_t rows, std::size_t columns) {
  Matrix c(rows * columns, (rows - 1) * (columns - 1));
  std::size_t k = 0;
  for (std::size_t i = 0; i + 1 < rows; ++i) {
    for (std::size_t j = 0; j + 1 < columns; ++j, ++k) {
      c(i * columns + j, k) = 1;
      c(i * columns + columns - 1, k) = -1;
      c((rows - 1) * columns + j, k) = -1;
      c((rows - 1) * columns + columns - 1, k) = 1;
    }
  }
  return c;
}

// The generalised design effects' matrix Δ = (C' D⁻¹ C / n)⁻¹ (C' D⁻¹ V D⁻¹ C), D the diagonal
// of cell shares (Rao & Scott 1984, §4); an empty cell's 1/p is taken as 0, as R does.
std::optional<Matrix> design_effects(const TestCells& cells, const Matrix& v, std::int64_t n) {
  Matrix c = interaction_contrasts(cells.rows, cells.columns);
  Matrix scaled = c;  // D⁻¹ C
  for (std::size_t k = 0; k < scaled.rows; ++k) {
    double p = cells.cell_share[k];
    for (std::size_t j = 0; j < scaled.columns; ++j) scaled(k, j) = p > 0 ? c(k, j) / p : 0.0;
  }
  Matrix ct = transposed(c);
  Matrix srs = product(ct, scaled);
  for (double& x : srs.values) x /= static_cast<double>(n);
  Matrix design = product(transposed(scaled), product(v, scaled));
  return solve(std::move(srs), std::move(design));
}

double chi_square_p(double statistic, double df) {
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), statistic));
}

double f_p(double statistic, double ndf, double ddf) {
  return boost::math::cdf(boost::math::complement(boost::math::fisher_f(ndf, ddf), statistic));
}

bool weighted_design(const Design& design) {
  return !design.raking.empty() ||
         std::any_of(design.weights.begin(), design.weights.end(), [](double w) { return w != 1; });
}

// R's svychisq: the first-order statistic X² / mean δ on chi-square with df, and the second-order
// X² / Σδ on F with ndf = (Σδ)² / Σδ², ddf = ndf times the design's degrees of freedom.
void apply_rao_scott(IndependenceTest& test, const Matrix& delta, std::size_t respondents) {
  const double sum = trace(delta);
  const double squares = trace(product(delta, delta));
  test.rao_scott = true;
  test.chisq = test.pearson / (sum / test.df);
  test.chisq_p = chi_square_p(test.chisq, test.df);
  test.f = test.pearson / sum;
  test.ndf = sum * sum / squares;
  test.ddf = test.ndf * static_cast<double>(respondents - 1);
  test.p = f_p(test.f, test.ndf, test.ddf);
}

IndependenceTest test_table(const Design& design, const TableQuestions& q,
                            std::optional<std::size_t> layer) {
  const auto in_table = table_domain(q, layer);
  IndependenceTest test{.layer = layer_name(q, layer), .n = count_of(in_table)};
  const TestCells cells = test_cells(design, q, in_table);
  if (cells.rows < 2 || cells.columns < 2) return test;
  test.tested = true;
  test.df = static_cast<double>((cells.rows - 1) * (cells.columns - 1));
  test.pearson = pearson_statistic(cells, test.n);
  test.chisq = test.pearson;
  test.chisq_p = test.p = chi_square_p(test.pearson, test.df);
  if (!weighted_design(design)) return test;
  auto delta = design_effects(cells, share_covariance(design, cells, in_table), test.n);
  // No variance left to test against: the weights were raked (or post-stratified) to this very
  // table, so its shares are population figures, not estimates.
  if (!delta || !(trace(*delta) > 1e-12 * test.df)) {
    test.tested = false;
    test.fixed_by_weights = true;
    return test;
  }
  apply_rao_scott(test, *delta, in_table.size());
  return test;
}

}  // namespace

Crosstab crosstab(const Dataset& data, const Design& design, std::string_view rows,
                  std::string_view columns, std::string_view layer) {
  check_weights(data.rows(), design);
  const TableQuestions q = require_questions(data, rows, columns, layer);
  const double t = t_quantile_95(data.rows());
  Crosstab out{.row_question = std::string(rows),
               .column_question = std::string(columns),
               .layer_question = std::string(layer),
               .tables = {}};
  for (auto code : layer_codes(q)) out.tables.push_back(build_table(design, q, code, t));
  return out;
}

std::vector<IndependenceTest> test_independence(const Dataset& data, const Design& design,
                                                std::string_view rows, std::string_view columns,
                                                std::string_view layer) {
  check_weights(data.rows(), design);
  const TableQuestions q = require_questions(data, rows, columns, layer);
  std::vector<IndependenceTest> tests;
  for (auto code : layer_codes(q)) tests.push_back(test_table(design, q, code));
  return tests;
}

CrosstabDisclosure::CrosstabDisclosure(const CrosstabTable& table)
    : m_rows(table.rows.size()),
      m_columns(table.columns.size()),
      m_cells(m_rows * m_columns + m_rows + m_columns + 1) {
  for (std::size_t r = 0; r < m_rows; ++r) {
    row_total(r).count = table.rows[r].n;
    for (std::size_t c = 0; c < m_columns; ++c) cell(r, c).count = table.cell(r, c).n;
  }
  for (std::size_t c = 0; c < m_columns; ++c) column_total(c).count = table.columns[c].n;
  total().count = table.n;
  for (std::size_t r = 0; r < m_rows; ++r) {
    Relation row;
    for (std::size_t c = 0; c < m_columns; ++c) row.push_back(&cell(r, c));
    row.push_back(&row_total(r));
    m_relations.push_back(std::move(row));
  }
  for (std::size_t c = 0; c < m_columns; ++c) {
    Relation column;
    for (std::size_t r = 0; r < m_rows; ++r) column.push_back(&cell(r, c));
    column.push_back(&column_total(c));
    m_relations.push_back(std::move(column));
  }
  Relation row_totals, column_totals;
  for (std::size_t r = 0; r < m_rows; ++r) row_totals.push_back(&row_total(r));
  for (std::size_t c = 0; c < m_columns; ++c) column_totals.push_back(&column_total(c));
  row_totals.push_back(&total());
  column_totals.push_back(&total());
  m_relations.push_back(std::move(row_totals));
  m_relations.push_back(std::move(column_totals));
}

std::vector<Cell*> CrosstabDisclosure::cells() {
  std::vector<Cell*> all;
  for (Cell& c : m_cells) all.push_back(&c);
  return all;
}

void CrosstabDisclosure::suppress(std::int64_t k) {
  analysis::suppress(cells(), m_relations, k);
}

}  // namespace needsmap::analysis
