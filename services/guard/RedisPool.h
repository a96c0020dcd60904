#pragma once

#include "RedisConnection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace pitwall {

// A small set of connections shared by many threads. lease() blocks until one is free.
class RedisPool {
public:
    class Lease {
    public:
        Lease(RedisPool &pool, std::unique_ptr<RedisConnection> c)
            : m_pool(&pool)
            , m_connection(std::move(c)) {}
        Lease(Lease &&) = default;
        ~Lease() {
            if (m_connection)
                m_pool->giveBack(std::move(m_connection));
        }
        RedisConnection *operator->() { return m_connection.get(); }
        RedisConnection &operator*() { return *m_connection; }

    private:
        RedisPool *m_pool;
        std::unique_ptr<RedisConnection> m_connection;
    };

    RedisPool(RedisEndpoint endpoint, size_t size);
    Lease lease();
    const RedisEndpoint &endpoint() const { return m_endpoint; }

private:
    void giveBack(std::unique_ptr<RedisConnection> c);

    RedisEndpoint m_endpoint;
    std::mutex m_mutex;
    std::condition_variable m_freed;
    std::vector<std::unique_ptr<RedisConnection>> m_idle;
    size_t m_created = 0;
    size_t m_size;
};

} // namespace pitwall
