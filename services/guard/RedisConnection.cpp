#include "RedisConnection.h"

#include "LuaScripts.h"
#include "StoreError.h"

#include <hiredis/hiredis.h>

#include <csignal>
#include <mutex>

#include <sys/time.h>

namespace pitwall {
namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

RedisValue copyReply(const redisReply *r) {
    RedisValue v;
    if (!r)
        return v;
    switch (r->type) {
    case REDIS_REPLY_INTEGER:
        v.type = RedisValue::Type::Integer;
        v.integer = r->integer;
        break;
    case REDIS_REPLY_STRING:
        v.type = RedisValue::Type::String;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_STATUS:
        v.type = RedisValue::Type::Status;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_ERROR:
        v.type = RedisValue::Type::Error;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_ARRAY:
        v.type = RedisValue::Type::Array;
        v.elements.reserve(r->elements);
        for (size_t i = 0; i < r->elements; ++i)
            v.elements.push_back(copyReply(r->element[i]));
        break;
    default:
        break;
    }
    return v;
}

struct ArgvView {
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    explicit ArgvView(const RedisArgs &args) {
        argv.reserve(args.size());
        lengths.reserve(args.size());
        for (const auto &a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
    }
};

} // namespace

long long RedisValue::toInt(long long fallback) const {
    if (type == Type::Integer)
        return integer;
    if (type == Type::String || type == Type::Status) {
        try {
            size_t used = 0;
            long long value = std::stoll(str, &used);
            return used == str.size() ? value : fallback;
        } catch (const std::exception &) {
            return fallback;
        }
    }
    return fallback;
}

std::unordered_map<std::string, std::string> RedisValue::toMap() const {
    std::unordered_map<std::string, std::string> map;
    for (size_t i = 0; i + 1 < elements.size(); i += 2)
        map.emplace(elements[i].str, elements[i + 1].str);
    return map;
}

RedisConnection::RedisConnection(RedisEndpoint endpoint, std::chrono::milliseconds timeout)
    : m_endpoint(std::move(endpoint))
    , m_timeout(timeout) {}

RedisConnection::~RedisConnection() {
    dropConnection();
}

void RedisConnection::dropConnection() {
    if (m_context)
        redisFree(m_context);
    m_context = nullptr;
}

void RedisConnection::connect() {
    // hiredis writes with write(2): a server that went away would raise SIGPIPE and end the
    // whole process. Ignored, the write fails with EPIPE and the call reports a lost connection.
    static std::once_flag ignoreSigpipe;
    std::call_once(ignoreSigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
    dropConnection();
    const timeval tv = toTimeval(m_timeout);
    redisContext *c = m_endpoint.socketPath.empty()
                          ? redisConnectWithTimeout(m_endpoint.host.c_str(), m_endpoint.port, tv)
                          : redisConnectUnixWithTimeout(m_endpoint.socketPath.c_str(), tv);
    const std::string where = "Redis at " + m_endpoint.display();
    if (!c)
        throw StoreError("Cannot reach " + where + ": out of memory.");
    if (c->err) {
        std::string why = c->errstr;
        redisFree(c);
        throw StoreError("Cannot reach " + where + " (" + why +
                         "): is the server running? Check --redis or PITWALL_REDIS.");
    }
    redisSetTimeout(c, tv);
    if (m_endpoint.socketPath.empty())
        redisEnableKeepAlive(c); // TCP only: on a unix socket it fails and poisons the context
    m_context = c;

    auto expectOk = [&](const RedisArgs &args, const std::string &what) {
        RedisValue v = command(args);
        if (v.isError()) {
            dropConnection();
            throw StoreError(where + " refused " + what + " (" + v.str +
                             "): check the user and password in the Redis address.");
        }
    };
    if (!m_endpoint.password.empty()) {
        if (m_endpoint.user.empty())
            expectOk({"AUTH", m_endpoint.password}, "the password");
        else
            expectOk({"AUTH", m_endpoint.user, m_endpoint.password}, "the login");
    }
    RedisValue ping = command({"PING"});
    if (ping.isError()) {
        dropConnection();
        throw StoreError(where + " refused the connection (" + ping.str +
                         "): it needs a password; put it in the Redis address.");
    }
    if (m_endpoint.db != 0)
        expectOk({"SELECT", std::to_string(m_endpoint.db)}, "the database number");
}

void RedisConnection::ensureConnected() {
    if (!m_context)
        connect();
}

void RedisConnection::setTimeout(std::chrono::milliseconds timeout) {
    ensureConnected();
    redisSetTimeout(m_context, toTimeval(timeout));
}

void RedisConnection::throwIoError(const std::string &what) {
    std::string why = m_context ? m_context->errstr : "not connected";
    dropConnection();
    throw StoreError("Lost the connection to Redis at " + m_endpoint.display() + " during " + what +
                     " (" + why + ").");
}

RedisValue RedisConnection::command(const RedisArgs &args) {
    ensureConnected();
    ArgvView view(args);
    auto *reply = static_cast<redisReply *>(redisCommandArgv(
        m_context, static_cast<int>(args.size()), view.argv.data(), view.lengths.data()));
    if (!reply)
        throwIoError(args.empty() ? std::string("a command") : args.front());
    RedisValue v = copyReply(reply);
    freeReplyObject(reply);
    return v;
}

std::vector<RedisValue> RedisConnection::pipeline(const std::vector<RedisArgs> &commands) {
    ensureConnected();
    for (const auto &args : commands) {
        ArgvView view(args);
        if (redisAppendCommandArgv(m_context, static_cast<int>(args.size()), view.argv.data(),
                                   view.lengths.data()) != REDIS_OK)
            throwIoError("a pipeline");
    }
    std::vector<RedisValue> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
        void *raw = nullptr;
        if (redisGetReply(m_context, &raw) != REDIS_OK)
            throwIoError("a pipeline");
        auto *reply = static_cast<redisReply *>(raw);
        replies.push_back(copyReply(reply));
        freeReplyObject(reply);
    }
    return replies;
}

RedisValue RedisConnection::script(const std::string &name, const RedisArgs &keys,
                                   const RedisArgs &args) {
    const std::string &source = LuaScripts::source(name);
    auto sha = m_scriptShas.find(name);
    if (sha == m_scriptShas.end()) {
        RedisValue loaded = command({"SCRIPT", "LOAD", source});
        if (loaded.isError())
            throw StoreError("Redis at " + m_endpoint.display() + " refused the script " + name +
                             ": " + loaded.str);
        sha = m_scriptShas.emplace(name, loaded.str).first;
    }
    RedisArgs call{"EVALSHA", sha->second, std::to_string(keys.size())};
    call.insert(call.end(), keys.begin(), keys.end());
    call.insert(call.end(), args.begin(), args.end());
    RedisValue v = command(call);
    if (v.isError() && v.str.rfind("NOSCRIPT", 0) == 0) {
        // The server restarted or flushed its script cache: load again once.
        m_scriptShas.erase(name);
        return script(name, keys, args);
    }
    if (v.isError())
        throw StoreError("The Redis script " + name + " failed: " + v.str);
    return v;
}

} // namespace pitwall
