#include "RedisPool.h"

namespace pitwall {

RedisPool::RedisPool(RedisEndpoint endpoint, size_t size)
    : m_endpoint(std::move(endpoint))
    , m_size(size) {}

RedisPool::Lease RedisPool::lease() {
    std::unique_lock lock(m_mutex);
    m_freed.wait(lock, [this] { return !m_idle.empty() || m_created < m_size; });
    if (!m_idle.empty()) {
        auto c = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(c));
    }
    ++m_created;
    lock.unlock();
    return Lease(*this, std::make_unique<RedisConnection>(m_endpoint));
}

void RedisPool::giveBack(std::unique_ptr<RedisConnection> c) {
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(c));
    }
    m_freed.notify_one();
}

} // namespace pitwall
