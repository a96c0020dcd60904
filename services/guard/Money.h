#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pitwall {

// Money is integer micro-dollars everywhere but in Postgres' numeric columns.
// Parses "12", "12.5", "0.000001" exactly; nullopt for anything else (or more than 6 decimals).
std::optional<int64_t> parseUsdMicros(const std::string &text);
// 12500000 -> "12.50", 1234 -> "0.001234": two decimals at least, more only when needed.
std::string formatUsd(int64_t micros);
// For SQL: "12.500000".
std::string microsToNumeric(int64_t micros);

} // namespace pitwall
