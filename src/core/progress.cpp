#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace needsmap {

ProgressBar::ProgressBar(std::string label, std::uint64_t total)
    : m_label(std::move(label)), m_total(total), m_enabled(isatty(STDERR_FILENO) == 1) {
  draw();
}

ProgressBar::~ProgressBar() {
  if (m_enabled) std::fputc('\n', stderr);
}

void ProgressBar::set_label(std::string label) {
  m_label = std::move(label);
  m_drawn_percent = -1;
  draw();
}

void ProgressBar::advance(std::uint64_t by) {
  m_done += by;
  draw();
}

void ProgressBar::draw() {
  if (!m_enabled) return;
  int percent = m_total == 0 ? 100 : static_cast<int>(100 * std::min(m_done, m_total) / m_total);
  if (percent == m_drawn_percent) return;  // redraw only when the figure changes
  m_drawn_percent = percent;
  constexpr int width = 30;
  std::string bar(static_cast<std::size_t>(percent * width / 100), '#');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r%-28s [%s] %3d%% %llu/%llu", m_label.c_str(), bar.c_str(), percent,
               static_cast<unsigned long long>(m_done), static_cast<unsigned long long>(m_total));
  std::fflush(stderr);
}

}  // namespace needsmap
