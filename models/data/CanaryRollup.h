#pragma once

// The canary judge's rollup: per agent, version and minute (of the run's end), what the runs that
// ended in that minute add up to (counts by status, moments, log-scale histograms). An arm over any
// window is the merge of its minutes, so the judge over a million runs reads a few thousand
// buckets instead of the runs; a minute is re-read whole when late runs may still arrive.

#include "CanaryRecords.h"

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pitwall {

class CanaryRollup {
public:
    static constexpr int64_t kMinuteMs = 60'000;
    static constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();

    static int64_t minuteOf(int64_t ms) {
        return ms >= 0 ? ms - ms % kMinuteMs : ms - (kMinuteMs + ms % kMinuteMs) % kMinuteMs;
    }

    void add(const std::string &agent, const std::string &version, int64_t endedMs,
             const RunOutcome &run) {
        m_series[{agent, version}][minuteOf(endedMs)].add(run);
        ++m_runs;
    }

    // Forgets every minute at or after `fromMs`'s minute, so that they can be read again whole.
    void dropFrom(int64_t fromMs) {
        const int64_t minute = minuteOf(fromMs);
        for (auto &[key, minutes] : m_series) {
            for (auto it = minutes.lower_bound(minute); it != minutes.end();) {
                m_runs -= it->second.runs;
                it = minutes.erase(it);
            }
        }
    }

    // Forgets every minute before `fromMs`'s minute (out of every window now).
    void dropBefore(int64_t fromMs) {
        const int64_t minute = minuteOf(fromMs);
        for (auto &[key, minutes] : m_series) {
            for (auto it = minutes.begin(); it != minutes.end() && it->first < minute;) {
                m_runs -= it->second.runs;
                it = minutes.erase(it);
            }
        }
    }

    void clear() {
        m_series.clear();
        m_runs = 0;
    }

    // One version's runs that ended in the minutes from `fromMs`'s minute up to `toMs`.
    CanaryArm arm(const std::string &agent, const std::string &version, int64_t fromMs,
                  int64_t toMs = kEnd) const {
        CanaryArm out;
        out.version = version;
        const auto found = m_series.find({agent, version});
        if (found == m_series.end())
            return out;
        const auto &minutes = found->second;
        for (auto it = minutes.lower_bound(minuteOf(fromMs));
             it != minutes.end() && it->first < toMs; ++it)
            out.merge(it->second);
        return out;
    }

    // The same, minute by minute (for charts): only minutes with runs.
    std::vector<std::pair<int64_t, const CanaryArm *>> minutes(const std::string &agent,
                                                               const std::string &version,
                                                               int64_t fromMs,
                                                               int64_t toMs = kEnd) const {
        std::vector<std::pair<int64_t, const CanaryArm *>> out;
        const auto found = m_series.find({agent, version});
        if (found == m_series.end())
            return out;
        const auto &minutes = found->second;
        for (auto it = minutes.lower_bound(minuteOf(fromMs));
             it != minutes.end() && it->first < toMs; ++it)
            out.emplace_back(it->first, &it->second);
        return out;
    }

    int64_t runs() const { return m_runs; }
    size_t buckets() const {
        size_t n = 0;
        for (const auto &[key, minutes] : m_series)
            n += minutes.size();
        return n;
    }

private:
    std::map<std::pair<std::string, std::string>, std::map<int64_t, CanaryArm>> m_series;
    int64_t m_runs = 0;
};

} // namespace pitwall
