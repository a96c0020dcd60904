#pragma once

#include <stdexcept>
#include <string>

namespace pitwall {

// An error meant for a person: one sentence that names the server and what to do.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A refusal by the contract (role, stale revision, unknown target, bad input). `code` is the
// SQLSTATE the database raised (PW001..PW006), or empty when refused on the client side.
class ActionRefused : public std::runtime_error {
public:
    ActionRefused(std::string code, const std::string &message)
        : std::runtime_error(message)
        , m_code(std::move(code)) {}
    const std::string &code() const { return m_code; }

private:
    std::string m_code;
};

} // namespace pitwall
