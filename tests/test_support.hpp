// Shared helpers for the C++ tests: test data paths and the small test questionnaire.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "questionnaire/loader.hpp"

namespace needsmap::fixtures {

inline std::filesystem::path test_data() {
  return NEEDSMAP_TEST_DATA_DIR;
}
inline std::filesystem::path source_dir() {
  return NEEDSMAP_SOURCE_DIR;
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

inline questionnaire::Catalogs test_catalogs() {
  auto catalogs = questionnaire::load_catalogs(test_data() / "catalogs");
  EXPECT_TRUE(catalogs.has_value());
  return catalogs.value_or(questionnaire::Catalogs{});
}

// The small questionnaire in tests/data/questionnaires/mini.json, loaded or the test fails.
inline questionnaire::Questionnaire mini_questionnaire() {
  auto q = questionnaire::load_questionnaire(read_json(test_data() / "questionnaires/mini.json"),
                                             test_catalogs(), "mini.json");
  if (!q) {
    ADD_FAILURE() << q.error().front().to_string();
    std::abort();
  }
  return std::move(*q);
}

// A temporary directory removed when the object goes away.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "needsmap-XXXXXX").string();
    m_path = mkdtemp(pattern.data());
  }
  ~TemporaryDirectory() { std::filesystem::remove_all(m_path); }
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

}  // namespace needsmap::fixtures
