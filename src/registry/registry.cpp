#include "registry/registry.hpp"

#include <algorithm>
#include <set>

namespace needsmap::registry {

namespace {

std::string id_of(const json& record) {
  auto it = record.find("id");
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string text_of(const json& row, const std::string& key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The keys of a table's records that hold nested or embedded records rather than fields.
std::set<std::string> relation_keys(const Schemas& schemas, const std::string& table) {
  std::set<std::string> keys;
  for (const Nesting& n : schemas.nestings()) {
    if (n.parent == table) keys.insert(n.key);
  }
  for (const Embedding& e : schemas.embeddings()) {
    if (e.table == table) keys.insert(e.key);
  }
  return keys;
}

// Whether `row` of the nesting's child table belongs to `parent_id`: an attribute or metadata
// row whose entity names another table belongs to that one (ids need not be unique across
// tables); an entity that names no table is taken as unknown.
bool belongs_to(const Schemas& schemas, const Nesting& n, const json& row,
                const std::string& parent_id) {
  if (text_of(row, n.link) != parent_id) return false;
  const std::string entity = n.entity.empty() ? std::string() : text_of(row, n.entity);
  return entity.empty() || entity == n.parent || !schemas.table(entity);
}

}  // namespace

std::size_t Registry::size() const {
  std::size_t n = 0;
  for (const auto& [_, rows] : tables) n += rows.size();
  return n;
}

const json* Registry::find(const std::string& table, const std::string& id) const {
  auto t = tables.find(table);
  if (t == tables.end()) return nullptr;
  auto r = t->second.find(id);
  return r == t->second.end() ? nullptr : &r->second;
}

void RegistryBuilder::add_nested(const Table& table, const json& record, const std::string& label) {
  std::size_t before = m_issues.size();
  std::string id = id_of(record);
  m_schemas.validate(table, record, id.empty() ? label : id, m_issues);
  if (m_issues.size() == before) flatten(table, record);
}

void RegistryBuilder::add_row(const Table& table, const json& row, const std::string& label) {
  std::size_t before = m_issues.size();
  std::string id = id_of(row);
  m_schemas.validate(table, row, id.empty() ? label : id, m_issues);
  if (m_issues.size() == before) merge(table, row);
}

void RegistryBuilder::flatten(const Table& table, const json& record) {
  const std::string id = id_of(record);
  json row = record;
  for (const std::string& key : relation_keys(m_schemas, table.name)) row.erase(key);

  for (const Embedding& e : m_schemas.embeddings()) {
    auto it = record.find(e.key);
    if (e.table != table.name || it == record.end() || !it->is_object()) continue;
    const std::string target_id = id_of(*it);
    if (row.contains(e.link) && row[e.link] != target_id) {
      m_issues.push_back({table.name, id, e.link, "differs from the id of " + e.key});
      continue;
    }
    row[e.link] = target_id;
    flatten(*m_schemas.table(e.target), *it);
  }
  merge(table, std::move(row));

  for (const Nesting& n : m_schemas.nestings()) {
    auto it = record.find(n.key);
    if (n.parent != table.name || it == record.end() || !it->is_array()) continue;
    for (json child : *it) {
      if (!child.is_object()) continue;
      if (child.contains(n.link) && child[n.link] != id) {
        m_issues.push_back({n.child, id_of(child), n.link,
                            "is nested in " + table.name + " " + id + " but links to another"});
        continue;
      }
      child[n.link] = id;
      if (!n.entity.empty() && !child.contains(n.entity)) child[n.entity] = table.name;
      flatten(*m_schemas.table(n.child), child);
    }
  }
}

void RegistryBuilder::merge(const Table& table, json row) {
  const std::string id = id_of(row);
  auto& rows = m_registry.tables[table.name];
  auto [it, inserted] = rows.try_emplace(id, row);
  if (inserted) return;
  for (auto& [key, value] : row.items()) {
    auto existing = it->second.find(key);
    if (existing == it->second.end()) {
      it->second[key] = value;
    } else if (*existing != value) {
      m_issues.push_back({table.name, id, key, "differs from another copy of the record"});
    }
  }
}

std::expected<Registry, Issues> RegistryBuilder::finish() && {
  if (!m_issues.empty()) return std::unexpected(std::move(m_issues));
  return std::move(m_registry);
}

namespace {

// Where each record goes in the document: under one parent (the most specific one present,
// i.e. the latest in the data package's order), or at the top.
class Placement {
 public:
  Placement(const Schemas& schemas, const Registry& registry) : m_schemas(schemas) {
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < schemas.tables().size(); ++i) order[schemas.tables()[i].name] = i;
    for (const auto& [table, rows] : registry.tables) {
      std::vector<const Nesting*> candidates;
      for (const Nesting& n : schemas.nestings()) {
        if (n.child == table) candidates.push_back(&n);
      }
      std::stable_sort(candidates.begin(), candidates.end(), [&](const auto* a, const auto* b) {
        return order[a->parent] > order[b->parent];
      });
      for (const auto& [id, row] : rows) {
        const Nesting* chosen = nullptr;
        for (const Nesting* n : candidates) {
          const std::string parent_id = text_of(row, n->link);
          if (!parent_id.empty() && belongs_to(schemas, *n, row, parent_id) &&
              registry.find(n->parent, parent_id)) {
            chosen = n;
            break;
          }
        }
        if (chosen) {
          m_children[{chosen->parent, text_of(row, chosen->link), chosen->key}].push_back(
              {chosen, &row});
        } else {
          m_top[table].push_back(&row);
        }
      }
    }
  }

  json build(const std::string& table, const json& row, const Nesting* placed_by) const {
    json out = row;
    if (placed_by) out.erase(placed_by->link);
    const std::string id = id_of(row);
    for (const Nesting& n : m_schemas.nestings()) {
      if (n.parent != table) continue;
      auto it = m_children.find({table, id, n.key});
      if (it == m_children.end()) continue;
      json list = json::array();
      for (const auto& [by, child] : it->second) list.push_back(build(n.child, *child, by));
      out[n.key] = std::move(list);
    }
    return out;
  }

  const std::map<std::string, std::vector<const json*>>& top() const { return m_top; }

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // parent table, id, key
  const Schemas& m_schemas;
  std::map<Key, std::vector<std::pair<const Nesting*, const json*>>> m_children;
  std::map<std::string, std::vector<const json*>> m_top;
};

json full(const Schemas& schemas, const Registry& registry, const std::string& table,
          const json& row, std::vector<std::string>& ancestors) {
  json out = row;
  const std::string id = id_of(row);
  ancestors.push_back(table);
  auto visited = [&](const std::string& t) {
    return std::find(ancestors.begin(), ancestors.end(), t) != ancestors.end();
  };
  for (const Embedding& e : schemas.embeddings()) {
    if (e.table != table || visited(e.target)) continue;
    const json* target = registry.find(e.target, text_of(row, e.link));
    if (!target) continue;
    out.erase(e.link);
    out[e.key] = full(schemas, registry, e.target, *target, ancestors);
  }
  for (const Nesting& n : schemas.nestings()) {
    if (n.parent != table || visited(n.child)) continue;
    auto rows = registry.tables.find(n.child);
    if (rows == registry.tables.end()) continue;
    json list = json::array();
    for (const auto& [_, child] : rows->second) {
      if (!belongs_to(schemas, n, child, id)) continue;
      json nested = full(schemas, registry, n.child, child, ancestors);
      nested.erase(n.link);
      list.push_back(std::move(nested));
    }
    if (!list.empty()) out[n.key] = std::move(list);
  }
  ancestors.pop_back();
  return out;
}

}  // namespace

json to_document(const Schemas& schemas, const Registry& registry) {
  Placement placement(schemas, registry);
  json document = {{"version", "3.0"}, {"profile", profile_uri}};
  for (const Table& t : schemas.tables()) {
    auto it = placement.top().find(t.name);
    if (it == placement.top().end()) continue;
    json list = json::array();
    for (const json* row : it->second) list.push_back(placement.build(t.name, *row, nullptr));
    document[t.collection()] = std::move(list);
  }
  return document;
}

std::string field_text(const json& row, std::string_view key) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

json full_record(const Schemas& schemas, const Registry& registry, const Table& table,
                 const json& row) {
  std::vector<std::string> ancestors;
  return full(schemas, registry, table.name, row, ancestors);
}

}  // namespace needsmap::registry
