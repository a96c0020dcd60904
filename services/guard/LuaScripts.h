#pragma once

#include <string>

namespace pitwall {

// The Lua scripts of resources/redis, by file name without extension.
struct LuaScripts {
    // Throws std::out_of_range for a name that is not compiled in.
    static const std::string &source(const std::string &name);
};

} // namespace pitwall
