#include "RedisEndpoint.h"

#include "StoreError.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace pitwall {
namespace {

std::string percentDecode(const std::string &in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            int value = 0;
            auto [ptr, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
            if (ec == std::errc() && ptr == in.data() + i + 3) {
                out.push_back(static_cast<char>(value));
                i += 2;
                continue;
            }
        }
        out.push_back(in[i]);
    }
    return out;
}

bool parseInt(const std::string &text, int &out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

// Everything up to the last '@' may hold a password: never in a message.
std::string withoutCredentials(const std::string &url) {
    const auto scheme = url.find("://");
    const auto at = url.rfind('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme)
        return url;
    return url.substr(0, scheme + 3) + "…@" + url.substr(at + 1);
}

std::string percentEncode(const std::string &in) {
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : in) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

[[noreturn]] void invalid(const std::string &url, const std::string &why) {
    throw StoreError("The Redis address \"" + withoutCredentials(url) + "\" is not valid: " + why +
                     ". Use redis://[user:password@]host[:port][/db] or unix:///path/to.sock.");
}

} // namespace

RedisEndpoint RedisEndpoint::parse(const std::string &url) {
    RedisEndpoint e;
    if (url.empty())
        invalid(url, "it is empty");
    if (url.rfind("unix://", 0) == 0) {
        e.socketPath = url.substr(7);
        if (e.socketPath.empty() || e.socketPath[0] != '/')
            invalid(url, "a unix socket path must be absolute");
        return e;
    }
    if (url.rfind("redis://", 0) != 0)
        invalid(url, "it must start with redis:// or unix://");
    std::string rest = url.substr(8);
    auto at = rest.rfind('@');
    if (at != std::string::npos) {
        std::string cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = cred.find(':');
        if (colon == std::string::npos) {
            e.password = percentDecode(cred); // redis://password@host, as redis-cli accepts
        } else {
            e.user = percentDecode(cred.substr(0, colon));
            e.password = percentDecode(cred.substr(colon + 1));
        }
    }
    // A password kept out of the URL (and so out of argv and settings files).
    if (e.password.empty())
        if (const char *fromEnvironment = std::getenv("PITWALL_REDIS_PASSWORD"))
            e.password = fromEnvironment;
    auto slash = rest.find('/');
    std::string hostPort = rest.substr(0, slash);
    if (slash != std::string::npos) {
        std::string db = rest.substr(slash + 1);
        if (!db.empty() && (!parseInt(db, e.db) || e.db < 0))
            invalid(url, "the database \"" + db + "\" is not a number");
    }
    auto colon = hostPort.rfind(':');
    if (colon != std::string::npos && hostPort.find(']') == std::string::npos) {
        std::string port = hostPort.substr(colon + 1);
        if (!parseInt(port, e.port) || e.port <= 0 || e.port > 65535)
            invalid(url, "the port \"" + port + "\" is not a port number");
        hostPort = hostPort.substr(0, colon);
    }
    if (hostPort.empty())
        invalid(url, "it names no host");
    e.host = hostPort;
    return e;
}

std::string RedisEndpoint::display() const {
    if (!socketPath.empty())
        return "unix://" + socketPath;
    std::string s = "redis://";
    if (!user.empty())
        s += user + "@";
    s += host + ":" + std::to_string(port);
    if (db != 0)
        s += "/" + std::to_string(db);
    return s;
}

std::string RedisEndpoint::url(bool withPassword) const {
    if (!socketPath.empty())
        return "unix://" + socketPath;
    std::string s = "redis://";
    if (!user.empty() || (withPassword && !password.empty()))
        s += percentEncode(user) + ":" + (withPassword ? percentEncode(password) : "") + "@";
    s += host + ":" + std::to_string(port);
    if (db != 0)
        s += "/" + std::to_string(db);
    return s;
}

} // namespace pitwall
