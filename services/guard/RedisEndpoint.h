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

    // Throws StoreError with a sentence saying what is wrong with the URL.
    static RedisEndpoint parse(const std::string &url);
    // The URL again, with the password left out: safe to show and to store.
    std::string display() const;
};

} // namespace pitwall
