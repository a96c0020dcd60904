#pragma once

#include <string>

namespace pitwall {

// Where a Redis server is: `redis://[user:password@]host[:port][/db]` or `unix:///path.sock`.
struct RedisEndpoint {
    std::string host;
    int port = 6379;
    std::string socketPath;
    std::string user;
    std::string password;
    int db = 0;

    // Throws StoreError with a sentence saying what is wrong with the URL (never with its
    // password). Without a password in the URL, PITWALL_REDIS_PASSWORD is used when set.
    static RedisEndpoint parse(const std::string &url);
    // The URL again, with the password left out: safe to show and to store.
    std::string display() const;
    // The URL again, percent-encoded so that parse() reads back the same endpoint; with the
    // password only when asked (to connect, never to store).
    std::string url(bool withPassword) const;
};

} // namespace pitwall
