// The demo's accounts: one per role, with new random passwords at every start of the demo server
// (printed once), so a demo database never keeps a password anyone could look up.
#pragma once

#include <string>
#include <vector>

#include "store/store.hpp"

namespace needsmap::access {

struct DemoAccount {
  std::string email;
  std::string role;
  std::string where;  // what the role reaches, in words
  std::string password;
};

// Needs the demo municipalities (collect::install_demo). Creates the accounts when missing and
// sets fresh passwords on every call.
std::vector<DemoAccount> install_demo_accounts(store::Store& store);

}  // namespace needsmap::access
