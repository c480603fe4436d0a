// Unpredictable identifiers from libsodium's CSPRNG.
#pragma once

#include <string>

namespace needsmap::random {

std::string uuid_v4();                 // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
std::string token(std::size_t bytes);  // URL-safe base64 without padding
bool is_uuid(std::string_view s);

}  // namespace needsmap::random
