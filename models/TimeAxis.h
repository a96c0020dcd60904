#pragma once

#include <cstdint>

namespace pitwall {

// The timeline's mapping between time (microseconds) and pixels: x = (t - origin) / usPerPixel.
// Pure value type; zoom keeps the time under the cursor where it is.
struct TimeAxis {
    double originUs = 0;   // the time at x = 0
    double usPerPixel = 1; // > 0

    double x(double us) const { return (us - originUs) / usPerPixel; }
    double us(double x) const { return originUs + x * usPerPixel; }

    // Shows [startUs, endUs] across `widthPx`, with `marginPx` free on each side.
    static TimeAxis fit(int64_t startUs, int64_t endUs, int widthPx, int marginPx = 0);
    // Zooms by `factor` (> 1 zooms in) about pixel `atX`, never closer than `minUsPerPixel`.
    TimeAxis zoomed(double factor, double atX, double minUsPerPixel = 0.001) const;
    TimeAxis panned(double dx) const { return {originUs - dx * usPerPixel, usPerPixel}; }
    bool operator==(const TimeAxis &o) const {
        return originUs == o.originUs && usPerPixel == o.usPerPixel;
    }
};

// Spacing of the ruler's ticks: a 1, 2 or 5 times a power of ten microseconds such that ticks
// are at least `minPx` apart.
double rulerStepUs(double usPerPixel, double minPx = 80);

} // namespace pitwall
