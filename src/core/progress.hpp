// A progress bar for long work on a terminal: `label [#####     ] 52% 5,200/10,000`, redrawn in
// place on standard error when that is a terminal and silent otherwise (logs, pipes, tests).
#pragma once

#include <cstdint>
#include <string>

namespace needsmap {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total);
  ~ProgressBar();  // ends the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void advance(std::uint64_t by = 1);
  void set_label(std::string label);

 private:
  void draw();
  std::string m_label;
  std::uint64_t m_total;
  std::uint64_t m_done{0};
  int m_drawn_percent{-1};
  bool m_enabled;
};

}  // namespace needsmap
