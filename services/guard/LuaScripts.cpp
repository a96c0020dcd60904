#include "LuaScripts.h"

#include "contract.h"

#include <map>
#include <stdexcept>

namespace pitwall {

const std::string &LuaScripts::source(const std::string &name) {
    static const std::map<std::string, std::string> scripts = [] {
        std::map<std::string, std::string> m;
        for (const auto &f : contract::luaScripts())
            m.emplace(std::string(f.name), std::string(f.text));
        return m;
    }();
    auto it = scripts.find(name);
    if (it == scripts.end())
        throw std::out_of_range("no Lua script named " + name);
    return it->second;
}

} // namespace pitwall
