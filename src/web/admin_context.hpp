// What the administration's pages share inside the web module: one request's context and the
// paths of the admin pages. Not for use outside src/web/admin*.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "access/roles.hpp"
#include "collect/collect.hpp"
#include "store/store.hpp"
#include "web/admin.hpp"
#include "web/admin_session.hpp"
#include "web/forms.hpp"
#include "web/responses.hpp"

namespace needsmap::web {

struct Admin::Context {
  Request& request;
  const Target& target;
  std::string language;
  std::optional<admin::SignedIn> user;
  collect::FormFields form;
  std::int64_t now{0};
  std::vector<UploadedFile> files;  // with a multipart/form-data form

  // A link inside the administration that keeps the language.
  std::string href(const std::string& path) const { return path + "?lang=" + language; }
  bool may(access::Action action, std::int64_t municipality_id,
           std::optional<std::int64_t> campaign_id = std::nullopt) const {
    return user && access::allowed(user->who, action, {municipality_id, campaign_id}, user->areas);
  }
  std::optional<std::int64_t> user_id() const {
    return user ? std::optional(user->who.user.id) : std::nullopt;
  }
  std::string actor() const { return user ? user->who.user.email : std::string("anonymous"); }
};

// A form's error for the summary at the top of the page (linking to the field) and beside the
// field itself.
inline nlohmann::json error_item(const std::string& field, const std::string& message) {
  return {{"href", "#" + field}, {"field", field}, {"message", message}};
}

// Puts the errors on the page: the summary, and each field's message by its name.
inline void show_errors(nlohmann::json& page, const nlohmann::json& errors) {
  page["errors"] = errors;
  page["has_errors"] = true;
  nlohmann::json by_field = nlohmann::json::object();
  for (const auto& e : errors) by_field[e["field"].get<std::string>()] = e["message"];
  page["field_errors"] = by_field;
}

inline std::string campaign_admin_path(const store::Municipality& m, const store::Campaign& c) {
  return "/admin/m/" + url_encode(m.slug) + "/c/" + url_encode(c.slug);
}

inline std::string municipality_admin_path(const store::Municipality& m) {
  return "/admin/m/" + url_encode(m.slug);
}

}  // namespace needsmap::web
