#pragma once

#include <string_view>
#include <vector>

// The contract shared by agents, the console and the CLI, compiled in from resources/.
namespace pitwall::contract {

struct EmbeddedFile {
    std::string_view name; // file name without extension, e.g. "0001_contract"
    std::string_view text;
};

// Migrations sorted by file name; the leading number is the schema version.
const std::vector<EmbeddedFile> &migrations();
const std::vector<EmbeddedFile> &luaScripts();

} // namespace pitwall::contract
