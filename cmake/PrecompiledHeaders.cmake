# Precompiled headers for the two targets that gain from them (docs/decisions/0018). Boost.Asio
# and Beast, nlohmann/json and CLI11 are most of the compile time of each file of the web module
# and the command line; loading a precompiled header costs about 1.7 s, so targets whose files
# include less (the other modules) are faster without one. NEEDSMAP_PCH=OFF builds without them,
# which checks that every file includes what it uses.
option(NEEDSMAP_PCH "Precompile the common headers of the web module and the command line" ON)

if(NEEDSMAP_PCH)
  set(needsmap_pch_common
    <algorithm> <cstdint> <expected> <functional> <map> <memory> <optional> <string>
    <string_view> <vector> <nlohmann/json.hpp>)
  target_precompile_headers(needsmap_web PRIVATE ${needsmap_pch_common}
    <boost/asio/awaitable.hpp> <boost/asio/post.hpp> <boost/asio/use_awaitable.hpp>
    <boost/beast/http/field.hpp> <boost/beast/http/message.hpp> <boost/beast/http/string_body.hpp>)
  target_precompile_headers(needsmap PRIVATE ${needsmap_pch_common} <CLI/CLI.hpp>)
endif()
