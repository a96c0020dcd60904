#pragma once

#include "RedisEndpoint.h"

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

struct redisContext;

namespace pitwall {

// A reply copied out of hiredis, so no redisReply escapes this file.
struct RedisValue {
    enum class Type { Nil, Integer, String, Status, Error, Array };
    Type type = Type::Nil;
    long long integer = 0;
    std::string str;
    std::vector<RedisValue> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
    // Integer replies, and strings that hold an integer (HGET of a counter).
    long long toInt(long long fallback = 0) const;
    // HGETALL's flat array as a map.
    std::unordered_map<std::string, std::string> toMap() const;
};

using RedisArgs = std::vector<std::string>;

// One synchronous connection. Not thread-safe: one thread at a time (see RedisPool).
// A broken connection is re-established on the next call; connect and command timeouts
// keep a dead server from hanging the caller.
class RedisConnection {
public:
    explicit RedisConnection(RedisEndpoint endpoint,
                             std::chrono::milliseconds timeout = std::chrono::seconds(3));
    ~RedisConnection();
    RedisConnection(const RedisConnection &) = delete;
    RedisConnection &operator=(const RedisConnection &) = delete;

    // Throws StoreError when the server cannot be reached or refuses the login.
    void connect();
    RedisValue command(const RedisArgs &args);
    // Sends every command, then reads every reply: one round trip for the lot.
    std::vector<RedisValue> pipeline(const std::vector<RedisArgs> &commands);
    // Runs a script of resources/redis by name (EVALSHA, loading it when the server lacks it).
    RedisValue script(const std::string &name, const RedisArgs &keys, const RedisArgs &args);
    // A command timeout for blocking reads (XREAD BLOCK); restored by the next connect.
    void setTimeout(std::chrono::milliseconds timeout);

    const RedisEndpoint &endpoint() const { return m_endpoint; }
    bool isConnected() const { return m_context != nullptr; }

private:
    void ensureConnected();
    void dropConnection();
    [[noreturn]] void throwIoError(const std::string &what);

    RedisEndpoint m_endpoint;
    std::chrono::milliseconds m_timeout;
    redisContext *m_context = nullptr;
    std::unordered_map<std::string, std::string> m_scriptShas;
};

} // namespace pitwall
