// Helpers for the tests that write a report file and read it back with other programs (unzip,
// Debian's python3 with openpyxl or python-docx).
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace needsmap::report::testing {

// Debian's own python3, which has the packages from apt; another python3 may come first in PATH.
inline constexpr const char* python = "/usr/bin/python3";

struct CommandResult {
  int status = -1;
  std::string output;  // standard output only
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  result.status = pclose(pipe);
  return result;
}

// A string as one single-quoted shell word.
inline std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline bool python_has(const std::string& module) {
  return run_command(std::string(python) + " -c " + shell_quoted("import " + module) +
                     " 2>/dev/null")
             .status == 0;
}

// A file in the temporary directory, removed when the test is done with it.
class TempFile {
 public:
  explicit TempFile(const std::string& extension)
      : m_path(std::filesystem::temp_directory_path() /
               ("needsmap-report-" + std::to_string(getpid()) + "-" + std::to_string(next()) +
                extension)) {}
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::string quoted() const { return shell_quoted(m_path.string()); }

 private:
  static int next() {
    static int counter = 0;
    return ++counter;
  }
  std::filesystem::path m_path;
};

}  // namespace needsmap::report::testing
