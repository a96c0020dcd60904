#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pitwall {

// Money is integer micro-dollars everywhere but in Postgres' numeric columns.
// The largest amount the contract's numeric(14,6) columns hold: $99,999,999.999999.
inline constexpr int64_t kMaxUsdMicros = 99'999'999'999'999;
inline constexpr const char *kMaxUsdText = "99999999.999999";
// Parses "12", "12.5", "0.000001" exactly; nullopt for anything else (more than 6 decimals, or
// beyond ±kMaxUsdMicros: then *tooLarge is set, so the caller can name the limit).
std::optional<int64_t> parseUsdMicros(const std::string &text, bool *tooLarge = nullptr);
// 12500000 -> "12.50", 1234 -> "0.001234": two decimals at least, more only when needed.
std::string formatUsd(int64_t micros);
// For SQL: "12.500000".
std::string microsToNumeric(int64_t micros);

} // namespace pitwall
