// A fresh, empty database for one test, on either backend. PostgreSQL tests use the throw-away
// cluster that CTest starts (tests/CMakeLists.txt) and name in NEEDSMAP_TEST_POSTGRES.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace needsmap::fixtures {

enum class Backend { sqlite, postgres };

inline std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : m_backend(backend) {
    if (backend == Backend::sqlite) {
      m_location = (m_dir.path() / "test.db").string();
      return;
    }
    const char* base = std::getenv("NEEDSMAP_TEST_POSTGRES");
    if (!base || !*base) {
      // Not a skip: CTest always provides the cluster, so a missing one is a broken set-up.
      ADD_FAILURE() << "NEEDSMAP_TEST_POSTGRES is not set; run the tests through ctest, which "
                       "starts a PostgreSQL cluster (tests/CMakeLists.txt)";
      std::abort();
    }
    m_server = base;
    m_name = "needsmap_unit_" + random::token(8);
    // Unquoted names are folded to lower case by PostgreSQL but not in a URL: use lower case.
    for (char& c : m_name) {
      auto u = static_cast<unsigned char>(c);
      c = std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
    }
    admin("CREATE DATABASE " + m_name);
    m_location = m_server + "/" + m_name;
  }
  ~TestDatabase() {
    if (!m_name.empty()) admin("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& location() const { return m_location; }
  Backend backend() const { return m_backend; }

  // A store on it with the schema in place.
  std::unique_ptr<store::Store> open() const {
    auto s = store::Store::open(m_location);
    if (!s) {
      ADD_FAILURE() << s.error().message;
      std::abort();
    }
    auto migrated = (*s)->migrate();
    EXPECT_TRUE(migrated) << (migrated ? "" : migrated.error().message);
    return std::move(*s);
  }

 private:
  void admin(const std::string& sql) {
    auto server =
        store::Connection::open(m_server + "/postgres", store::Connection::Mode::read_write);
    if (!server) {
      ADD_FAILURE() << server.error().message;
      std::abort();
    }
    (*server)->exec(sql);
  }

  Backend m_backend;
  TemporaryDirectory m_dir;
  std::string m_server;
  std::string m_name;
  std::string m_location;
};

// Everything the tables hold, row by row, as text: what a copy, a backup or a restore must
// carry across unchanged.
inline std::vector<std::string> contents(store::Store& store) {
  std::vector<std::string> out;
  for (const store::TableSpec& t : store::Store::tables()) {
    store::Statement& s = store.connection().prepare("SELECT * FROM " + std::string(t.name) +
                                                     " ORDER BY " + std::string(t.order_by));
    while (s.step()) {
      std::string row(t.name);
      for (int i = 0; i < s.column_count(); ++i) {
        row += '|' + s.column_name(i) + '=' + (s.is_null(i) ? "NULL" : s.text(i));
      }
      out.push_back(row);
    }
  }
  return out;
}

}  // namespace needsmap::fixtures
