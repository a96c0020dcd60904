#include "TimeAxis.h"

#include <algorithm>
#include <cmath>

namespace pitwall {

TimeAxis TimeAxis::fit(int64_t startUs, int64_t endUs, int widthPx, int marginPx) {
    const double span = std::max<double>(1, double(endUs - startUs));
    const double usable = std::max(1, widthPx - 2 * marginPx);
    TimeAxis a;
    a.usPerPixel = span / usable;
    a.originUs = double(startUs) - marginPx * a.usPerPixel;
    return a;
}

TimeAxis TimeAxis::zoomed(double factor, double atX, double minUsPerPixel) const {
    const double anchor = us(atX);
    TimeAxis a;
    a.usPerPixel = std::max(minUsPerPixel, usPerPixel / factor);
    a.originUs = anchor - atX * a.usPerPixel;
    return a;
}

double rulerStepUs(double usPerPixel, double minPx) {
    const double wanted = std::max(1e-9, usPerPixel * minPx);
    const double power = std::pow(10.0, std::floor(std::log10(wanted)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= wanted)
            return m * power;
    return 10 * power;
}

} // namespace pitwall
