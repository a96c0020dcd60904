#include "RedisEndpoint.h"

#include "StoreError.h"

#include <charconv>

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

[[noreturn]] void invalid(const std::string &url, const std::string &why) {
    throw StoreError("The Redis address \"" + url + "\" is not valid: " + why +
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

} // namespace pitwall
