#pragma once

#include <chrono>

namespace pitwall {

// The agents' retry rule: at most 3 retries, exponential backoff with jitter, no retry on a
// 4xx except 408 (timeout) and 429 (rate limited). Status 0 stands for a network failure.
struct RetryPolicy {
    int maxRetries = 3;
    std::chrono::milliseconds baseDelay{200};
    std::chrono::milliseconds maxDelay{5000};

    static bool isSuccess(int status) { return status >= 200 && status < 400; }
    static bool isRetryable(int status) {
        if (status == 0 || status == 408 || status == 429)
            return true;
        return status >= 500;
    }
    // A 4xx other than 408/429 is the caller's fault, not the tool's: it does not trip a breaker.
    static bool countsAgainstBreaker(int status) {
        return !isSuccess(status) && isRetryable(status);
    }

    // Delay before retry number `retry` (1-based): base * 2^(retry-1), capped, then "equal
    // jitter": half fixed, half scaled by unitRandom in [0, 1) so that clients spread out.
    std::chrono::milliseconds delayFor(int retry, double unitRandom) const {
        long long d = baseDelay.count();
        for (int i = 1; i < retry && d < maxDelay.count(); ++i)
            d *= 2;
        if (d > maxDelay.count())
            d = maxDelay.count();
        return std::chrono::milliseconds(d / 2 + static_cast<long long>(unitRandom * (d / 2.0)));
    }
};

} // namespace pitwall
